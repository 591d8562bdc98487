"""Batch stage, client side (`cluster_run`), the parts that need no cluster: each input file sent
once and let go when no task needs it, an issue's outcome and failures, the message of a page
that killed every worker that tried it. (Milliseconds; the in-process cluster runs are in
test_batch_inprocess.py, real worker processes in test_cluster.py.)"""
from __future__ import annotations

import hashlib
import time
from pathlib import Path

import pytest

from .conftest import MINIMAL

from layout.batch import IssueOutcome
from layout.cluster import PageKilledWorkers
from layout.cluster import theme_fonts
from layout.cluster_run import IssueRun, Sender, failure, outcome_of, page_failure, read_issues
from layout.errors import Finding, Severity


class Client:
    """What a Sender asks of a Dask client: submit, recorded; the future is a name."""

    def __init__(self):
        self.submitted = []

    def submit(self, function, data, *, key, pure):
        self.submitted.append((function.__name__, data, key, pure))
        return f"future of {key}"


def test_each_file_is_sent_once_and_let_go_when_no_task_needs_it():
    client = Client()
    sender = Sender(client)
    blobs = {"a1": b"photo", "b2": b"theme.yaml!", "c3": b"font"}
    assert sender.futures_for(["b2", "a1", "a1"], blobs) == {"a1": "future of input-a1", "b2": "future of input-b2"}
    assert sender.futures_for(["a1", "c3"], blobs) == {"a1": "future of input-a1", "c3": "future of input-c3"}
    assert client.submitted == [("held", b"photo", "input-a1", False), ("held", b"theme.yaml!", "input-b2", False),
                                ("held", b"font", "input-c3", False)]
    assert (sender.files, sender.bytes) == (3, 20)
    assert sender.users == {"a1": 2, "b2": 1, "c3": 1}
    sender.done_with(["a1", "b2", "b2"])          # the first task is done (a file named twice counts once)
    assert sender.users == {"a1": 1, "c3": 1} and sorted(sender.futures) == ["a1", "c3"]
    sender.done_with(["c3", "a1"])
    assert sender.users == {} and sender.futures == {}
    sender.futures_for(["a1"], blobs)             # needed again later: sent again
    assert client.submitted[-1] == ("held", b"photo", "input-a1", False) and (sender.files, sender.bytes) == (4, 25)


def test_files_kept_are_held_to_the_end_of_the_batch():
    """A prepared photo: a later issue's page may name it, and only a plan's result has its bytes."""
    client = Client()
    sender = Sender(client)
    blobs = {"p1": b"prepared", "s2": b"source"}
    sender.futures_for(["p1", "s2"], blobs, keep=["p1"])
    sender.futures_for(["p1"], blobs, keep=["p1"])
    assert sender.users == {"p1": 3, "s2": 1} and sender.kept == {"p1"}
    sender.done_with(["p1", "s2"])
    sender.done_with(["p1"])
    assert sender.users == {"p1": 1} and list(sender.futures) == ["p1"]
    assert len(client.submitted) == 2
    later = Sender(Client())                       # sent first for a plan, kept once a page names it
    later.futures_for(["p1"], blobs)
    later.futures_for(["p1"], blobs, keep=["p1"])
    later.done_with(["p1"])
    later.done_with(["p1"])
    assert later.users == {"p1": 1} and list(later.futures) == ["p1"]


class Job:
    def __init__(self, number: int, key: str):
        self.number, self.key = number, key


def issue_run(tmp_path: Path, **plan) -> IssueRun:
    run = IssueRun(tmp_path / "a", "a", None, started=time.perf_counter() - 2.0)
    run.plan = plan
    return run


def test_a_page_that_killed_every_worker_is_named_by_its_number(tmp_path):
    from distributed.scheduler import KilledWorker

    class Worker:
        address = "tcp://10.0.0.7:40000"
    run = issue_run(tmp_path, jobs=[Job(1, "k1"), Job(2, "k2")])
    found = page_failure(run, ["k2"], "page-k2", KilledWorker("page-k2", Worker(), 3))
    assert isinstance(found, PageKilledWorkers)
    assert str(found) == (
        "page 2 killed the worker rendering it on each of 4 tries (the last on tcp://10.0.0.7:40000); the "
        "scheduler gave it up (allowed-failures: 3), so a.pdf is not written: look for what in page 2 crashes "
        "or exhausts a worker's memory (its Dask key is page-k2)")
    other = RuntimeError("pikepdf gave up")
    assert page_failure(run, ["k2"], "page-k2", other) is other
    both = page_failure(run, ["k1", "k2"], "pages-ab", KilledWorker("pages-ab", Worker(), 3))
    assert str(both).startswith("pages 1, 2 killed the worker rendering them on each of 4 tries")
    assert str(both).endswith("(their task's Dask key is pages-ab)")


def test_a_failed_issue_says_how_long_it_took(tmp_path):
    outcome = failure(issue_run(tmp_path), MemoryError("no room"))
    assert (outcome.slug, outcome.status, outcome.errors) == ("a", "failed", [f"{tmp_path / 'a'}: MemoryError: no room"])
    assert outcome.seconds == pytest.approx(2.0, abs=0.5) and outcome.seconds == round(outcome.seconds, 3)
    assert isinstance(outcome.seconds, float)


def test_an_outcome_counts_the_pages_laid_out_and_the_largest_memory(tmp_path):
    run = issue_run(tmp_path, jobs=[Job(1, "k1"), Job(2, "k2"), Job(3, "k3")], pid=4242, peak_rss_mb=300.0)
    run.pages = [{"number": 3, "peak_rss_mb": 500.0}, {"number": 1, "peak_rss_mb": 200.0}]
    done = outcome_of(run, "rendered", findings=[Finding("w").as_dict()], pdf="out/a.pdf")
    assert isinstance(done, IssueOutcome)
    assert (done.folder, done.slug, done.status, done.pdf, done.pages, done.rendered_pages) == \
        (str(tmp_path / "a"), "a", "rendered", "out/a.pdf", 3, 2)
    assert (done.worker, done.peak_rss_mb, [p["number"] for p in done.page_runs]) == (4242, 500.0, [1, 3])
    assert done.seconds == pytest.approx(2.0, abs=0.5) and done.seconds == round(done.seconds, 3)
    assert isinstance(done.seconds, float)
    assert done.findings == [Finding("w").as_dict()]
    unchanged = outcome_of(run, "unchanged", findings=[])
    assert (unchanged.pages, unchanged.rendered_pages) == (3, 0)
    skipped = issue_run(tmp_path, jobs=[Job(1, "k1")], pid=4242, peak_rss_mb=300.0)   # no page laid out
    assert outcome_of(skipped, "unchanged", findings=[]).peak_rss_mb == 300.0
    failed = outcome_of(run, "failed", findings=[])
    assert (failed.pages, failed.rendered_pages) == (0, 0)
    planless = outcome_of(issue_run(tmp_path), "failed", findings=[])
    assert (planless.pages, planless.worker, planless.peak_rss_mb, planless.page_runs) == (0, 0, 0.0, [])


def test_each_issue_is_read_with_its_theme_and_the_fonts_the_client_resolves(tmp_path):
    """The fonts are those this machine resolves for the issue's theme (each worker must resolve
    the same); the theme sent is the one issue.yaml names, the default without one, and the
    default too when issue.yaml cannot be read (its plan task says why)."""
    folders = {}
    for name, text in (("plain", MINIMAL), ("other", "theme: other\n" + MINIMAL), ("broken", "title: [\n")):
        folders[name] = tmp_path / name
        folders[name].mkdir()
        (folders[name] / "issue.yaml").write_text(text, encoding="utf-8")
    runs, blobs = read_issues(list(folders.values()), {f.resolve(): f"n-{n}" for n, f in folders.items()})
    assert [(r.folder, r.name, r.error) for r in runs] == [(f, f"n-{n}", None) for n, f in folders.items()]
    plain, other, broken = runs
    assert plain.fonts == theme_fonts("newspaper") and len(plain.fonts) >= 3
    assert other.fonts is None and broken.fonts is None      # no theme 'other', no theme at all
    assert [r.inputs.theme_name for r in runs] == ["newspaper", "other", "newspaper"]
    sha = hashlib.sha256(MINIMAL.encode("utf-8")).hexdigest()
    assert ("issue.yaml", sha) in plain.inputs.issue.files and blobs[sha] == MINIMAL.encode("utf-8")


class Future:
    """A finished page task as `as_completed` yields it."""

    def __init__(self, key: str, result=None, error: Exception | None = None):
        self.key, self._result, self._error = key, result, error

    def result(self):
        if self._error is not None:
            raise self._error
        return self._result


KEY = "9833b339c1064d17367d1327e612cf73ef149ff22b98b5ddc0db6e6a43ebfeaf"


def waiting_run(tmp_path: Path, pages: list[list]):
    """A ClusterRun with an issue waiting for its pages, each its own page task (Dask key
    `page-<key>`); its outcomes and progress recorded."""
    from layout.cluster_run import ClusterRun
    progress, outcomes = [], []
    cluster = ClusterRun(Client(), tmp_path / "out", tmp_path / "cache", lambda *counts: progress.append(counts))
    cluster.record = outcomes.append
    run = issue_run(tmp_path, jobs=[Job(number, key) for number, key in pages])
    run.missing = {key for _, key in pages}
    for _, key in pages:
        cluster.waiting[key] = [run]
        cluster.pages_of[f"page-{key}"], cluster.rendering[key] = [key], f"page-{key}"
    return cluster, run, progress, outcomes


def test_a_finished_page_goes_into_the_page_cache_with_its_findings_and_its_run(tmp_path):
    cluster, run, progress, outcomes = waiting_run(tmp_path, [[1, KEY], [2, "k2"]])
    warning = Finding("WeasyPrint: Ignored `colr: red`", "a.html#page-1", severity=Severity.WARNING, kind="render")
    page = {"pdf": b"%PDF-1.7 one page", "bookmarks": [[0, 1, "要闻", 1.0, 2.0]], "anchors": [],
            "findings": [warning.as_dict()]}
    data = {"pages": [page], "worker": "tcp://w:1", "pid": 77, "seconds": 0.5, "peak_rss_mb": 123.4}
    cluster._page_done(Future(f"page-{KEY}", data))
    assert (tmp_path / "cache" / "pages" / f"{KEY}.pdf").read_bytes() == b"%PDF-1.7 one page"
    cached = cluster.cache.get(KEY)
    assert (cached.bookmarks, cached.findings) == ([[0, 1, "要闻", 1.0, 2.0]], [warning])
    assert run.entries[KEY].findings == [warning] and run.missing == {"k2"}
    assert run.pages == [{"number": 1, "key": KEY[:16], "worker": "tcp://w:1", "pid": 77, "seconds": 0.5,
                          "task_pages": 1, "retried": 0, "peak_rss_mb": 123.4}]
    assert progress == [(0, 1)] and outcomes == [] and cluster.waiting == {"k2": [run]}


def test_a_page_a_worker_of_this_machine_wrote_is_taken_from_the_page_cache_and_one_missing_fails(tmp_path):
    """The embedded cluster's page tasks write into this machine's page cache and send no PDF
    back: the client takes the entry from there; a page its worker said it wrote but that is not
    there fails the issue, named."""
    cluster, run, progress, outcomes = waiting_run(tmp_path, [[1, KEY], [2, "k2"]])
    cluster.cache.put(KEY, b"%PDF-1.7 written by a worker", bookmarks=[[0, 1, "要闻", 1.0, 2.0]], anchors=[],
                      findings=[])
    page = {"pdf": None, "bookmarks": [], "anchors": [], "findings": []}
    data = {"pages": [page], "worker": "tcp://w:1", "pid": 77, "seconds": 0.5, "peak_rss_mb": 123.4}
    cluster._page_done(Future(f"page-{KEY}", data))
    assert run.entries[KEY].pdf.read_bytes() == b"%PDF-1.7 written by a worker"
    assert run.entries[KEY].bookmarks == [[0, 1, "要闻", 1.0, 2.0]] and run.missing == {"k2"}
    cluster._page_done(Future("page-k2", data))
    failed, = outcomes
    assert failed.errors == [f"{tmp_path / 'a'}: FileNotFoundError: page k2 is not in the page cache "
                             f"{tmp_path / 'cache' / 'pages'}, where its worker wrote it"]


def test_a_page_that_killed_its_workers_fails_its_issue_once_every_page_is_in(tmp_path):
    from distributed.scheduler import KilledWorker

    class Worker:
        address = "tcp://10.0.0.7:40000"
    cluster, run, progress, outcomes = waiting_run(tmp_path, [[1, "k1"], [2, "k2"]])
    cluster._page_done(Future("page-k2", error=KilledWorker("page-k2", Worker(), 2)))
    assert outcomes == [] and progress == [(0, 1)]
    cluster._page_done(Future("page-k1", error=RuntimeError("later")))
    failed, = outcomes
    assert failed.status == "failed" and [f.kind for f in failed.found()] == ["worker"]
    assert failed.errors[0].startswith(f"{tmp_path / 'a'}: page 2 killed the worker rendering it on each of 3 tries")


def test_the_scheduler_is_asked_how_often_each_page_was_run_again(tmp_path):
    """From its transition log: a page taken off a worker that died (not stolen, not finished)."""
    from layout.cluster import retried_keys
    from layout.cluster_run import ClusterRun

    class Scheduler:
        transition_log = [("page-k1", "processing", "released", {}, "worker-died"),
                          ("page-k1", "processing", "memory", {}, "task-finished"),
                          ("page-k2", "processing", "released", {}, "steal-1"),
                          ("page-k2", "processing", "memory", {}, "task-finished")]
        tasks = {}

    class Asked(Client):
        def run_on_scheduler(self, function, **kwargs):
            return function(Scheduler(), **kwargs)
    run = issue_run(tmp_path, jobs=[Job(1, "k1"), Job(2, "k2")])
    run.pages = [{"number": 2, "retried": 0}, {"number": 1, "retried": 0}]
    assert retried_keys(Scheduler(), keys=["page-k1", "page-k2"]) == {"page-k1": 1, "page-k2": 0}
    asked = ClusterRun(Asked(), tmp_path, tmp_path, None)
    asked.task_of = {"k1": "page-k1", "k2": "page-k2"}       # each page's task
    asked._count_retries(run)
    assert run.pages == [{"number": 2, "retried": 0}, {"number": 1, "retried": 1}]
    unable = ClusterRun(Client(), tmp_path, tmp_path, None)
    unable.task_of = asked.task_of
    unable._count_retries(run)    # a scheduler that cannot say
    assert run.pages == [{"number": 2, "retried": 0}, {"number": 1, "retried": 0}]


def test_errors_on_a_page_fail_its_issue_located_in_issue_yaml(tmp_path):
    """A page's findings keyed but not placed (the worker has no issue.yaml) are located on the
    client; an error among them fails the issue, which then reports its errors only."""
    from layout.cluster_run import ClusterRun
    from layout.pagerender.cache import PageEntry
    folder = tmp_path / "a"
    folder.mkdir()
    (folder / "issue.yaml").write_text(MINIMAL, encoding="utf-8")
    outcomes = []
    cluster = ClusterRun(Client(), tmp_path / "out", tmp_path / "cache", None)
    cluster.record = outcomes.append
    run = issue_run(tmp_path, jobs=[Job(1, "k1")])
    error = Finding("WeasyPrint: .notdef glyph drawn", key="pages[0]", kind="render")
    placed = Finding("refused to load 'x'", "a.html#page-1", kind="render")
    run.entries = {"k1": PageEntry("k1", tmp_path / "k1.pdf", findings=[
        Finding("the banner's title is cut off", key="pages[0].banner", severity=Severity.WARNING, kind="layout"),
        error, placed])}
    cluster._finish(run)
    failed, = outcomes
    assert (failed.slug, failed.status, failed.pages) == ("a", "failed", 0)
    yaml = str(folder / "issue.yaml")
    assert failed.found() == [Finding(error.message, yaml, 5, "pages[0]", kind="render"), placed]
    assert not (tmp_path / "out").exists()


def test_a_photo_the_issues_share_is_read_once_and_its_copies_only_hashed(tmp_path, monkeypatch):
    """Two county editions with a copy of one photo: one blob, read once; each copy is hashed
    (by the page keys' `file_digest`), not read into memory."""
    from layout import cluster_inputs
    photo = bytes(range(256)) * 4096
    folders = []
    for name in ("a", "b"):
        folder = tmp_path / name
        (folder / "images").mkdir(parents=True)
        (folder / "issue.yaml").write_text(f"title: {name}\n" + MINIMAL, encoding="utf-8")
        (folder / "images" / "p.jpg").write_bytes(photo)
        folders.append(folder)
    reads = []
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: reads.append(self.name) or real(self))
    blobs: dict[str, bytes] = {}
    trees = [cluster_inputs.tree_of(folder, blobs) for folder in folders]
    sha = hashlib.sha256(photo).hexdigest()
    assert [dict(tree.files)["images/p.jpg"] for tree in trees] == [sha, sha]
    assert blobs[sha] == photo and reads.count("p.jpg") == 1 and reads.count("issue.yaml") == 2


def test_a_file_sent_is_named_by_the_hash_of_the_bytes_sent(tmp_path, monkeypatch):
    """A file that changed after its hash was remembered is sent under the hash of the bytes
    read, so the worker's check of each blob's hash (put_blob) holds."""
    from layout import cluster_inputs
    from layout.pagerender import keys
    (tmp_path / "issue.yaml").write_text(MINIMAL, encoding="utf-8")
    monkeypatch.setattr(keys, "file_digest", lambda path: "0" * 64)
    blobs: dict[str, bytes] = {}
    tree = cluster_inputs.tree_of(tmp_path, blobs)
    sha = hashlib.sha256(MINIMAL.encode("utf-8")).hexdigest()
    assert tree.files == (("issue.yaml", sha),) and list(blobs) == [sha]


def test_for_workers_on_this_machine_files_travel_by_reference_and_are_checked_when_copied(tmp_path, monkeypatch):
    """The embedded cluster's input tasks carry the file's path, not its bytes (the client reads
    none); a worker copies the file into its store and refuses a copy whose hash is not the one
    the client read."""
    from layout import cluster_inputs
    photo = tmp_path / "a" / "images" / "p.jpg"
    photo.parent.mkdir(parents=True)
    photo.write_bytes(b"the photo")
    (tmp_path / "a" / "issue.yaml").write_text(MINIMAL, encoding="utf-8")
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail(f"{self} read"))
    runs, blobs = read_issues([tmp_path / "a"], {(tmp_path / "a").resolve(): "a"}, by_reference=True)
    sha = hashlib.sha256(b"the photo").hexdigest()
    assert blobs[sha] == cluster_inputs.LocalFile(str(photo.resolve()), 9)
    assert ("images/p.jpg", sha) in runs[0].inputs.issue.files
    monkeypatch.undo()
    monkeypatch.setattr(cluster_inputs, "_STORE", [tmp_path / "store"])
    assert cluster_inputs.put_blob(sha, blobs[sha]).read_bytes() == b"the photo"
    photo.write_bytes(b"the photo, retouched")
    other = hashlib.sha256(b"another").hexdigest()
    with pytest.raises(ValueError) as caught:
        cluster_inputs.put_blob(other, cluster_inputs.LocalFile(str(photo), 20))
    assert str(caught.value) == f"input {other[:16]}: {photo} changed while the batch read it"
    assert sorted(p.name for p in (tmp_path / "store" / "blobs").iterdir()) == [sha]


class Tasks:
    """A Dask client's `submit` of tasks, recorded with their arguments."""

    def __init__(self):
        self.submitted = []

    def submit(self, function, *args, key, pure=True):
        self.submitted.append((function.__name__, args, key))
        return f"future of {key}"


class PageJob(Job):
    def __init__(self, number: int, key: str, files: dict):
        super().__init__(number, key)
        self.files = files


def test_an_issues_new_pages_go_in_tasks_of_at_most_four_a_lone_page_keyed_by_its_page(tmp_path):
    """Five pages: two tasks, of three and two pages, each keyed by its pages; a page alone in its
    task is `page-<key>` (a page two issues share is then one task). The prepared photos a page
    names are held to the end of the batch (a later issue's page may name them)."""
    from layout.cluster_run import ClusterRun
    client = Tasks()
    cluster = ClusterRun(client, tmp_path / "out", tmp_path / "cache", lambda *counts: None, by_reference=True)
    photo = {"/layout-cache/images/p.jpg": "p1"}
    jobs = [PageJob(n, f"k{n}", photo if n == 2 else {}) for n in range(1, 6)]
    run = issue_run(tmp_path)
    run.fonts = ["the client's fonts"]
    pending = set()
    cluster._planned(run, Future("plan-a", {"jobs": jobs, "key": "i", "findings": [], "blobs": {"p1": b"prepared"}}),
                     pending)
    assert client.submitted[0] == ("held", (b"prepared",), "input-p1")
    cache = str(tmp_path / "cache")
    assert [([job.key for job in args[0]], args[1:]) for _, args, _ in client.submitted[1:]] == [
        (["k1", "k2", "k3"], (cache, run.fonts, {"p1": "future of input-p1"}, True)),
        (["k4", "k5"], (cache, run.fonts, {}, True))]
    keys = [key for _, _, key in client.submitted[1:]]
    assert cluster.task_of == {"k1": keys[0], "k2": keys[0], "k3": keys[0], "k4": keys[1], "k5": keys[1]}
    assert keys[0].startswith("pages-") and keys[1].startswith("pages-") and len(set(keys)) == 2
    assert pending == {f"future of {key}" for key in keys} and cluster.sender.kept == {"p1"}
    assert "blobs" not in run.plan and run.missing == {"k1", "k2", "k3", "k4", "k5"}
    lone = ClusterRun(Tasks(), tmp_path / "out", tmp_path / "cache", lambda *counts: None)
    lone._planned(issue_run(tmp_path), Future("plan-b", {"jobs": [PageJob(1, "k9", {})], "key": "j", "findings": [],
                                                          "blobs": {}}), set())
    assert [key for _, _, key in lone.client.submitted] == ["page-k9"]


def test_each_plan_task_is_given_the_issues_fonts_its_inputs_and_how_they_travel(tmp_path, monkeypatch):
    import distributed

    from layout.cluster_run import ClusterRun
    folder = tmp_path / "a"
    folder.mkdir()
    (folder / "issue.yaml").write_text(MINIMAL, encoding="utf-8")
    runs, blobs = read_issues([folder], {folder.resolve(): "a"}, by_reference=True)
    monkeypatch.setattr(distributed, "as_completed", lambda futures, loop: iter(()))
    monkeypatch.setenv("LAYOUT_CACHE", str(tmp_path / "env-cache"))
    client = Tasks()
    client.loop = None
    ClusterRun(client, tmp_path / "out", None, None, by_reference=True).render(runs, blobs, lambda outcome: None)
    (name, args, key), = [task for task in client.submitted if task[0] == "plan_task"]
    sha = hashlib.sha256(MINIMAL.encode("utf-8")).hexdigest()
    assert args[:4] == (str(folder), str(tmp_path / "env-cache"), runs[0].fonts, runs[0].inputs) and args[5] is True
    assert args[4][sha] == f"future of input-{sha}" and key.startswith("plan-a-")


def test_a_page_task_that_failed_fails_every_issue_waiting_for_its_pages_naming_the_task(tmp_path):
    """Two county editions share a page: the task that killed its workers fails both."""
    from distributed.scheduler import KilledWorker

    class Worker:
        address = "tcp://10.0.0.7:40000"
    cluster, run, progress, outcomes = waiting_run(tmp_path, [[1, "k1"]])
    other = issue_run(tmp_path, jobs=[Job(4, "k1")])
    other.missing = {"k1"}
    cluster.waiting["k1"].append(other)
    cluster._page_done(Future("page-k1", error=KilledWorker("page-k1", Worker(), 3)))
    assert [o.status for o in outcomes] == ["failed", "failed"] and progress == [(0, 1), (0, 1)]
    assert [o.errors[0].split(": ", 1)[1] for o in outcomes] == [
        f"page {n} killed the worker rendering it on each of 4 tries (the last on tcp://10.0.0.7:40000); the "
        f"scheduler gave it up (allowed-failures: 3), so a.pdf is not written: look for what in page {n} crashes "
        "or exhausts a worker's memory (its Dask key is page-k1)" for n in (1, 4)]


def test_a_page_missing_from_the_page_cache_is_named_by_the_start_of_its_key(tmp_path):
    cluster, run, progress, outcomes = waiting_run(tmp_path, [[1, KEY]])
    cluster._page_done(Future(f"page-{KEY}", {"pages": [{"pdf": None}], "worker": "tcp://w:1", "pid": 77,
                                              "seconds": 0.5, "peak_rss_mb": 123.4}))
    failed, = outcomes
    assert failed.errors == [f"{tmp_path / 'a'}: FileNotFoundError: page {KEY[:16]} is not in the page cache "
                             f"{tmp_path / 'cache' / 'pages'}, where its worker wrote it"]


def test_the_pages_of_one_task_share_its_seconds(tmp_path):
    cluster, run, progress, outcomes = waiting_run(tmp_path, [[1, "k1"], [2, "k2"], [3, "k3"]])
    cluster.pages_of = {"pages-ab": ["k1", "k2"], "page-k3": ["k3"]}
    cluster.rendering = {"k1": "pages-ab", "k2": "pages-ab", "k3": "page-k3"}
    page = {"pdf": b"%PDF-1.7 one page", "bookmarks": [], "anchors": [], "findings": []}
    cluster._page_done(Future("pages-ab", {"pages": [page, page], "worker": "tcp://w:1", "pid": 77, "seconds": 1.2345,
                                           "peak_rss_mb": 123.4}))
    assert [(p["number"], p["seconds"], p["task_pages"]) for p in run.pages] == [(1, 0.617, 2), (2, 0.617, 2)]
    assert run.missing == {"k3"} and outcomes == []


def test_a_rendered_issues_findings_are_in_file_then_line_order_an_unplaced_one_first(tmp_path):
    import pikepdf

    from layout.cluster_run import ClusterRun
    from layout.pagerender.cache import PageEntry
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 100))
    pdf.save(tmp_path / "k1.pdf")
    outcomes = []
    cluster = ClusterRun(Client(), tmp_path / "out", tmp_path / "cache", None)
    cluster.record = outcomes.append
    run = issue_run(tmp_path, jobs=[Job(1, "k1")], key="issue key")
    yaml = str(tmp_path / "a" / "issue.yaml")
    late, early = (Finding(text, yaml, line, key, severity=Severity.WARNING) for text, line, key in
                   (("late", 12, "a"), ("early", 1, "c")))
    run.plan["findings"] = [late.as_dict(), early.as_dict()]
    unplaced = Finding("unplaced", yaml, None, "z", severity=Severity.WARNING)
    run.entries = {"k1": PageEntry("k1", tmp_path / "k1.pdf", findings=[unplaced])}
    cluster._finish(run)
    done, = outcomes
    assert done.status == "rendered" and [f.message for f in done.found()] == ["unplaced", "early", "late"]


def test_the_page_cache_named_to_the_workers_is_the_one_given_else_this_machines_for_its_own_workers(tmp_path, monkeypatch):
    """A remote cluster's workers without --cache use their own $LAYOUT_CACHE (None is sent); the
    embedded cluster's write into this machine's."""
    from layout.cluster_run import ClusterRun
    monkeypatch.setenv("LAYOUT_CACHE", str(tmp_path / "env-cache"))
    assert ClusterRun(Client(), tmp_path, None, None).cache_arg is None
    assert ClusterRun(Client(), tmp_path, None, None, by_reference=True).cache_arg == str(tmp_path / "env-cache")
    assert ClusterRun(Client(), tmp_path, tmp_path / "c", None).cache_arg == str(tmp_path / "c")
    assert ClusterRun(Client(), tmp_path, None, None).cache.folder == tmp_path / "env-cache" / "pages"


class Submitted:
    """A Dask client's `submit`, recorded with every argument and option."""

    def __init__(self):
        self.submitted = []

    def submit(self, function, *args, key, **options):
        self.submitted.append((function.__name__, args, key, options))
        return f"future of {key}"


def test_a_plan_that_orders_photos_gets_one_photo_task_a_photo_and_a_compose_task_on_its_worker(tmp_path):
    """Two issues share a photo: one photo task for it (keyed by its order, before the plans and
    pages queued with it), given its source's bytes, the cache and how files travel; each issue's
    compose task is given its plan's id, its fonts, inputs, files and photo tasks, and asked of
    the worker that planned it, or another if that one is gone. A photo task is let go once no
    compose task waits for it."""
    import re

    from layout.cluster_photos import PRIORITY, PhotoOrder
    from layout.cluster_run import ClusterRun
    folders = [tmp_path / "a", tmp_path / "b"]
    for folder in folders:
        folder.mkdir()
        (folder / "issue.yaml").write_text(MINIMAL.replace("标题", folder.name), encoding="utf-8")
        (folder / "shared.jpg").write_bytes(b"the shared photo")
    (folders[0] / "own.jpg").write_bytes(b"a's own photo")
    runs, blobs = read_issues(folders, {folder.resolve(): folder.name for folder in folders})
    client = Submitted()
    cluster = ClusterRun(client, tmp_path / "out", tmp_path / "cache", lambda *counts: None, by_reference=True)
    for run in runs:                                         # as `render` sends them for the plans
        cluster.sender.futures_for(run.inputs.hashes(), blobs)
    client.submitted.clear()
    shared_sha, own_sha = (hashlib.sha256(data).hexdigest() for data in (b"the shared photo", b"a's own photo"))
    shared = PhotoOrder("photo-s", shared_sha, 60.0, 40.0, 300)
    own = PhotoOrder("photo-o", own_sha, 30.5, 20.25, 200, (0.2, 0.5), (0.0, 0.0, 1.0, 0.5))
    pending = set()
    cluster._planned(runs[0], Future("plan-a-1", {"photos": [shared, own], "worker": "tcp://w1"}), pending)
    cluster._planned(runs[1], Future("plan-b-1", {"photos": [shared], "worker": "tcp://w2"}), pending)
    cache = str(tmp_path / "cache")
    photos = [(args, key, options) for name, args, key, options in client.submitted if name == "photo_task"]
    assert photos == [((f"future of input-{shared_sha}", shared, cache, True), "photo-s", {"priority": PRIORITY}),
                      ((f"future of input-{own_sha}", own, cache, True), "photo-o", {"priority": PRIORITY})]
    composes = [(args, key, options) for name, args, key, options in client.submitted if name == "compose_task"]
    assert len(composes) == 2 and len(client.submitted) == 4
    for (args, key, options), run, plan_id, worker, ordered in zip(
            composes, runs, ["plan-a-1", "plan-b-1"], ["tcp://w1", "tcp://w2"], [["photo-s", "photo-o"], ["photo-s"]]):
        assert re.fullmatch(f"compose-{run.name}-[0-9a-f]{{8}}", key)
        assert args == (plan_id, str(run.folder), cache, run.fonts, run.inputs,
                        {sha: f"future of input-{sha}" for sha in run.inputs.hashes()}, True,
                        {photo: f"future of {photo}" for photo in ordered})
        assert options == {"workers": [worker], "allow_other_workers": True, "priority": PRIORITY}
        assert cluster.runs[key] is run and cluster.needs[key] == set(run.inputs.hashes())
        assert cluster.photo_users[key] == ordered
    keys = [key for _, key, _ in composes]
    assert pending == {f"future of {key}" for key in keys} and cluster.photos_prepared == 2
    assert cluster.photo_count == {"photo-s": 2, "photo-o": 1}
    cluster._photos_done_with(keys[0])
    assert cluster.photo_count == {"photo-s": 1} and cluster.photos == {"photo-s": "future of photo-s"}
    cluster._photos_done_with(keys[1])
    assert (cluster.photo_count, cluster.photos, cluster.photo_users) == ({}, {}, {})
