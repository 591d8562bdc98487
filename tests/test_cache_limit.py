"""Cache stage (`cache_limit`): the cache kept under `$LAYOUT_CACHE_LIMIT`, the entries used
longest ago let go first, none used in the last hour; a found entry counts as used. (The
commands that trim it: test_cli_cache_limit.py.)"""
from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

import pytest

from layout.cache_limit import LIMIT_VARIABLE, RECENT, LimitProblem, cache_limit, entries, shown_size, trim

from .conftest import photo

NOW = 2_000_000_000.0
HOUR = 3600


def key(name: str) -> str:
    """A key as the cache names its entries: a SHA-256 digest in hex."""
    return hashlib.sha256(name.encode()).hexdigest()


def entry(cache: Path, folder: str, name: str, payload: str | None, size: int, hours_ago: float) -> list[Path]:
    """A cache entry: `<key><payload>` of `size` bytes and its 100-byte record, used `hours_ago`."""
    files = [cache / folder / f"{key(name)}.json"]
    if payload:
        files.append(cache / folder / f"{key(name)}{payload}")
    for file in files:
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_bytes(b"x" * (100 if file.suffix == ".json" else size))
        os.utime(file, (NOW - hours_ago * HOUR,) * 2)
    return files


@pytest.mark.parametrize("text, size", [("20G", 20 * 2**30), ("500M", 500 * 2**20), ("1.5g", 3 * 2**29),
                                        ("64 KB", 64 * 2**10), ("80000000", 80_000_000), ("0", 0)])
def test_the_limit_is_a_size_in_bytes(text, size):
    assert cache_limit({LIMIT_VARIABLE: text}) == size


def test_the_limit_is_20_gib_unless_set():
    assert cache_limit({}) == 20 * 2**30


@pytest.mark.parametrize("text", ["lots", "-5G", "20 GiB", "G", ""])
def test_a_limit_that_is_not_a_size_is_refused_with_the_variable_named(text):
    with pytest.raises(LimitProblem) as refused:
        cache_limit({LIMIT_VARIABLE: text})
    assert str(refused.value) == f"LAYOUT_CACHE_LIMIT: expected a size such as 20G or 500M, got {text!r}"


def test_entries_are_grouped_by_key_with_their_record_first_and_hidden_files_left_out(tmp_path):
    page = entry(tmp_path, "pages", "aa", ".pdf", 1000, 5)
    photo = entry(tmp_path, "images", "bb", ".jpg", 2000, 3)
    memo = entry(tmp_path, "issues", "cc", None, 0, 1)
    (tmp_path / "images" / ".bb.lock").write_bytes(b"lock")
    (tmp_path / "pages" / ".aa.pdf.x.part").write_bytes(b"half")
    (tmp_path / "inspections.json").write_text("{}")
    found = sorted(entries(tmp_path), key=lambda e: e.files[0])
    assert [(e.files, e.size, e.used) for e in found] == [
        (photo, 2100, NOW - 3 * HOUR), (memo, 100, NOW - HOUR), (page, 1100, NOW - 5 * HOUR)]


def test_an_entry_is_as_recent_as_its_record_and_one_without_a_record_as_its_newest_file(tmp_path):
    files = entry(tmp_path, "pages", "aa", ".pdf", 1000, 5)
    os.utime(files[1], (NOW,) * 2)                       # the PDF rewritten, its record not: not a use
    orphan = tmp_path / "pages" / f"{key('dd')}.pdf"
    orphan.write_bytes(b"y" * 10)
    os.utime(orphan, (NOW - 2 * HOUR,) * 2)
    used = {e.files[0].name: e.used for e in entries(tmp_path)}
    assert used == {f"{key('aa')}.json": NOW - 5 * HOUR, f"{key('dd')}.pdf": NOW - 2 * HOUR}


def test_the_entries_used_longest_ago_go_first_until_the_cache_is_under_its_limit(tmp_path):
    oldest = entry(tmp_path, "pages", "p1", ".pdf", 900, 30)
    older = entry(tmp_path, "images", "i1", ".jpg", 900, 20)
    old = entry(tmp_path, "issues", "m1", None, 0, 10)
    newer = entry(tmp_path, "pages", "p2", ".pdf", 900, 2)
    # 1000 + 1000 + 100 + 1000 bytes: under 1500 once the two used longest ago are gone
    trimmed = trim(tmp_path, 1500, now=NOW)
    assert (trimmed.entries, trimmed.size, trimmed.left) == (2, 2000, 1100)
    assert not any(f.exists() for f in oldest + older) and all(f.exists() for f in old + newer)


def test_nothing_goes_while_the_cache_is_under_its_limit(tmp_path):
    files = entry(tmp_path, "pages", "p1", ".pdf", 900, 300) + entry(tmp_path, "images", "i1", ".jpg", 900, 300)
    (tmp_path / "images" / ".i2.jpg.tmp").write_bytes(b"h" * 5000)   # being written: not counted
    (tmp_path / "proofs").mkdir()
    (tmp_path / "proofs" / "x.json").write_bytes(b"p" * 5000)         # proofs: not the cache's to trim
    trimmed = trim(tmp_path, 2000, now=NOW)
    assert (trimmed.entries, trimmed.size, trimmed.left) == (0, 0, 2000) and all(f.exists() for f in files)


def test_an_entry_used_in_the_last_hour_stays_over_the_limit(tmp_path):
    old = entry(tmp_path, "pages", "p1", ".pdf", 900, 2)
    recent = entry(tmp_path, "pages", "p2", ".pdf", 900, RECENT / HOUR * 0.9)
    trimmed = trim(tmp_path, 0, now=NOW)
    assert (trimmed.entries, trimmed.left) == (1, 1000)
    assert not any(f.exists() for f in old) and all(f.exists() for f in recent)


def test_a_limit_of_zero_lets_everything_go_but_the_last_hour(tmp_path):
    for n in range(5):
        entry(tmp_path, "images", f"i{n}", ".jpg", 10, 2 + n)
    assert trim(tmp_path, 0, now=NOW).entries == 5 and entries(tmp_path) == []


def test_an_entry_found_counts_as_used_now(tmp_path):
    from layout.pagerender.cache import PageCache
    cache = PageCache(tmp_path / "pages")
    cache.put(key("k1"), b"%PDF-1.7", bookmarks=[], anchors=[], findings=[])
    cache.put(key("k2"), b"%PDF-1.7", bookmarks=[], anchors=[], findings=[])
    for record in (tmp_path / "pages").glob("*.json"):
        os.utime(record, (time.time() - 5 * HOUR,) * 2)
    assert cache.get(key("k2")) is not None
    trimmed = trim(tmp_path, 20)
    assert trimmed.entries == 1 and sorted(p.name for p in (tmp_path / "pages").iterdir()) == [f"{key('k2')}.json", f"{key('k2')}.pdf"]


def test_a_prepared_photo_found_counts_as_used_now(tmp_path):
    from layout.images import prepare_image
    photo_file = photo(tmp_path / "photo.jpg")
    prepared = prepare_image(photo_file, placed_width=100, placed_height=80, cache_dir=tmp_path / "images")
    record = prepared.path.with_suffix(".json")
    os.utime(record, (time.time() - 5 * HOUR,) * 2)
    again = prepare_image(photo_file, placed_width=100, placed_height=80, cache_dir=tmp_path / "images")
    assert again.path == prepared.path and time.time() - record.stat().st_mtime < 60


def test_an_issue_remembered_and_recalled_counts_as_used_now(tmp_path):
    from layout import batch_memo
    batch_memo.remember(tmp_path, "inputs", "issue-key", 2, [])
    memo = tmp_path / "issues" / "inputs.json"
    os.utime(memo, (time.time() - 5 * HOUR,) * 2)
    assert batch_memo.recall(tmp_path, "inputs")["key"] == "issue-key"
    assert time.time() - memo.stat().st_mtime < 60


def test_sizes_are_shown_in_binary_units():
    assert [shown_size(n) for n in (512, 2048, 5 * 2**20 + 2**19, 20 * 2**30)] == ["512 B", "2.0 KB", "5.5 MB",
                                                                                    "20.0 GB"]


def test_a_size_of_exactly_one_unit_is_shown_in_that_unit():
    sizes = (1023, 2**10, 2**20 - 1, 2**20, 2**30, 2**40)
    assert [shown_size(n) for n in sizes] == ["1023 B", "1.0 KB", "1024.0 KB", "1.0 MB", "1.0 GB", "1.0 TB"]


def test_what_was_let_go_is_said_in_one_line(tmp_path):
    from layout.cache_limit import Trimmed
    assert Trimmed(1, 3 * 2**20, 19 * 2**30).summary(tmp_path, 20 * 2**30) == (
        f"cache: let go 1 entry used longest ago (3.0 MB) to keep {tmp_path} under 20.0 GB; 19.0 GB left")


def test_several_entries_let_go_are_counted_in_the_plural(tmp_path):
    from layout.cache_limit import Trimmed
    assert Trimmed(3, 900 * 2**10, 0).summary(tmp_path, 2**20) == (
        f"cache: let go 3 entries used longest ago (900.0 KB) to keep {tmp_path} under 1.0 MB; 0 B left")


def test_an_entry_used_exactly_an_hour_ago_may_go(tmp_path):
    hour_old = entry(tmp_path, "pages", "p1", ".pdf", 900, RECENT / HOUR)
    trimmed = trim(tmp_path, 0, now=NOW)
    assert (trimmed.entries, trimmed.size, trimmed.left) == (1, 1000, 0) and not any(f.exists() for f in hour_old)


def test_a_link_in_the_cache_is_no_entry_and_what_it_points_to_is_kept(tmp_path):
    cache, outside = tmp_path / "cache", tmp_path / "proof.pdf"
    outside.write_bytes(b"%PDF" * 1000)
    kept = entry(cache, "pages", "p1", ".pdf", 900, 2)
    link = cache / "pages" / f"{key('p2')}.pdf"
    link.symlink_to(outside)
    os.utime(link, (NOW - 5 * HOUR,) * 2, follow_symlinks=False)
    assert [e.files for e in entries(cache)] == [kept]
    assert trim(cache, 0, now=NOW).entries == 1
    assert link.is_symlink() and outside.read_bytes() == b"%PDF" * 1000 and not any(f.exists() for f in kept)


def test_a_file_gone_while_the_folder_is_listed_is_passed_over(tmp_path, monkeypatch):
    from layout import cache_limit
    for n in range(4):
        entry(tmp_path, "images", f"i{n}", ".jpg", 900, 2)
    listed, real = [], os.scandir

    def scandir(path):                   # another process lets go of the first file listed meanwhile
        items = list(real(path))
        os.unlink(items[0].path)
        listed.append(items[0].name)
        return iter(items)
    monkeypatch.setattr(cache_limit.os, "scandir", scandir)
    found = sorted(str(f.relative_to(tmp_path)) for e in entries(tmp_path) for f in e.files)
    every = sorted(f"images/{key(f'i{n}')}{suffix}" for n in range(4) for suffix in (".json", ".jpg"))
    assert listed and found == [name for name in every if name != f"images/{listed[0]}"]


def test_an_entry_that_cannot_be_let_go_is_kept_counted_and_the_next_goes(tmp_path, monkeypatch):
    stuck = entry(tmp_path, "pages", "p1", ".pdf", 900, 30)
    freed = entry(tmp_path, "pages", "p2", ".pdf", 900, 20)
    real = Path.unlink

    def unlink(path, missing_ok=False):
        if path.name == f"{key('p1')}.pdf":
            raise PermissionError(13, "Permission denied", str(path))
        real(path, missing_ok)
    monkeypatch.setattr(Path, "unlink", unlink)
    trimmed = trim(tmp_path, 0, now=NOW)
    assert (trimmed.entries, trimmed.size, trimmed.left) == (1, 1000, 1000)
    assert [f.exists() for f in stuck] == [False, True] and not any(f.exists() for f in freed)


def test_only_files_named_by_a_key_are_entries_so_a_folder_given_by_mistake_keeps_its_own(tmp_path):
    """`--cache` or $LAYOUT_CACHE naming an issue folder or a shared folder by mistake: its own
    `images/` (an issue's photos), `pages/` and `issues/` are not the cache's to let go."""
    cache_entry = entry(tmp_path, "images", "i1", ".jpg", 900, 30)
    own = [tmp_path / "images" / "photo-01.jpg", tmp_path / "images" / "封面.JPG", tmp_path / "pages" / "notes.txt",
           tmp_path / "issues" / "2026-changzhi-lianghui.yaml", tmp_path / "images" / f"{key('i2')[:63]}.jpg",
           tmp_path / "images" / f"{key('i3').upper()}.jpg", tmp_path / "images" / key("i4")]
    for path in own:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x" * 1000)
        os.utime(path, (NOW - 30 * HOUR,) * 2)
    assert [e.files for e in entries(tmp_path)] == [cache_entry]
    assert trim(tmp_path, 0, now=NOW).entries == 1
    assert all(path.exists() for path in own) and not any(path.exists() for path in cache_entry)


def test_a_cache_exactly_at_its_limit_once_the_oldest_is_gone_keeps_the_rest(tmp_path):
    oldest = entry(tmp_path, "pages", "p1", ".pdf", 900, 30)
    kept = entry(tmp_path, "pages", "p2", ".pdf", 900, 20)
    trimmed = trim(tmp_path, 1000, now=NOW)                  # 2000 bytes; 1000 once p1 is gone
    assert (trimmed.entries, trimmed.left) == (1, 1000)
    assert not any(f.exists() for f in oldest) and all(f.exists() for f in kept)
