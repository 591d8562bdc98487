"""`layout batch DIR... [-j N] [-o OUT]`: render many issues, each isolated, with a JSON report."""
from __future__ import annotations

import os
from pathlib import Path

import click

from . import OUT_DEFAULT, OUT_DIR

EXISTING = click.Path(exists=True, file_okay=False, path_type=Path)


@click.command("batch")
@click.argument("dirs", nargs=-1, required=True, type=EXISTING)
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=os.cpu_count() or 1, show_default="cores",
              help="Worker processes: issues rendered at the same time.")
@click.option("-o", "--out", "out_dir", type=OUT_DIR, default=OUT_DEFAULT, show_default=True,
              help="Folder for <slug>.pdf and batch-report.json.")
@click.pass_context
def command(ctx: click.Context, dirs: tuple[Path, ...], jobs: int, out_dir: Path) -> None:
    """Render every issue in DIRS (issue folders, or folders of issue folders) to OUT.

    Unchanged issues are skipped; an issue with errors is reported and the rest render on.
    Exit code 1 if any issue failed."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from ..batch import REPORT_NAME, issue_folders, run_batch
    folders = issue_folders(list(dirs))
    console = Console(stderr=True)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("rendering", total=len(folders))

        def done(outcome) -> None:
            progress.advance(task)
            _echo_outcome(progress.console, outcome)

        report = run_batch(folders, out_dir, jobs=jobs, on_done=done)
    click.echo(f"batch: {report.summary()}; report {out_dir / REPORT_NAME}")
    if report.failed:
        ctx.exit(1)


def _echo_outcome(console, outcome) -> None:
    if outcome.status == "failed":
        console.print(f"failed {outcome.folder}", style="red", markup=False, highlight=False, soft_wrap=True)
        for line in outcome.errors:
            console.print(f"  {line}", markup=False, highlight=False, soft_wrap=True)
        return
    pages = f"{outcome.pages} pages, {outcome.rendered_pages} laid out, {outcome.seconds:.1f} s"
    warnings = f", {len(outcome.warnings)} warnings" if outcome.warnings else ""
    console.print(f"{outcome.status} {outcome.pdf} ({pages}{warnings})", markup=False, highlight=False, soft_wrap=True)
