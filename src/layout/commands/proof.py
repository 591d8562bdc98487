"""`layout proof ISSUE_DIR [-o OUT] [--dpi N]`: render, then one PNG per page."""
from __future__ import annotations

from pathlib import Path

import click

from . import ISSUE_DIR, echo_findings, out_option, plural


@click.command("proof")
@click.argument("issue_dir", type=ISSUE_DIR)
@out_option("Folder for <slug>.pdf and <slug>-p<N>.png.")
@click.option("--dpi", type=click.IntRange(18, 600), default=100, show_default=True,
              help="Resolution of the PNG proofs.")
@click.pass_context
def command(ctx: click.Context, issue_dir: Path, out_dir: Path, dpi: int) -> None:
    """Render ISSUE_DIR to OUT/<slug>.pdf and write one PNG proof per page, OUT/<slug>-p<N>.png.

    Prints what `layout check` finds besides (notes excepted); exit 1 when errors remain."""
    from ..pipeline import render_to_files
    from ..proof import write_proofs
    rendered, written = render_to_files(issue_dir, out_dir)
    pngs = write_proofs(written[-1], out_dir, written[-1].stem, dpi)
    echo_findings(rendered.findings)
    click.echo(f"wrote {written[-1]} ({plural(rendered.page_count, 'page')}, {rendered.seconds:.1f} s)")
    for path in pngs:
        click.echo(f"wrote {path}")
    if rendered.errors:
        ctx.exit(1)
