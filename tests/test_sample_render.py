"""The sample issue renders end to end: all text present, banner, captions, fonts, no warnings."""
from __future__ import annotations

import re

import pdfplumber
import pikepdf
import pytest

from layout.model import load_issue
from layout.pipeline import render_to_files
from layout.theme import load_theme

from .conftest import SAMPLE


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    rendered, written = render_to_files(SAMPLE, out, html=True)
    return rendered, written[-1]


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def type_area_text(pdf_path) -> str:
    """Text of the type area of every page in painting order (columns one after the other;
    running headers and footers left out)."""
    grid = load_theme().grid
    box = (grid.margin_side - 1, grid.margin_top - 1,
           grid.margin_side + grid.type_width + 1, grid.margin_top + grid.type_height + 1)
    with pdfplumber.open(pdf_path) as pdf:
        return "".join(squash("".join(c["text"] for c in page.crop(box).chars)) for page in pdf.pages)


def test_no_weasyprint_warnings(sample):
    rendered, _ = sample
    assert [str(f) for f in rendered.findings if f.kind == "render"] == []


def test_every_word_of_the_sample_is_in_the_pdf_in_order(sample):
    _, pdf = sample
    text = type_area_text(pdf)
    issue = load_issue(SAMPLE)
    for page in issue.pages:
        for story in page.stories:
            position = text.index(squash(story.headline))
            for paragraph in story.paragraphs:
                position = text.index(squash(paragraph.plain), position)
            for figure in story.figures:
                assert squash(figure.caption) in text
        for figure in page.photos:
            assert squash(figure.caption) in text


def test_banner_spans_the_type_width(sample):
    _, pdf = sample
    grid = load_theme().grid
    with pdfplumber.open(pdf) as doc:
        reds = [r for r in doc.pages[0].rects if _is_red(r.get("non_stroking_color"))]
    assert reds, "no red banner on page 1"
    banner = max(reds, key=lambda r: r["width"] * r["height"])
    assert banner["x0"] == pytest.approx(grid.margin_side, abs=0.5)
    assert banner["width"] == pytest.approx(grid.type_width, abs=0.5)


def _is_red(colour) -> bool:
    return bool(colour) and len(colour) == 3 and colour[0] > 0.8 and colour[1] < 0.2 and colour[2] < 0.2


def test_each_caption_sits_directly_under_its_photo(sample):
    _, pdf = sample
    issue = load_issue(SAMPLE)
    grid = load_theme().grid
    captions = [squash(f.caption) for page in issue.pages
                for f in [*page.photos, *(f for s in page.stories for f in s.figures)]]
    found = []
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            for image in page.images:
                under = page.crop((image["x0"], image["bottom"], image["x1"],
                                   min(page.height, image["bottom"] + 1.5 * grid.line_pitch)))
                found.append(squash(under.extract_text()))
    assert len(found) == len(captions)
    for caption in captions:
        assert any(text.startswith(caption[:12]) for text in found), caption


def test_han_fonts_are_the_simplified_chinese_faces(sample):
    _, pdf = sample
    names = set()
    with pikepdf.open(pdf) as doc:
        for page in doc.pages:
            for font in page.Resources.get("/Font", {}).values():
                names.add(str(font.get("/BaseFont")).split("+")[-1])
    assert not [n for n in names if "JP" in n or "DejaVu" in n], names
    assert "Noto-Serif-CJK-SC" in names, names
    assert "LXGW-WenKai" in names, names
    with pdfplumber.open(pdf) as doc:
        han_fonts = {c["fontname"].split("+")[-1] for page in doc.pages for c in page.chars
                     if "\u4e00" <= c["text"] <= "\u9fff"}
    assert all(re.match(r"(Noto-Serif-CJK-SC|Noto-Sans-CJK-SC|LXGW-WenKai)", n) for n in han_fonts), han_fonts


def test_html_is_written_per_page_and_self_contained(sample):
    rendered, pdf = sample
    slug = rendered.issue.slug
    assert sorted(p.name for p in pdf.parent.glob("*.html")) == [f"{slug}-p1.html", f"{slug}-p2.html"]
    pages = [(pdf.parent / f"{slug}-p{n}.html").read_text(encoding="utf-8") for n in (1, 2)]
    headlines = [page.stories[0].headline for page in rendered.issue.pages]
    for html, own, other in zip(pages, headlines, reversed(headlines)):   # what that page was given
        assert '<html lang="zh-CN">' in html and "<style>" in html
        assert own in html and other not in html


def test_running_header_names_paper_folio_section_and_date(sample):
    _, pdf = sample
    grid = load_theme().grid
    with pdfplumber.open(pdf) as doc:
        heads = [squash(page.crop((0, 0, page.width, grid.margin_top)).extract_text()) for page in doc.pages]
    assert heads == [f"示例日报第{n}版两会特刊2026年2月10日星期二" for n in (1, 2)]


def test_no_number_is_parted_from_its_unit(sample):
    """Keep-together (issue 10 item 6): in the PDF's text lines no line ends with a number whose
    unit starts the next line (回首2025 | 年 and 达3.8 | 亿元 were in the sample)."""
    from layout.composer.keep import unit_length

    from .test_composer_keep import pdf_lines
    _, pdf = sample
    lines = pdf_lines(pdf)
    assert len(lines) > 200
    parted = [(a, b) for a, b in zip(lines, lines[1:])
              if re.search(r"(?<![A-Za-z0-9.,‰%-])\d(?:[\d.,]*\d)?$", a) and unit_length(list(b[:6]))]
    assert parted == []
    assert any(line.startswith("2025年") for line in lines)   # moved down whole
