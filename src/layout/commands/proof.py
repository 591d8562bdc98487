"""`layout proof ISSUE_DIR [-o OUT] [--dpi N] [--since VERSION|PDF]`: render, then one PNG per
page; each run is kept as the next numbered proof, and `--since` also writes the proof marked with
what changed since an earlier one (改样)."""
from __future__ import annotations

from pathlib import Path

import click

from . import ISSUE_DIR, cache_kept_under_limit, echo_findings, out_option, plural


@click.command("proof")
@click.argument("issue_dir", type=ISSUE_DIR)
@out_option("Folder for <slug>.pdf and <slug>-p<N>.png.")
@click.option("--dpi", type=click.IntRange(18, 600), default=100, show_default=True,
              help="Resolution of the PNG proofs.")
@click.option("--since", metavar="VERSION|PDF",
              help="Also write OUT/<slug>-proof.pdf: change bars beside every line and photo changed since "
                   "proof VERSION (the number `layout proof` printed, or 第N次校样 on the proof desk) or since "
                   "an earlier PDF of this issue, and a 校样 stamp; the PNGs are of it.")
@click.pass_context
def command(ctx: click.Context, issue_dir: Path, out_dir: Path, dpi: int, since: str | None) -> None:
    """Render ISSUE_DIR to OUT/<slug>.pdf and write one PNG proof per page, OUT/<slug>-p<N>.png.

    Each run is kept as the next numbered proof (第N次校样). Prints what `layout check` finds
    besides (notes excepted); exit 1 when errors remain."""
    with cache_kept_under_limit(ctx):
        from ..pipeline import render_to_files
        from ..proof import SinceError, record_proof, since_proof, write_marked_proof, write_proofs
        try:
            earlier = since_proof(issue_dir, since) if since is not None else None
        except SinceError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(2)
        rendered, written = render_to_files(issue_dir, out_dir)
        pdf = written[-1]
        number, lines = record_proof(rendered)
        shown = pdf
        if earlier is not None:
            shown = pdf.with_name(f"{pdf.stem}-proof.pdf")
            marks = write_marked_proof(rendered, pdf, shown, number, lines, earlier, by_pdf=not since.strip().isdigit())
        pngs = write_proofs(shown, out_dir, pdf.stem, dpi)
        echo_findings(rendered.findings)
        click.echo(f"wrote {pdf} ({plural(rendered.page_count, 'page')}, {rendered.seconds:.1f} s)")
        if earlier is not None:
            click.echo(f"wrote {shown} (校样 第{number}次 against {earlier.label}: "
                       f"{plural(len(marks.changed), 'change')} marked, {plural(len(marks.deleted), 'cut')})")
        for path in pngs:
            click.echo(f"wrote {path}")
        click.echo(f"proof {number} kept (第{number}次校样); mark a later proof's changes with --since {number}")
        if rendered.errors:
            ctx.exit(1)
