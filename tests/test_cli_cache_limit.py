"""`layout render`, `proof`, `epaper` and `batch` keep the cache under `$LAYOUT_CACHE_LIMIT`: a limit that
is not a size is refused before anything is done; after the command, the entries used longest
ago are let go and the command says so. (The trim itself: test_cache_limit.py.)"""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from layout.cli import main

from .conftest import MINIMAL, ROOT

DAY = 86400


@pytest.mark.parametrize("command", [["render"], ["proof"], ["batch", "-j", "1"], ["epaper"]])
def test_a_limit_that_is_not_a_size_stops_the_command_before_it_writes_anything(command, write_issue, tmp_path,
                                                                                  monkeypatch):
    folder = write_issue(MINIMAL)
    monkeypatch.setenv("LAYOUT_CACHE_LIMIT", "lots")
    result = CliRunner().invoke(main, [*command, str(folder), "-o", str(tmp_path / "out")], catch_exceptions=False)
    assert result.exit_code == 2
    assert result.output.strip() == "error: LAYOUT_CACHE_LIMIT: expected a size such as 20G or 500M, got 'lots'"
    assert not (tmp_path / "out").exists()


def test_render_lets_go_of_the_pages_used_longest_ago_and_keeps_those_it_just_made(write_issue, tmp_path):
    folder = write_issue(MINIMAL)
    cache = tmp_path / "cache"
    old = []
    for n in range(3):                                    # pages laid out two days ago, never used since
        for suffix, size in ((".pdf", 300_000), (".json", 100)):
            path = cache / "pages" / f"{n:064x}{suffix}"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(b"x" * size)
            os.utime(path, (time.time() - 2 * DAY,) * 2)
            old.append(path)
    env = {**os.environ, "LAYOUT_CACHE": str(cache), "LAYOUT_CACHE_LIMIT": "100K",
           "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run([sys.executable, "-m", "layout.cli", "render", str(folder), "-o", str(tmp_path / "out")],
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out" / "x.pdf").is_file()
    assert not any(path.exists() for path in old)
    made = sorted(p.suffix for p in (cache / "pages").iterdir())
    assert made == [".json", ".pdf"]                      # the page just laid out: used in the last hour
    assert f"cache: let go 3 entries used longest ago (879.2 KB) to keep {cache} under 100.0 KB; " in done.stderr
