"""`layout serve`'s proof book: pages rendered on demand, bounded caches, files it will not open."""
from __future__ import annotations

import io
import os
import threading
from pathlib import Path

import pytest
from PIL import Image

import layout.theme
from layout.pagerender import RenderPool
from layout.serve import ProofBook
from layout.serve.cache import BoundedCache
from layout.serve.proofs import EAGER_PAGES

from .conftest import MINIMAL


def short_pages(count: int) -> str:
    lines = ["paper: 示例日报", "title: 测试特刊", "date: 2026-02-10", "pages:"]
    for number in range(1, count + 1):
        lines += [f"  - section: 第{number}版", "    stories:", f"      - headline: 第{number}版标题",
                  "        body: |", f"          第{number}版正文第一段。", "", "          第二段正文。"]
    return "\n".join(lines) + "\n"


def rebuilt(book: ProofBook, seconds: float = 120):
    """book.rebuild() in a thread that must end within `seconds` (a FIFO it opened would hang it)."""
    result = []
    thread = threading.Thread(target=lambda: result.append(book.rebuild()), daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        for path in book.folder.rglob("*"):          # let a reader stuck on a FIFO go
            try:
                os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
            except OSError:
                pass
        pytest.fail(f"rebuild still running after {seconds} s")
    return result[0]


def test_pages_are_rendered_when_asked_for_and_an_edit_renders_only_what_changed(write_issue, tmp_path, caplog):
    folder = write_issue(short_pages(EAGER_PAGES + 1))
    book = ProofBook(folder, RenderPool(1), cache_dir=tmp_path / "cache")
    build = rebuilt(book)
    per_page = len(book.pages[0].keys)          # base, frame, 8 body columns
    assert (per_page, build.layers, build.pages_changed) == (10, 30, [1, 2, 3])
    assert build.rendered_layers == EAGER_PAGES * per_page          # the first pages only
    assert len(book.layers) == 20 and len(book.pngs) == 2
    png = book.png(3)                                              # asked for: rendered now
    assert len(book.layers) == 30 and len(book.pngs) == 3
    image = Image.open(io.BytesIO(png))
    assert [image.size, image.mode] == [(1106, 1560), "RGB"] == [tuple(book.state()["pages"][2]["size"]), "RGB"]
    assert image.getextrema() != ((255, 255),) * 3                 # something is printed on it
    assert len(png) < 1106 * 1560 * 3 // 20                        # compressed (level 0: 5.2 MB)
    assert book.png(3) is png and book.png(4) is None

    yaml = folder / "issue.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("第3版标题", "第3版新标题"), encoding="utf-8")
    build = rebuilt(book)
    assert (build.pages_changed, build.rendered_layers) == ([3], 1)     # the headline's frame, at once
    assert book.pngs.get(book.pages[2].keys) is not None and book.png(3) != png
    assert [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")] == []


def test_the_caches_keep_the_most_recently_used_within_their_budget():
    cache = BoundedCache(100)
    for key in "abc":
        cache.put(key, key * 40, 40)
    assert (cache.get("a"), cache.get("b"), cache.used) == (None, "b" * 40, 80)
    cache.put("d", "d" * 40, 40)                 # "c" is now the least recently used
    assert [key for key in "abcd" if key in cache] == ["b", "d"]
    cache.put("huge", "x" * 101, 101)            # larger than the whole budget: not kept
    assert (len(cache), cache.used) == (0, 0)


@pytest.mark.parametrize("place, make, kind", [
    ("issue.yaml", os.mkfifo, "a FIFO"),
    ("issue.yaml", lambda path: path.symlink_to("/dev/zero"), "a character device"),
    ("images/photo.jpg", os.mkfifo, "a FIFO"),
])
def test_a_file_that_is_not_regular_is_an_error_not_a_hang(write_issue, tmp_path, place, make, kind):
    folder = write_issue(MINIMAL)
    book = ProofBook(folder, RenderPool(1), cache_dir=tmp_path / "cache")
    assert rebuilt(book).pages_changed == [1] and book.errors == []
    good = book.png(1)
    path = folder / place
    path.parent.mkdir(exist_ok=True)
    path.unlink(missing_ok=True)
    make(path)
    rebuilt(book, 20)
    assert book.errors == [f"x/{place}: {kind}, not a regular file; serve does not read it"]
    assert [page.number for page in book.pages] == [1] and book.png(1) == good     # the last good proofs stay


def test_a_fifo_in_the_fonts_folder_is_an_error_not_a_hang(write_issue, tmp_path, monkeypatch):
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    os.mkfifo(fonts / "x.ttf")
    monkeypatch.setattr(layout.theme, "FONTS_DIR", fonts)
    book = ProofBook(write_issue(MINIMAL), RenderPool(1), cache_dir=tmp_path / "cache")
    rebuilt(book, 20)
    assert book.errors == ["fonts/x.ttf: a FIFO, not a regular file; serve does not read it"]
    assert book.pages == [] and book.png(1) is None
    assert Path(tmp_path / "cache").exists() is False               # nothing read, nothing prepared
