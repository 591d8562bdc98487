"""`layout batch DIR... [-j N] [-o OUT] [--name-by path] [--scheduler tcp://HOST:PORT] [--cache DIR]`:
render many issues on a Dask cluster, each isolated, with a JSON report."""
from __future__ import annotations

import os
from pathlib import Path

import click

from ..errors import Severity
from . import cache_kept_under_limit, out_option, plural
from .render import NAME_BY

EXISTING = click.Path(exists=True, file_okay=False, path_type=Path)


@click.command("batch")
@click.argument("dirs", nargs=-1, required=True, type=EXISTING)
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=os.cpu_count() or 1, show_default="cores",
              help="Worker processes: issues rendered at the same time.")
@out_option("Folder for <slug>.pdf and batch-report.json.")
@click.option("--name-by", type=NAME_BY, default="folder", show_default=True,
              help="Name each PDF by its issue folder's name, or by its path (a/issue -> a-issue.pdf).")
@click.option("--scheduler", metavar="tcp://HOST:PORT",
              help="Render on this Dask cluster instead of N worker processes on this machine.")
@click.option("--cache", "cache_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Page cache folder, shared by this machine and the workers (default: $LAYOUT_CACHE).")
@click.pass_context
def command(ctx: click.Context, dirs: tuple[Path, ...], jobs: int, out_dir: Path, name_by: str,
            scheduler: str | None, cache_dir: Path | None) -> None:
    """Render every issue in DIRS (issue folders, or folders of issue folders) to OUT.

    Unchanged issues are skipped; an issue with errors is reported and the rest render on; a
    folder that looks like an issue but cannot be read as one (issue.yml, a dangling link) is
    reported too. Two issues that would write the same PDF are refused before anything is
    written. Exit code 1 if any issue failed or has errors, 2 if the scheduler cannot be reached;
    Ctrl-C cancels every task and leaves no partial PDF."""
    with cache_kept_under_limit(ctx, cache_dir):
        if scheduler is None:
            from ..cluster import start_forkserver
            start_forkserver()                 # its imports overlap this process's
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        from ..batch import REPORT_NAME, issue_folders, run_batch
        from ..cluster import ClusterUnreachable
        from ..pipeline import output_names
        folders = issue_folders(list(dirs))
        names = output_names(folders, by=name_by)
        console = Console(stderr=True)
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        progress = Progress(*columns, console=console, transient=True)   # shown once connected
        task = progress.add_task("pages", total=0)

        def pages(added: int, finished: int) -> None:
            progress.update(task, total=progress.tasks[0].total + added, advance=finished)

        def connected(client) -> None:
            from ..cluster import dashboard_of
            progress.start()
            if dashboard_of(client):
                progress.console.print(f"dashboard: {dashboard_of(client)}", markup=False, highlight=False)

        try:
            report = run_batch(folders, out_dir, jobs=jobs, names=names, scheduler=scheduler, cache_dir=cache_dir,
                               on_done=lambda outcome: _echo_outcome(progress.console, outcome),
                               on_pages=pages, on_cluster=connected)
        except ClusterUnreachable as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(2)
        except KeyboardInterrupt:
            click.echo("batch: interrupted; every task was cancelled, no PDF is left half-written", err=True)
            ctx.exit(130)
        finally:
            if progress.live.is_started:
                progress.stop()
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
