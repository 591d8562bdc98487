"""`layout render`, `proof`, `epaper` and `batch` keep the cache under `$LAYOUT_CACHE_LIMIT`: a limit that
is not a size is refused before anything is done; after the command, the entries used longest
ago are let go and the command says so. (The trim itself: test_cache_limit.py.)"""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from layout.cli import main
from layout.commands import cache_kept_under_limit

from .conftest import MINIMAL, ROOT

DAY = 86400


@pytest.mark.parametrize("command", [["render"], ["proof"], ["batch", "-j", "1"], ["epaper"]])
def test_a_limit_that_is_not_a_size_stops_the_command_before_it_writes_anything(command, write_issue, tmp_path,
                                                                                  monkeypatch):
    folder = write_issue(MINIMAL)
    monkeypatch.setenv("LAYOUT_CACHE_LIMIT", "lots")
    result = CliRunner().invoke(main, [*command, str(folder), "-o", str(tmp_path / "out")], catch_exceptions=False)
    assert result.exit_code == 2
    assert (result.stdout, result.stderr) == ("", "error: LAYOUT_CACHE_LIMIT: expected a size such as 20G or 500M, got 'lots'\n")
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
           "PYTHONPATH": os.pathsep.join(p for p in [str(ROOT / "src"), os.environ.get("PYTHONPATH", "")] if p)}
    done = subprocess.run([sys.executable, "-m", "layout.cli", "render", str(folder), "-o", str(tmp_path / "out")],
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out" / "x.pdf").is_file()
    assert not any(path.exists() for path in old)
    made = sorted(p.suffix for p in (cache / "pages").iterdir())
    assert made == [".json", ".pdf"]                      # the page just laid out: used in the last hour
    assert f"cache: let go 3 entries used longest ago (879.2 KB) to keep {cache} under 100.0 KB; " in done.stderr


def old_entries(cache: Path, count: int) -> list[list[Path]]:
    """`count` pages laid out two days ago and never used since, each 1000 + 100 bytes, the
    first used longest ago."""
    made = []
    for n in range(count):
        files = [cache / "pages" / f"{n:064x}.json", cache / "pages" / f"{n:064x}.pdf"]
        for path in files:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(b"x" * (100 if path.suffix == ".json" else 1000))
            os.utime(path, (time.time() - 2 * DAY + n,) * 2)
        made.append(files)
    return made


def command_doing(action, cache_dir: Path | None = None) -> click.Command:
    """A command that does `action(ctx)` inside `cache_kept_under_limit`, as render, proof and
    batch do their work."""
    @click.command()
    @click.pass_context
    def command(ctx):
        with cache_kept_under_limit(ctx, cache_dir):
            action(ctx)
    return command


def test_after_the_command_the_entries_used_longest_ago_go_until_the_cache_is_under_its_limit(tmp_path, monkeypatch):
    monkeypatch.setenv("LAYOUT_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("LAYOUT_CACHE_LIMIT", "2K")
    made = old_entries(tmp_path / "cache", 3)
    result = CliRunner().invoke(command_doing(lambda ctx: click.echo("wrote x.pdf")), [])
    assert (result.exit_code, result.stdout) == (0, "wrote x.pdf\n")
    assert result.stderr == (f"cache: let go 2 entries used longest ago (2.1 KB) to keep {tmp_path / 'cache'} "
                             f"under 2.0 KB; 1.1 KB left\n")
    assert [[path.exists() for path in files] for files in made] == [[False, False], [False, False], [True, True]]


def test_the_cache_given_is_the_one_trimmed(tmp_path, monkeypatch):
    monkeypatch.setenv("LAYOUT_CACHE", str(tmp_path / "env-cache"))
    monkeypatch.setenv("LAYOUT_CACHE_LIMIT", "0")
    elsewhere, given = old_entries(tmp_path / "env-cache", 1), old_entries(tmp_path / "given", 1)
    result = CliRunner().invoke(command_doing(lambda ctx: None, tmp_path / "given"), [])
    assert result.stderr == f"cache: let go 1 entry used longest ago (1.1 KB) to keep {tmp_path / 'given'} under 0 B; 0 B left\n"
    assert all(path.exists() for path in elsewhere[0]) and not any(path.exists() for path in given[0])


def test_a_cache_under_its_limit_is_left_alone_without_a_word(tmp_path, monkeypatch):
    monkeypatch.setenv("LAYOUT_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("LAYOUT_CACHE_LIMIT", "3300")
    made = old_entries(tmp_path / "cache", 3)
    result = CliRunner().invoke(command_doing(lambda ctx: None), [])
    assert (result.exit_code, result.output) == (0, "")
    assert all(path.exists() for files in made for path in files)


@pytest.mark.parametrize("failure", [lambda ctx: ctx.exit(1), lambda ctx: 1 / 0])
def test_a_command_that_fails_trims_the_cache_too(failure, tmp_path, monkeypatch):
    monkeypatch.setenv("LAYOUT_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("LAYOUT_CACHE_LIMIT", "0")
    made = old_entries(tmp_path / "cache", 2)
    result = CliRunner().invoke(command_doing(failure), [])
    assert result.exit_code == 1 and result.stderr.startswith("cache: let go 2 entries used longest ago")
    assert not any(path.exists() for files in made for path in files)


def test_a_command_interrupted_leaves_the_cache_as_it_is(tmp_path, monkeypatch):
    monkeypatch.setenv("LAYOUT_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("LAYOUT_CACHE_LIMIT", "0")
    made = old_entries(tmp_path / "cache", 2)

    def interrupted(ctx):
        raise KeyboardInterrupt
    result = CliRunner().invoke(command_doing(interrupted), [])
    assert result.exit_code == 1 and "cache:" not in result.output
    assert all(path.exists() for files in made for path in files)
