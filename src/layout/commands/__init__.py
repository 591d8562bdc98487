"""One module per `layout` sub-command; each exposes `command` (a click command)."""
from __future__ import annotations

import traceback
from pathlib import Path

import click

from ..errors import LayoutError

OUT_DEFAULT = Path("out")
ISSUE_DIR = click.Path(exists=True, file_okay=False, path_type=Path)
OUT_DIR = click.Path(file_okay=False, path_type=Path)


def report(ctx: click.Context, exc: BaseException) -> None:
    """Print a failure the editor's way: located findings, or one line (traceback with -v)."""
    if isinstance(exc, LayoutError):
        for finding in exc.findings:
            click.echo(str(finding), err=True)
        return
    click.echo(f"error: {exc.__class__.__name__}: {exc}", err=True)
    if (ctx.find_root().obj or {}).get("verbose"):
        traceback.print_exception(exc)


def echo_findings(findings) -> None:
    for finding in findings:
        click.echo(str(finding), err=True)
