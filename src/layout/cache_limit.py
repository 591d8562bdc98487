"""Cache stage: the cache kept under a size, the entries used longest ago let go first.

The cache (`$LAYOUT_CACHE`, or `--cache`) holds photos prepared for their frames
(`images/<key>.jpg` and `.json`), laid-out pages (`pages/<key>.pdf` and `.json`) and what a batch
remembers of each issue (`issues/<key>.json`). Every entry is only a saving: one let go is made
again when it is next needed. But a page with print photos is 2-3 MB, and a night of correction
rounds makes new ones each round, so after each `layout render`, `proof`, `epaper` and `batch` the entries
used longest ago are let go until the cache is under `$LAYOUT_CACHE_LIMIT` (default 20G).

An entry's last use is its record's modification time (`<key>.json`): written when the entry is
made, touched each time it is found (`touch`). The record goes first, so a process that looks
for the entry meanwhile finds none and makes it again. An entry used in the last hour is never
let go: on a cache shared by several desks, another batch may be about to combine that page.
"""
from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

FOLDERS = ("pages", "images", "issues")
RECORD = ".json"
LIMIT_VARIABLE = "LAYOUT_CACHE_LIMIT"
DEFAULT_LIMIT = "20G"
#: seconds: an entry used more recently than this is kept whatever the cache's size
RECENT = 3600
_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([KMGT]?)B?\s*", re.IGNORECASE)
_UNITS = {"": 1, "K": 2**10, "M": 2**20, "G": 2**30, "T": 2**40}
#: the names the cache gives its files: a key (a SHA-256 digest in hex), a dot, a suffix
_ENTRY_NAME = re.compile(r"[0-9a-f]{64}\.")


class LimitProblem(ValueError):
    """`$LAYOUT_CACHE_LIMIT` is not a size."""


@dataclass
class Entry:
    """One cache entry: its files (the record first) and their bytes; its last use is its
    record's modification time, or its newest file's when it has no record (left half-made)."""

    files: list[Path] = field(default_factory=list)
    size: int = 0
    record_time: float | None = None
    newest: float = 0.0

    @property
    def used(self) -> float:
        return self.newest if self.record_time is None else self.record_time


@dataclass
class Trimmed:
    """What `trim` let go, and the cache's size after it."""

    entries: int
    size: int
    left: int

    def summary(self, cache: Path, limit: int) -> str:
        entries = f"{self.entries} {'entry' if self.entries == 1 else 'entries'}"
        return (f"cache: let go {entries} used longest ago ({shown_size(self.size)}) to keep "
                f"{cache} under {shown_size(limit)}; {shown_size(self.left)} left")


def cache_limit(environ=os.environ) -> int:
    """The cache's limit in bytes, from `$LAYOUT_CACHE_LIMIT` (20G, 500M, 1.5T, 80000000)."""
    text = environ.get(LIMIT_VARIABLE, DEFAULT_LIMIT)
    match = _SIZE.fullmatch(text)
    if not match:
        raise LimitProblem(f"{LIMIT_VARIABLE}: expected a size such as 20G or 500M, got {text!r}")
    return int(float(match[1]) * _UNITS[match[2].upper()])


def shown_size(size: int) -> str:
    for unit in ("T", "G", "M", "K"):
        if size >= _UNITS[unit]:
            return f"{size / _UNITS[unit]:.1f} {unit}B"
    return f"{size} B"


def touch(record: Path) -> None:
    """Mark the entry whose record this is as used now (never fails: only the trim's guide)."""
    try:
        os.utime(record)
    except OSError:
        pass


def entries(cache: Path) -> list[Entry]:
    """The cache's entries: its files grouped by key (the name before its first dot)."""
    found: dict[Path, Entry] = {}
    for folder, item, status in _entry_files(cache):
        entry = found.setdefault(cache / folder / item.name.split(".", 1)[0], Entry())
        if item.name.endswith(RECORD):
            entry.files.insert(0, Path(item.path))
            entry.record_time = status.st_mtime
        else:
            entry.files.append(Path(item.path))
        entry.size += status.st_size
        entry.newest = max(entry.newest, status.st_mtime)
    return list(found.values())


def _entry_files(cache: Path):
    """(folder, directory entry, status) of each file of the cache's folders named by a key:
    hidden files (locks, files being written) are left out, and so is any file not named by a
    key (a folder named as the cache by mistake keeps its own `images/`)."""
    for folder in FOLDERS:
        try:
            listing = list(os.scandir(cache / folder))
        except OSError:
            continue
        for item in listing:
            if not _ENTRY_NAME.match(item.name) or not item.is_file(follow_symlinks=False):
                continue
            try:
                yield folder, item, item.stat(follow_symlinks=False)
            except OSError:
                continue


def trim(cache: Path, limit: int, now: float | None = None) -> Trimmed:
    """Let go of the entries used longest ago until the cache is at most `limit` bytes, none
    used in the last `RECENT` seconds."""
    now = time.time() if now is None else now
    total = sum(status.st_size for _, _, status in _entry_files(Path(cache)))
    if total <= limit:                            # the common case, without grouping every file
        return Trimmed(0, 0, total)
    found = entries(Path(cache))
    total = sum(entry.size for entry in found)
    let_go = freed = 0
    for entry in sorted(found, key=lambda entry: entry.used):
        if total <= limit or now - entry.used < RECENT:
            break
        for file in entry.files:                  # the record first: the entry is a miss from then on
            try:
                file.unlink()
            except FileNotFoundError:
                pass
            except OSError:
                break
        else:
            let_go, freed, total = let_go + 1, freed + entry.size, total - entry.size
    return Trimmed(let_go, freed, total)
