"""`layout proof ISSUE_DIR [-o OUT] [--dpi N]`: render, then one PNG per page."""
from __future__ import annotations

from pathlib import Path

import click

from . import ISSUE_DIR, OUT_DEFAULT, OUT_DIR, echo_findings, report


@click.command("proof")
@click.argument("folder", type=ISSUE_DIR)
@click.option("-o", "--out", "out_dir", type=OUT_DIR, default=OUT_DEFAULT, show_default=True,
              help="Folder for <slug>.pdf and <slug>-p<N>.png.")
@click.option("--dpi", type=click.IntRange(18, 600), default=100, show_default=True,
              help="Resolution of the PNG proofs.")
@click.pass_context
def command(ctx: click.Context, folder: Path, out_dir: Path, dpi: int) -> None:
    """Render FOLDER and write one PNG proof per page."""
    from ..pipeline import render_to_files
    from ..proof import write_proofs
    try:
        rendered, written = render_to_files(folder, out_dir)
        pngs = write_proofs(written[-1], out_dir, rendered.issue.slug, dpi)
    except Exception as exc:  # noqa: BLE001
        report(ctx, exc)
        ctx.exit(1)
        return
    echo_findings(rendered.findings)
    for path in pngs:
        click.echo(f"wrote {path}")
