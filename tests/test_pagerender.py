"""Page render stage: pages as their own documents, cached by key, combined into one PDF."""
from __future__ import annotations

import shutil
from pathlib import Path

import pdfplumber
import pikepdf
import pytest

from layout.pagerender import RenderPool, compose_issue, write_issue
from layout.pipeline import render_to_files

from .conftest import SAMPLE


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("cache")


@pytest.fixture
def issue(tmp_path) -> Path:
    folder = tmp_path / "2026-changzhi-lianghui"
    shutil.copytree(SAMPLE, folder)
    return folder


def page_texts(pdf: Path) -> list[str]:
    with pdfplumber.open(pdf) as document:
        return [page.extract_text() for page in document.pages]


def test_pages_rendered_apart_read_like_the_whole_issue(issue, tmp_path, cache_dir):
    whole, _ = render_to_files(issue, tmp_path / "whole")
    with RenderPool(2) as pool:
        result = write_issue(issue, tmp_path / "paged", pool=pool, cache_dir=cache_dir)
    paged = tmp_path / "paged" / f"{issue.name}.pdf"
    assert result.page_count == 2 and result.written == [paged]
    assert page_texts(paged) == page_texts(tmp_path / "whole" / f"{issue.name}.pdf")
    with pikepdf.open(paged) as pdf:
        assert str(pdf.docinfo["/Title"]) == "示例日报 · 2026长治两会特刊·平顺篇"
        assert [str(n) for n in pdf.Root.Names.Dests.Names[::2]] == ["page-1", "page-2"]
        with pdf.open_outline() as outline:
            assert [item.title for item in outline.root] == ["2026长治两会"]
    assert not list((tmp_path / "paged").glob(".*"))


def test_each_page_document_carries_its_own_folio(issue, cache_dir):
    composed = compose_issue(issue, cache_dir)
    assert [job.number for job in composed.jobs] == [1, 2]
    assert 'data-folio="第2版"' in composed.jobs[1].html and "第1版" not in composed.jobs[1].html
    assert composed.jobs[0].key != composed.jobs[1].key


def test_only_the_edited_page_is_rendered_again(issue, tmp_path, cache_dir):
    write_issue(issue, tmp_path / "out", cache_dir=cache_dir)
    again = write_issue(issue, tmp_path / "out", cache_dir=cache_dir)
    assert again.rendered_pages == 0
    source = (issue / "issue.yaml").read_text(encoding="utf-8")
    (issue / "issue.yaml").write_text(source.replace("下绣花功夫 群策群力优机制", "改过的标题 群策群力"),
                                      encoding="utf-8")
    edited = write_issue(issue, tmp_path / "out", cache_dir=cache_dir)
    assert edited.rendered_pages == 1
    texts = page_texts(tmp_path / "out" / f"{issue.name}.pdf")
    assert "改过的标题" in texts[1] and "改过的标题" not in texts[0]


def test_pages_of_one_chunk_share_their_fonts(issue, tmp_path, cache_dir):
    write_issue(issue, tmp_path / "one", cache_dir=tmp_path / "fresh")   # one worker: one chunk
    with pikepdf.open(tmp_path / "one" / f"{issue.name}.pdf") as pdf:
        fonts = [{font.objgen for font in page.Resources.Font.values()} for page in pdf.pages]
    assert fonts[0] & fonts[1]


def test_a_files_hash_is_remembered_for_its_hard_links_and_forgotten_when_it_changes(tmp_path, monkeypatch):
    """Page keys hash every file a page names: a hard link to a file already hashed (a batch
    worker's store holds every issue's copy of a photo as a link to one blob) is not read
    again; a file rewritten is."""
    import hashlib

    from layout.pagerender import keys
    hashed = []
    real = keys.sha256_of
    monkeypatch.setattr(keys, "sha256_of", lambda path: hashed.append(Path(path).name) or real(path))
    photo = tmp_path / "a.jpg"
    photo.write_bytes(b"one photo")
    (tmp_path / "b.jpg").hardlink_to(photo)
    assert keys.file_digest(photo) == keys.file_digest(tmp_path / "b.jpg") == hashlib.sha256(b"one photo").hexdigest()
    photo.write_bytes(b"another photo")
    assert keys.file_digest(tmp_path / "b.jpg") == hashlib.sha256(b"another photo").hexdigest()
    assert hashed == ["a.jpg", "b.jpg"] and keys.file_digest(tmp_path / "missing.jpg") == "missing"


def test_a_photo_prepared_once_serves_its_hard_links_and_a_changed_photo_is_prepared_again(tmp_path, monkeypatch):
    """Each issue of a batch names its own copy of a shared photo: in a worker's store they are
    hard links to one file, prepared once for a frame; the same photo saved again is not."""
    from PIL import Image

    from layout.pagerender import compose
    made = []
    real = compose.prepare_image
    monkeypatch.setattr(compose, "prepare_image", lambda path, **options: made.append(path.name) or real(path, **options))
    photo = tmp_path / "a.jpg"
    Image.new("RGB", (400, 300), (200, 30, 30)).save(photo, quality=90)
    (tmp_path / "b.jpg").hardlink_to(photo)
    urls = [compose._prepared_url(path, 100.0, 75.0, 300, tmp_path / "cache") for path in (photo, tmp_path / "b.jpg")]
    assert urls[0] == urls[1] and urls[0].startswith((tmp_path / "cache").as_uri()) and made == ["a.jpg"]
    Image.new("RGB", (400, 300), (30, 30, 200)).save(photo, quality=80)
    assert compose._prepared_url(tmp_path / "b.jpg", 100.0, 75.0, 300, tmp_path / "cache") != urls[0]
    assert made == ["a.jpg", "b.jpg"]
