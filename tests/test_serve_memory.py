"""`layout serve` on a 100-page issue: the memory of its whole process tree stays under 600 MB.

Before pages were rendered on demand into bounded caches, 100 such pages took 2.75 GB (-j 2),
all of them rendered before the first proof was served."""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .conftest import SAMPLE

PAGES = 100
LIMIT_MB = 600
BODY = "长治市两会期间，代表委员围绕高质量发展建言献策，会场内外气氛热烈。" * 6


def hundred_pages() -> str:
    lines = ["paper: 示例日报", "title: 测试特刊", "date: 2026-02-10", "pages:"]
    for number in range(1, PAGES + 1):
        lines += [f"  - section: 第{number}版", "    stories:"]
        for story in range(1, 4):
            lines += [f"      - headline: 第{number}版标题{story}", "        body: |",
                      f"          {BODY}", "", f"          {BODY}"]
    return "\n".join(lines) + "\n"


def tree_rss_mb(pid: int) -> float:
    """Resident memory of `pid` and all its descendants, in MB (/proc)."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(status.split("VmRSS:")[1].split()[0])
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(child) for child in (task / "children").read_text().split()]
        except (OSError, IndexError):
            continue                                        # ended meanwhile
    return total / 1024


class PeakSampler(threading.Thread):
    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak, self.samples, self.done = pid, 0.0, 0, threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.05):
            self.peak = max(self.peak, tree_rss_mb(self.pid))
            self.samples += 1


def test_serving_a_100_page_issue_stays_under_600_mb(tmp_path):
    issue = tmp_path / "hundred"
    issue.mkdir()
    (issue / "issue.yaml").write_text(hundred_pages(), encoding="utf-8")
    src = str(SAMPLE.parents[1] / "src")
    env = {**os.environ, "LAYOUT_CACHE": str(tmp_path / "cache"),
           "PYTHONPATH": os.pathsep.join(p for p in [src, os.environ.get("PYTHONPATH", "")] if p)}
    process = subprocess.Popen([sys.executable, "-m", "layout.cli", "serve", str(issue), "--port", "0", "-j", "2"],
                               env=env, stderr=subprocess.PIPE, text=True, start_new_session=True)
    sampler = PeakSampler(process.pid)
    sampler.start()
    try:
        url = _url(process)
        threading.Thread(target=process.stderr.read, daemon=True).start()      # keep the pipe flowing
        state = json.load(urllib.request.urlopen(f"{url}state?since=-1", timeout=60))
        assert [page["number"] for page in state["pages"]] == list(range(1, PAGES + 1))
        wanted = state["pages"][::11]                                    # pages 1, 12, ... 100 (10 pages)
        with ThreadPoolExecutor(3) as browser:                        # a browser fetches a few at once
            pngs = list(browser.map(lambda page: urllib.request.urlopen(url + page["png"][1:], timeout=300).read(),
                                    wanted))
        assert all(png.startswith(b"\x89PNG") and 50_000 < len(png) < 1_000_000 for png in pngs)
        assert len(set(pngs)) == len(wanted)                            # each page its own proof
    finally:
        sampler.done.set()
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    print(f"peak RSS of the serve process tree: {sampler.peak:.0f} MB in {sampler.samples} samples")
    assert sampler.samples > 20
    assert sampler.peak < LIMIT_MB, f"peak {sampler.peak:.0f} MB"


def _url(process: subprocess.Popen) -> str:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        if match := re.search(r"on (http://127\.0\.0\.1:\d+/)", line):
            return match.group(1)
        if not line and process.poll() is not None:
            break
    raise AssertionError("layout serve did not start")
