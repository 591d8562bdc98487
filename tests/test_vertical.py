"""Vertical headlines (竖排标题, issue 10 item 4): the 主题 of a narrow module set top to bottom at
its right, a line the editor broke off in a second column to its left, the body beside it;
digits and short Latin upright (纵中横), punctuation in its vertical form. Checked on a real PDF
by glyph positions and pixels; refusals and a headline longer than its module are located
errors."""
from __future__ import annotations

import shutil
from pathlib import Path

import pdfplumber
import pypdfium2
import pytest

import layout.theme
from layout.errors import LayoutError
from layout.fonts import resolve_fonts
from layout.model import load_issue
from layout.page import plan_issue
from layout.pipeline import render_to_files
from layout.preflight import check_issue
from layout.theme import load_theme

from .test_modular import body

GRID = load_theme().grid
SIZE = 20.0            # sizes_pt.headline_narrow: a story's headline in a narrow module
HEADLINE = "2026年AI赋能，“乡村”振兴"


def paragraphs(chars: int, indent: int = 10) -> str:
    return "\n".join(" " * indent + p + "\n" for p in body(chars).split("\n\n"))


ISSUE = f"""paper: 示例日报
title: 竖排标题
date: 2026-02-10
pages:
  - section: 要闻
    stories:
      - headline: 奋进平顺 踏征途
        body: |
{paragraphs(2400)}
      - headline: {HEADLINE}
        vertical_headline: true
        span: 2
        body: |
{paragraphs(700)}
      - headline: "县域经济\\n迈出新步伐"
        vertical_headline: true
        span: 2
        body: |
{paragraphs(600)}
"""


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    folder = tmp_path_factory.mktemp("vertical")
    (folder / "issue.yaml").write_text(ISSUE, encoding="utf-8")
    result, written = render_to_files(folder, tmp_path_factory.mktemp("out"))
    with pdfplumber.open(written[-1]) as pdf:
        yield result, pdf.pages[0].chars, written[-1]


def module_box(result, index: int) -> tuple[float, float, float, float]:
    """(x0, top, x1, bottom) of story `index`'s module on the page, in pt."""
    module = next(m for m in result.plans[0].modules if m.key == f"pages[0].stories[{index}]")
    x, y = GRID.margin_side + module.box.x, GRID.margin_top + module.box.y
    return x, y, x + module.box.w, y + module.box.h


def headline_chars(chars, box) -> list[dict]:
    x0, top, x1, bottom = box
    return sorted((c for c in chars if abs(c["size"] - SIZE) < 0.1 and x0 - 1 <= c["x0"] and c["x1"] <= x1 + 2
                   and top - 2 <= c["top"] and c["bottom"] <= bottom + 2), key=lambda c: (c["top"], c["x0"]))


def test_renders_without_weasyprint_warnings_or_errors(rendered):
    result, _, _ = rendered
    assert [str(f) for f in result.findings if f.kind == "render"] == []
    assert [str(f) for f in result.findings if f.severity.value == "error"] == []


def test_the_headline_stands_top_to_bottom_at_the_module_s_right(rendered):
    result, chars, _ = rendered
    box = module_box(result, 1)
    head = headline_chars(chars, box)
    assert "".join(c["text"] for c in head) == HEADLINE
    han = [c for c in head if not c["text"].isascii()]
    assert len({round(c["x0"], 2) for c in han}) == 1                     # one column: x constant
    tops = sorted({c["top"] for c in head})                            # AI: one cell
    assert len(tops) == len(HEADLINE) - 1                                 # y increasing, a cell each
    assert all(b - a == pytest.approx(SIZE, abs=0.05) for a, b in zip(tops, tops[1:]))   # a cell an em tall
    assert han[0]["x1"] == pytest.approx(box[2], abs=0.5)                 # flush with the module's right
    assert head[-1]["bottom"] <= box[3] + 0.5                             # the module holds it all
    body = [c for c in chars if abs(c["size"] - 9) < 0.1 and box[0] - 1 <= c["x0"] <= box[2]
            and box[1] <= c["top"] <= box[3]]
    assert body and max(c["x1"] for c in body) < han[0]["x0"] - 9          # the body at its left


def test_digits_stack_upright_and_a_short_latin_word_is_one_upright_block(rendered):
    result, chars, _ = rendered
    head = headline_chars(chars, module_box(result, 1))
    centre = (head[4]["x0"] + head[4]["x1"]) / 2                          # 年
    digits = head[:4]
    assert "".join(c["text"] for c in digits) == "2026"
    assert all(abs((c["x0"] + c["x1"]) / 2 - centre) < 0.5 for c in digits)
    a, i = head[5], head[6]
    assert a["text"] + i["text"] == "AI" and a["top"] == pytest.approx(i["top"]) and a["x0"] < i["x0"]
    assert a["top"] == pytest.approx(head[4]["top"] + SIZE, abs=0.05)     # one cell under 年
    assert head[7]["top"] == pytest.approx(a["top"] + SIZE, abs=0.05)


def test_a_comma_takes_its_vertical_form_in_the_top_right_of_its_cell(rendered):
    result, chars, pdf_path = rendered
    comma = next(c for c in headline_chars(chars, module_box(result, 1)) if c["text"] == "，")
    scale = 150 / 72
    pdf = pypdfium2.PdfDocument(pdf_path)
    try:
        image = pdf[0].render(scale=scale).to_pil().convert("L")
    finally:
        pdf.close()
    # the comma's cell: one em from the top of its line box (pdfplumber's top is the em box's)
    cell = [round(v * scale) for v in (comma["x0"], comma["top"], comma["x0"] + SIZE, comma["top"] + SIZE)]
    ink = image.crop(cell).point(lambda v: 255 if v < 128 else 0).getbbox()
    assert ink is not None
    middle = (cell[2] - cell[0]) / 2
    assert ink[0] > middle and ink[3] < middle * 1.3        # right half, upper part: 、，。 in vertical text


def test_a_headline_broken_in_two_reads_right_to_left(rendered):
    result, chars, _ = rendered
    box = module_box(result, 2)
    head = headline_chars(chars, box)
    columns = sorted({round(c["x0"], 1) for c in head}, reverse=True)
    assert len(columns) == 2
    right = [c["text"] for c in head if round(c["x0"], 1) == columns[0]]
    left = [c["text"] for c in head if round(c["x0"], 1) == columns[1]]
    assert "".join(right) == "县域经济" and "".join(left) == "迈出新步伐"
    assert columns[0] - columns[1] == pytest.approx(SIZE * 1.3, abs=0.05)
    assert max(c["x1"] for c in head) == pytest.approx(box[2], abs=0.5)


def test_a_vertical_headline_with_a_kicker_is_refused_at_its_key(write_issue):
    folder = write_issue("""\
        paper: 示例日报
        title: 竖排
        date: 2026-02-10
        pages:
          - stories:
              - headline: 奋进平顺
                kicker: 引题
                vertical_headline: true
                body: 正文。
        """)
    with pytest.raises(LayoutError) as caught:
        load_issue(folder)
    assert [str(f) for f in caught.value.findings] == [
        "x/issue.yaml:8: pages[0].stories[0].vertical_headline: a vertical headline (竖排标题) stands "
        "alone: leave out the kicker (引题), or set it horizontally"]


def test_a_long_latin_word_in_a_vertical_headline_is_a_located_error(write_issue):
    folder = write_issue(f"""paper: 示例日报
title: 竖排
date: 2026-02-10
pages:
  - stories:
      - headline: 头条
        body: |
{paragraphs(900)}
      - headline: Hello平顺
        vertical_headline: true
        body: 正文。
""")
    report = check_issue(folder)
    errors = [line for line in report.lines() if ": error: " in line]
    line = (folder / "issue.yaml").read_text(encoding="utf-8").splitlines().index("      - headline: Hello平顺") + 1
    assert errors == [
        f"x/issue.yaml:{line}: error: pages[0].stories[1].headline: the Latin word 'Hello' is too long to "
        "stand upright in a vertical headline (at most 3 letters); write it in Chinese, or set the "
        "headline horizontally"]


def test_check_reports_a_vertical_headline_longer_than_its_module(write_issue):
    """A story cut at the foot of a page for a jump keeps only the lines that fit there: here
    8 lines beside a 15-character headline 22 lines long."""
    text = "全年签约项目56个，总投资超过300亿元。县委县政府坚持项目为王，以实干担当书写新时代答卷，推动高质量发展取得新成效。"
    lines = lambda n: "\n".join("          " + text * 3 + "\n" for _ in range(n))   # noqa: E731
    folder = write_issue(f"""paper: 示例日报
title: 竖排转版
date: 2026-02-10
fit: jump
pages:
  - stories:
      - headline: 头条稿件
        body: |
{lines(50)}
      - headline: 县域经济高质量发展迈出坚实步伐
        vertical_headline: true
        body: |
{lines(40)}
""")
    report = check_issue(folder)
    errors = [line for line in report.lines() if ": error: " in line]
    assert len(errors) == 1
    assert errors[0].startswith(
        "x/issue.yaml:109: error: pages[0].stories[1].headline: the vertical headline '县域经济高质量发展"
        "迈出坚实步伐' is 300 pt long, 15 lines longer than its module (8 lines): ")
    assert errors[0].endswith("it would overprint what stands under it; shorten it, break it in two "
                              "lines (\\n), or set it horizontally")


def test_the_theme_may_give_narrow_modules_after_the_lead_a_vertical_headline(tmp_path, monkeypatch):
    shutil.copytree(Path(layout.theme.TEMPLATES_DIR) / "newspaper", tmp_path / "templates" / "newspaper")
    theme_file = tmp_path / "templates" / "newspaper" / "theme.yaml"
    text = theme_file.read_text(encoding="utf-8")
    theme_file.write_text(text.replace("  vertical: hint ", "  vertical: narrow "), encoding="utf-8")
    monkeypatch.setattr(layout.theme, "TEMPLATES_DIR", tmp_path / "templates")
    folder = tmp_path / "x"
    folder.mkdir()
    stories = [("奋进平顺 踏征途", 3000, 0), ("县域经济迈出坚实步伐", 400, 2), ("乡村振兴见实效", 300, 2),
               ("文旅融合 添活力", 900, 3), ("民生实事件件落地", 250, 0)]
    yaml = "paper: 示例日报\ntitle: 竖排\ndate: 2026-02-10\npages:\n  - stories:\n" + "".join(
        f"      - headline: {h}\n" + (f"        span: {span}\n" if span else "") + f"        body: |\n{paragraphs(n)}"
        for h, n, span in stories)
    (folder / "issue.yaml").write_text(yaml, encoding="utf-8")
    theme = load_theme()
    assert theme.vertical_headlines == "narrow"
    plan, = plan_issue(load_issue(folder), theme, resolve_fonts(theme))
    roles = {m.key: ([b.role for b in m.headline_set], round(m.box.w / (GRID.column_width + GRID.gutter)))
             for m in plan.modules}
    assert roles["pages[0].stories[0]"][0] == ["headline"]                # the lead keeps its own
    assert roles["pages[0].stories[1]"] == (["vertical-headline"], 2)
    assert roles["pages[0].stories[2]"] == (["vertical-headline"], 2)
    assert roles["pages[0].stories[3]"] == (["headline"], 3)
    narrow = [key for key, (_, span) in roles.items() if span <= 2 and key != "pages[0].stories[0]"]
    assert all(roles[key][0] == ["vertical-headline"] for key in narrow)
    assert all(roles[key][0] == ["headline"] for key, (_, span) in roles.items() if span > 2)


def test_marks_without_a_vertical_form_and_long_latin_words_are_refused():
    theme = load_theme()
    from layout.page.typeset import Typesetter
    from layout.page.vertical import set_vertical
    setter = Typesetter.for_theme(theme, resolve_fonts(theme))
    turned = set_vertical(setter, "《平顺》（上）", "headline_narrow")
    assert turned.refusal == "" and [c.text for c in turned.lines[0]] == list("《平顺》（上）")
    assert set_vertical(setter, "平顺~长治", "headline_narrow").refusal.startswith("'~' has no vertical form")
    assert set_vertical(setter, "GDP增长", "headline_narrow").lines[0][0].scale < 1
    assert "'WiFi'" in set_vertical(setter, "WiFi进村", "headline_narrow").refusal
    assert [c.text for c in set_vertical(setter, "12345人", "headline_narrow").lines[0]] == list("12345人")
