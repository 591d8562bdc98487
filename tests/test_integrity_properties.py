"""Property: every character an editor writes is printed, in order, or refused by name.

Hypothesis writes story bodies from CJK ideographs (the URO, Extensions A-G, compatibility
ideographs), Latin, Greek and Cyrillic letters with combining marks, full-width and CJK
punctuation, emoji (with skin tones, ZWJ sequences, flags, keycaps) and symbols, plus now and
then a character from any other block. Each body is rendered by `render` on a small page of the
newspaper theme. Then either

- the PDF's text layer holds the body, in order and NFC-equal, with no .notdef glyph drawn
  (WeasyPrint logs one for each), or
- the render stops with located errors, each naming a character of the body and its code point,
  and naming only characters that no face of the theme's body chain really has.

Default-ignorable characters (ZWSP, soft hyphen...) are left out of "any other block": they are
invisible by definition and leave nothing in a text layer; tests/test_integrity.py covers them.
"""
from __future__ import annotations

import functools
import re
import shutil
import unicodedata
from datetime import timedelta

import pdfplumber
import pytest
import yaml
from fontTools.ttLib import TTFont
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import layout.theme
from layout.errors import LayoutError
from layout.fonts import resolve_fonts
from layout.pipeline import render_to_files
from layout.preflight.fonts import chain
from layout.text import ignorable

CJK_BLOCKS = [(0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0x20000, 0x2A6DF), (0x2A700, 0x2B73F),
              (0x2B740, 0x2B81F), (0x2B820, 0x2CEAF), (0x2CEB0, 0x2EBEF), (0x30000, 0x3134F),
              (0xF900, 0xFAFF), (0x2F800, 0x2FA1F)]
LETTER_BLOCKS = [(0x0041, 0x024F), (0x0370, 0x03FF), (0x0400, 0x04FF)]   # Latin, Greek, Cyrillic
COMBINING = (0x0300, 0x036F)
PUNCTUATION = ("，。、；：？！“”‘’（）《》〈〉「」『』【】〔〕〖〗—…·～　！＂＃％＆＇＊＋－．／"
               "：；＜＝＞＠［＼］＾＿｀｛｜｝￥")
SYMBOLS = "©®™°±×÷§¶†‡•‰′″※℃№→←↑↓∞≈≠≤≥■□▲△○●◎★☆♀♂¥€£％‰①②③Ⅰ Ⅱ Ⅲ".replace(" ", "")
EMOJI = ["😀", "😂", "👍", "🎉", "❤️", "🔥", "🇨🇳", "🇭🇰", "🇺🇳", "👍🏽", "👋🏻", "👩‍💻",
         "👨‍👩‍👧", "🏳️‍🌈", "🧑🏿‍🚀", "1️⃣", "#️⃣", "⌚", "🀄", "🈶",
         "🏴\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F"]
LISTED = CJK_BLOCKS + LETTER_BLOCKS + [COMBINING, (0x3000, 0x303F), (0xFF00, 0xFFEF),
                                       (0x1F000, 0x1FAFF), (0x2000, 0x2BFF)]


def _assigned(block: tuple[int, int]) -> list[str]:
    return [chr(c) for c in range(block[0], block[1] + 1)
            if unicodedata.category(chr(c)) not in ("Cn", "Co", "Cs", "Cc")]


@functools.cache
def _other_characters() -> list[str]:
    """Assigned, visible characters of every block the strategies above leave out."""
    return [chr(c) for c in range(0x20, 0x323B0)
            if not any(lo <= c <= hi for lo, hi in LISTED)
            and unicodedata.category(chr(c)) not in ("Cn", "Co", "Cs", "Cc", "Zl", "Zp", "Zs", "Cf")
            and not ignorable(chr(c)) and chr(c) not in "*\\\"'#:{}[]&!|>%@`,-?"]


def _from(blocks):
    return st.sampled_from(blocks).flatmap(lambda b: st.sampled_from(_assigned(b)))


ideographs = st.one_of(_from(CJK_BLOCKS[:1]), _from(CJK_BLOCKS))   # the URO, or any block
lettered = st.builds(lambda base, marks: base + "".join(marks),
                     _from(LETTER_BLOCKS).filter(str.isalpha),
                     st.lists(st.sampled_from(_assigned(COMBINING)), max_size=2))
pieces = st.one_of(ideographs, ideographs, lettered, st.sampled_from(PUNCTUATION),
                   st.sampled_from(SYMBOLS), st.sampled_from(EMOJI))
bodies = st.lists(pieces, min_size=1, max_size=40).map("".join)
others = st.deferred(lambda: st.sampled_from(_other_characters()))
#: a Chinese sentence with one to three characters of any other block in it
mixed = st.builds(lambda head, odd, tail: head + "".join(odd) + tail,
                  st.lists(_from(CJK_BLOCKS[:1]), max_size=8).map("".join),
                  st.lists(others, min_size=1, max_size=3),
                  st.lists(_from(CJK_BLOCKS[:1]), max_size=8).map("".join))
#: few examples (a render is 1-3 s), derandomised so that CI sees the same ones every run
SETTINGS = dict(deadline=timedelta(seconds=60), derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def small_theme(tmp_path_factory):
    """The newspaper theme on a small page: 4 columns of 13 characters, 30 lines."""
    templates = tmp_path_factory.mktemp("templates")
    shutil.copytree(layout.theme.TEMPLATES_DIR / "newspaper", templates / "small")
    theme = templates / "small" / "theme.yaml"
    text = theme.read_text(encoding="utf-8")
    for key, value in {"width_mm": 200, "height_mm": 190, "margin_top_mm": 15, "columns": 4,
                       "lines": 30, "banner_lines": 6}.items():
        text = re.sub(rf"(\n\s+{key}:\s*)\d+", rf"\g<1>{value}", text)
    theme.write_text(text.replace("name: newspaper", "name: small"), encoding="utf-8")
    return templates


@functools.cache
def _cmap(path, index) -> frozenset[int]:
    font = TTFont(path, fontNumber=index)
    return frozenset(font.getBestCmap())


def _no_face_has(char: str, theme) -> bool:
    fonts = resolve_fonts(theme)
    return all(ord(char) not in _cmap(str(f.path), f.index) for f in chain("body", fonts))


def _squashed(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text))


def check_printed_or_refused(body: str, templates, tmp_path_factory) -> None:
    """Render `body` as a story on the small page: its text comes back, or it is refused
    character by character, by name and code point, and only for characters no face has."""
    folder = tmp_path_factory.mktemp("issue") / "x"
    folder.mkdir()
    issue = {"paper": "示例日报", "title": "测试特刊", "date": "2026-02-10", "theme": "small",
             "pages": [{"stories": [{"headline": "标题", "body": body}]}]}
    (folder / "issue.yaml").write_text(yaml.safe_dump(issue, allow_unicode=True), encoding="utf-8")
    try:
        rendered, written = render_to_files(folder, tmp_path_factory.mktemp("out"), jobs=1)
    except LayoutError as refused:
        theme = layout.theme.load_theme("small")
        named = [re.search(r"'(.+?)' \(U\+([0-9A-F]{4,6})\)", f.message) for f in refused.findings]
        assert all(named), [str(f) for f in refused.findings]
        for match in named:     # named as read: in NFC (क़ U+0958 is read as क U+0915 + ़ U+093C)
            assert match.group(1) in unicodedata.normalize("NFC", body)
            assert ord(match.group(1)) == int(match.group(2), 16)
            assert _no_face_has(match.group(1), theme)
        return
    assert [str(f) for f in rendered.findings if f.kind == "render"] == []   # no .notdef drawn
    with pdfplumber.open(written[-1]) as pdf:
        text = "".join(c["text"] for c in pdf.pages[0].chars)
    assert _squashed(body) in _squashed(text)


@settings(max_examples=10, **SETTINGS)
@given(body=bodies)
@example(body="Nguye\u0302\u0303n、Zoe\u0308、n\u0303、a\u030a、Ελλάδα、Москва́、q\u0303\u0323")
@example(body="国旗🇨🇳，𪚥（U+2A6A5），👍🏽👋🏻，👨‍👩‍👧，🏳️‍🌈，🧑🏿‍🚀，1️⃣，⌚🀄🈶")
@example(body="豈更車賈滑串句龜𠄢丽丸乁𠄢你侮侻倂偺備僧像㒞")   # compatibility ideographs
@example(body="©®™°±×÷§¶†‡•‰′″※℃№→←↑↓∞≈≠≤≥■□▲△○●◎★☆♀♂①②Ⅰ：“引号”《书名》【注】……——")
def test_every_character_is_printed_in_order(body, small_theme, tmp_path_factory, monkeypatch):
    monkeypatch.setattr(layout.theme, "TEMPLATES_DIR", small_theme)
    check_printed_or_refused(body, small_theme, tmp_path_factory)


@settings(max_examples=6, **SETTINGS)
@given(body=mixed)
def test_a_character_of_any_other_block_is_printed_or_refused_by_name(body, small_theme,
                                                                      tmp_path_factory, monkeypatch):
    monkeypatch.setattr(layout.theme, "TEMPLATES_DIR", small_theme)
    check_printed_or_refused(body, small_theme, tmp_path_factory)
