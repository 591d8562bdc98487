"""`layout check ISSUE_DIR [--json] [--strict]`: the preflight report of one issue."""
from __future__ import annotations

import traceback
from pathlib import Path

import click

from . import ISSUE_DIR, MORE, describe, verbose


@click.command("check")
@click.argument("issue_dir", type=ISSUE_DIR)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON (always, even on a crash).")
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too.")
@click.pass_context
def command(ctx: click.Context, issue_dir: Path, as_json: bool, strict: bool) -> None:
    """Preflight ISSUE_DIR: text slips, fonts, photos, layout. Exit 1 on errors."""
    from ..preflight import check_issue
    if not as_json:
        report = check_issue(issue_dir)       # an unexpected failure: the command group's catch-all
        for line in report.lines():
            click.echo(line)
        ctx.exit(report.exit_code(strict))
    try:
        report = check_issue(issue_dir)
    except Exception as exc:  # noqa: BLE001 - --json always prints JSON
        report = _crashed(issue_dir, exc, verbose(ctx))
    click.echo(report.as_json())
    ctx.exit(report.exit_code(strict))


def _crashed(issue_dir: Path, exc: Exception, show_traceback: bool):
    """A report holding one `internal` error: what went wrong (the traceback on stderr with -v)."""
    from ..errors import Finding
    from ..model import ISSUE_FILE, _label
    from ..preflight import Report
    if show_traceback:
        traceback.print_exception(exc)
    label = _label(issue_dir / ISSUE_FILE)
    message = describe(exc) + ("" if show_traceback else f" ({MORE})")
    return Report(label, [Finding(message, file=label, kind="internal")])
