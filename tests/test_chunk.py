"""Page render stage, worker side (`pagerender.chunk`), on tiny pages rendered directly: each page
laid out as its own document, the chunk written as one PDF and split into one-page PDFs in the
page cache with their bookmarks, anchors and WeasyPrint's warnings. (A few hundredths of a second
a chunk: these are the tests `scripts/mutation chunk` runs; test_fetcher.py has the refusals of
files outside the allowed folders, test_pagerender.py the sample issue.)"""
from __future__ import annotations

import io
import shutil
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
from PIL import Image

from layout.errors import Severity
from layout.pagerender import chunk
from layout.pagerender.cache import PageCache
from layout.pagerender.chunk import PageJob, anchors_of, bookmarks_of, layout_page, render_chunk, split_pages

#: 200 x 100 CSS px = 150 x 75 pt
PAGE_CSS = "@page { size: 200px 100px; margin: 0 } body { margin: 0; font-size: 12px }"


def page(body: str, *, title: str = "特刊", style: str = "") -> str:
    return (f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title>'
            f"<style>{PAGE_CSS} {style}</style></head><body>{body}</body></html>")


@pytest.fixture
def issue(tmp_path) -> Path:
    """An issue folder with one small photo, and a photo beside it, outside."""
    folder = tmp_path / "issue"
    folder.mkdir()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(folder / "photo.png")
    Image.new("RGB", (8, 8), (30, 30, 200)).save(tmp_path / "outside.png")
    return folder


def job(issue: Path, number: int, html: str, **options) -> PageJob:
    return PageJob(f"key-{number}", number, html, f"x.html#page-{number}", issue, [issue], options)


def texts(pdf: Path) -> list[str]:
    with pdfplumber.open(pdf) as document:
        return [p.extract_text() for p in document.pages]


def font_files(pdf: Path) -> list[bytes]:
    """The embedded font programs of every page, in order."""
    with pikepdf.open(pdf) as document:
        return [bytes(font.DescendantFonts[0].FontDescriptor.FontFile2.read_bytes())
                if "/DescendantFonts" in font else bytes(font.FontDescriptor.FontFile2.read_bytes())
                for p in document.pages for font in p.Resources.Font.values()]


def two_jobs(issue: Path, **options) -> list[PageJob]:
    """Page 1: a photo and one line; page 2 (its own document) runs to two pages."""
    first = page('<img src="photo.png" style="width: 16px"><p>first page</p>')
    second = page('<p>second page</p><p style="break-before: page">third page</p>')
    return [job(issue, 1, first, **options), job(issue, 2, second, **options)]


def test_each_job_of_a_chunk_becomes_a_one_page_pdf_of_its_own_in_the_cache(issue, tmp_path):
    entries = render_chunk(two_jobs(issue), tmp_path / "pages")
    assert [e.key for e in entries] == ["key-1", "key-2"]
    assert [e.pdf for e in entries] == [tmp_path / "pages" / "key-1.pdf", tmp_path / "pages" / "key-2.pdf"]
    assert texts(entries[0].pdf) == ["first page"]
    assert texts(entries[1].pdf) == ["second page", "third page"]
    for entry in entries:
        with pikepdf.open(entry.pdf) as pdf:
            assert {tuple(float(v) for v in p.MediaBox) for p in pdf.pages} == {(0, 0, 150, 75)}
            assert str(pdf.Root.Lang) == "zh-CN"
            assert str(pdf.docinfo["/Title"]) == "特刊"
            assert str(pdf.docinfo["/Producer"]).startswith("WeasyPrint")
        cached = PageCache(tmp_path / "pages").get(entry.key)
        assert (cached.pdf, cached.bookmarks, cached.anchors, cached.findings) == \
            (entry.pdf, entry.bookmarks, entry.anchors, entry.findings)


def test_a_page_keeps_only_the_resources_it_draws(issue, tmp_path):
    """WeasyPrint gives every page of the chunk one resource dictionary: the photo of page 1
    is not carried into page 2's PDF."""
    first, second = render_chunk(two_jobs(issue), tmp_path / "pages")
    with pikepdf.open(first.pdf) as pdf:
        assert len(pdf.pages[0].get_images()) == 1
    with pikepdf.open(second.pdf) as pdf:
        assert [len(p.get_images()) for p in pdf.pages] == [0, 0]
        assert all("/XObject" not in p.Resources or not p.Resources.XObject.keys() for p in pdf.pages)


def test_the_pages_of_a_chunk_share_one_font_subset(issue, tmp_path):
    """One font configuration and one PDF per chunk: the font is subset once, for every page's
    characters, so each one-page PDF embeds the same font program."""
    entries = render_chunk(two_jobs(issue), tmp_path / "pages")
    programs = [font_files(e.pdf) for e in entries]
    assert len(programs[0]) == 1 and programs[1] == programs[0] * 2


#: a face of fonts-noto-core (scripts/setup installs it): the issue's own font, by @font-face
FACE = Path("/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf")
FACE_CSS = "@font-face { font-family: Face; src: url(face.ttf) } body { font-family: Face }"


@pytest.fixture
def fetched(monkeypatch) -> list[str]:
    """The file names the page renderer's fetchers are asked for, in order."""
    names, real = [], chunk.restricted_fetcher

    def counting(roots):
        fetcher = real(roots)
        fetch = fetcher.fetch

        def counted(url, headers=None):
            names.append(url.rsplit("/", 1)[-1])
            return fetch(url, headers)
        fetcher.fetch = counted
        return fetcher
    monkeypatch.setattr(chunk, "restricted_fetcher", counting)
    return names


def test_a_chunk_reads_an_issue_font_once_not_once_a_page(issue, tmp_path, fetched):
    """One font configuration for the whole chunk: a face named by @font-face (a CJK face is
    10-20 MB) is fetched and installed for the first page and found there by the others."""
    shutil.copy(FACE, issue / "face.ttf")
    jobs = [job(issue, n, page(f"<p>page {n}</p>", style=FACE_CSS)) for n in (1, 2, 3)]
    entries = render_chunk(jobs, tmp_path / "pages")
    assert fetched == ["face.ttf"]
    assert [texts(e.pdf) for e in entries] == [["page 1"], ["page 2"], ["page 3"]]
    with pikepdf.open(entries[2].pdf) as pdf:
        assert [str(f.BaseFont).split("+")[1] for f in pdf.pages[0].Resources.Font.values()] == ["Face"]


def test_a_page_is_laid_out_with_the_font_configuration_it_is_given(issue, fetched):
    from weasyprint.text.fonts import FontConfiguration
    shutil.copy(FACE, issue / "face.ttf")
    config = FontConfiguration()
    for n in (1, 2):
        _document, findings = layout_page(job(issue, n, page("<p>x</p>", style=FACE_CSS)), config)
        assert findings == []
    assert fetched == ["face.ttf"]


def test_the_write_options_reach_the_pdf(issue, tmp_path):
    """The first job's options are the chunk's: PDF/X-4 gives every page its XMP metadata."""
    entries = render_chunk(two_jobs(issue, pdf_variant="pdf/x-4"), tmp_path / "pages")
    for entry in entries:
        with pikepdf.open(entry.pdf) as pdf:
            assert b"pdfx:GTS_PDFXVersion" in pdf.Root.Metadata.read_bytes()
            assert pdf.Root.Metadata.is_indirect
            assert str(pdf.docinfo["/Trapped"]) == "/False"
            assert sorted(str(k) for k in pdf.Root.keys()) == ["/Lang", "/Metadata", "/Pages", "/Type"]
    plain = render_chunk(two_jobs(issue), tmp_path / "plain")
    with pikepdf.open(plain[0].pdf) as pdf:
        assert "/Metadata" not in pdf.Root and "/Trapped" not in pdf.docinfo


def test_the_chunk_pdf_carries_the_first_pages_document_information(issue, tmp_path):
    """Pages of one chunk come from one issue; its first page's title is the chunk's."""
    jobs = [job(issue, 1, page("<p>one</p>", title="甲")), job(issue, 2, page("<p>two</p>", title="乙"))]
    entries = render_chunk(jobs, tmp_path / "pages")
    for entry in entries:
        with pikepdf.open(entry.pdf) as pdf:
            assert str(pdf.docinfo["/Title"]) == "甲"


HEADINGS = """<h1 style="position: absolute; left: 20px; top: 8px; margin: 0; font-size: 10px">要闻</h1><p style="margin: 0">p</p>
<div style="break-before: page; position: relative; height: 100px">
<h2 id="story" style="position: absolute; left: 40px; top: 60px; margin: 0; font-size: 10px">标题</h2></div>"""


def test_bookmarks_and_anchors_are_in_pdf_points_from_the_page_foot(issue, tmp_path):
    """Each page's index within its job, the heading level and label, x and y in points with
    y measured up from the foot of the 75 pt page."""
    entry, = render_chunk([job(issue, 1, page(HEADINGS))], tmp_path / "pages")
    assert entry.bookmarks == [[0, 1, "要闻", 15.0, 69.0], [1, 2, "标题", 30.0, 30.0]]
    assert entry.anchors == [[1, "story", 30.0, 30.0]]


def test_bookmarks_and_anchors_of_a_laid_out_document(issue):
    from weasyprint.text.fonts import FontConfiguration
    document, findings = layout_page(job(issue, 1, page(HEADINGS)), FontConfiguration())
    assert findings == []
    assert bookmarks_of(document) == [[0, 1, "要闻", 15.0, 69.0], [1, 2, "标题", 30.0, 30.0]]
    assert anchors_of(document) == [[1, "story", 30.0, 30.0]]


def test_a_pages_warnings_are_its_own_and_the_writers_go_with_the_first_page(issue, tmp_path):
    """A warning WeasyPrint gives laying out a page is that page's, labelled with it; one it
    gives writing the chunk's PDF is reported once, with the first page."""
    jobs = [job(issue, 1, page("<p>one</p>"), bogus_option=1),
            job(issue, 2, page("<p>two</p>", style="p { colr: red }"))]
    first, second = render_chunk(jobs, tmp_path / "pages")
    assert [(str(f), f.severity, f.kind) for f in first.findings] == [
        ("x.html#page-1: WeasyPrint: Unknown PDF option: bogus_option.", Severity.WARNING, "render")]
    assert [(str(f), f.severity, f.kind) for f in second.findings] == [
        ("x.html#page-2: WeasyPrint: Ignored `colr: red ` at 1:80, unknown property.", Severity.WARNING, "render")]
    assert PageCache(tmp_path / "pages").get("key-2").findings == second.findings


def test_a_refused_file_is_a_located_finding_of_its_page(issue, tmp_path):
    """The photo inside the issue folder is drawn; the one beside it is refused, by name."""
    from weasyprint.text.fonts import FontConfiguration
    outside = (tmp_path / "outside.png").as_uri()
    html = page('<img src="photo.png"><img src="../outside.png">')
    document, findings = layout_page(job(issue, 4, html), FontConfiguration())
    assert len(document.pages) == 1
    assert [(str(f), f.severity, f.kind) for f in findings] == [
        (f"x.html#page-4: WeasyPrint: Failed to load image at '{outside}': ValueError: refused "
         f"'{outside}': outside the issue folder, templates and fonts", Severity.WARNING, "render"),
        (f"x.html#page-4: refused to load '{outside}': rendering reads only the issue folder, "
         "the templates and the fonts", Severity.ERROR, "render")]
    entry, = render_chunk([job(issue, 4, html)], tmp_path / "pages")
    assert [f.message for f in entry.findings] == [f.message for f in findings]


def test_relative_addresses_are_read_from_the_base_folder(issue, tmp_path):
    """base_url is the folder itself (with its slash): `photo.png` is issue/photo.png."""
    from weasyprint.text.fonts import FontConfiguration
    document, findings = layout_page(job(issue, 1, page('<img src="photo.png">')), FontConfiguration())
    assert findings == []
    images = [box for box in _boxes(document.pages[0]._page_box) if type(box).__name__ == "InlineReplacedBox"]
    assert len(images) == 1


def test_a_banner_cut_off_is_a_warning_of_the_page(issue, tmp_path):
    banner = ('<div class="page" data-page="3" style="--pitch: 10pt"><div class="banner" style="height: 20px">'
              '<div class="banner-title" style="font-size: 30px; line-height: 40px">通栏</div></div></div>')
    entry, = render_chunk([job(issue, 3, page(banner))], tmp_path / "pages")
    assert [(f.key, f.severity, f.kind) for f in entry.findings] == [("pages[2].banner", Severity.WARNING, "layout")]
    assert entry.findings[0].message.startswith("the banner's title need 30.0 pt, but the theme's banner is 15.0 pt")


def test_split_pages_takes_the_pages_asked_for(issue, tmp_path):
    import weasyprint
    html = page("".join(f'<p style="break-before: page">page {n}</p>' for n in range(1, 5)))
    data = weasyprint.HTML(string=html).write_pdf()
    for start, count, expected in ((0, 1, ["page 1"]), (1, 2, ["page 2", "page 3"]), (3, 1, ["page 4"])):
        part = tmp_path / f"part-{start}.pdf"
        part.write_bytes(split_pages(data, start, count))
        assert texts(part) == expected
        with pikepdf.open(io.BytesIO(part.read_bytes())) as pdf:
            assert str(pdf.Root.Lang) == "zh-CN" and str(pdf.docinfo["/Title"]) == "特刊"


def _boxes(box):
    yield box
    for child in getattr(box, "children", []):
        yield from _boxes(child)


@pytest.mark.parametrize("options, key", [({"pdf_tags": True}, "/MarkInfo"),
                                          ({"pdf_variant": "pdf/ua-1"}, "/MarkInfo"),
                                          ({"pdf_variant": "pdf/a-3b"}, "/OutputIntents")])
def test_a_chunk_written_with_direct_catalog_entries_splits_into_pages_that_keep_them(issue, tmp_path,
                                                                                      options, key):
    """Tagged and PDF/A chunks put `/MarkInfo`, `/ViewerPreferences` and `/OutputIntents` in the
    catalog as direct objects, which pikepdf's copy_foreign refused (ForeignObjectError) when a
    chunk was split into one-page PDFs; the split copies them now (found by the fifth mutation
    round, fixed with the print path's PDF/X output intents)."""
    entries = render_chunk(two_jobs(issue, **options), tmp_path / "pages")
    assert len(entries) == 2
    for entry in entries:
        with pikepdf.open(entry.pdf) as pdf:
            assert key in pdf.Root, (entry.pdf, key)
