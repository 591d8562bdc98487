"""Headlines (issue 10): an editor's line break is kept and nothing else breaks that line; a
headline breaks only at the editor's phrase spaces, balanced; a line wider than every module
is a located error of render and check. Checked on real PDFs by glyph positions."""
from __future__ import annotations

import pdfplumber
import pytest

from layout.fonts import resolve_fonts
from layout.page.headlines import set_headline
from layout.page.typeset import Typesetter
from layout.pipeline import render_to_files
from layout.preflight import check_issue
from layout.theme import load_theme

from .conftest import MINIMAL
from .test_cli import run

THEME = load_theme()
SETTER = Typesetter.for_theme(THEME, resolve_fonts(THEME))


def lines_of(text: str, width: float, size: str = "headline") -> list[str]:
    setting = set_headline(SETTER, text, "headline", size, width)
    return [line.text for line in setting.paragraph.lines]


def test_phrases_break_only_at_the_editor_s_spaces_balanced():
    text = "奋进平顺 踏征途 砥砺前行 向未来"
    assert lines_of(text, 999) == [text]
    assert lines_of(text, 300) == ["奋进平顺 踏征途", "砥砺前行 向未来"]      # not 3 + 1 phrases
    assert lines_of("推进中国式现代化 新征程", 250) == ["推进中国式现代化", "新征程"]
    assert all("中国式现代化" in line or "中国" not in line for line in lines_of("推进中国式现代化 新征程", 200))


def test_an_editor_s_break_is_kept_and_no_other_break_is_added():
    assert lines_of("奋进平顺 踏征途\n砥砺前行 向未来", 999) == ["奋进平顺 踏征途", "砥砺前行 向未来"]
    setting = set_headline(SETTER, "奋进平顺踏征途砥砺前行\n向未来", "headline", "headline", 200)
    assert [line.text for line in setting.paragraph.lines] == ["奋进平顺踏征途砥砺前行", "向未来"]
    assert setting.overflow.startswith("the line '奋进平顺踏征途砥砺前行' is 286 pt wide at 26 pt, "
                                       "wider than its module (200 pt)")


def test_a_headline_without_spaces_is_never_broken_inside():
    setting = set_headline(SETTER, "下绣花功夫群策群力优机制", "headline", "headline", 200)
    assert [line.text for line in setting.paragraph.lines] == ["下绣花功夫群策群力优机制"]
    assert setting.overflow


TWO_LINES = MINIMAL.replace("headline: 标题", 'kicker: 引题在上\n        headline: "奋进平顺 踏征途\\n砥砺前行 向未来"\n'
                            "        subhead: 副题在下也是两行的长副题 第二个短语")


def test_a_two_line_headline_with_the_editor_s_break_renders_without_overprint(write_issue, tmp_path):
    rendered, written = render_to_files(write_issue(TWO_LINES), tmp_path / "out")
    assert [str(f) for f in rendered.findings if f.kind == "render"] == []
    with pdfplumber.open(written[-1]) as pdf:
        chars = [c for c in pdf.pages[0].chars if c["size"] > 12 and c["text"].strip()]
    heads = [c for c in chars if c["size"] > 20]
    baselines = sorted({round(c["bottom"]) for c in heads})
    assert len(baselines) == 2
    rows = ["".join(c["text"] for c in sorted((c for c in heads if round(c["bottom"]) == b), key=lambda c: c["x0"]))
            for b in baselines]
    assert rows == ["奋进平顺踏征途", "砥砺前行向未来"]
    kicker = [c for c in chars if abs(c["size"] - THEME.sizes["kicker"]) < 0.1]
    subhead = [c for c in chars if abs(c["size"] - THEME.sizes["subhead"]) < 0.1]
    assert "".join(c["text"] for c in kicker) == "引题在上" and len(subhead) == 17
    assert max(c["bottom"] for c in kicker) <= min(c["top"] for c in heads)
    assert max(c["bottom"] for c in heads) <= min(c["top"] for c in subhead)


TOO_WIDE = MINIMAL.replace("headline: 标题", 'headline: "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五\\n短"')


def test_a_headline_line_wider_than_the_page_is_a_located_error_of_render_and_check(write_issue, tmp_path):
    folder = write_issue(TOO_WIDE)
    result = run("render", folder, "-o", tmp_path / "out")
    assert result.exit_code == 1
    message = ("x/issue.yaml:7: pages[0].stories[0].headline: the line '一二三四五六七八九十一二三四五六七八九十"
               "一二三四五六七八九十一二三四五' is ")
    assert message in result.output
    report = check_issue(folder, tmp_path / "cache")
    assert [f.key for f in report.findings if f.severity.value == "error"] == ["pages[0].stories[0].headline"]
