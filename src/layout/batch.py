"""Batch stage: many issues, each rendered page by page in its own worker, one report.

Every issue is isolated: its content errors (located `Finding`s) or an unexpected failure are
recorded for that issue and the others render on. A worker that dies (killed, out of memory)
breaks its pool; the issues that pool had not finished are then rendered again one by one, each
in a worker of its own, so that only the issue that kills its worker fails. An issue whose pages all have the keys of the
PDF already in OUT is skipped. The report is written to `OUT/batch-report.json`.
"""
from __future__ import annotations

import ctypes
import gc
import json
import os
import time
from concurrent.futures import as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path

from .errors import Finding, LayoutError, Severity, plural
from .model import ISSUE_FILE, look_alikes
from .pagerender import RenderPool, write_issue
from .pagerender.pool import peak_rss_mb
from .pipeline import output_names, with_preflight
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


def render_one(folder: Path, out_dir: Path, cache_dir: Path | None, skip_unchanged: bool = True, *,
               name: str | None = None) -> IssueOutcome:
    """Render one issue (in a worker) to `out_dir/<name>.pdf`; never raises. Its findings are the
    render's and `layout check`'s."""
    started = time.perf_counter()
    outcome = IssueOutcome(str(folder), name or folder.name, "failed")
    try:
        result = write_issue(folder, out_dir, cache_dir=cache_dir, skip_unchanged=skip_unchanged, name=name)
        result.findings = with_preflight(result.findings, result.issue, result.plans)
    except LayoutError as exc:
        outcome.findings = [f.as_dict() for f in exc.findings]
    except Exception as exc:  # noqa: BLE001 - isolated: reported for this issue only
        outcome.findings = [Finding(f"{exc.__class__.__name__}: {exc}", file=str(folder), kind="internal").as_dict()]
    else:
        outcome.status = "unchanged" if result.skipped else "rendered"
        outcome.pdf, outcome.pages = str(result.written[-1]), result.page_count
        outcome.rendered_pages = result.rendered_pages
        outcome.findings = [f.as_dict() for f in result.findings]
    outcome.seconds = round(time.perf_counter() - started, 3)
    outcome.worker, outcome.peak_rss_mb = os.getpid(), round(peak_rss_mb(), 1)
    release_memory()
    return outcome


def release_memory() -> None:
    """Give the memory of a finished issue back (WeasyPrint reads whole font files to subset
    them): without this a worker's resident size creeps up from issue to issue."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


#: issues a worker renders before it is replaced by a fresh one (its memory stays near one
#: render's: 320 MB after six sample issues); a fresh pool costs a barrier, so not too often
ISSUES_PER_WORKER = 8


def run_batch(folders: list[Path], out_dir: Path, *, jobs: int = 1, cache_dir: Path | None = None,
              on_done=None, names: dict[Path, str] | None = None) -> BatchReport:
    """Render every issue folder into out_dir across `jobs` workers; write the JSON report.

    `names` gives each folder's output name (`pipeline.output_names`); by default its own."""
    names = names or output_names(folders)
    started = time.perf_counter()
    report = BatchReport(str(out_dir), jobs)

    def record(outcome: IssueOutcome) -> None:
        report.issues.append(outcome)
        if on_done:
            on_done(outcome)

    per_pool = max(1, jobs) * ISSUES_PER_WORKER
    for first in range(0, len(folders), per_pool):
        broken = _render_in_pool(folders[first:first + per_pool], out_dir, jobs, cache_dir, record, names)
        for folder in broken:   # each issue a dying worker took down is tried alone, and not
            with RenderPool(1, always_fork=True) as alone:   # skipped: the pool may have written it
                record(_outcome(alone.submit(partial(render_one, name=names[folder.resolve()]),
                                             folder, out_dir, cache_dir, False), folder))
    order = {str(folder): index for index, folder in enumerate(folders)}
    report.issues.sort(key=lambda o: order.get(o.folder, 0))
    report.seconds = round(time.perf_counter() - started, 3)
    write_report(report, out_dir / REPORT_NAME)
    return report


def _render_in_pool(folders: list[Path], out_dir: Path, jobs: int, cache_dir: Path | None, record,
                    names: dict[Path, str]) -> list[Path]:
    """Render `folders` in a pool of fresh workers (caches grow issue by issue), recording each
    outcome; return the folders whose futures a dying worker broke (the pool fails them all)."""
    broken = []
    with RenderPool(jobs, always_fork=True) as pool:
        futures = {pool.submit(partial(render_one, name=names[folder.resolve()]), folder, out_dir, cache_dir): folder
                   for folder in folders}
        for future in as_completed(futures):
            if isinstance(future.exception(), BrokenProcessPool):
                broken.append(futures[future])
            else:
                record(_outcome(future, futures[future]))
    return broken


def _outcome(future, folder: Path) -> IssueOutcome:
    try:
        return future.result()
    except Exception as exc:  # noqa: BLE001 - a worker that died takes only its issue down
        finding = Finding(f"the worker stopped: {exc.__class__.__name__}: {exc}", file=str(folder), kind="internal")
        return IssueOutcome(str(folder), folder.name, "failed", findings=[finding.as_dict()])


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
