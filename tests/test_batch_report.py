"""Batch stage, the parts that need no cluster (`batch.py`): which folders are issues, each issue's
outcome and the report's figures, summary and JSON, a task's failure as a finding, the memory a
worker gives back. (Milliseconds each: with test_batch_inprocess.py these are the tests
`scripts/mutation batch` runs; test_batch.py and test_cluster.py run real clusters.)"""
from __future__ import annotations

import gc
import json
import os
import weakref
from pathlib import Path

import pytest

from layout import batch
from layout.batch import (BatchReport, IssueOutcome, finding_of, internal_failure, issue_folders,
                          looks_like_issue, release_memory, write_report)
from layout.cluster import FontRefused, PageKilledWorkers
from layout.errors import Finding, Severity

ERROR = Finding("not a real date: '2026-02-30'", "issues/a/issue.yaml", 3, "date")
WARNING = Finding("2 lines over", "issues/a/issue.yaml", 9, "pages[0].stories[1]", Severity.WARNING, "layout")
NOTE = Finding("jumps to page 3", "issues/a/issue.yaml", 12, "pages[1]", Severity.INFO, "layout")


def outcome(status: str, *findings: Finding, worker: int = 0, peak: float = 0.0, rendered: int = 0) -> IssueOutcome:
    return IssueOutcome(f"issues/{status}", status, status, pages=2, rendered_pages=rendered, worker=worker,
                        peak_rss_mb=peak, findings=[f.as_dict() for f in findings])


# --- which folders are issues ---------------------------------------------------------------

@pytest.fixture
def shelf(tmp_path) -> Path:
    """A folder of issue folders: a, b (issue.yml), c (a dangling issue.yaml), notes (none)."""
    for name in ("c", "a", "b", "notes"):
        (tmp_path / "shelf" / name).mkdir(parents=True)
    (tmp_path / "shelf" / "a" / "issue.yaml").write_text("title: a\n", encoding="utf-8")
    (tmp_path / "shelf" / "b" / "issue.yml").write_text("title: b\n", encoding="utf-8")
    (tmp_path / "shelf" / "c" / "issue.yaml").symlink_to(tmp_path / "gone.yaml")
    (tmp_path / "shelf" / "notes" / "readme.txt").write_text("", encoding="utf-8")
    (tmp_path / "shelf" / "list.txt").write_text("", encoding="utf-8")
    return tmp_path / "shelf"


def test_a_folder_of_issues_gives_its_issue_folders_in_name_order(shelf):
    assert issue_folders([shelf]) == [shelf / "a", shelf / "b", shelf / "c"]


def test_what_looks_like_an_issue(shelf, tmp_path):
    """issue.yaml of any kind (even a link to nothing, a FIFO) or a look-alike name."""
    os.mkfifo(tmp_path / "issue.yaml")
    assert [looks_like_issue(p) for p in (shelf / "a", shelf / "b", shelf / "c", shelf / "notes", tmp_path)] == \
        [True, True, True, False, True]


def test_an_issue_folder_is_itself_even_with_issues_inside(shelf):
    (shelf / "a" / "inner").mkdir()
    (shelf / "a" / "inner" / "issue.yaml").write_text("title: inner\n", encoding="utf-8")
    assert issue_folders([shelf / "a"]) == [shelf / "a"]


def test_a_folder_with_no_issue_inside_is_kept_to_fail_loudly(shelf, tmp_path):
    """Neither an issue nor a folder of issues, nor a folder at all: passed on as named, so
    that reading it reports why."""
    assert issue_folders([shelf / "notes", shelf / "list.txt", tmp_path / "missing"]) == \
        [shelf / "notes", shelf / "list.txt", tmp_path / "missing"]


def test_the_folders_keep_the_order_given_and_one_named_twice_is_one_issue(shelf, tmp_path):
    (tmp_path / "link").symlink_to(shelf / "a")
    assert issue_folders([shelf / "c", shelf / "b"]) == [shelf / "c", shelf / "b"]
    assert issue_folders([tmp_path / "link", shelf / "a"]) == [tmp_path / "link"]   # the first spelling
    assert issue_folders([shelf, shelf / "b"]) == [shelf / "a", shelf / "c", shelf / "b"]
    (tmp_path / "solo").mkdir()
    (tmp_path / "solo" / "issue.yaml").write_text("title: solo\n", encoding="utf-8")
    assert issue_folders([tmp_path / "solo", shelf]) == [tmp_path / "solo", shelf / "a", shelf / "b", shelf / "c"]


# --- outcomes and the report ----------------------------------------------------------------

def test_an_outcome_sorts_its_findings_by_severity():
    done = outcome("rendered", WARNING, ERROR, NOTE)
    assert done.errors == ["issues/a/issue.yaml:3: date: not a real date: '2026-02-30'"]
    assert done.warnings == ["issues/a/issue.yaml:9: pages[0].stories[1]: 2 lines over"]
    assert done.found() == [WARNING, ERROR, NOTE]
    assert done.found(Severity.INFO) == [NOTE]
    assert done.found(Severity.ERROR, Severity.WARNING) == [WARNING, ERROR]


def test_a_finding_travels_as_json_and_back_whole():
    for finding in (ERROR, WARNING, NOTE, Finding("bare")):
        assert finding_of(json.loads(json.dumps(finding.as_dict()))) == finding


def report_of(*issues: IssueOutcome, jobs: int = 2) -> BatchReport:
    return BatchReport("out", jobs, list(issues), seconds=12.345, scheduler="tcp://127.0.0.1:1")


def test_the_summary_counts_the_issues_and_the_pages_laid_out():
    report = report_of(outcome("rendered", rendered=2), outcome("unchanged"), outcome("failed", ERROR),
                       outcome("rendered", rendered=1))
    assert [report.count(s) for s in ("rendered", "unchanged", "failed")] == [2, 1, 1]
    assert report.failed and report.with_errors == 0
    assert report.summary() == ("4 issues: 2 rendered, 1 unchanged, 1 failed; 3 pages laid out in 12.3 s "
                                "with 2 workers")


def test_the_summary_in_the_singular_names_issues_written_with_errors_and_pages_run_again():
    written = outcome("rendered", ERROR, WARNING, rendered=1)
    written.page_runs = [{"number": 1, "retried": 1}, {"number": 2, "retried": 0}]
    report = report_of(written, jobs=1)
    assert not report.failed and report.with_errors == 1
    assert report.summary() == ("1 issue: 1 rendered, 0 unchanged, 0 failed (1 with errors); 1 page run again "
                                "after a worker died; 1 page laid out in 12.3 s with 1 worker")
    report = report_of(outcome("unchanged", ERROR), outcome("failed", ERROR), outcome("unchanged", WARNING))
    assert report.with_errors == 1 and report.failed
    assert report.summary().startswith("3 issues: 0 rendered, 2 unchanged, 1 failed (1 with errors); 0 pages ")
    retried = outcome("rendered")
    retried.page_runs = [{"number": 1, "retried": 2}, {"number": 2, "retried": 1}]
    assert "; 2 pages run again after a worker died; " in report_of(retried).summary()
    assert "run again" not in report_of(outcome("rendered")).summary()


def test_the_report_as_json_has_the_counts_and_each_workers_peak_memory():
    report = report_of(outcome("rendered", worker=11, peak=300.5), outcome("unchanged", worker=11, peak=250.0),
                       outcome("rendered", worker=12, peak=200.0), outcome("failed", ERROR, peak=999.0))
    data = report.as_dict()
    assert data["summary"] == {"rendered": 2, "unchanged": 1, "failed": 1}
    assert data["worker_peak_rss_mb"] == {"11": 300.5, "12": 200.0}    # a failed plan has no worker
    assert (data["out_dir"], data["jobs"], data["seconds"], data["scheduler"]) == ("out", 2, 12.345, "tcp://127.0.0.1:1")
    assert data["issues"][3]["findings"] == [ERROR.as_dict()]
    later = report_of(outcome("rendered", worker=11, peak=100.0), outcome("rendered", worker=11, peak=400.0),
                      outcome("unchanged", worker=13, peak=0.0))       # a worker that could not say
    assert later.as_dict()["worker_peak_rss_mb"] == {"11": 400.0, "13": 0.0}


def test_the_report_is_written_whole_as_readable_json(tmp_path):
    report = report_of(outcome("failed", Finding("日期不对", "a/issue.yaml", 3, "date")))
    path = tmp_path / "out" / "batch-report.json"
    write_report(report, path)
    text = path.read_text(encoding="utf-8")
    assert text == json.dumps(report.as_dict(), ensure_ascii=False, indent=2) + "\n"
    assert "日期不对" in text and '\n  "jobs": 2,' in text
    assert sorted(p.name for p in path.parent.iterdir()) == ["batch-report.json"]


def test_the_report_is_utf8_whatever_the_locale(tmp_path):
    """A cron job or a container often runs in the POSIX locale, whose encoding is ASCII."""
    import locale
    before = locale.setlocale(locale.LC_CTYPE)
    locale.setlocale(locale.LC_CTYPE, "C")
    try:
        write_report(report_of(outcome("failed", Finding("日期不对"))), tmp_path / "batch-report.json")
    finally:
        locale.setlocale(locale.LC_CTYPE, before)
    assert "日期不对".encode("utf-8") in (tmp_path / "batch-report.json").read_bytes()


# --- a task's failure -----------------------------------------------------------------------

def test_a_task_that_raised_fails_its_issue_with_the_exception_named(tmp_path):
    failed = internal_failure(tmp_path / "a", "a", RuntimeError("pikepdf gave up"))
    assert (failed.folder, failed.slug, failed.status, failed.pdf, failed.pages) == (str(tmp_path / "a"), "a", "failed", "", 0)
    assert failed.found() == [Finding("RuntimeError: pikepdf gave up", str(tmp_path / "a"), kind="internal")]


def test_a_refused_font_and_a_page_that_killed_its_workers_are_told_as_they_are(tmp_path):
    font = internal_failure(tmp_path / "a", "a", FontRefused("worker x refuses to render"))
    assert font.found() == [Finding("worker x refuses to render", str(tmp_path / "a"), kind="font")]
    killed = internal_failure(tmp_path / "b", "b", PageKilledWorkers("page 2 killed the worker"))
    assert killed.found() == [Finding("page 2 killed the worker", str(tmp_path / "b"), kind="worker")]
    assert killed.errors == [f"{tmp_path / 'b'}: page 2 killed the worker"]


# --- a worker's memory and CPU ----------------------------------------------------------------

class Libc:
    def __init__(self, names: list):
        self.names = names

    def malloc_trim(self, pad: int) -> int:
        self.names.append(("malloc_trim", pad))
        return 1


def test_a_finished_issue_gives_its_memory_back(monkeypatch):
    """Cycles are collected and libc trims its heap (malloc_trim(0))."""
    calls = []
    monkeypatch.setattr(batch.ctypes, "CDLL", lambda name: calls.append(name) or Libc(calls))

    class Node:
        pass
    node = Node()
    node.self = node
    alive = weakref.ref(node)
    del node
    gc.disable()
    try:
        release_memory()
        assert alive() is None
    finally:
        gc.enable()
    assert calls == ["libc.so.6", ("malloc_trim", 0)]


@pytest.mark.parametrize("missing", [OSError("no libc.so.6"), AttributeError("malloc_trim")])
def test_a_libc_that_cannot_trim_is_no_error(monkeypatch, missing):
    def cdll(name):
        raise missing
    monkeypatch.setattr(batch.ctypes, "CDLL", cdll)
    release_memory()


class Client:
    """What `_workers_cpu` asks of a Dask client: each worker's answer to a function."""

    def __init__(self, answers: dict | Exception):
        self.answers = answers

    def run(self, function):
        assert function is batch._cpu_seconds
        if isinstance(self.answers, Exception):
            raise self.answers
        return self.answers


def test_the_workers_cpu_is_summed_with_the_fork_servers(monkeypatch):
    monkeypatch.setattr(batch, "_forkserver_cpu", lambda: 0.25)
    assert batch._workers_cpu(Client({"tcp://a": 1.004, "tcp://b": 2.5})) == 3.75
    assert batch._workers_cpu(Client({"tcp://a": 1.0049})) == 1.25
    assert batch._workers_cpu(Client(OSError("scheduler gone"))) == 0.0


def burn() -> os.times_result:
    """Spend at least 0.15 s of system and 0.15 s more of user CPU time (a process forked a moment ago
    has spent next to none); return the process's times."""
    with open("/dev/zero", "rb", buffering=0) as zero:
        while os.times().system < 0.15:
            zero.read(1 << 22)
    while os.times().user < os.times().system + 0.15:    # and the two apart
        sum(range(10_000))
    return os.times()


def test_a_process_cpu_seconds_are_user_and_system_time():
    times = burn()
    assert batch._cpu_seconds() == pytest.approx(times.user + times.system, abs=0.02)


def test_the_fork_servers_cpu_is_read_from_proc(monkeypatch):
    """utime and stime of /proc/PID/stat, in clock ticks; 0 without a fork server."""
    from multiprocessing import forkserver
    monkeypatch.setattr(forkserver._forkserver, "_forkserver_pid", None)
    assert batch._forkserver_cpu() == 0.0
    monkeypatch.setattr(forkserver._forkserver, "_forkserver_pid", os.getpid())
    times = burn()
    assert batch._forkserver_cpu() == pytest.approx(times.user + times.system, abs=0.02)
    monkeypatch.setattr(forkserver._forkserver, "_forkserver_pid", 2 ** 22 + 1)    # above pid_max
    assert batch._forkserver_cpu() == 0.0


def test_the_fork_servers_cpu_is_read_past_a_command_name_holding_a_parenthesis(monkeypatch):
    """/proc/PID/stat is `pid (comm) state ...`, and comm is whatever the process calls itself."""
    import ctypes
    from multiprocessing import forkserver
    libc = ctypes.CDLL(None, use_errno=True)
    name = Path("/proc/self/comm").read_bytes().rstrip(b"\n")
    assert libc.prctl(15, b"x) 1 2 3 (y)", 0, 0, 0) == 0          # PR_SET_NAME, of this thread
    try:
        assert Path(f"/proc/{os.getpid()}/stat").read_text().startswith(f"{os.getpid()} (x) 1 2 3 (y)) ")
        monkeypatch.setattr(forkserver._forkserver, "_forkserver_pid", os.getpid())
        times = burn()
        assert batch._forkserver_cpu() == pytest.approx(times.user + times.system, abs=0.02)
    finally:
        libc.prctl(15, name, 0, 0, 0)
