"""Test isolation: the suite renders through a cache of its own, never the user's ~/.cache/layout."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from layout import pipeline
from layout.pagerender.keys import env_cache_dir

from . import conftest


def test_the_cache_is_the_sessions_own(session_cache):
    assert session_cache.is_relative_to(conftest.SESSION.folder) or os.environ.get("LAYOUT_TEST_CACHE")
    assert env_cache_dir() == session_cache
    assert pipeline.CACHE_DIR == session_cache, "layout.pipeline was imported before the cache was set"
    assert Path.home() == conftest.SESSION.home != conftest.SESSION.user_home


def test_a_process_started_by_a_test_uses_the_same_cache(session_cache):
    code = "from layout.pagerender.keys import env_cache_dir; from pathlib import Path; " \
           "print(env_cache_dir()); print(Path.home())"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.splitlines() == [str(session_cache), str(conftest.SESSION.home)]


def test_no_test_wrote_into_the_home_cache():
    """Runs last (conftest.pytest_collection_modifyitems): `~/.cache/layout` is where `layout`
    goes when LAYOUT_CACHE is not set; HOME is the session's, so anything there came from a test
    (or code under test) that ignored or removed LAYOUT_CACHE."""
    home_cache = conftest.SESSION.home_cache
    found = sorted(str(p.relative_to(home_cache)) for p in home_cache.rglob("*")) if home_cache.exists() else None
    assert found is None, f"tests wrote into {home_cache}: {found[:10]}"
