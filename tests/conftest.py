"""Shared fixtures: tiny issues written into a temporary folder, and the rendered sample.

Isolation: before any test module imports `layout`, `pytest_configure` points `LAYOUT_CACHE` at
a cache of this session's own and `HOME` at an empty temporary home, so no test (nor any process
a test starts, which inherits the environment) reads or writes the user's `~/.cache/layout`.
The cache starts empty; `LAYOUT_TEST_CACHE=DIR` keeps it in DIR instead, to run the suite again
with a warm cache. `test_isolation.py::test_no_test_wrote_into_the_home_cache` runs last and
fails if anything created `~/.cache/layout` under the session's home.
"""
from __future__ import annotations

import os
import shutil
import tempfile
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "issues" / "2026-changzhi-lianghui"
#: the team's shared folder (seeds, docs, tools) lies beside the repository, in CI as well
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seeds" / "000_07aebcb63628b662.txt"

MINIMAL = """\
paper: 示例日报
title: 测试特刊
date: 2026-02-10
pages:
  - section: 要闻
    stories:
      - headline: 标题
        body: |
          第一段正文。

          第二段正文。
"""


@dataclass(frozen=True)
class Session:
    """Where this test session keeps its cache and its stand-in home."""

    folder: Path
    cache: Path
    home: Path
    user_home: Path

    @property
    def home_cache(self) -> Path:
        """The cache `layout` falls back to when LAYOUT_CACHE is not set."""
        return self.home / ".cache" / "layout"


SESSION: Session | None = None
LAST = "test_isolation.py::test_no_test_wrote_into_the_home_cache"


def pytest_configure(config):
    global SESSION
    folder = Path(tempfile.mkdtemp(prefix="layout-tests-"))
    cache = Path(os.environ.get("LAYOUT_TEST_CACHE") or folder / "cache")
    SESSION = Session(folder, cache, folder / "home", Path.home())
    SESSION.home.mkdir()
    os.environ["LAYOUT_CACHE"] = str(cache)
    os.environ["HOME"] = str(SESSION.home)
    os.environ.pop("XDG_CACHE_HOME", None)


def pytest_unconfigure(config):
    if SESSION is not None:
        os.environ["HOME"] = str(SESSION.user_home)
        shutil.rmtree(SESSION.folder, ignore_errors=True)


def pytest_collection_modifyitems(items):
    """The home-cache check runs after every other test."""
    items.sort(key=lambda item: item.nodeid.endswith(LAST))


@pytest.fixture(scope="session", autouse=True)
def session_cache() -> Path:
    """This session's LAYOUT_CACHE (already set by pytest_configure, before any test module
    imported `layout`: some modules read it when imported)."""
    os.environ["LAYOUT_CACHE"] = str(SESSION.cache)
    return SESSION.cache


def photo(path: Path, size=(1200, 800), colour=(90, 120, 150)) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, colour).save(path, quality=90)
    return path


@pytest.fixture
def write_issue(tmp_path, monkeypatch):
    """Write `issue.yaml` (dedented) into tmp_path/x and chdir to tmp_path; return the folder."""
    monkeypatch.chdir(tmp_path)

    def write(text: str | bytes, name: str = "x") -> Path:
        folder = tmp_path / name
        folder.mkdir(exist_ok=True)
        data = text if isinstance(text, bytes) else textwrap.dedent(text).encode("utf-8")
        (folder / "issue.yaml").write_bytes(data)
        return folder

    return write
