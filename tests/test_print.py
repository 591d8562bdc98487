"""Print stage: the PDF/X-4 for the printer (render --print) and the prepared photos in it.

The sample is rendered once for the module. Checks: output intent, PDF/X-4 identification,
TrimBox/BleedBox, crop marks outside the trim, embedded subset fonts (no Type 3), the red in
device CMYK, every photo within 5 % of the target resolution at its placed size, and that
pypdfium2 and Ghostscript open the file without complaint."""
from __future__ import annotations

import subprocess

import pdfplumber
import pikepdf
import pypdfium2
import pytest

from layout.images import effective_ppi
from layout.pipeline import render_to_files
from layout.theme import PT_PER_MM, load_theme

from .conftest import SAMPLE


@pytest.fixture(scope="module")
def press(tmp_path_factory):
    out = tmp_path_factory.mktemp("print")
    rendered, written = render_to_files(SAMPLE, out, press=True)
    return rendered, written[-1]


def boxes(page):
    def box(name):
        x0, y0, x1, y1 = (float(v) for v in page.obj[name])
        return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)
    return box("/MediaBox"), box("/TrimBox"), box("/BleedBox")


def test_no_weasyprint_warnings(press):
    rendered, _ = press
    assert [str(f) for f in rendered.findings if f.kind == "render"] == []


def test_output_intent_is_the_cmyk_profile(press):
    _, pdf_path = press
    with pikepdf.open(pdf_path) as pdf:
        intent = pdf.Root.OutputIntents[0]
        assert intent.S == "/GTS_PDFX"
        assert str(intent.OutputCondition) == "Artifex CMYK SWOP Profile"
        assert intent.DestOutputProfile.N == 4
        with pdf.open_metadata() as xmp:
            assert xmp["pdfxid:GTS_PDFXVersion"] == "PDF/X-4"


def test_trim_and_bleed_boxes(press):
    _, pdf_path = press
    grid = load_theme().grid
    with pikepdf.open(pdf_path) as pdf:
        for page in pdf.pages:
            media, trim, bleed = boxes(page)
            assert trim[2] - trim[0] == pytest.approx(grid.page_width, abs=0.01)
            assert trim[3] - trim[1] == pytest.approx(grid.page_height, abs=0.01)
            assert trim[0] - bleed[0] == pytest.approx(3 * PT_PER_MM, abs=0.01)
            assert bleed[0] - media[0] > 8 * PT_PER_MM     # room for the marks


def mark_segments(page):
    """Line segments drawn in the registration colour."""
    segments, registration, start = [], False, None
    for operands, operator in pikepdf.parse_content_stream(page):
        op = str(operator)
        if op == "CS":
            registration = operands[0] == "/LayoutRegistration"
        elif op == "m" and registration:
            start = tuple(float(v) for v in operands)
        elif op == "l" and registration:
            segments.append((start, tuple(float(v) for v in operands)))
    return segments


def test_crop_marks_lie_outside_the_bleed(press):
    _, pdf_path = press
    with pikepdf.open(pdf_path) as pdf:
        for page in pdf.pages:
            media, trim, bleed = boxes(page)
            segments = mark_segments(page)
            assert len(segments) == 8
            for point in (p for segment in segments for p in segment):
                inside_x = bleed[0] < point[0] < bleed[2]
                inside_y = bleed[1] < point[1] < bleed[3]
                assert not (inside_x and inside_y), point
                assert media[0] < point[0] < media[2] and media[1] < point[1] < media[3]


def test_crop_marks_are_painted(press):
    _, pdf_path = press
    pdf = pypdfium2.PdfDocument(pdf_path)
    image = pdf[0].render(scale=1).to_pil().convert("L")       # 1 px = 1 pt, media box
    grid = load_theme().grid
    margin = round((image.width - grid.page_width) / 2)
    corner = image.crop((0, 0, margin, margin))                # outside the trim, top left
    assert corner.getextrema()[0] < 128
    pdf.close()


def test_fonts_are_embedded_subsets_and_never_type3(press):
    _, pdf_path = press
    with pikepdf.open(pdf_path) as pdf:
        fonts = [f for page in pdf.pages for f in page.Resources.Font.values()]
        assert fonts
        for font in fonts:
            assert font.Subtype != "/Type3"
            assert str(font.BaseFont).lstrip("/")[6] == "+"      # subset tag ABCDEF+
            descriptor = font.DescendantFonts[0].FontDescriptor if "/DescendantFonts" in font \
                else font.FontDescriptor
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))


def test_the_banner_red_is_device_cmyk(press):
    _, pdf_path = press
    with pdfplumber.open(pdf_path) as pdf:
        colours = {tuple(r["non_stroking_color"] or ()) for r in pdf.pages[0].rects}
    assert (0, 1, 1, 0) in colours


def test_every_photo_is_within_5_percent_of_the_target_ppi(press):
    _, pdf_path = press
    target = load_theme().print.image_ppi
    found = []
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:
            for image in page.images:
                found.append(effective_ppi(*image["srcsize"], image["width"], image["height"]))
    assert len(found) == 13
    assert all(abs(ppi - target) <= 0.05 * target for ppi in found), sorted(found)


def test_pypdfium2_and_ghostscript_open_it(press):
    _, pdf_path = press
    pdf = pypdfium2.PdfDocument(pdf_path)
    assert len(pdf) == 2
    pdf.close()
    result = subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-sDEVICE=nullpage", str(pdf_path)],
                            capture_output=True, text=True, timeout=120)
    assert (result.returncode, result.stdout + result.stderr) == (0, "")
