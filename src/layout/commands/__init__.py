"""One module per `layout` sub-command; each exposes `command` (a click command)."""
from __future__ import annotations

import contextlib
import tempfile
import traceback
from pathlib import Path

import click

from ..errors import LayoutError, Severity, plural  # noqa: F401 - plural: for the commands

OUT_DEFAULT = Path("out")
ISSUE_DIR = click.Path(exists=True, file_okay=False, path_type=Path)
OUT_DIR = click.Path(file_okay=False, path_type=Path)
MORE = "run with -v for details"


def writable(ctx: click.Context, param: click.Parameter, out_dir: Path) -> Path:
    """An output folder the command can write into (tried before anything is rendered)."""
    existing = out_dir
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    try:
        with tempfile.TemporaryFile(dir=existing):
            pass
    except OSError as exc:
        raise click.BadParameter(f"cannot write to '{out_dir}': {exc.strerror or exc}") from None
    return out_dir


def out_option(help: str):
    return click.option("-o", "--out", "out_dir", type=OUT_DIR, default=OUT_DEFAULT, show_default=True,
                        callback=writable, help=help)


@contextlib.contextmanager
def cache_kept_under_limit(ctx: click.Context, cache_dir: Path | None = None):
    """Refuse a `$LAYOUT_CACHE_LIMIT` that is not a size before the command does anything (exit
    2), and once it is done, failed or not (Ctrl-C aside), let go of the cache entries used
    longest ago until the cache is under it (`cache_limit`), saying so when any went."""
    from ..cache_limit import LimitProblem, cache_limit, trim
    try:
        limit = cache_limit()
    except LimitProblem as exc:
        click.echo(f"error: {exc}", err=True)
        ctx.exit(2)
    interrupted = False
    try:
        yield
    except KeyboardInterrupt:
        interrupted = True
        raise
    finally:
        if not interrupted:
            from ..pagerender.keys import env_cache_dir      # here: imports the page stages
            cache = Path(cache_dir or env_cache_dir())
            trimmed = trim(cache, limit)
            if trimmed.entries:
                click.echo(trimmed.summary(cache, limit), err=True)


def report(ctx: click.Context, exc: BaseException) -> None:
    """Print a failure the editor's way: located findings, or one line (traceback with -v)."""
    if isinstance(exc, LayoutError):      # the errors that stopped it: all errors, no label
        for finding in exc.findings:
            click.echo(str(finding), err=True)
        return
    if verbose(ctx):
        traceback.print_exception(exc)
        click.echo(f"error: {describe(exc)}", err=True)
    else:
        click.echo(f"error: {describe(exc)} ({MORE})", err=True)


def describe(exc: BaseException) -> str:
    """What went wrong, in one line: the file and the reason for OS errors."""
    if isinstance(exc, OSError) and exc.filename:
        return f"{exc.filename}: {exc.strerror or exc}"
    return f"{exc.__class__.__name__}: {exc}"


def verbose(ctx: click.Context) -> bool:
    return bool((ctx.find_root().obj or {}).get("verbose"))


def echo_findings(findings, *, notes: bool = False) -> None:
    """Findings as `check` prints them (`file:line: severity: key: message`), notes only if asked."""
    from ..preflight import format_finding
    for finding in findings:
        if notes or finding.severity is not Severity.INFO:
            click.echo(format_finding(finding), err=True)
