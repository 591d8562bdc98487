"""Batch stage (`batch.run_batch`, `cluster_run`) on an in-process Dask cluster: the same tasks,
scheduler and client as `layout batch`, with the worker a thread of this process (a second a
batch, not the 15-40 s of starting worker processes). Each issue isolated (content errors, a
plan or page task that raises), unchanged issues skipped, edited ones rendered again, cached
pages reused, the report and the callbacks. (Worker processes that die, a remote scheduler:
test_cluster.py; the command line: test_batch.py.)"""
from __future__ import annotations

import contextlib
import json
import shutil
import threading
import time
from pathlib import Path

import pdfplumber
import pytest

from layout import batch, cluster, cluster_run
from layout.batch import REPORT_NAME, run_batch
from layout.errors import Finding

from .conftest import MINIMAL

HEADLINES = {"a": "甲版头条", "bad": "错版头条", "z": "乙版头条"}


@pytest.fixture
def connections(monkeypatch) -> list[tuple]:
    """`batch.connect` starts an in-process cluster of one worker, one thread (two workers in one
    process would share what each worker process has of its own); the (jobs, scheduler) it was
    asked for are recorded. A worker process keeps its input store in its
    own scratch folder for life; here each cluster's worker starts with none, as a new process
    would (the last one's folder went with it)."""
    from concurrent.futures import ThreadPoolExecutor

    import distributed.utils
    from distributed import Client, LocalCluster

    from layout import cluster_inputs
    monkeypatch.setattr(cluster_inputs, "_STORE", [])
    # and its own thread for Dask's off-loaded work: a process forked after an earlier test's
    # cluster ran (scripts/mutation runs each mutant so) has the module's executor but not its
    # thread, and every task would wait for it
    offload = ThreadPoolExecutor(1, thread_name_prefix="Dask-Offload")
    monkeypatch.setattr(distributed.utils, "_offload_executor", offload)
    asked = []

    @contextlib.contextmanager
    def connect(jobs, scheduler=None):
        asked.append((jobs, scheduler))
        with LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                          dashboard_address="127.0.0.1:0") as local, \
                Client(local, set_as_default=False) as client:
            yield client
    monkeypatch.setattr(batch, "connect", connect)
    yield asked
    offload.shutdown()


@pytest.fixture
def shelf(tmp_path) -> Path:
    """Issues a and z (one page each), and bad, whose date is impossible (issue.yaml line 3)."""
    for name, headline in HEADLINES.items():
        (tmp_path / "shelf" / name).mkdir(parents=True)
        (tmp_path / "shelf" / name / "issue.yaml").write_text(MINIMAL.replace("标题", headline), encoding="utf-8")
    yaml = tmp_path / "shelf" / "bad" / "issue.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("2026-02-10", "2026-02-30"), encoding="utf-8")
    return tmp_path / "shelf"


def text_of(pdf: Path) -> str:
    with pdfplumber.open(pdf) as document:
        return "".join(page.extract_text() for page in document.pages)


class Calls:
    """What run_batch tells its callbacks."""

    def __init__(self):
        self.done, self.added, self.finished, self.schedulers = [], 0, 0, []

    def on_done(self, outcome) -> None:
        self.done.append(outcome)

    def on_pages(self, added: int, finished: int) -> None:
        self.added, self.finished = self.added + added, self.finished + finished


def run(shelf: Path, out: Path, calls: Calls | None = None, folders=("a", "bad", "z"), **options):
    calls = calls or Calls()
    return run_batch([shelf / name for name in folders], out, cache_dir=out.parent / "cache",
                     on_done=calls.on_done, on_pages=calls.on_pages, on_cluster=lambda client: calls.schedulers.append(client.scheduler.address), **options)


def test_each_issue_is_rendered_or_failed_on_its_own_and_reported(connections, shelf, tmp_path):
    out, calls = tmp_path / "out", Calls()
    report = run(shelf, out, calls, jobs=2)
    assert connections == [(2, None)]
    assert [(o.slug, o.status, o.pages, o.rendered_pages) for o in report.issues] == [
        ("a", "rendered", 1, 1), ("bad", "failed", 0, 0), ("z", "rendered", 1, 1)]
    assert sorted(p.name for p in out.iterdir()) == ["a.pdf", REPORT_NAME, "z.pdf"]
    assert HEADLINES["a"] in text_of(out / "a.pdf") and HEADLINES["z"] in text_of(out / "z.pdf")
    assert [o.pdf for o in report.issues] == [str(out / "a.pdf"), "", str(out / "z.pdf")]
    assert report.issues[1].found() == [Finding("not a real date: '2026-02-30'", str(shelf / "bad" / "issue.yaml"),
                                                3, "date")]
    assert report.issues[0].errors == [] and report.issues[2].errors == []
    assert sorted(o.slug for o in calls.done) == ["a", "bad", "z"]
    assert (calls.added, calls.finished) == (2, 2)
    assert calls.schedulers == [report.scheduler]
    assert report.scheduler.startswith("inproc://") and report.dashboard is None
    assert report.jobs == 1                               # the workers the scheduler has, not -j
    assert report.summary().startswith("3 issues: 2 rendered, 0 unchanged, 1 failed; 2 pages laid out in ")


def test_the_report_file_is_what_run_batch_returns(connections, shelf, tmp_path, monkeypatch):
    out = tmp_path / "out"
    monkeypatch.setattr(batch, "dashboard_of", lambda client: f"http://{client.scheduler.address}/status")
    started = time.perf_counter()
    report = run(shelf, out, folders=("z", "a"))
    elapsed = time.perf_counter() - started
    assert report.dashboard == f"http://{report.scheduler}/status"
    assert isinstance(report.seconds, float) and 0 < report.seconds <= elapsed
    assert [o.slug for o in report.issues] == ["z", "a"]          # the order the folders were given
    assert json.loads((out / REPORT_NAME).read_text(encoding="utf-8")) == json.loads(json.dumps(report.as_dict()))
    assert report.out_dir == str(out) and report.jobs == 1 and connections == [(1, None)]
    assert 0 < report.seconds == round(report.seconds, 3)
    assert report.workers_cpu_seconds > 0
    sent = report.inputs_sent           # the embedded cluster's workers read this machine's files
    assert sorted(sent) == ["by_reference", "bytes", "files"] and sent["files"] >= 2
    assert sent["by_reference"] == sent["files"] and sent["bytes"] == 0
    for outcome in report.issues:
        assert [(p["number"], p["retried"]) for p in outcome.page_runs] == [(1, 0)]
        run_ = outcome.page_runs[0]
        assert run_["worker"].startswith("inproc://") and run_["seconds"] > 0 and run_["peak_rss_mb"] > 0
        assert outcome.worker > 0 and outcome.peak_rss_mb >= run_["peak_rss_mb"] and outcome.seconds > 0


def test_the_scheduler_asked_for_is_the_one_connected_to(connections, shelf, tmp_path):
    run(shelf, tmp_path / "out", folders=("a",), jobs=1, scheduler="tcp://192.0.2.1:8786")
    assert connections == [(1, "tcp://192.0.2.1:8786")]


def test_each_pdf_is_named_as_asked(connections, shelf, tmp_path):
    out = tmp_path / "out"
    report = run(shelf, out, folders=("a",), names={(shelf / "a").resolve(): "shelf-a"})
    assert (report.issues[0].slug, report.issues[0].pdf) == ("shelf-a", str(out / "shelf-a.pdf"))
    assert sorted(p.name for p in out.iterdir()) == [REPORT_NAME, "shelf-a.pdf"]


def test_an_unchanged_issue_is_skipped_and_an_edited_one_rendered_again(connections, shelf, tmp_path):
    out = tmp_path / "out"
    first = run(shelf, out, folders=("a", "z"))
    written = {name: (out / f"{name}.pdf").stat().st_mtime_ns for name in ("a", "z")}
    calls = Calls()
    again = run(shelf, out, calls, folders=("a", "z"))
    assert [o.findings for o in again.issues] == [o.findings for o in first.issues]   # the plan's, again
    assert again.issues[0].warnings
    assert [(o.slug, o.status, o.pages, o.rendered_pages, o.pdf) for o in again.issues] == [
        ("a", "unchanged", 1, 0, str(out / "a.pdf")), ("z", "unchanged", 1, 0, str(out / "z.pdf"))]
    assert (calls.added, calls.finished) == (2, 2)
    assert {name: (out / f"{name}.pdf").stat().st_mtime_ns for name in ("a", "z")} == written
    yaml = shelf / "a" / "issue.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("第二段正文。", "改过的第二段。"), encoding="utf-8")
    edited = run(shelf, out, folders=("a", "z"))
    assert [(o.slug, o.status, o.rendered_pages) for o in edited.issues] == [("a", "rendered", 1), ("z", "unchanged", 0)]
    assert "改过的第二段。" in text_of(out / "a.pdf")
    assert (out / "z.pdf").stat().st_mtime_ns == written["z"]


def test_pages_in_the_page_cache_are_not_rendered_again(connections, shelf, tmp_path):
    out = tmp_path / "out"
    run(shelf, out, folders=("a",))
    (out / "a.pdf").unlink()
    calls = Calls()
    again = run(shelf, out, calls, folders=("a",))
    assert [(o.status, o.rendered_pages, o.page_runs) for o in again.issues] == [("rendered", 0, [])]
    assert (calls.added, calls.finished) == (1, 1)
    assert HEADLINES["a"] in text_of(out / "a.pdf")


def test_a_page_task_that_raises_fails_only_its_issue(connections, shelf, tmp_path, monkeypatch):
    real = cluster_run.page_task

    def page_task(jobs, *args):                     # a task renders up to 4 pages of one issue
        if any(HEADLINES["a"] in job.html for job in jobs):
            raise RuntimeError("pikepdf gave up")
        return real(jobs, *args)
    monkeypatch.setattr(cluster_run, "page_task", page_task)
    out = tmp_path / "out"
    report = run(shelf, out, folders=("a", "z"))
    assert [(o.slug, o.status) for o in report.issues] == [("a", "failed"), ("z", "rendered")]
    assert report.issues[0].found() == [Finding("RuntimeError: pikepdf gave up", str(shelf / "a"), kind="internal")]
    assert sorted(p.name for p in out.iterdir()) == [REPORT_NAME, "z.pdf"]


def test_a_plan_task_that_raises_fails_only_its_issue(connections, shelf, tmp_path, monkeypatch):
    real = cluster_run.plan_task

    def plan_task(folder, *args):
        if Path(folder).name == "z":
            raise MemoryError("no room to plan")
        return real(folder, *args)
    monkeypatch.setattr(cluster_run, "plan_task", plan_task)
    report = run(shelf, tmp_path / "out", folders=("z", "a"))
    assert [(o.slug, o.status) for o in report.issues] == [("z", "failed"), ("a", "rendered")]
    assert report.issues[0].errors == [f"{shelf / 'z'}: MemoryError: no room to plan"]




def test_an_issue_whose_files_cannot_be_read_fails_alone(connections, shelf, tmp_path, monkeypatch):
    real = cluster_run.read_inputs

    def read_inputs(folder, *args):
        if folder.name == "z":
            raise PermissionError(13, "Permission denied", str(folder / "photo.jpg"))
        return real(folder, *args)
    monkeypatch.setattr(cluster_run, "read_inputs", read_inputs)
    report = run(shelf, tmp_path / "out", folders=("z", "a"))
    assert [(o.slug, o.status) for o in report.issues] == [("z", "failed"), ("a", "rendered")]
    assert report.issues[0].found() == [Finding(f"PermissionError: [Errno 13] Permission denied: "
                                                f"'{shelf / 'z' / 'photo.jpg'}'", str(shelf / "z"), kind="internal")]


def test_an_issue_is_planned_while_the_next_is_read(connections, shelf, tmp_path, monkeypatch):
    PLANNED.clear()
    waited, real = [], cluster_run.read_inputs

    def read_inputs(folder, *args):
        if folder.name == "z":                   # a is planned by now, unless it waits for z
            deadline = time.monotonic() + 20
            while "a" not in PLANNED and time.monotonic() < deadline:
                time.sleep(0.01)
            waited.append(list(PLANNED))
        return real(folder, *args)
    monkeypatch.setattr(cluster_run, "plan_task", _counted_plan_task)
    monkeypatch.setattr(cluster_run, "read_inputs", read_inputs)
    report = run(shelf, tmp_path / "out", folders=("a", "z"))
    assert waited == [["a"]]
    assert [(o.slug, o.status) for o in report.issues] == [("a", "rendered"), ("z", "rendered")]


def test_an_issue_yaml_that_is_not_yaml_is_its_plans_to_report(connections, shelf, tmp_path):
    (shelf / "z" / "issue.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    report = run(shelf, tmp_path / "out", folders=("z", "a"))
    assert [(o.slug, o.status) for o in report.issues] == [("z", "failed"), ("a", "rendered")]
    errors = report.issues[0].found()
    assert len(errors) == 1 and errors[0].file == str(shelf / "z" / "issue.yaml") and errors[0].kind == "content"


def test_a_pdf_that_cannot_be_written_fails_its_issue(connections, shelf, tmp_path):
    out = tmp_path / "out"
    (out / "a.pdf").mkdir(parents=True)
    report = run(shelf, out, folders=("a", "z"))
    assert [(o.slug, o.status, o.pdf) for o in report.issues] == [("a", "failed", ""), ("z", "rendered", str(out / "z.pdf"))]
    finding, = report.issues[0].found()
    assert (finding.file, finding.kind) == (str(out / "a.pdf"), "render")
    assert finding.message.startswith("cannot write the PDF: [Errno 21] Is a directory")



def test_the_page_cache_is_the_one_given_else_layout_cache(connections, shelf, tmp_path, monkeypatch):
    """Planned photos, pages and what each issue was made of (`issues/`) go to `cache_dir`
    (client and workers alike), or to $LAYOUT_CACHE without one; nothing else is written."""
    monkeypatch.setenv("LAYOUT_CACHE", str(tmp_path / "env-cache"))
    monkeypatch.chdir(tmp_path)
    run(shelf, tmp_path / "out", folders=("a",))
    pages = tmp_path / "cache" / "pages"
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == ["issues", "pages"]
    assert sorted(p.suffix for p in pages.iterdir()) == [".json", ".pdf"]
    assert not (tmp_path / "env-cache" / "pages").exists()
    run_batch([shelf / "z"], tmp_path / "out2")
    assert sorted(p.suffix for p in (tmp_path / "env-cache" / "pages").iterdir()) == [".json", ".pdf"]
    assert len(list(pages.iterdir())) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "env-cache", "out", "out2", "shelf"]


def test_every_task_is_let_go_once_used_and_an_interrupted_batch_cancels_the_rest(connections, shelf, tmp_path):
    """The cluster holds a task's result (a page's PDF) while a future of it is held: each is
    dropped once used, and each input file once no task needs it. Ctrl-C (or any exception
    while recording an issue) cancels every task still held."""
    folders = [shelf / name for name in ("a", "bad", "z")]
    names = {folder.resolve(): folder.name for folder in folders}
    with batch.connect(1) as client:
        finished = cluster_run.ClusterRun(client, tmp_path / "out", tmp_path / "cache", lambda added, done: None)
        outcomes = []
        runs, blobs = cluster_run.read_issues(folders, names)
        finished.render(runs, blobs, outcomes.append)
        assert blobs == {} and not [run for run in runs if "blobs" in run.plan]   # no copy of a file kept
        assert sorted(o.status for o in outcomes) == ["failed", "rendered", "rendered"]
        assert (finished.futures, finished.needs, finished.waiting, finished.runs) == ({}, {}, {}, {})
        assert (finished.sender.futures, finished.sender.users) == ({}, {})

        interrupted = cluster_run.ClusterRun(client, tmp_path / "out2", tmp_path / "cache2",
                                             lambda added, done: None)
        held = {}

        def record(outcome):
            held.update(interrupted.futures)
            raise KeyboardInterrupt
        with pytest.raises(KeyboardInterrupt):
            interrupted.render(*cluster_run.read_issues(folders, names), record)
        assert held and {future.status for future in held.values()} == {"cancelled"}


TWO_PAGES = MINIMAL.replace("        body: |\n", """        figures:
          - image: photo.jpg
            caption: 照片
        body: |
""") + """  - section: 评论
    stories:
      - headline: 第二版
        body: |
          第三段正文。
"""


def test_an_issue_with_a_photo_whose_first_page_is_cached_renders_the_second(connections, tmp_path, monkeypatch):
    """The prepared photo (in the cache given, not $LAYOUT_CACHE) travels to the page task; a
    cached page is taken from the cache and the pages after it are still rendered."""
    from PIL import Image
    monkeypatch.setenv("LAYOUT_CACHE", str(tmp_path / "env-cache"))
    folder = tmp_path / "shelf" / "photo"
    folder.mkdir(parents=True)
    Image.new("RGB", (900, 600), (90, 120, 150)).save(folder / "photo.jpg", quality=90)
    (folder / "issue.yaml").write_text(TWO_PAGES, encoding="utf-8")
    out = tmp_path / "out"
    first = run(tmp_path / "shelf", out, folders=("photo",))
    assert [(o.status, o.pages, o.rendered_pages, o.errors) for o in first.issues] == [("rendered", 2, 2, [])]
    assert len(list((tmp_path / "cache" / "images").iterdir())) >= 1
    assert not (tmp_path / "env-cache" / "images").exists()
    (folder / "issue.yaml").write_text(TWO_PAGES.replace("第三段正文。", "改过的第三段。"), encoding="utf-8")
    again = run(tmp_path / "shelf", out, folders=("photo",))
    assert [(o.status, o.pages, o.rendered_pages) for o in again.issues] == [("rendered", 2, 1)]
    assert [p["number"] for p in again.issues[0].page_runs] == [2]
    with pdfplumber.open(out / "photo.pdf") as document:
        assert [len(page.images) for page in document.pages] == [1, 0]
        assert "改过的第三段。" in document.pages[1].extract_text()


def test_issues_sharing_a_photo_have_it_prepared_by_one_photo_task_let_go_once_they_are_composed(
        connections, tmp_path, monkeypatch):
    """Three issues carry the same photo in the same frame: the plans that find it missing from the
    cache ask for it; the client submits one photo task for them all (its key is the prepared
    file's cache key), each such issue's compose task waits for it, and once they are done no
    future of it is held. The photo of an issue planned after the others were composed is in the
    cache already: no task. Interrupted while photo tasks are held, the batch cancels them too."""
    from PIL import Image
    monkeypatch.setenv("LAYOUT_CACHE", str(tmp_path / "env-cache"))
    photo = tmp_path / "photo.jpg"
    Image.new("RGB", (900, 600), (90, 120, 150)).save(photo, quality=90)
    folders = []
    for name in ("p", "q", "r", "later"):
        folder = tmp_path / "shelf" / name
        folder.mkdir(parents=True)
        (folder / "photo.jpg").write_bytes(photo.read_bytes())
        (folder / "issue.yaml").write_text(TWO_PAGES.replace("标题", f"{name}版头条"), encoding="utf-8")
        folders.append(folder)
    names = {folder.resolve(): folder.name for folder in folders}
    submitted = []
    with batch.connect(1) as client:
        real_submit = client.submit
        monkeypatch.setattr(client, "submit", lambda fn, *a, **k: submitted.append((fn.__name__, k["key"]))
                            or real_submit(fn, *a, **k))
        first = cluster_run.ClusterRun(client, tmp_path / "out", tmp_path / "cache", lambda added, done: None)
        outcomes = []
        first.render(*cluster_run.read_issues(folders[:3], names), outcomes.append)
        assert [o.status for o in outcomes] == ["rendered"] * 3
        photos = [key for name, key in submitted if name == "photo_task"]
        assert len(photos) == 1 and first.photos_prepared == 1
        prepared = sorted((tmp_path / "cache" / "images").glob("*.jpg"))
        assert [f"photo-{p.stem}" for p in prepared] == photos
        assert 1 <= [name for name, _ in submitted].count("compose_task") <= 3      # a plan after the photo task: none
        assert (first.photos, first.photo_count, first.photo_users) == ({}, {}, {})
        assert (first.futures, first.needs, first.runs) == ({}, {}, {})

        submitted.clear()
        later = cluster_run.ClusterRun(client, tmp_path / "out", tmp_path / "cache", lambda added, done: None)
        later.render(*cluster_run.read_issues(folders[3:], names), outcomes.append)
        assert outcomes[-1].status == "rendered"
        assert {"plan_task", "page_task"} <= {name for name, _ in submitted}
        assert not {"photo_task", "compose_task"} & {name for name, _ in submitted} and later.photos_prepared == 0

        shutil.rmtree(tmp_path / "cache")
        interrupted = cluster_run.ClusterRun(client, tmp_path / "out2", tmp_path / "cache", lambda added, done: None)
        held = {}
        real_compose = interrupted._submit_compose

        def compose_then_stop(run, plan_id, planned):
            real_compose(run, plan_id, planned)
            held.update(interrupted.photos)
            raise KeyboardInterrupt
        monkeypatch.setattr(interrupted, "_submit_compose", compose_then_stop)
        with pytest.raises(KeyboardInterrupt):
            interrupted.render(*cluster_run.read_issues(folders[:1], names), outcomes.append)
        assert len(held) == 1 and {future.status for future in held.values()} == {"cancelled"}


#: the other desk's task says it runs, then runs until the test lets it finish (the in-process
#: worker is a thread of this process)
OTHER_DESK_RUNS, OTHER_DESK_WAITS = threading.Event(), threading.Event()


def _another_desks_photo() -> str:
    OTHER_DESK_RUNS.set()
    OTHER_DESK_WAITS.wait(30)
    return "theirs"


def test_an_interrupted_batch_ends_its_own_tasks_and_leaves_another_desks_that_share_a_key(
        connections, tmp_path, monkeypatch):
    """Two desks batch on one scheduler: a task keyed by content (a photo for its frame, a page,
    a file's bytes) that both need is one task, wanted by both. Ctrl-C in one batch cancels what
    only it wanted; the task the other desk wants too runs on, and that desk gets its result."""
    from distributed import Client
    from PIL import Image
    monkeypatch.setenv("LAYOUT_CACHE", str(tmp_path / "env-cache"))
    folder = tmp_path / "shelf" / "photo"
    folder.mkdir(parents=True)
    Image.new("RGB", (900, 600), (90, 120, 150)).save(folder / "photo.jpg", quality=90)
    (folder / "issue.yaml").write_text(TWO_PAGES, encoding="utf-8")
    names = {folder.resolve(): "photo"}
    OTHER_DESK_RUNS.clear()
    OTHER_DESK_WAITS.clear()
    with batch.connect(1) as client, Client(client.scheduler.address, set_as_default=False) as other:
        learn = cluster_run.ClusterRun(client, tmp_path / "out", tmp_path / "cache", lambda added, done: None)
        learn.render(*cluster_run.read_issues([folder], names), [].append)
        key, = [f"photo-{p.stem}" for p in (tmp_path / "cache" / "images").glob("*.jpg")]
        shutil.rmtree(tmp_path / "cache")
        interrupted = cluster_run.ClusterRun(client, tmp_path / "out2", tmp_path / "cache", lambda added, done: None)
        ours, theirs = {}, []
        real_compose = interrupted._submit_compose

        def wanting(dask_scheduler) -> list[str]:
            task = dask_scheduler.tasks.get(key)
            return sorted(wanter.client_key for wanter in task.who_wants) if task else []

        def compose_then_stop(run, plan_id, planned):
            theirs.append(other.submit(_another_desks_photo, key=key, pure=False))   # the other desk's, first
            assert OTHER_DESK_RUNS.wait(30)
            real_compose(run, plan_id, planned)
            ours.update(interrupted.futures, **interrupted.photos)
            deadline = time.monotonic() + 30          # the submission has reached the scheduler
            while len(client.run_on_scheduler(wanting)) < 2 and time.monotonic() < deadline:
                time.sleep(0.01)
            raise KeyboardInterrupt
        monkeypatch.setattr(interrupted, "_submit_compose", compose_then_stop)
        with pytest.raises(KeyboardInterrupt):
            interrupted.render(*cluster_run.read_issues([folder], names), [].append)
        assert other.id in client.run_on_scheduler(wanting)       # asked after the cancel: done by then
        only_ours = [k for k in ours if k.startswith("compose-")]
        assert only_ours and not client.run_on_scheduler(lambda dask_scheduler: [
            k for k in only_ours if k in dask_scheduler.tasks])               # cancelled on the scheduler too
        OTHER_DESK_WAITS.set()
        assert key in ours and {future.status for future in ours.values()} == {"cancelled"}
        assert theirs[0].result(timeout=30) == "theirs"


#: the folders `_counted_plan_task` planned (a module's function: the task runs the same one)
PLANNED: list[str] = []


def _counted_plan_task(folder, *args, **kwargs):
    PLANNED.append(Path(folder).name)
    return cluster.plan_task(folder, *args, **kwargs)


def test_an_issue_whose_inputs_made_the_pdf_in_out_is_not_even_planned_again(connections, shelf, tmp_path,
                                                                             monkeypatch):
    """After a round of corrections: the issues whose files, theme, fonts and code are those that
    made their PDF in OUT are reported unchanged, with their findings, and no task plans them; an
    edited issue, a PDF in OUT that is not the one written, another version of the code, or a
    memory that does not read right: planned again."""
    from layout import batch_memo
    out, cache = tmp_path / "out", tmp_path / "cache"
    first = run(shelf, out, folders=("a", "z"))
    memos = sorted((cache / "issues").glob("*.json"))
    assert len(memos) == 2
    planned = PLANNED
    planned.clear()
    monkeypatch.setattr(cluster_run, "plan_task", _counted_plan_task)
    calls = Calls()
    again = run(shelf, out, calls, folders=("a", "z"))
    assert planned == []
    assert [(o.slug, o.status, o.pages, o.rendered_pages, o.findings, o.pdf) for o in again.issues] == [
        (o.slug, "unchanged", 1, 0, o.findings, str(out / f"{o.slug}.pdf")) for o in first.issues] \
        and again.issues[0].warnings
    assert (calls.added, calls.finished) == (2, 2)
    yaml = shelf / "a" / "issue.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("第二段正文。", "改过的第二段。"), encoding="utf-8")
    edited = run(shelf, out, folders=("a", "z"))
    assert [o.status for o in edited.issues] == ["rendered", "unchanged"], [o.status for o in edited.issues]
    assert planned == ["a"], planned
    shutil.copy(out / "a.pdf", out / "z.pdf")                       # not the PDF z's inputs made
    assert [o.status for o in run(shelf, out, folders=("z",)).issues] == ["rendered"] and planned == ["a", "z"]
    assert "乙版头条" in text_of(out / "z.pdf")
    real_code = batch_memo.code_digest
    monkeypatch.setattr(batch_memo, "code_digest", lambda: "another version")
    assert [o.status for o in run(shelf, out, folders=("z",)).issues] == ["unchanged"] and planned == ["a", "z", "z"]
    monkeypatch.setattr(batch_memo, "code_digest", real_code)
    for memo in (cache / "issues").glob("*.json"):
        memo.write_text('{"key": 1}', encoding="utf-8")
    assert [o.status for o in run(shelf, out, folders=("z",)).issues] == ["unchanged"] and planned == ["a", "z", "z", "z"]


def test_what_an_issue_is_made_of_covers_its_files_its_theme_its_fonts_its_name_and_the_code(tmp_path, monkeypatch):
    from dataclasses import replace

    from layout import batch_memo
    from layout.cluster_inputs import Tree
    folder = tmp_path / "a"
    folder.mkdir()
    (folder / "issue.yaml").write_text(MINIMAL, encoding="utf-8")
    (issue,), _ = cluster_run.read_issues([folder], {folder.resolve(): "a"})
    key = batch_memo.inputs_key(issue)
    assert key == batch_memo.inputs_key(issue) and len(key) == 64
    inputs = issue.inputs
    others = [replace(issue, inputs=replace(inputs, issue=Tree((("issue.yaml", "0" * 64),)))),
              replace(issue, inputs=replace(inputs, theme=Tree(inputs.theme.files[1:]))),
              replace(issue, inputs=replace(inputs, fonts=Tree((("a.ttf", "1" * 64),)))),
              replace(issue, inputs=replace(inputs, shown={**inputs.shown, "issue": "elsewhere/a"})),
              replace(issue, name="b"),
              replace(issue, fonts=[replace(issue.fonts[0], sha256="2" * 64), *issue.fonts[1:]])]
    assert len({key, *map(batch_memo.inputs_key, others)}) == 1 + len(others)
    monkeypatch.setattr(batch_memo, "code_digest", lambda: "another version")
    assert batch_memo.inputs_key(issue) != key
    assert batch_memo.inputs_key(replace(issue, fonts=None)) is None
    assert batch_memo.inputs_key(replace(issue, inputs=None)) is None
