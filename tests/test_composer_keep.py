"""Keep-together in the composer (issue 10 item 6; layout decisions: line composition): a number
and its unit or measure word stay on one line unless keeping them leaves a line letter-spaced
more than breaking.KEEP_LOOSE_EM (then they part before the unit, or before the amount word,
never inside the digits or the unit); a name in a byline or credit is never split. Line texts
at widths where the break would otherwise fall inside; the PDF text layer of the composed
lines and of a rendered issue's byline and credit."""
from __future__ import annotations

import logging
import re
import sys
from pathlib import Path

import pdfplumber
import pytest

from layout.composer import Run, compose_paragraph, credit_names
from layout.composer import items as composer_items
from layout.composer.breaking import KEEP_LOOSE_EM
from layout.composer.keep import UNITS, is_number, unit_length, unit_parts

sys.path.insert(0, str(Path(__file__).parent))
from test_composer_render import body_faces, page_html, render, visual_lines  # noqa: E402

SIZE = 9.0
W13 = 13 * SIZE
#: the issue's examples, and where the composer broke them before keep-together: after
#: "汉" * pad + "，" at 13 em (2 | 月5日, 56 | 个, 3.8 | 亿元, 8600 | 平方米 ...), where keeping them
#: leaves no line looser than KEEP_LOOSE_EM
SPLIT_BEFORE = [("2月5日", 9), ("56个", 9), ("3.8亿元", 9)]
#: | marks where a group may break (2月 | 5日)
GROUPS = ["2月|5日", "56个", "3.8亿元", "1.62亿元", "100MW", "94.9%", "23.07亿元", "15.3万元",
          "8600平方米", "1458公里", "26户", "2025年"]


def compose(text: str, width: float = W13, runs=None, **kw):
    return compose_paragraph(runs or [Run(text, body_faces())], width=width, size=SIZE, **kw)


def texts(para) -> list[str]:
    return [line.text for line in para.lines]


def unglued(monkeypatch) -> None:
    """Switch keep-together off (what the composer did before), to show a case would split."""
    monkeypatch.setattr(composer_items, "glue", lambda it, kept, width: ([False] * (len(it) + 1),) * 2)


def whole(group: str, lines: list[str]) -> bool:
    """Every part of the group (parts split at |) stands whole on one line."""
    return all(any(part in line for line in lines) for part in group.split("|"))


def loosest(para) -> float:
    """The largest letter-spacing of the paragraph's non-final lines, in em (a line that is
    short of its measure with no gap to spread it over counts as infinitely loose)."""
    return max([line.letter_spacing / SIZE if line.flush or len(line.pieces) > 1 else float("inf")
                for line in para.lines[:-1]], default=0.0)


def assert_parted_only_beyond_the_bound(text: str, width: float, para) -> None:
    """A paragraph that parts a number from its unit does so only where keeping it whole leaves
    a line looser than KEEP_LOOSE_EM, and only before the unit or the amount word (万, 亿)."""
    assert para.parted
    kept = compose(text, width, allow_parting=False)
    assert loosest(kept) > KEEP_LOOSE_EM, (texts(kept), texts(para))
    assert loosest(para) < loosest(kept)
    for a, b in zip(para.lines, para.lines[1:]):
        number = re.search(r"(?<![A-Za-z0-9.,‰%-])(\d(?:[\d.,]*\d)?)([十百千万亿兆余多]*)$", a.text)
        if number and re.match(r"[\u4e00-\u9fff]", b.text):
            amount, unit = unit_parts(list(number.group(2) + b.text[:6]))
            assert len(number.group(2)) in (0, amount), (a.text, b.text)   # not between amount words
            assert amount + unit == 0 or len(number.group(2)) <= amount    # never inside the unit


@pytest.mark.parametrize("group,pad", SPLIT_BEFORE)
def test_number_and_unit_go_to_the_next_line_together(group, pad, monkeypatch):
    text = "汉" * pad + "，" + group + "字" * 30
    lines = texts(compose(text))
    assert lines[0] == "汉" * pad + "，" and lines[1].startswith(group), lines
    unglued(monkeypatch)
    assert not whole(group, texts(compose(text)))   # without keep-together it splits here


@pytest.mark.parametrize("group", GROUPS)
def test_groups_part_only_beyond_the_bound(group, monkeypatch):
    """At every position a group stays whole, unless keeping it leaves a line looser than
    KEEP_LOOSE_EM, and then it parts only before its unit or amount word. Between pure Han
    characters, which give the line nothing else to stretch, that is most of the positions
    where a group of 4 em or more straddles a line end, and few where a short one does."""
    placed = []
    for width in (W13, 11 * SIZE, 125.3):
        for pad in range(4, 16):
            for sep in ("", "，"):
                placed.append(("汉" * pad + sep + group.replace("|", "") + "。" + "字" * 24, width))
    parted = 0
    for text, width in placed:
        para = compose(text, width)
        if not whole(group, texts(para)):
            parted += 1
            assert_parted_only_beyond_the_bound(text, width, para)
    unglued(monkeypatch)
    split = sum(not whole(group, texts(compose(text, width))) for text, width in placed)
    assert parted <= split
    if len(group.replace("|", "")) <= 4:    # 2月5日, 56个, 26户, 2025年: mostly kept
        assert parted <= split // 2 and split >= 9, (parted, split)


@pytest.mark.parametrize("text,width,lines", [
    # keeping 1,280倍！ whole leaves 汉汉汉汉汉 spaced 1 em apart (the line before the bound)
    ("汉汉汉汉汉1,280倍！" + "字" * 20, 11 * SIZE, ["汉汉汉汉汉1,280", "倍！字字字字字字字字字"]),
    # 3.8亿 | 元 before 3.8 | 亿元 when both fit
    ("汉汉汉汉汉汉汉3.8亿元。" + "字" * 20, W13, ["汉汉汉汉汉汉汉3.8亿", "元。字字字字字字字字字字字"]),
    # 20余万 | 人次: never inside the unit, nor between 余 and 万
    ("汉汉汉汉，20余万人次。" + "字" * 20, 11 * SIZE, ["汉汉汉汉，20余万", "人次。字字字字字字字"]),
    # 3.8 | 亿元 when 3.8亿 does not fit either
    ("汉汉汉汉汉汉汉3.8亿元。" + "字" * 20, 11 * SIZE, ["汉汉汉汉汉汉汉3.8", "亿元。字字字字字字字"]),
])
def test_a_group_parts_when_keeping_it_leaves_a_line_too_loose(text, width, lines):
    para = compose(text, width)
    assert texts(para)[:2] == lines
    assert para.parted == 1 and not para.forced
    assert_parted_only_beyond_the_bound(text, width, para)
    assert loosest(compose(text, width, allow_parting=False)) >= 0.33


def test_a_full_date_breaks_only_between_its_parts():
    """2026年2月5日 breaks as 2026年 | 2月 | 5日; 2026 | 年 only beyond the bound."""
    breaks = set()
    for pad in range(2, 16):
        text = "汉" * pad + "2026年2月5日" + "字" * 30
        para = compose(text)
        joined = "|".join(texts(para))
        date = joined[joined.index("2026"):joined.index("日") + 1]
        if date not in ("2026年2月5日", "2026年|2月5日", "2026年2月|5日"):
            assert_parted_only_beyond_the_bound(text, W13, para)
        breaks.add(date)
    assert {"2026年2月5日", "2026年|2月5日", "2026年2月|5日"} <= breaks   # both inner breaks used


def test_han_latin_space_stays_between_number_and_unit_and_digits_are_not_spaced():
    """The quarter em between a number and its unit is kept (it may give or take between an
    eighth and three eighths of an em when the line is justified); digits carry no spacing."""
    spaced = 0
    for pad in range(2, 14):
        para = compose("汉" * pad + "3.8亿元字字字，到2月5日" + "字" * 30)
        for line in para.lines[:-1]:
            for k, piece in enumerate(line.pieces):
                if piece.text not in ("3.8", "2", "5"):
                    continue
                assert not piece.spaced                        # never letter-spaced
                if k == len(line.pieces) - 1:                  # parted: the bound
                    assert para.parted
                    continue
                unit_space = piece.margin_right - line.letter_spacing
                assert 0.125 * SIZE - 0.01 <= unit_space <= 0.375 * SIZE + 0.01, line.text
                assert line.pieces[k + 1].text in "亿月日"      # its unit follows on the line
                spaced += line.letter_spacing > 0
    assert spaced   # some of those lines are letter-spaced as well


def test_units_are_a_closed_list_taken_longest_first():
    assert "公里" in UNITS and "平方米" in UNITS and "亿元" not in UNITS   # 亿 + 元
    assert unit_length(list("月5日")) == 1
    assert unit_length(list("亿元，")) == 2
    assert unit_length(list("平方米城市")) == 3
    assert unit_length(list("余万人次的")) == 4      # 20余万人次
    assert unit_length(list("千瓦时")) == 3
    assert unit_length(list("金3铜")) == 0          # 2金3铜: 金 is no unit
    assert is_number("1,280") and is_number("3.8") and is_number("2025-2027")
    assert not is_number("94.9%") and not is_number("5G") and not is_number("3.")


def test_glue_marks_each_item_and_the_paragraphs_end():
    """Items.glued and Items.parting have an entry for each item and one for the paragraph's
    end (never glued); a group at the very end of the text is glued too."""
    it = composer_items.build_items([Run("共3.8亿元和56个", body_faces())], SIZE, 200.0)
    assert it.text == ["共", "3.8", "亿", "元", "和", "56", "个"]
    assert it.glued == [False, False, True, True, False, False, True, False]
    assert it.parting == [0, 0, 2, 1, 0, 0, 1, 0]
    assert it.breakable == [False, True, False, False, True, True, False, True]


def test_two_amount_words_and_a_four_character_unit_are_glued_whole():
    """20余万平方公里: the longest group the window after a number takes (2 + 4 characters)."""
    it = composer_items.build_items([Run("约20余万平方公里", body_faces())], SIZE, 400.0)
    assert it.glued == [False, False, True, True, True, True, True, True, False]
    assert it.parting == [0, 0, 2, 0, 1, 0, 0, 0, 0]


def test_a_name_is_glued_inside_its_span_only():
    """记者王某某摄: the span (2, 6) holds 王某某摄. A line may still break before 王 and after
    摄, never inside; the same text without the span is glued nowhere."""
    text = "记者王某某摄 李四"
    assert credit_names(text) == ((2, 6),)
    it = composer_items.build_items([Run(text, body_faces(), keep=((2, 6),))], SIZE, 200.0)
    assert it.glued == [False, False, False, True, True, True, False, False, False, False]
    assert it.breakable[2] and not any(it.breakable[3:6])
    plain = composer_items.build_items([Run(text, body_faces())], SIZE, 200.0)
    assert not any(plain.glued)


def test_only_a_group_wider_than_the_column_is_released():
    """56个 is 21.3 pt wide (10.04 + a quarter em + 9): kept at 22.5 pt, released at 20 pt,
    whatever stands before it (汉 and the quarter em between 汉 and 56 do not count)."""
    assert composer_items.build_items([Run("汉56个", body_faces())], SIZE, 22.5).glued == \
        [False, False, True, False]
    assert composer_items.build_items([Run("汉56个", body_faces())], SIZE, 20.0).glued == \
        [False, False, False, False]
    # a group that opens the paragraph is released too, and a released group parts nowhere
    released = composer_items.build_items([Run("56个", body_faces())], SIZE, 20.0)
    assert released.glued == [False, False, False] and released.parting == [0, 0, 0]
    kept = composer_items.build_items([Run("56个", body_faces())], SIZE, 22.5)
    assert kept.glued == [False, True, False] and kept.parting == [0, 1, 0]


@pytest.mark.parametrize("chars,parts", [
    ("亿元", (1, 1)), ("余万人次", (2, 2)), ("个", (0, 1)), ("千米", (0, 2)), ("千克的", (0, 2)),
    ("万千瓦", (0, 3)), ("万", (1, 0)), ("余万", (2, 0)), ("多的", (1, 0)), ("的人", (0, 0)),
])
def test_amount_words_and_unit_after_a_number(chars, parts):
    """(amount words, unit) after a number: 千米 and 千克 are units, not 千 and a unit (so 3 | 千米
    parts only before the unit); magnitudes with no unit after them (3万, 20余万 at a paragraph's
    end, 300多的) are amount words alone."""
    assert unit_parts(list(chars)) == parts


def test_not_a_unit_may_still_break():
    for pad in range(6, 14):
        lines = texts(compose("汉" * pad + "，12金3铜" + "字" * 30))
        if any(line.endswith("12") for line in lines):
            return
    pytest.fail("12 | 金 was never broken: a word outside UNITS must not be glued")


def test_a_group_wider_than_the_column_may_break():
    text = "汉汉" + "12345678平方公里" + "字" * 10
    para = compose(text, width=5 * SIZE, indent=0)
    assert "".join(texts(para)) == text
    assert all(line.width <= 5 * SIZE + 0.01 for line in para.lines)


def test_a_forced_break_does_not_cut_a_group():
    text = "（" * 6 + "2026年" + "）" * 6 + "（" * 6 + "56个" + "）" * 6
    para = compose(text, width=80.0, allow_parting=False)
    assert para.forced
    assert whole("2026年", texts(para)) and whole("56个", texts(para))
    para = compose(text, width=80.0)    # a forced break leaves a line too loose: 2026 | 年
    assert para.forced and whole("56个", texts(para))
    assert_parted_only_beyond_the_bound(text, 80.0, para)


@pytest.mark.parametrize("text,names", [
    ("本报记者 王某某 摄", ["王某某 摄"]),
    ("通讯员 李四", ["李四"]),
    ("本报记者王某某摄", ["王某某摄"]),
    ("（王某 摄）", ["王某 摄"]),
    ("本报记者 王某某 通讯员 欧阳娜娜 李四", ["王某某", "欧阳娜娜", "李四"]),
    ("新华社记者 张三 李四 摄", ["张三", "李四 摄"]),
    ("本报记者王某某通讯员李四报道", ["王某某", "李四"]),
    ("文/图 本报记者 欧阳娜娜", ["欧阳娜娜"]),
    ("本报记者 王某 发自北京", ["王某"]),
    ("记者了解到，今年全县新增就业", []),
    ("记者走访了村里的老人", []),
])
def test_credit_names(text, names):
    assert [text[a:b] for a, b in credit_names(text)] == names


CAPTION = "村民在合作社分拣中药材"
CREDITS = ["（本报记者 欧阳娜娜 摄）", "（通讯员 李四 王某某）", "（本报记者王某某摄）"]


def caption_runs(pad: int, credit: str, keep: bool = True) -> list[Run]:
    return [Run(CAPTION + "汉" * pad, body_faces()),
            Run(credit, body_faces(), "credit", credit_names(credit) if keep else ())]


@pytest.mark.parametrize("credit", CREDITS)
def test_names_in_a_credit_are_never_split(credit):
    names = [credit[a:b] for a, b in credit_names(credit)]
    split_without = 0
    for pad in range(0, 12):
        kept = texts(compose("", runs=caption_runs(pad, credit), indent=0))
        assert all(whole(name, kept) for name in names), (pad, kept)
        plain = texts(compose("", runs=caption_runs(pad, credit, keep=False), indent=0))
        split_without += not all(whole(name, plain) for name in names)
    assert split_without >= 3   # the widths do put a break inside a name without the keep span


# -- the PDF text layer -------------------------------------------------------------------------

def test_rendered_lines_keep_numbers_with_their_units(tmp_path, caplog):
    """The composed lines are what WeasyPrint paints (read back with pdfplumber): each number
    and its unit on one PDF text line."""
    caplog.set_level(logging.WARNING, logger="weasyprint")
    paragraphs = ["汉" * pad + "，" + group + "字" * 20 for group, pad in SPLIT_BEFORE]
    html = page_html(paragraphs, W13, columns=2)
    pdf = render(html, tmp_path / "keep.pdf")
    assert not [r for r in caplog.records if r.name.startswith("weasyprint")]
    lines = [line["text"] for line in visual_lines(pdf, W13)]
    composed = [line.text for t in paragraphs for line in compose(t).lines]
    assert lines == composed
    for group, _ in SPLIT_BEFORE:
        assert whole(group, lines), group
    assert not any(re.search(r"\d$", a) and re.match(r"[月个亿万平]", b) for a, b in zip(lines, lines[1:]))


BYLINE = "本报记者 王某某 通讯员 欧阳娜娜 李四"
CREDIT = "本报记者 欧阳娜娜 摄"
ISSUE = """\
paper: 示例日报
title: 测试
date: 2026-02-10
pages:
  - section: 要闻
    stories:
      - headline: 项目建设提速
        byline: {byline}
        body: |
{body}
        figures:
          - image: images/a.jpg
            caption: 村民在合作社分拣中药材，准备发往全国各地的中药材加工企业
            credit: {credit}
"""


def pdf_lines(path) -> list[str]:
    """The PDF's text lines in painting order, one per composed line (a line ends where the
    baseline changes, the pen goes back, or a gap of a column opens), spaces left out."""
    lines = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            prev = None
            for c in page.chars:
                if c["text"].isspace():
                    continue
                if prev is None or abs(c["bottom"] - prev["bottom"]) > 0.5 or \
                        c["x0"] < prev["x0"] - 0.1 or c["x0"] - prev["x1"] > 1.2 * c["size"]:
                    lines.append("")
                lines[-1] += c["text"]
                prev = c
    return lines


def test_byline_and_credit_names_whole_in_the_rendered_issue(write_issue, tmp_path, monkeypatch):
    """A byline and a photo credit go through the typesetter's caption(): in the PDF's text
    layer no name is cut, nor a number from its unit. At the byline's column width, 欧阳娜娜
    would be cut without the hook."""
    from layout.fonts import resolve_fonts
    from layout.page.typeset import Typesetter
    from layout.pipeline import render_to_files
    from layout.theme import load_theme

    from .conftest import photo
    theme = load_theme()
    setter = Typesetter.for_theme(theme, resolve_fonts(theme))
    width = theme.grid.column_width
    plain = texts(compose_paragraph([Run(BYLINE, setter.faces["caption"])], width=width,
                                    size=theme.sizes["caption"], indent=0))
    assert not whole("欧阳娜娜", plain), plain   # a byline that splits without the hook
    assert whole("欧阳娜娜", texts(setter.caption(BYLINE, "", width)))

    monkeypatch.setenv("LAYOUT_CACHE", str(tmp_path / "cache"))
    paragraph = "全县签约项目56个、总投资79.3亿元，2026年2月5日开工建设，新建道路1458公里。" * 4
    body = "\n\n".join(" " * 10 + paragraph for _ in range(3))
    folder = write_issue(ISSUE.format(byline=BYLINE, body=body, credit=CREDIT))
    photo(folder / "images" / "a.jpg")
    rendered, written = render_to_files(folder, tmp_path / "out")
    assert [str(f) for f in rendered.findings if f.kind == "render"] == []
    lines = pdf_lines(written[-1])
    joined = "\n".join(lines)
    assert joined.count("欧阳娜娜") == 2 and joined.count("王某某") == 1 and joined.count("李四") == 1
    assert joined.count("79.3亿元") == joined.count("1458公里") == joined.count("56个") == 12
    assert joined.count("2026年2月5日") + joined.count("2026年\n2月5日") + joined.count("2026年2月\n5日") == 12
