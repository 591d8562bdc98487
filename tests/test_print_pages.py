"""`render --print` through the page pipeline: the sample's print PDF laid out in two chunks (two
worker processes, an empty page cache) has one subset of each font, the text and the pixels of
the same PDF laid out in one chunk (one WeasyPrint document, as the whole-issue render was), and
the PDF/X-4 keys; its pages are cached apart from the screen pages."""
from __future__ import annotations

import pikepdf
import pytest

from layout.pagerender import subsets
from layout.pipeline import render_to_files

from .conftest import SAMPLE


def render_print(tmp_path, monkeypatch, name: str, jobs: int):
    cache = tmp_path / f"cache-{name}"
    monkeypatch.setattr("layout.pipeline.CACHE_DIR", cache)
    rendered, written = render_to_files(SAMPLE, tmp_path / name, press=True, jobs=jobs)
    assert [str(f) for f in rendered.findings if f.kind == "render"] == []
    return written[-1], cache / "pages"


def programs_by_font(pdf) -> dict[str, set]:
    """/BaseFont -> the distinct font dictionaries and the distinct embedded programs."""
    found: dict[str, set] = {}
    for page in pdf.pages:
        for font in page.Resources.Font.values():
            descriptor = font.DescendantFonts[0].FontDescriptor
            program = next(descriptor[k] for k in ("/FontFile2", "/FontFile3") if k in descriptor)
            found.setdefault(str(font.BaseFont), set()).update({("font", font.objgen), ("program", program.objgen)})
    return found


def page_texts(path) -> list[str]:
    import pdfplumber
    with pdfplumber.open(path) as document:
        return [page.extract_text() for page in document.pages]


def page_pixels(path, dpi: int = 20) -> list[bytes]:
    import pypdfium2
    document = pypdfium2.PdfDocument(path)
    try:
        return [document[i].render(scale=dpi / 72).to_pil().convert("RGB").tobytes() for i in range(len(document))]
    finally:
        document.close()


@pytest.fixture(scope="module")
def chunked(tmp_path_factory):
    """The sample's print PDF from two chunks and from one, each through an empty page cache."""
    monkeypatch = pytest.MonkeyPatch()
    tmp_path = tmp_path_factory.mktemp("print-pages")
    try:
        two = render_print(tmp_path, monkeypatch, "two", jobs=2)
        one = render_print(tmp_path, monkeypatch, "one", jobs=1)
    finally:
        monkeypatch.undo()
    return two, one


def test_chunks_laid_out_apart_carry_different_subsets_of_one_font(chunked):
    (_, pages), _ = chunked
    cached = sorted(pages.glob("*.pdf"))
    assert len(cached) == 2
    subsets_seen: dict[str, set] = {}
    for path in cached:
        with pikepdf.open(path) as pdf:
            for name, parts in programs_by_font(pdf).items():
                programs = {pdf.get_object(objgen).read_bytes() for kind, objgen in parts if kind == "program"}
                subsets_seen.setdefault(name, set()).update(programs)
    assert "/LWGGBP+Noto-Serif-CJK-SC" in subsets_seen           # the body face, on both pages
    assert len(subsets_seen["/LWGGBP+Noto-Serif-CJK-SC"]) == 2


def test_the_print_pdf_has_one_font_and_one_subset_per_font(chunked):
    (two, _), (one, _) = chunked
    for path in (two, one):
        with pikepdf.open(path) as pdf:
            found = programs_by_font(pdf)
            assert len(found) == 6
            assert {name: sorted(kind for kind, _ in parts) for name, parts in found.items()} == {
                name: ["font", "program"] for name in found}


def test_the_text_and_the_pixels_are_those_of_one_document(chunked):
    (two, _), (one, _) = chunked
    texts = page_texts(two)
    assert len(texts) == 2 and "长治" in texts[0]
    assert texts == page_texts(one)
    assert page_pixels(two) == page_pixels(one)


def test_the_combined_print_pdf_keeps_the_pdf_x_keys(chunked):
    (two, _), _ = chunked
    with pikepdf.open(two) as pdf:
        intent, = pdf.Root.OutputIntents
        assert intent.S == "/GTS_PDFX" and intent.DestOutputProfile.N == 4
        assert str(intent.OutputConditionIdentifier) == "Custom"
        with pdf.open_metadata() as xmp:
            assert xmp["pdfxid:GTS_PDFXVersion"] == "PDF/X-4"
        for page in pdf.pages:
            trim, bleed = ([float(v) for v in page.obj[box]] for box in ("/TrimBox", "/BleedBox"))
            assert bleed[0] < trim[0] and bleed[2] > trim[2]
            assert page.Resources.ColorSpace.DefaultRGB[0] == "/ICCBased"
            assert b"/LayoutRegistration CS" in page.Contents[-1].read_bytes()   # the crop marks
        profiles = [o for o in pdf.objects if isinstance(o, pikepdf.Stream) and o.get("/N") == 4]
        assert len(profiles) == 1                                   # the CMYK profile, once


def test_a_font_whose_face_is_not_found_keeps_its_subsets(chunked, tmp_path, monkeypatch):
    (_, pages), _ = chunked
    from layout.pagerender.cache import PageEntry
    from layout.pagerender.combine import combine_pages
    monkeypatch.setattr(subsets, "family_faces", lambda family: ())
    entries = [PageEntry(path.stem, path) for path in sorted(pages.glob("*.pdf"))]
    combine_pages(entries, tmp_path / "x.pdf")
    with pikepdf.open(tmp_path / "x.pdf") as pdf:
        parts = programs_by_font(pdf)["/LWGGBP+Noto-Serif-CJK-SC"]
        assert sum(kind == "program" for kind, _ in parts) == 2


def test_print_pages_are_cached_apart_from_screen_pages(chunked, tmp_path, monkeypatch):
    (_, pages), _ = chunked
    printed = {path.name for path in pages.glob("*.pdf")}
    monkeypatch.setattr("layout.pipeline.CACHE_DIR", pages.parent)
    rendered, _ = render_to_files(SAMPLE, tmp_path / "screen", jobs=1)
    assert rendered.rendered_pages == 2
    assert len({path.name for path in pages.glob("*.pdf")} - printed) == 2


def test_widths_and_unicode_maps_read_back_as_written():
    widths = {3: 500.0, 4: 1000.0, 9: 250.5}
    assert subsets.glyph_widths(subsets.widths_array(widths)) == widths
    assert subsets.glyph_widths(pikepdf.Array([7, 9, 600])) == {7: 600.0, 8: 600.0, 9: 600.0}
    mapping = {gid: b"4e2d" for gid in range(150)} | {151: b"d83dde00"}
    assert subsets.unicode_map(subsets.unicode_cmap(mapping)) == mapping


def test_copies_that_disagree_on_a_glyph_are_not_made_one_dictionary():
    assert subsets._agree([{1: 500.0, 2: 1000.0}, {2: 1000.0, 3: 250.0}])
    assert not subsets._agree([{1: 500.0}, {1: 499.0}])
    assert not subsets._agree([{7: b"4e2d"}, {7: b"4e2e"}])
