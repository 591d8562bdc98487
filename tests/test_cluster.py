"""`layout batch --scheduler` against a real Dask cluster on 127.0.0.1: a `dask scheduler` and two
`dask worker` processes (the pinned package's entry points) started and stopped here, on random
free ports, one thread each, no dashboard. Same PDFs as a local render; a page task that raises
fails its issue only; a worker SIGKILLed in the middle of a page: the page is run again elsewhere
and the batch completes; a worker whose body font differs is refused, the family named; an
unreachable scheduler is one line and exit 2; inputs travel as bytes, once, and the workers render
from their copies; a page that kills its worker on every try fails its issue only, named."""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner

from layout.cli import main

from .conftest import MINIMAL, SAMPLE

DASK = Path(sys.executable).parent / "dask"
SRC = Path(__file__).resolve().parents[1] / "src"
FAULTS = Path(__file__).with_name("cluster_faults.py")
HEADLINES = {"a": "甲版头条", "boom": "丙版头条", "dies": "丁版头条", "z": "乙版头条",
             "crash": "壬版头条"}


class Cluster:
    """A scheduler and its workers, as processes of their own."""

    def __init__(self, folder: Path, workers: int, env: dict[str, str]):
        self.file, self.processes, self.folder = folder / "scheduler.json", [], folder
        self.client_env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")])}
        self.env = {**self.client_env, **env}
        self.spawn("scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard", "--dashboard-address", "127.0.0.1:0",
                   "--scheduler-file", self.file)
        for _ in range(workers):
            self.spawn("worker", "--scheduler-file", self.file, "--nthreads", "1", "--nworkers", "1",
                       "--no-dashboard", "--host", "127.0.0.1", "--preload", FAULTS, "--local-directory", folder)
        from distributed import Client
        deadline = time.monotonic() + 60
        while not self.file.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        with Client(scheduler_file=str(self.file), timeout=30) as client:
            client.wait_for_workers(workers, timeout=60)
            self.address = client.scheduler.address
            self.workers = sorted(client.scheduler_info()["workers"])

    def spawn(self, *args) -> None:
        self.processes.append(subprocess.Popen([str(DASK), *map(str, args)], env=self.env, cwd=self.folder,
                                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))

    def stop(self) -> None:
        for process in reversed(self.processes):
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture(scope="module")
def gate(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("gate")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, gate):
    """Two workers whose working folder and HOME are their own, and whose templates folder is
    empty: the theme reaches them with each issue's inputs."""
    folder = tmp_path_factory.mktemp("cluster")
    (folder / "home").mkdir()
    (folder / "no-templates").mkdir()
    running = Cluster(folder, 2, {"LAYOUT_TEST_GATE": str(gate), "HOME": str(folder / "home"),
                                  "LAYOUT_TEMPLATES": str(folder / "no-templates")})
    yield running
    running.stop()


def small_issues(folder: Path, *names: str) -> Path:
    for name in names:
        (folder / name).mkdir(parents=True)
        (folder / name / "issue.yaml").write_text(MINIMAL.replace("标题", HEADLINES[name]), encoding="utf-8")
    return folder


def batch(cluster_address: str, *args) -> tuple[object, dict]:
    result = CliRunner().invoke(main, ["batch", *map(str, args), "--scheduler", cluster_address])
    out = Path(args[args.index("-o") + 1])
    report = json.loads((out / "batch-report.json").read_text(encoding="utf-8")) if out.is_dir() else {}
    return result, report


def pages_of(path: Path) -> list[tuple[str, tuple]]:
    import pdfplumber
    with pdfplumber.open(path) as document:
        return [(page.extract_text(), (round(page.width, 2), round(page.height, 2))) for page in document.pages]


def test_a_cluster_batch_is_page_for_page_the_local_render(cluster, tmp_path):
    issues = small_issues(tmp_path / "issues", "a")
    shutil.copytree(SAMPLE, issues / "sample")
    result, report = batch(cluster.address, issues, "-o", tmp_path / "out", "--cache", tmp_path / "cache")
    assert result.exit_code == 0, result.output
    assert "2 issues: 2 rendered, 0 unchanged, 0 failed; 3 pages laid out in " in result.output
    assert report["scheduler"] == cluster.address and report["jobs"] == 2
    runs = [run for issue in report["issues"] for run in issue["page_runs"]]
    assert sorted(run["number"] for run in runs) == [1, 1, 2]
    assert {run["worker"] for run in runs} <= set(cluster.workers)
    assert all(run["seconds"] > 0 and run["retried"] == 0 for run in runs)
    for name in ("a", "sample"):
        local = CliRunner().invoke(main, ["render", str(issues / name), "-o", str(tmp_path / "local")])
        assert local.exit_code == 0, local.output
        assert pages_of(tmp_path / "out" / f"{name}.pdf") == pages_of(tmp_path / "local" / f"{name}.pdf")


def test_a_page_task_that_raises_fails_only_its_issue(cluster, tmp_path):
    issues = small_issues(tmp_path / "issues", "a", "boom", "z")
    result, report = batch(cluster.address, issues, "-o", tmp_path / "out", "--cache", tmp_path / "cache")
    assert result.exit_code == 1
    assert "3 issues: 2 rendered, 0 unchanged, 1 failed" in result.output, result.output
    assert f"failed {issues / 'boom'}\n  {issues / 'boom'}: RuntimeError: pikepdf gave up\n" in result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a.pdf", "batch-report.json", "z.pdf"]
    assert [(i["slug"], i["status"]) for i in report["issues"]] == [("a", "rendered"), ("boom", "failed"),
                                                                   ("z", "rendered")]


def test_a_scheduler_that_does_not_answer_is_one_line_and_exit_2(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    issues = small_issues(tmp_path / "issues", "a")
    started = time.monotonic()
    result = CliRunner().invoke(main, ["batch", str(issues), "-o", str(tmp_path / "out"),
                                       "--scheduler", f"tcp://127.0.0.1:{port}"])
    assert time.monotonic() - started < 10
    assert result.exit_code == 2
    assert result.output == (f"error: cannot reach the Dask scheduler at tcp://127.0.0.1:{port} "
                             "within 5 s (OSError)\n")
    assert not (tmp_path / "out").exists()


def test_a_worker_with_another_body_font_is_refused(tmp_path):
    from fontTools.ttLib import TTFont
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    face = TTFont("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
    for record in face["name"].names:
        if record.nameID in (1, 4, 16):
            record.string = "Noto Serif CJK SC"
    face.save(fonts / "body.ttf")
    # the worker's fontconfig knows only that face (the client's fonts/ folder travels with the
    # batch, so a different font on a worker is a system font)
    conf = tmp_path / "fonts.conf"
    conf.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig><dir>{fonts}</dir>'
                    f'<cachedir>{tmp_path / "fc-cache"}</cachedir></fontconfig>\n', encoding="utf-8")
    odd = Cluster(tmp_path, 1, {"FONTCONFIG_FILE": str(conf), "LAYOUT_TEST_GATE": str(tmp_path)})
    try:
        issues = small_issues(tmp_path / "issues", "a")
        result, report = batch(odd.address, issues, "-o", tmp_path / "out", "--cache", tmp_path / "cache")
    finally:
        odd.stop()
    assert result.exit_code == 1, result.output
    finding, = report["issues"][0]["findings"]
    assert finding["kind"] == "font" and finding["file"] == str(issues / "a")
    assert finding["message"].startswith(f"worker {odd.workers[0]} refuses to render: its font for family "
                                         "'Noto Serif CJK SC' (role 'body') is body.ttf sha256 ")
    assert "the client's is NotoSerifCJK-Regular.ttc sha256 " in finding["message"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["batch-report.json"]


def start_batch(cluster, issues: Path, out: Path, cache: Path) -> subprocess.Popen:
    """`layout batch ISSUES -o OUT --cache CACHE --scheduler` the cluster, as a process."""
    command = [sys.executable, "-m", "layout.cli", "batch", str(issues), "-o", str(out),
               "--cache", str(cache), "--scheduler", cluster.address]
    return subprocess.Popen(command, env=cluster.client_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)


def wait_until(ready, running: subprocess.Popen, seconds: float = 60) -> None:
    """Wait until `ready()` is true, the batch ends, or `seconds` pass."""
    deadline = time.monotonic() + seconds
    while not ready() and time.monotonic() < deadline and running.poll() is None:
        time.sleep(0.02)


def test_a_worker_killed_in_the_middle_of_a_page_is_replaced_and_the_batch_completes(cluster, gate, tmp_path):
    issues = small_issues(tmp_path / "issues", "a", "dies", "z")
    out = tmp_path / "out"
    running = start_batch(cluster, issues, out, tmp_path / "cache")
    wait_until(lambda: list(gate.glob("started-*")), running)
    started, = gate.glob("started-*")
    killed = int(started.read_text())
    os.kill(killed, signal.SIGKILL)
    (gate / "release").touch()
    output, _ = running.communicate(timeout=90)
    assert running.returncode == 0, output
    report = json.loads((out / "batch-report.json").read_text(encoding="utf-8"))
    dies = next(issue for issue in report["issues"] if issue["slug"] == "dies")
    # the page the killed worker was rendering, and any it had been given next (not started):
    # Dask counts a dead worker against every task it held, so 1 to all 3 pages may run again
    assert re.search(r"3 issues: 3 rendered, 0 unchanged, 0 failed; (1 page|2 pages|3 pages) run again after a "
                     r"worker died; 3 pages laid out in ", output), output
    run, = dies["page_runs"]
    assert run["retried"] == 1 and run["pid"] != killed
    with pikepdf.open(out / "dies.pdf") as pdf:
        assert len(pdf.pages) == 1
    assert HEADLINES["dies"] in pages_of(out / "dies.pdf")[0][0]


SHARED_PHOTO = """\
paper: 示例日报
title: {title}
date: 2026-02-10
pages:
{pages}"""
PAGE = """\
  - section: 要闻
    stories:
      - headline: {headline}
        body: |
          第一段正文。
        figures:
          - image: images/shared.jpg
            caption: 共用的照片
"""


def noise_photo(path: Path) -> Path:
    from PIL import Image
    Image.frombytes("RGB", (900, 600), os.urandom(900 * 600 * 3)).save(path, quality=90)
    return path


def test_inputs_travel_once_as_bytes_and_pages_render_from_the_copies(cluster, gate, tmp_path):
    """Two 2-page issues share a photo. The client reads every input, then (before any plan task
    runs) its issues folder is moved away: the workers, whose templates folder is empty, plan
    and render from their copies. Each distinct file is sent once; the photo, used by 2 plans
    and 4 pages, is written into each worker's store at most once. (Same machine and user: this
    does not prove that a worker on another machine could not read the client's paths, only that
    these did not.)"""
    issues, shared = tmp_path / "issues", noise_photo(tmp_path / "photo.jpg")
    for name, headlines in (("p", ("戊版头条", "己版头条")), ("q", ("庚版头条", "辛版头条"))):
        pages = "".join(PAGE.format(headline=h) for h in headlines)
        (issues / name / "images").mkdir(parents=True)
        (issues / name / "issue.yaml").write_text(SHARED_PHOTO.format(title=f"特刊{name}", pages=pages),
                                                  encoding="utf-8")
        shutil.copy(shared, issues / name / "images" / "shared.jpg")
    sha = hashlib.sha256((tmp_path / "photo.jpg").read_bytes()).hexdigest()
    (gate / "hold-plans").touch()
    out, moved = tmp_path / "out", tmp_path / "moved"
    running = start_batch(cluster, issues, out, tmp_path / "cache")
    wait_until(lambda: list(gate.glob("planning-*")), running)
    assert list(gate.glob("planning-*")), running.communicate()[0]
    issues.rename(moved)
    (gate / "hold-plans").unlink()
    output, _ = running.communicate(timeout=120)
    assert running.returncode == 0, output
    assert "2 issues: 2 rendered, 0 unchanged, 0 failed; 4 pages laid out in " in output
    report = json.loads((out / "batch-report.json").read_text(encoding="utf-8"))
    # each distinct file once: 2 issue.yaml, the photo, the theme's files, the photo as prepared
    # for its frames (by the worker that planned it, into --cache)
    sent = [*(moved / name / "issue.yaml" for name in ("p", "q")), shared,
            *(p for p in (SRC.parent / "templates" / "newspaper").iterdir() if p.is_file()),
            *{hashlib.sha256(p.read_bytes()).hexdigest(): p for p in (tmp_path / "cache" / "images").glob("*.jpg")}
            .values()]
    assert report["inputs_sent"] == {"files": len(sent), "bytes": sum(p.stat().st_size for p in sent), "by_reference": 0}
    from distributed import Client

    from layout import cluster_inputs
    with Client(cluster.address, timeout=30) as client:
        received = client.run(lambda: dict(cluster_inputs.RECEIVED))
    assert 1 <= sum(counts.get(sha, 0) for counts in received.values()) <= 2
    for name in ("p", "q"):
        local = CliRunner().invoke(main, ["render", str(moved / name), "-o", str(tmp_path / "local")])
        assert local.exit_code == 0, local.output
        assert pages_of(out / f"{name}.pdf") == pages_of(tmp_path / "local" / f"{name}.pdf")


def shared_photo_issues(folder: Path, photo: Path, *names: str) -> Path:
    """One-page issues whose stories all carry `photo` (each issue its own copy of the file)."""
    for name in names:
        (folder / name / "images").mkdir(parents=True)
        (folder / name / "issue.yaml").write_text(
            SHARED_PHOTO.format(title=f"特刊{name}", pages=PAGE.format(headline=f"{name}版头条")), encoding="utf-8")
        shutil.copy(photo, folder / name / "images" / "shared.jpg")
    return folder


def photo_counts(cluster) -> tuple[dict, dict]:
    """Summed over the workers: photo tasks run, by Dask key; ordered photos that compose tasks
    prepared themselves, by file name."""
    from distributed import Client

    from layout import cluster_photos
    with Client(cluster.address, timeout=30) as client:
        counts = client.run(lambda: (dict(cluster_photos.TASKS_RUN), dict(cluster_photos.PREPARED_BY_COMPOSE)))
    tasks, by_plans = {}, {}
    for ran, prepared in counts.values():
        for key, count in ran.items():
            tasks[key] = tasks.get(key, 0) + count
        for name, count in prepared.items():
            by_plans[name] = by_plans.get(name, 0) + count
    return tasks, by_plans


def test_a_photo_three_issues_share_is_prepared_once_on_the_cluster_by_a_photo_task(cluster, tmp_path):
    """Three issues carry the same photo (a noise photo of this test's own) in the same frame:
    one photo task prepares it, keyed by its cache entry, for every plan that finds it missing,
    and no compose task prepares it itself."""
    issues = shared_photo_issues(tmp_path / "issues", noise_photo(tmp_path / "photo.jpg"), "r", "s", "t")
    _, before = photo_counts(cluster)
    result, report = batch(cluster.address, issues, "-o", tmp_path / "out", "--cache", tmp_path / "cache")
    assert result.exit_code == 0, result.output
    assert report["photo_tasks"] == 1
    prepared = sorted(tmp_path.joinpath("cache", "images").glob("*.jpg"))
    assert len(prepared) == 1
    tasks, by_plans = photo_counts(cluster)
    assert tasks.get(f"photo-{prepared[0].stem}") == 1
    assert by_plans == before
    pdf = pikepdf.open(tmp_path / "out" / "s.pdf")
    images = [xobject for xobject in pdf.pages[0].Resources.XObject.values() if xobject.Subtype == "/Image"]
    assert len(images) == 1


def test_a_photo_whose_task_fails_is_prepared_by_the_compose_task_itself(cluster, gate, tmp_path):
    issues = shared_photo_issues(tmp_path / "issues", noise_photo(tmp_path / "photo.jpg"), "u")
    _, before = photo_counts(cluster)
    (gate / "photos-fail").touch()
    try:
        result, report = batch(cluster.address, issues, "-o", tmp_path / "out", "--cache", tmp_path / "cache")
    finally:
        (gate / "photos-fail").unlink()
    assert result.exit_code == 0, result.output
    assert report["photo_tasks"] == 1
    _, by_plans = photo_counts(cluster)
    assert by_plans.get("shared.jpg", 0) == before.get("shared.jpg", 0) + 1
    local = CliRunner().invoke(main, ["render", str(issues / "u"), "-o", str(tmp_path / "local")])
    assert local.exit_code == 0, local.output
    assert pages_of(tmp_path / "out" / "u.pdf") == pages_of(tmp_path / "local" / "u.pdf")
    pdf = pikepdf.open(tmp_path / "out" / "u.pdf")
    assert [x.Width for x in pdf.pages[0].Resources.XObject.values() if x.Subtype == "/Image"]


def test_a_page_that_kills_its_worker_on_every_try_fails_its_issue_and_the_others_complete(cluster, gate, tmp_path):
    """Last in this file: it kills the workers (their nannies start new ones) 4 times. The page
    kills once the other issues are written: Dask counts a death against every task the dead
    worker held, so a page queued behind the killer could fail with it (see docs/scaling.md)."""
    issues = small_issues(tmp_path / "issues", "a", "crash", "z")
    out = tmp_path / "out"
    running = start_batch(cluster, issues, out, tmp_path / "cache")
    wait_until(lambda: all((out / f"{name}.pdf").exists() for name in "az"), running)
    (gate / "crash").touch()
    output, _ = running.communicate(timeout=120)
    assert running.returncode == 1, output
    assert "3 issues: 2 rendered, 0 unchanged, 1 failed" in output, output
    assert re.search(rf"failed {issues / 'crash'}\n  {issues / 'crash'}: page 1 killed the worker rendering it on "
                     r"each of 4 tries \(the last on tcp://127\.0\.0\.1:\d+\); the scheduler gave it up "
                     r"\(allowed-failures: 3\), so crash\.pdf is not written: look for what in page 1 crashes or "
                     r"exhausts a worker's memory \(its Dask key is page-[0-9a-f]{64}\)\n", output), output
    assert sorted(p.name for p in out.iterdir()) == ["a.pdf", "batch-report.json", "z.pdf"]
    report = json.loads((out / "batch-report.json").read_text(encoding="utf-8"))
    crash = next(issue for issue in report["issues"] if issue["slug"] == "crash")
    assert crash["status"] == "failed" and crash["findings"][0]["kind"] == "worker"
    for name in ("a", "z"):
        assert HEADLINES[name] in pages_of(out / f"{name}.pdf")[0][0]
