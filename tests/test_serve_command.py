"""`layout serve` as the editor starts it: a taken port, an issue file that is a FIFO."""
from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request

from .conftest import MINIMAL, SAMPLE

LAYOUT = [sys.executable, "-m", "layout.cli"]


def test_a_busy_port_is_one_line_and_exit_2_before_anything_is_rendered(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([*LAYOUT, "serve", str(SAMPLE), "--port", str(port)], capture_output=True,
                                text=True, timeout=120, env={**os.environ, "LAYOUT_CACHE": str(tmp_path / "cache")})
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == f"error: port {port} on 127.0.0.1 is in use; choose another with --port (0 picks a free one)\n"
    assert not (tmp_path / "cache").exists()                  # no photo prepared, no page laid out


def test_serve_on_a_fifo_issue_file_reports_it_and_serves_once_it_is_a_file(tmp_path):
    issue = tmp_path / "x"
    issue.mkdir()
    os.mkfifo(issue / "issue.yaml")
    process = subprocess.Popen([*LAYOUT, "serve", "x", "--port", "0", "-j", "1"], cwd=tmp_path,
                               env={**os.environ, "LAYOUT_CACHE": str(tmp_path / "cache"), "PYTHONPATH": _path()},
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        lines = _lines_until_serving(process)
        assert lines[0] == "x/issue.yaml: a FIFO, not a regular file; serve does not read it"
        url = re.search(r"on (http://127\.0\.0\.1:\d+/)", lines[-1]).group(1)
        state = _state(url, -1)
        assert (state["errors"], state["pages"]) == ([lines[0]], [])
        (issue / "issue.yaml").unlink()
        (issue / "issue.yaml").write_text(MINIMAL, encoding="utf-8")
        deadline = time.monotonic() + 120
        while state["errors"] or not state["pages"]:
            assert time.monotonic() < deadline, state
            state = _state(url, state["version"])
        assert [page["headlines"] for page in state["pages"]] == [["标题"]]
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def _path() -> str:
    return os.pathsep.join(p for p in [str(SAMPLE.parents[1] / "src"), os.environ.get("PYTHONPATH", "")] if p)


def _lines_until_serving(process: subprocess.Popen) -> list[str]:
    lines = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        if not line and process.poll() is not None:
            break
        lines.append(line.rstrip("\n"))
        if "serving proofs" in line:
            return lines
    raise AssertionError(f"layout serve did not start: {lines}")


def _state(url: str, since: int) -> dict:
    with urllib.request.urlopen(f"{url}state?since={since}", timeout=60) as response:
        return json.load(response)
