"""`layout render ISSUE_DIR... [-o OUT] [--html] [--print]`: write OUT/<slug>.pdf for each issue."""
from __future__ import annotations

from pathlib import Path

import click

from . import ISSUE_DIR, OUT_DEFAULT, OUT_DIR, echo_findings, report


@click.command("render")
@click.argument("issue_dirs", nargs=-1, required=True, type=ISSUE_DIR)
@click.option("-o", "--out", "out_dir", type=OUT_DIR, default=OUT_DEFAULT, show_default=True,
              help="Folder for <slug>.pdf.")
@click.option("--html", "write_html", is_flag=True, help="Also write <slug>.html, the HTML given to WeasyPrint.")
@click.option("--print", "press", is_flag=True,
              help="Write the printer's PDF/X-4: CMYK output intent, bleed, crop marks.")
@click.pass_context
def command(ctx: click.Context, issue_dirs: tuple[Path, ...], out_dir: Path, write_html: bool,
            press: bool) -> None:
    """Render each ISSUE_DIR to OUT/<slug>.pdf."""
    from ..pipeline import render_to_files
    failed = False
    for folder in issue_dirs:
        try:
            rendered, written = render_to_files(folder, out_dir, html=write_html, press=press)
        except Exception as exc:  # noqa: BLE001 - reported, then the next issue; exit 1 at the end
            failed = True
            report(ctx, exc)
            continue
        echo_findings(rendered.findings)
        for path in written:
            pages = f" ({rendered.page_count} pages, {rendered.seconds:.1f} s)" if path.suffix == ".pdf" else ""
            click.echo(f"wrote {path}{pages}")
    if failed:
        ctx.exit(1)
