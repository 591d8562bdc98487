"""`layout check ISSUE_DIR [--json] [--strict]`: the preflight report of one issue."""
from __future__ import annotations

from pathlib import Path

import click

from . import ISSUE_DIR


@click.command("check")
@click.argument("issue_dir", type=ISSUE_DIR)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too.")
@click.pass_context
def command(ctx: click.Context, issue_dir: Path, as_json: bool, strict: bool) -> None:
    """Preflight ISSUE_DIR: text slips, fonts, photos, layout. Exit 1 on errors."""
    from ..preflight import check_issue
    report = check_issue(issue_dir)
    if as_json:
        click.echo(report.as_json())
    else:
        for line in report.lines():
            click.echo(line)
    ctx.exit(report.exit_code(strict))
