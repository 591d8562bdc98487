"""Batch stage: many issues on a Dask cluster (`cluster`, `cluster_run`), one report.

Issues are planned and their pages rendered by tasks on an embedded LocalCluster of N worker
processes, or on the cluster at `--scheduler`; this process combines each issue and writes its
PDF. Every issue is isolated: its content errors (located `Finding`s) or an unexpected failure
are recorded for that issue and the others render on. A worker that dies (killed, out of memory)
in the middle of a task: the scheduler runs the task again on another worker, and the report
says which pages were retried. An issue whose pages all have the keys of the PDF already in OUT
is skipped. The report is written to `OUT/batch-report.json`.
"""
from __future__ import annotations

import contextlib
import ctypes
import gc
import json
import os
import queue
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .errors import Finding, LayoutError, Severity, plural
from .model import ISSUE_FILE, look_alikes
from .cluster import FontRefused, PageKilledWorkers, connect, dashboard_of
from .pipeline import output_names
from .render import write_atomically

REPORT_NAME = "batch-report.json"


@dataclass
class IssueOutcome:
    """What happened to one issue of a batch."""

    folder: str
    slug: str
    status: str                      # "rendered", "unchanged" or "failed"
    pdf: str = ""
    pages: int = 0
    rendered_pages: int = 0
    seconds: float = 0.0
    worker: int = 0                  # process id of the worker that rendered it
    peak_rss_mb: float = 0.0         # that worker's peak resident memory so far
    findings: list[dict] = field(default_factory=list)
    page_runs: list[dict] = field(default_factory=list)  # each page laid out: number, worker, seconds, retried

    @property
    def errors(self) -> list[str]:
        return [str(f) for f in self.found(Severity.ERROR)]

    @property
    def warnings(self) -> list[str]:
        return [str(f) for f in self.found(Severity.WARNING)]

    def found(self, *severities: Severity) -> list[Finding]:
        """The findings of these severities (all, without any), as Finding objects."""
        wanted = {s.value for s in severities}
        return [finding_of(f) for f in self.findings if not wanted or f["severity"] in wanted]


@dataclass
class BatchReport:
    out_dir: str
    jobs: int
    issues: list[IssueOutcome] = field(default_factory=list)
    seconds: float = 0.0
    scheduler: str = ""
    dashboard: str | None = None
    inputs_sent: dict = field(default_factory=dict)   # distinct input files sent to the cluster: files, bytes, by_reference
    photo_tasks: int = 0               # photos prepared for their frames by tasks (each photo and frame once a batch)
    workers_cpu_seconds: float = 0.0   # CPU the worker processes have used since they started

    def count(self, status: str) -> int:
        return sum(1 for outcome in self.issues if outcome.status == status)

    @property
    def failed(self) -> bool:
        return self.count("failed") > 0

    @property
    def with_errors(self) -> int:
        """Issues written although errors remain (what `layout check` calls an error)."""
        return sum(1 for o in self.issues if o.status != "failed" and o.errors)

    def summary(self) -> str:
        pages = sum(o.rendered_pages for o in self.issues)
        remain = f" ({self.with_errors} with errors)" if self.with_errors else ""
        retried = sum(1 for o in self.issues for p in o.page_runs if p.get("retried"))
        remain += f"; {plural(retried, 'page')} run again after a worker died" if retried else ""
        return (f"{plural(len(self.issues), 'issue')}: {self.count('rendered')} rendered, "
                f"{self.count('unchanged')} unchanged, {self.count('failed')} failed{remain}; "
                f"{plural(pages, 'page')} laid out in {self.seconds:.1f} s with {plural(self.jobs, 'worker')}")

    def as_dict(self) -> dict:
        data = asdict(self)
        data["summary"] = {s: self.count(s) for s in ("rendered", "unchanged", "failed")}
        data["worker_peak_rss_mb"] = _worker_peaks(self.issues)
        return data


def issue_folders(paths: list[Path]) -> list[Path]:
    """Issue folders: each path itself if it looks like one, else its sub-folders that do.

    A folder looks like an issue when it holds `issue.yaml`, even a dangling link, or a
    look-alike (`issue.yml`, `Issue.yaml`): those fail with a located error, never unseen."""
    found = []
    for path in paths:
        if looks_like_issue(path) or not path.is_dir():
            found.append(path)
        else:
            found += sorted(p for p in path.iterdir() if p.is_dir() and looks_like_issue(p)) or [path]
    return list({folder.resolve(): folder for folder in reversed(found)}.values())[::-1]


def looks_like_issue(folder: Path) -> bool:
    """Anything named issue.yaml (a file, a link even to nothing, a FIFO...) or a look-alike."""
    return os.path.lexists(folder / ISSUE_FILE) or bool(look_alikes(folder))


def release_memory() -> None:
    """Give the memory of a finished issue back (WeasyPrint reads whole font files to subset
    them): without this a worker's resident size creeps up from issue to issue."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def run_batch(folders: list[Path], out_dir: Path, *, jobs: int = 1, cache_dir: Path | None = None,
              on_done=None, names: dict[Path, str] | None = None, scheduler: str | None = None,
              on_pages=None, on_cluster=None) -> BatchReport:
    """Render every issue folder into out_dir on a Dask cluster (an embedded one of `jobs`
    workers, or the one at `scheduler`); write the JSON report. Raises ClusterUnreachable.

    `names` gives each folder's output name (`pipeline.output_names`); by default its own.
    `on_done(outcome)` is called per issue, `on_pages(added, done)` as pages are planned and
    finished, `on_cluster(client)` once connected."""
    names = names or output_names(folders)
    started = time.perf_counter()
    report = BatchReport(str(out_dir), jobs)
    from concurrent.futures import ThreadPoolExecutor

    from .cluster_run import ClusterRun, issues_read
    by_reference = scheduler is None          # the embedded cluster's workers read this machine's files
    blobs: dict = {}
    with ThreadPoolExecutor(1) as reader:
        # read while the cluster starts; each issue is planned once read, while the next is read
        runs = ReadAhead(issues_read(folders, names, blobs, by_reference), reader)
        with _stopping(runs), connect(jobs, scheduler) as client:
            report.scheduler, report.dashboard = client.scheduler.address, dashboard_of(client)
            report.jobs = len(client.scheduler_info().get("workers", {})) or jobs
            if on_cluster:
                on_cluster(client)
            run = ClusterRun(client, out_dir, cache_dir, on_pages or (lambda added, done: None), by_reference)

            def record(outcome: IssueOutcome) -> None:
                report.issues.append(outcome)
                if on_done:
                    on_done(outcome)
            run.render(runs, blobs, record)
            report.inputs_sent = {"files": run.sender.files, "bytes": run.sender.bytes,
                                  "by_reference": run.sender.referenced}
            report.photo_tasks = run.photos_prepared
            report.workers_cpu_seconds = _workers_cpu(client)
    order = {str(folder): index for index, folder in enumerate(folders)}
    report.issues.sort(key=lambda o: order.get(o.folder, 0))
    report.seconds = round(time.perf_counter() - started, 3)
    write_report(report, out_dir / REPORT_NAME)
    return report


class ReadAhead:
    """`items`, produced in a thread of `pool` while the caller takes those produced so far; an
    exception of theirs is raised to the caller after the items before it. `stop()` (the batch
    failed, or was interrupted) ends the production after the item in hand."""

    def __init__(self, items, pool):
        self.produced, self.stopped, self.end = queue.Queue(), threading.Event(), object()
        self.production = pool.submit(self._produce, items)

    def _produce(self, items) -> None:
        try:
            for item in items:
                if self.stopped.is_set():
                    break
                self.produced.put(item)
        finally:
            self.produced.put(self.end)

    def __iter__(self):
        while (item := self.produced.get()) is not self.end:
            yield item
        self.production.result()

    def stop(self) -> None:
        self.stopped.set()


@contextlib.contextmanager
def _stopping(runs: ReadAhead):
    """Stop reading when the batch ends before it has taken every issue (an unreachable scheduler,
    Ctrl-C): the reader's thread, which the batch waits for, must not read on."""
    try:
        yield
    finally:
        runs.stop()


def _workers_cpu(client) -> float:
    """CPU seconds (user + system) of every worker process so far, and of the fork server the
    embedded cluster's workers come from (0 when they cannot say)."""
    try:
        return round(sum(client.run(_cpu_seconds).values()) + _forkserver_cpu(), 2)
    except Exception:  # noqa: BLE001 - only informative
        return 0.0


def _forkserver_cpu() -> float:
    from multiprocessing import forkserver
    pid = getattr(forkserver._forkserver, "_forkserver_pid", None)
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")    # utime, stime


def _cpu_seconds() -> float:
    import resource
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def internal_failure(folder: Path, name: str, exc: BaseException) -> IssueOutcome:
    """An issue whose task raised (a bug, a worker that kept dying, a worker's refused font)."""
    if isinstance(exc, FontRefused):
        finding = Finding(str(exc), file=str(folder), kind="font")
    elif isinstance(exc, PageKilledWorkers):
        finding = Finding(str(exc), file=str(folder), kind="worker")
    else:
        finding = Finding(f"{exc.__class__.__name__}: {exc}", file=str(folder), kind="internal")
    return IssueOutcome(str(folder), name, "failed", findings=[finding.as_dict()])


def write_report(report: BatchReport, path: Path) -> None:
    text = json.dumps(report.as_dict(), ensure_ascii=False, indent=2)
    write_atomically(path, lambda tmp: tmp.write_text(text + "\n", encoding="utf-8"))


def _worker_peaks(issues: list[IssueOutcome]) -> dict[str, float]:
    peaks: dict[str, float] = {}
    for outcome in issues:
        if outcome.worker:
            peaks[str(outcome.worker)] = max(outcome.peak_rss_mb, peaks.get(str(outcome.worker), 0.0))
    return peaks


def finding_of(finding: dict) -> Finding:
    """A finding from its JSON form (as workers send them and the report holds them)."""
    return Finding(finding["message"], finding["file"], finding["line"], finding["key"],
                   Severity(finding["severity"]), finding["kind"])
