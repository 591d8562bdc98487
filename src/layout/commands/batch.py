"""`layout batch DIR... [-j N] [-o OUT] [--name-by path]`: render many issues, each isolated,
with a JSON report."""
from __future__ import annotations

import os
from pathlib import Path

import click

from ..errors import Severity
from . import out_option, plural
from .render import NAME_BY

EXISTING = click.Path(exists=True, file_okay=False, path_type=Path)


@click.command("batch")
@click.argument("dirs", nargs=-1, required=True, type=EXISTING)
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=os.cpu_count() or 1, show_default="cores",
              help="Worker processes: issues rendered at the same time.")
@out_option("Folder for <slug>.pdf and batch-report.json.")
@click.option("--name-by", type=NAME_BY, default="folder", show_default=True,
              help="Name each PDF by its issue folder's name, or by its path (a/issue -> a-issue.pdf).")
@click.pass_context
def command(ctx: click.Context, dirs: tuple[Path, ...], jobs: int, out_dir: Path, name_by: str) -> None:
    """Render every issue in DIRS (issue folders, or folders of issue folders) to OUT.

    Unchanged issues are skipped; an issue with errors is reported and the rest render on; a
    folder that looks like an issue but cannot be read as one (issue.yml, a dangling link) is
    reported too. Two issues that would write the same PDF are refused before anything is
    written. Exit code 1 if any issue failed or has errors."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from ..batch import REPORT_NAME, issue_folders, run_batch
    from ..pipeline import output_names
    folders = issue_folders(list(dirs))
    names = output_names(folders, by=name_by)
    console = Console(stderr=True)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("rendering", total=len(folders))

        def done(outcome) -> None:
            progress.advance(task)
            _echo_outcome(progress.console, outcome)

        report = run_batch(folders, out_dir, jobs=jobs, on_done=done, names=names)
    click.echo(f"batch: {report.summary()}; wrote {out_dir / REPORT_NAME}")
    if report.failed or report.with_errors:
        ctx.exit(1)


def _echo_outcome(console, outcome) -> None:
    from ..preflight import format_finding
    say = lambda text: console.print(text, markup=False, highlight=False, soft_wrap=True)  # noqa: E731
    if outcome.status == "failed":
        console.print(f"failed {outcome.folder}", style="red", markup=False, highlight=False, soft_wrap=True)
        for line in outcome.errors:
            say(f"  {line}")
        return
    pages = f"{plural(outcome.pages, 'page')}, {outcome.rendered_pages} laid out, {outcome.seconds:.1f} s"
    counts = [plural(len(lines), kind) for lines, kind in ((outcome.errors, "error"), (outcome.warnings, "warning"))
              if lines]
    verb = "wrote" if outcome.status == "rendered" else "unchanged"
    say(f"{verb} {outcome.pdf} ({pages}{''.join(', ' + c for c in counts)})")
    for finding in outcome.found(Severity.ERROR, Severity.WARNING):
        say(f"  {format_finding(finding)}")
