"""Batch stage, client side: plan issues and render pages on the cluster, combine each issue here.

Every issue's inputs are read here (`cluster_inputs`: each distinct file is sent once), and each
issue is planned by a task as soon as it is read (which has its photos prepared by photo tasks:
`cluster_photos`); its pages whose keys are in this machine's page cache are
reused, the others are submitted as page tasks of at most `PAGES_PER_TASK` pages of the issue
each, written by one WeasyPrint `write_pdf` (a lone page's task is keyed `page-<page key>`; a
page two issues share is rendered once). When an issue's last page arrives, its pages are put in
the page cache and combined into `<name>.pdf`, written by `pagerender.output.write_file` as `layout render` writes
it: a batch interrupted at any point leaves no partial PDF. An interrupted batch cancels every
task it submitted that no other client of the scheduler wants too.
"""
from __future__ import annotations

import hashlib
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from . import batch_memo
from .cluster import _theme_name, compose_task, page_task, plan_task, retried_keys, theme_fonts
from .cluster_photos import PRIORITY, photo_task
from .cluster_inputs import LocalFile, held, read_inputs
from .errors import Finding, Severity
from .pagerender.cache import PageCache, PageEntry
from .pagerender.combine import combine_pages
from .pagerender.issue import ISSUE_KEY, written_key
from .pagerender.keys import env_cache_dir
from .pagerender.output import write_file
from .pagerender.pool import chunks

#: most pages of one issue a page task renders: they are laid out one by one and written as one
#: PDF, so the fonts are subset once a task, not once a page (measured on the sample's 2 pages:
#: 0.53 s of CPU as one task, 0.70 s as two); few enough that a worker lost costs little
PAGES_PER_TASK = 4


@dataclass
class IssueRun:
    """One issue on its way through the cluster."""

    folder: Path
    name: str
    fonts: list | None
    started: float = field(default_factory=time.perf_counter)
    plan: dict = field(default_factory=dict)
    entries: dict[str, PageEntry] = field(default_factory=dict)
    missing: set[str] = field(default_factory=set)
    pages: list[dict] = field(default_factory=list)
    error: BaseException | None = None
    inputs: object = None            # cluster_inputs.IssueInputs
    memo: str | None = None          # batch_memo.inputs_key


class Sender:
    """Each file's bytes sent to the cluster once (Dask key `input-<sha256>`), then reused.

    The bytes are the argument of a task (`cluster_inputs.held`), not scattered data: the
    scheduler keeps the task, so when the worker holding them dies they are made again from it
    (scattered data would be lost with its worker, and every task needing it cancelled)."""

    def __init__(self, client):
        self.client, self.futures, self.bytes, self.files, self.referenced = client, {}, 0, 0, 0
        self.users: dict[str, int] = {}        # hash -> tasks submitted and not finished that need it
        self.kept: set[str] = set()

    def futures_for(self, hashes, blobs: dict, keep=()) -> dict[str, object]:
        """Futures of these files' bytes (or `LocalFile`s), sent now if not yet; each counts one more user. Those
        in `keep` are held to the end of the batch (prepared photos: a later issue's pages may
        name them, and only its plan's result has their bytes)."""
        hashes = sorted(set(hashes))
        for sha in hashes:
            if sha in keep and sha not in self.kept:
                self.kept.add(sha)
                self.users[sha] = self.users.get(sha, 0) + 1     # a user that never finishes
            if sha not in self.futures:
                self.futures[sha] = self.client.submit(held, blobs[sha], key=f"input-{sha}", pure=False)
                self.files += 1
                if isinstance(blobs[sha], LocalFile):
                    self.referenced += 1
                else:
                    self.bytes += len(blobs[sha])
            self.users[sha] = self.users.get(sha, 0) + 1
        return {sha: self.futures[sha] for sha in hashes}

    def done_with(self, hashes) -> None:
        """A task that needed these files has finished: the bytes no task needs any more are let
        go (the source photos once every plan is done), so workers do not hold them meanwhile."""
        for sha in set(hashes):
            self.users[sha] -= 1
            if not self.users[sha]:
                del self.users[sha], self.futures[sha]


def read_issues(folders: list[Path], names: dict[Path, str], by_reference: bool = False) -> tuple[list[IssueRun], dict]:
    """Every issue's fonts and inputs as this machine has them, and the inputs' bytes by hash
    (`by_reference`: `LocalFile`s, for workers on this machine)."""
    blobs: dict = {}
    return list(issues_read(folders, names, blobs, by_reference)), blobs


def issues_read(folders: list[Path], names: dict[Path, str], blobs: dict, by_reference: bool):
    """Each issue as `read_issues` reads it, one at a time, its inputs' bytes added to `blobs`:
    `run_batch` reads them while the cluster starts, and plans the first while it reads the next."""
    for folder in folders:
        yield _read(folder, names[folder.resolve()], blobs, by_reference)


def _read(folder: Path, name: str, blobs: dict, by_reference: bool) -> IssueRun:
    """The issue's fonts and inputs (the issue's own errors, even an unreadable issue.yaml, are
    its plan task's to report)."""
    try:
        theme = _theme_name(folder)
        run = IssueRun(folder, name, theme_fonts(theme))
    except Exception:  # noqa: BLE001 - the plan task, given the folder's other files, says why
        theme, run = "", IssueRun(folder, name, None)
    try:
        run.inputs = read_inputs(folder, theme, blobs, by_reference)
    except OSError as exc:
        run.error = exc
    return run


class ClusterRun:
    """The issues of one batch on one Dask client."""

    def __init__(self, client, out_dir: Path, cache_dir: Path | None, on_pages, by_reference: bool = False):
        self.client, self.out_dir, self.on_pages, self.by_reference = client, Path(out_dir), on_pages, by_reference
        # the embedded cluster's workers write into this machine's page cache (named to them in full)
        self.cache_arg = str(Path(cache_dir or env_cache_dir()).resolve()) if by_reference else \
            str(cache_dir) if cache_dir else None
        self.cache = PageCache(Path(cache_dir or env_cache_dir()) / "pages")
        self.runs: dict[str, IssueRun] = {}           # plan task key -> issue
        self.waiting: dict[str, list[IssueRun]] = {}  # page key -> issues waiting for it
        self.futures: dict[str, object] = {}          # task key -> future still held
        self.rendering: dict[str, str] = {}           # page key -> key of the page task rendering it now
        self.task_of: dict[str, str] = {}             # page key -> key of the last task given it
        self.pages_of: dict[str, list[str]] = {}      # page task key -> its page keys, in order
        self.sender = Sender(client)
        self.needs: dict[str, set[str]] = {}          # task key -> hashes of the files it was given
        self.photos: dict[str, object] = {}           # photo task key -> its future, while a compose task waits for it
        self.photo_count: dict[str, int] = {}         # photo task key -> compose tasks waiting for it
        self.photo_users: dict[str, list[str]] = {}   # compose task key -> its photo tasks' keys
        self.photos_prepared = 0                      # photo tasks submitted

    def render(self, runs, blobs: dict[str, bytes], record) -> None:
        """Render the issues read by `read_issues` (or `issues_read`: each is planned as soon as
        it is read), calling `record(outcome)` for each as it ends."""
        from distributed import as_completed
        self.record = record
        try:
            for run in runs:
                if run.error is not None:
                    self.record(failure(run, run.error))
                    continue
                if self._unchanged(run):
                    continue
                key = f"plan-{run.name}-{uuid.uuid4().hex[:8]}"
                sent = self.sender.futures_for(run.inputs.hashes(), blobs)
                self.needs[key] = set(sent)
                future = self.client.submit(plan_task, str(run.folder), self.cache_arg, run.fonts, run.inputs,
                                            sent, self.by_reference, key, key=key)
                self.runs[key], self.futures[key] = run, future
            blobs.clear()
            pending = as_completed(list(self.futures.values()), loop=self.client.loop)
            for future in pending:
                if future.key in self.runs:
                    self._planned(self.runs.pop(future.key), future, pending)
                else:
                    self._page_done(future)
                self.futures.pop(future.key, None)
                self.sender.done_with(self.needs.pop(future.key, ()))
                self._photos_done_with(future.key)
        except BaseException:
            # not force=True: a task keyed by content that another client wants too (a photo, a
            # page, another desk's batch on the same scheduler) runs on for it
            self.client.cancel([*self.futures.values(), *self.photos.values()])
            raise

    def _unchanged(self, run: IssueRun) -> bool:
        """Record `run` unchanged, without planning it, when its inputs are those of the PDF in
        OUT (`batch_memo`)."""
        run.memo = batch_memo.inputs_key(run)
        memo = batch_memo.recall(self.cache.folder.parent, run.memo)
        pdf = self.out_dir / f"{run.name}.pdf"
        if memo is None or written_key(pdf) != memo["key"]:
            return False
        self.on_pages(memo["pages"], memo["pages"])
        outcome = outcome_of(run, "unchanged", findings=memo["findings"], pdf=str(pdf))
        outcome.pages = memo["pages"]
        self.record(outcome)
        return True

    def _remember(self, run: IssueRun, findings: list[dict]) -> None:
        batch_memo.remember(self.cache.folder.parent, run.memo, run.plan["key"], len(run.plan["jobs"]), findings)

    def _planned(self, run: IssueRun, future, pending) -> None:
        try:
            run.plan = future.result()
        except Exception as exc:  # noqa: BLE001 - isolated: this issue fails, the others go on
            return self.record(failure(run, exc))
        if "photos" in run.plan:
            return pending.add(self._submit_compose(run, future.key, run.plan))
        if "errors" in run.plan:
            return self.record(outcome_of(run, "failed", findings=run.plan["errors"]))
        jobs = run.plan["jobs"]
        if written_key(self.out_dir / f"{run.name}.pdf") == run.plan["key"]:
            self.on_pages(len(jobs), len(jobs))
            self._remember(run, run.plan["findings"])
            return self.record(outcome_of(run, "unchanged", findings=run.plan["findings"],
                                          pdf=str(self.out_dir / f"{run.name}.pdf")))
        new = {}
        for job in jobs:
            entry = self.cache.get(job.key)
            if entry is not None:
                run.entries[job.key] = entry
                continue
            run.missing.add(job.key)
            self.waiting.setdefault(job.key, []).append(run)
            if job.key not in self.rendering:
                new.setdefault(job.key, job)
        for part in chunks(list(new.values()), -(-len(new) // PAGES_PER_TASK)):
            pending.add(self._submit_pages(run, part))
        run.plan.pop("blobs", None)
        self.on_pages(len(jobs), len(jobs) - len(run.missing))
        if not run.missing:
            self._finish(run)

    def _submit_compose(self, run: IssueRun, plan_id: str, planned: dict):
        """Submit the photo tasks the plan `plan_id` asked for (each photo once a batch: a task
        another issue's plan asked for already is shared) and the issue's compose task, which
        waits for them, on the worker that planned it, before the plans queued there (each keeps
        its issue planned until then); return the compose task's future."""
        key = f"compose-{run.name}-{uuid.uuid4().hex[:8]}"
        sent = self.sender.futures_for(run.inputs.hashes(), {})      # still held: the plan's are let go after
        self.needs[key] = set(sent)
        photos = {order.key: self._photo(order, sent[order.sha]) for order in planned["photos"]}
        self.photo_users[key] = list(photos)
        self.runs[key] = run
        self.futures[key] = self.client.submit(
            compose_task, plan_id, str(run.folder), self.cache_arg, run.fonts, run.inputs, sent, self.by_reference,
            photos, key=key, workers=[planned["worker"]], allow_other_workers=True, priority=PRIORITY)
        return self.futures[key]

    def _photo(self, order, source):
        """The future of the photo task for `order` (from the future of its source's bytes)."""
        if order.key not in self.photos:
            self.photos[order.key] = self.client.submit(photo_task, source, order, self.cache_arg, self.by_reference,
                                                        key=order.key, priority=PRIORITY)
            self.photos_prepared += 1
        self.photo_count[order.key] = self.photo_count.get(order.key, 0) + 1
        return self.photos[order.key]

    def _photos_done_with(self, key: str) -> None:
        """A compose task has finished: the photo tasks no other compose task waits for are let go
        (their prepared files are in the cache)."""
        for photo in self.photo_users.pop(key, ()):
            self.photo_count[photo] -= 1
            if not self.photo_count[photo]:
                del self.photo_count[photo], self.photos[photo]

    def _submit_pages(self, run: IssueRun, jobs: list):
        """Submit one page task for `jobs` (pages of `run`); return its future."""
        keys = [job.key for job in jobs]
        key = f"page-{keys[0]}" if len(keys) == 1 else \
            f"pages-{hashlib.sha256(' '.join(keys).encode()).hexdigest()}"
        blobs = run.plan["blobs"]
        files = self.sender.futures_for({sha for job in jobs for sha in job.files.values()}, blobs, keep=blobs)
        self.needs[key], self.pages_of[key] = set(files), keys
        self.rendering.update(dict.fromkeys(keys, key))
        self.task_of.update(dict.fromkeys(keys, key))
        self.futures[key] = self.client.submit(page_task, jobs, self.cache_arg, run.fonts, files, self.by_reference,
                                               key=key)
        return self.futures[key]

    def _page_done(self, future) -> None:
        keys = self.pages_of.pop(future.key)
        for key in keys:
            del self.rendering[key]
        try:
            data = future.result()
            entries = [self._entry(key, page) for key, page in zip(keys, data["pages"])]
        except Exception as exc:  # noqa: BLE001 - fails the issues that wait for these pages
            for run in {id(run): run for key in keys for run in self.waiting.get(key, [])}.values():
                run.error = run.error or page_failure(run, keys, future.key, exc)
            data, entries = None, [None] * len(keys)
        for key, entry in zip(keys, entries):
            self._page_arrived(key, entry, data)

    def _entry(self, key: str, page: dict) -> PageEntry:
        """A page of a finished task in this machine's page cache: put there from its bytes, or,
        from a worker of this machine (no bytes), written there by it already."""
        if page["pdf"] is not None:
            from .batch import finding_of
            return self.cache.put(key, page["pdf"], bookmarks=page["bookmarks"], anchors=page["anchors"],
                                  findings=[finding_of(f) for f in page["findings"]])
        entry = self.cache.get(key)
        if entry is None:
            raise FileNotFoundError(f"page {key[:16]} is not in the page cache {self.cache.folder}, "
                                    "where its worker wrote it")
        return entry

    def _page_arrived(self, key: str, entry: PageEntry | None, task: dict | None) -> None:
        """One page of a finished task, in the page cache (None: the task failed), for each issue
        waiting for it, which is combined once it has all its pages."""
        for run in self.waiting.pop(key, []):
            if entry is not None:
                run.entries[key] = entry
                number = next(job.number for job in run.plan["jobs"] if job.key == key)
                share = len(task["pages"])
                run.pages.append({"number": number, "key": key[:16], "worker": task["worker"], "pid": task["pid"],
                                  "seconds": round(task["seconds"] / share, 3), "task_pages": share,
                                  "retried": 0, "peak_rss_mb": task["peak_rss_mb"]})
            run.missing.discard(key)
            self.on_pages(0, 1)
            if not run.missing:
                self._finish(run)

    def _count_retries(self, run: IssueRun) -> None:
        """Each page's count of workers that died while running it, asked of the scheduler once
        an issue (0 when it cannot say)."""
        tasks = {job.number: self.task_of[job.key] for job in run.plan["jobs"] if job.key in self.task_of}
        try:
            counts = self.client.run_on_scheduler(retried_keys, keys=sorted(set(tasks.values())))
        except Exception:  # noqa: BLE001 - a scheduler without layout installed cannot answer
            counts = {}
        for page in run.pages:
            page["retried"] = counts.get(tasks.get(page["number"]), 0)

    def _finish(self, run: IssueRun) -> None:
        if run.error is not None:
            return self.record(failure(run, run.error))
        from .model import load_issue
        from .pipeline import _located
        jobs = run.plan["jobs"]
        entries = [run.entries[job.key] for job in jobs]
        found = [f for entry in entries for f in entry.findings]
        if any(f.key and not f.file for f in found):       # loading the issue inspects its photos
            found = _located(found, load_issue(run.folder))
        errors = [f for f in found if f.severity is Severity.ERROR]
        if errors:
            return self.record(outcome_of(run, "failed", findings=[f.as_dict() for f in errors]))
        if run.pages:
            self._count_retries(run)
        pdf = self.out_dir / f"{run.name}.pdf"
        try:
            write_file(pdf, lambda stream: combine_pages(entries, stream, info={ISSUE_KEY[1:]: run.plan["key"]}))
        except OSError as exc:
            finding = Finding(f"cannot write the PDF: {exc}", file=str(pdf), kind="render")
            return self.record(outcome_of(run, "failed", findings=[finding.as_dict()]))
        findings = sorted([*map(finding_from, run.plan["findings"]), *found], key=lambda f: (f.file, f.line or 0, f.key))
        self._remember(run, [f.as_dict() for f in findings])
        self.record(outcome_of(run, "rendered", findings=[f.as_dict() for f in findings], pdf=str(pdf)))


def page_failure(run: IssueRun, keys: list[str], task: str, exc: Exception) -> Exception:
    """What the failure of the page task `task` (of pages `keys`) means for `run`: pages that
    killed the worker rendering them on every try (Dask's KilledWorker, after the scheduler's
    allowed-failures) are named by their numbers."""
    from distributed.scheduler import KilledWorker

    from .cluster import PageKilledWorkers
    if not isinstance(exc, KilledWorker):
        return exc
    numbers = [str(job.number) for job in run.plan["jobs"] if job.key in keys]
    pages, them, its = (f"page {numbers[0]}", "it", "its") if len(numbers) == 1 else \
        (f"pages {', '.join(numbers)}", "them", "their task's")
    return PageKilledWorkers(
        f"{pages} killed the worker rendering {them} on each of {exc.allowed_failures + 1} tries (the "
        f"last on {exc.last_worker.address}); the scheduler gave it up (allowed-failures: "
        f"{exc.allowed_failures}), so {run.name}.pdf is not written: look for what in {pages} "
        f"crashes or exhausts a worker's memory ({its} Dask key is {task})")


def finding_from(data: dict) -> Finding:
    from .batch import finding_of
    return finding_of(data)


def outcome_of(run: IssueRun, status: str, *, findings: list[dict], pdf: str = ""):
    """The IssueOutcome of `run`."""
    from .batch import IssueOutcome
    plan = run.plan
    jobs = plan.get("jobs", [])
    outcome = IssueOutcome(str(run.folder), run.name, status, pdf=pdf, findings=findings)
    if status != "failed":
        outcome.pages = len(jobs)
    outcome.rendered_pages = len(run.pages) if status == "rendered" else 0
    outcome.seconds = round(time.perf_counter() - run.started, 3)
    outcome.worker = plan.get("pid", 0)
    outcome.peak_rss_mb = max([plan.get("peak_rss_mb", 0.0), *(p["peak_rss_mb"] for p in run.pages)])
    outcome.page_runs = sorted(run.pages, key=lambda p: p["number"])
    return outcome


def failure(run: IssueRun, exc: BaseException):
    from .batch import internal_failure
    outcome = internal_failure(run.folder, run.name, exc)
    outcome.seconds = round(time.perf_counter() - run.started, 3)
    return outcome
