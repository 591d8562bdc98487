"""The `layout` command: thin wrappers that parse options, call one function, print the result.

Exit codes: 0 success, 1 content or render errors, 2 usage errors. A traceback only with -v.
"""
from __future__ import annotations

import sys
import traceback
from pathlib import Path

import click

from .errors import LayoutError

OUT_DEFAULT = Path("out")
issue_dir = click.Path(exists=True, file_okay=False, path_type=Path)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="Show tracebacks of unexpected errors.")
@click.pass_context
def main(ctx: click.Context, verbose: bool) -> None:
    """Turn newspaper special issues (issue.yaml + photos) into print-ready Chinese PDFs."""
    ctx.obj = {"verbose": verbose}


def _fail(ctx: click.Context, exc: Exception) -> None:
    _report(ctx, exc)
    ctx.exit(1)


@main.command()
@click.argument("issue_dirs", nargs=-1, required=True, type=issue_dir)
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=OUT_DEFAULT, show_default=True, help="Folder for <slug>.pdf.")
@click.option("--html", "write_html", is_flag=True, help="Also write <slug>.html, the HTML given to WeasyPrint.")
@click.pass_context
def render(ctx: click.Context, issue_dirs: tuple[Path, ...], out_dir: Path, write_html: bool) -> None:
    """Render each ISSUE_DIR to OUT/<slug>.pdf."""
    from .pipeline import render_to_files
    failed = False
    for folder in issue_dirs:
        try:
            rendered, written = render_to_files(folder, out_dir, html=write_html)
        except Exception as exc:  # noqa: BLE001 - every failure is reported, then exit 1
            failed = True
            _report(ctx, exc)
            continue
        for finding in rendered.findings:
            click.echo(str(finding), err=True)
        for path in written:
            click.echo(f"wrote {path} ({rendered.page_count} pages, {rendered.seconds:.1f} s)"
                       if path.suffix == ".pdf" else f"wrote {path}")
    if failed:
        ctx.exit(1)


def _report(ctx: click.Context, exc: Exception) -> None:
    if isinstance(exc, LayoutError):
        for finding in exc.findings:
            click.echo(str(finding), err=True)
    else:
        click.echo(f"error: {exc.__class__.__name__}: {exc}", err=True)
        if ctx.obj.get("verbose"):
            traceback.print_exc()


@main.command()
@click.argument("folder", type=issue_dir)
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=OUT_DEFAULT, show_default=True, help="Folder for <slug>-p<N>.png.")
@click.option("--dpi", type=click.IntRange(18, 600), default=100, show_default=True)
@click.pass_context
def proof(ctx: click.Context, folder: Path, out_dir: Path, dpi: int) -> None:
    """Render FOLDER and write one PNG proof per page."""
    from .pipeline import render_to_files
    from .proof import write_proofs
    try:
        rendered, written = render_to_files(folder, out_dir)
        pngs = write_proofs(written[-1], out_dir, rendered.issue.slug, dpi)
    except Exception as exc:  # noqa: BLE001
        _fail(ctx, exc)
        return
    for path in pngs:
        click.echo(f"wrote {path}")


if __name__ == "__main__":
    sys.exit(main())
