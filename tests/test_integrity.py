"""Text as written, every character printed: NFC, tabs, invisible controls, rare characters.

One issue with a tab, decomposed accents, a CJK Extension B ideograph and emoji sequences is
rendered once; its PDF's text layer and glyph positions are read back with pdfplumber.
"""
from __future__ import annotations

import textwrap
import unicodedata

import pdfplumber
import pytest
from click.testing import CliRunner

from layout.cli import main
from layout.errors import LayoutError
from layout.model import load_issue
from layout.pipeline import render_to_files
from layout.source import load_source
from layout.theme import load_theme

from .conftest import MINIMAL

FAMILY = "👨\u200d👩\u200d👧"
SCOTLAND = "🏴\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F"
TAB_LINE = "第一段\t正文从这里开始，一直写到这一栏的右边还不停下，再写几个字看看。"
ISSUE = f"""\
paper: 示例日报
title: 测试特刊
date: 2026-02-10
pages:
  - section: 要闻
    stories:
      - headline: 标题𪚥🇨🇳
        body: |
          {TAB_LINE}

          Nguye\u0302\u0303n、Zoe\u0308、n\u0303、a\u030a都是外国人名。

          表情😀，{FAMILY}和👍🏽，还有{SCOTLAND}。𪚥字。
"""


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    folder = tmp_path_factory.mktemp("issues") / "x"
    folder.mkdir()
    (folder / "issue.yaml").write_text(ISSUE, encoding="utf-8")
    out = tmp_path_factory.mktemp("out")
    result, written = render_to_files(folder, out)
    with pdfplumber.open(written[-1]) as pdf:
        chars = pdf.pages[0].chars
    return folder, result, chars


def test_text_is_read_as_nfc_and_tabs_become_spaces(rendered):
    folder, _, _ = rendered
    body = load_issue(folder).pages[0].stories[0].body
    assert "Nguyễn、Zoë、ñ、å" in body
    assert unicodedata.is_normalized("NFC", body)
    assert body.startswith("第一段 正文从这里开始")


def test_every_character_comes_back_from_the_text_layer_without_notdef(rendered):
    _, result, chars = rendered
    assert [str(f) for f in result.findings if f.kind == "render"] == []   # no ".notdef glyph rendered"
    text = unicodedata.normalize("NFC", "".join(c["text"] for c in chars))
    for expected in ("标题𪚥🇨🇳", "Nguyễn、Zoë、ñ、å都是外国人名。",
                     f"表情😀，{FAMILY}和👍🏽，还有{SCOTLAND}。𪚥字。"):
        assert expected in text.replace(" ", "").replace("\n", "")


def test_rare_ideographs_and_emoji_are_set_in_the_fallback_faces(rendered):
    _, _, chars = rendered
    faces = {c["text"]: c["fontname"].split("+", 1)[1] for c in chars}
    assert faces["𪚥"].startswith("HanaMinB")
    assert faces["🇨🇳"].startswith("Noto-Color-Emoji")
    emoji = {face for text, face in faces.items() if any(0x1F000 <= ord(char) <= 0x1FAFF for char in text)}
    assert {face.removesuffix("-Bold") for face in emoji} == {"Noto-Color-Emoji"}
    assert {FAMILY, SCOTLAND, "👍🏽"} <= faces.keys()     # each one glyph, as its sequence
    assert faces["表"] == "Noto-Serif-CJK-SC"


def test_nothing_on_the_former_tab_line_crosses_the_column(rendered):
    _, _, chars = rendered
    grid = load_theme().grid
    first = next(c for c in chars if c["text"] == "第" and c["top"] > grid.margin_top)   # not 第1版 in the 报眉
    right = grid.margin_side + grid.column_width      # the story's first basic column
    line = [c for c in chars if abs(c["top"] - first["top"]) < 1 and c["x0"] < right]
    assert "".join(c["text"] for c in line) == "第一段正文从这里开始，"   # the space draws nothing
    assert all(c["x0"] >= first["x0"] - 0.01 for c in line)
    assert max(c["x1"] for c in line[:-1]) <= right + 0.01
    # a closing mark at the line end may hang its blank right half past the edge, no more
    assert line[-1]["x0"] + grid.body_size / 2 <= right + 0.01
    # the tab is one space: 正 follows 段 by the width of a space plus the line's spacing, not
    # a tab stop 8 characters away
    gap = next(c for c in line if c["text"] == "正")["x0"] - next(c for c in line if c["text"] == "段")["x1"]
    assert 0 < gap < grid.body_size


# --- refused characters -------------------------------------------------------------------

def problems(folder) -> list[str]:
    with pytest.raises(LayoutError) as caught:
        load_issue(folder)
    return [str(f) for f in caught.value.findings]


@pytest.mark.parametrize("code", [0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068,
                                  0x2069, 0x200E, 0x200F, 0x061C])
def test_bidi_controls_are_refused_with_their_place(write_issue, code):
    folder = write_issue(MINIMAL.replace("标题", f"标{chr(code)}题"))
    name = unicodedata.name(chr(code))
    assert problems(folder) == [
        f"x/issue.yaml:7: pages[0].stories[0].headline: contains the invisible character "
        f"U+{code:04X} {name}, which changes the order in which the text around it is shown; "
        "delete it"]


def test_a_control_in_a_body_is_located_on_its_line(write_issue):
    folder = write_issue(MINIMAL.replace("第二段正文。", "第二段\u202e正文。"))
    assert problems(folder) == [
        "x/issue.yaml:11: pages[0].stories[0].body: contains the invisible character U+202E "
        "RIGHT-TO-LEFT OVERRIDE, which changes the order in which the text around it is shown; "
        "delete it"]


def test_tag_characters_are_refused_outside_an_emoji_flag(write_issue):
    hidden = "".join(chr(0xE0000 + ord(c)) for c in "hi")
    folder = write_issue(MINIMAL.replace("标题", f"标题{hidden}").replace("第一段", f"{SCOTLAND}第一段"))
    assert problems(folder) == [
        "x/issue.yaml:7: pages[0].stories[0].headline: contains the invisible character U+E0068 "
        "TAG LATIN SMALL LETTER H, which hides or moves the text around it; delete it",
        "x/issue.yaml:7: pages[0].stories[0].headline: contains the invisible character U+E0069 "
        "TAG LATIN SMALL LETTER I, which hides or moves the text around it; delete it"]


def test_joiners_and_variation_selectors_are_kept(write_issue):
    text = f"{FAMILY}、☺\ufe0f、1\ufe0f\u20e3、a\u200cb"
    folder = write_issue(MINIMAL.replace("标题", text))
    assert load_issue(folder).pages[0].stories[0].headline == text


def test_a_control_in_a_comment_is_refused_too(write_issue):
    folder = write_issue(MINIMAL.replace("title: 测试特刊", "title: 测试特刊  # \u2066注\u2069"))
    assert [p.split(": ", 1)[0] for p in problems(folder)] == ["x/issue.yaml:2", "x/issue.yaml:2"]


def test_a_character_no_face_has_stops_render(write_issue, tmp_path):
    write_issue(MINIMAL.replace("标题", "标题\U00030041"))
    result = CliRunner().invoke(main, ["render", "x", "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.output == (
        "x/issue.yaml:7: pages[0].stories[0].headline: '\U00030041' (U+30041) is in no font of "
        "role 'headline' (Noto Serif CJK SC, Noto Serif, HanaMinB, Noto Color Emoji, BabelStone "
        "Han), so it cannot be printed: replace the character or add a font that has it\n")
    assert not (tmp_path / "out" / "x.pdf").exists()


def test_canonically_equivalent_files_load_the_same(tmp_path):
    composed, decomposed = tmp_path / "a.yaml", tmp_path / "b.yaml"
    composed.write_text("headline: Nguyễn\n", encoding="utf-8")
    decomposed.write_text(textwrap.dedent("headline: Nguye\u0302\u0303n\n"), encoding="utf-8")
    assert load_source(composed).data == load_source(decomposed).data == {"headline": "Nguyễn"}


def test_a_notdef_glyph_weasyprint_draws_is_an_error():
    import logging

    from layout.errors import Severity
    from layout.render import captured_weasyprint_log
    with captured_weasyprint_log() as log:
        logging.getLogger("weasyprint").warning(
            '.notdef glyph rendered for Unicode string unsupported by fonts: "%s" (U+%04X)',
            "\U00030041", 0x30041)
        logging.getLogger("weasyprint").warning("Ignored `x: y` at 1:1, unknown property.")
    assert [(str(f), f.severity) for f in log.findings("x.html#page-1")] == [
        ('x.html#page-1: WeasyPrint: .notdef glyph rendered for Unicode string unsupported by '
         'fonts: "\U00030041" (U+30041)', Severity.ERROR),
        ("x.html#page-1: WeasyPrint: Ignored `x: y` at 1:1, unknown property.", Severity.WARNING)]


def test_image_paths_are_kept_as_written(write_issue):
    from .conftest import photo
    decomposed = "images/Zoe\u0308.jpg"        # as a Mac names the file
    folder = write_issue(MINIMAL + textwrap.indent(textwrap.dedent(f"""\
        figures:
          - image: {decomposed}
            caption: Zoe\u0308 摄
        """), " " * 8))
    photo(folder / decomposed)
    figure = load_issue(folder).pages[0].stories[0].figures[0]
    assert (figure.image, figure.caption) == (decomposed, "Zoë 摄")


def test_emoji_the_body_face_also_has_stay_in_the_column(write_issue, tmp_path):
    folder = write_issue(MINIMAL.replace("第一段正文。", "这是⌚🀄🈶🆗⚽⚾🈚🈯🉐🉑这是一段很长的正文用来看看右边有没有越界"))
    _, written = render_to_files(folder, tmp_path / "out", jobs=1)
    grid = load_theme().grid
    right = grid.margin_side + grid.column_width
    with pdfplumber.open(written[-1]) as pdf:
        chars = [c for c in pdf.pages[0].chars if c["x0"] < right and c["top"] > grid.margin_top]
    first = [c for c in chars if abs(c["top"] - chars[0]["top"]) < 4]
    assert "".join(c["text"] for c in first).startswith("这是⌚")
    assert max(c["x1"] for c in first) <= right + 0.01
