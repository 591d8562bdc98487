"""Glyph measurement in the composer (composer/metrics.py; layout decisions: line
composition): advances of real faces as HarfBuzz shapes them the way Pango does (script and
language of the run, `halt` and `fwid`), the face each character is drawn in, the characters
no face has, and the vertical extents of a face. Every test starts with cold caches, so what
it asserts is what the functions compute. Written to kill the mutants scripts/mutation found
alive (docs/mutation.md)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from layout.composer import metrics
from layout.composer.metrics import (FontFace, advance_em, advance_table, face_for, face_runs,
                                     face_table, measure_ideographs, missing_chars,
                                     vertical_extents)

sys.path.insert(0, str(Path(__file__).parent))
from test_composer_emoji import theme_chains  # noqa: E402
from test_composer_render import body_faces  # noqa: E402


@pytest.fixture(autouse=True)
def cold_caches(monkeypatch):
    """Every measurement of the test is made afresh (fonts stay open)."""
    metrics._tables.clear()
    for cached in (advance_em, metrics.feature_neutral, metrics.halt_trims_right,
                   metrics.emoji_face, metrics.text_order):
        cached.cache_clear()
    monkeypatch.setattr(metrics, "_joiners", {})


def cjk_serif() -> tuple[FontFace, FontFace]:
    return body_faces()


def test_vertical_extents_are_the_faces_ascent_and_descent_in_em():
    """HarfBuzz's ascender and descender (OS/2 typo metrics where the face asks for them,
    else hhea), over units per em: what Pango gives a line box."""
    for face, (ascent, descent) in zip(cjk_serif(), [(1.151, 0.286), (1.069, 0.293)]):
        assert vertical_extents(face) == pytest.approx((ascent, descent))
        font = TTFont(face.path, fontNumber=face.index, lazy=True)
        upem, hhea = font["head"].unitsPerEm, font["hhea"]
        assert vertical_extents(face) == pytest.approx((hhea.ascent / upem, -hhea.descent / upem))


def test_each_character_is_measured_in_the_first_face_that_has_it():
    cjk, serif = cjk_serif()
    assert face_for("汉", (cjk, serif)) == cjk and face_for("汉", (serif, cjk)) == cjk
    assert face_for("A", (cjk, serif)) == cjk and face_for("A", (serif, cjk)) == serif
    assert face_for("ẞ", (cjk, serif)) == serif          # Latin capital sharp s: not in the CJK face
    assert face_for("𪚥", (cjk, serif)) is None
    assert face_table((cjk, serif))["ẞ"] == serif
    assert list(face_runs("A汉B", (serif, cjk))) == [(serif, "A"), (cjk, "汉"), (serif, "B")]
    assert list(face_runs("A汉B", (cjk, serif))) == [(cjk, "A汉B")]
    assert list(face_runs("Aẞ汉", (cjk, serif))) == [(cjk, "A"), (serif, "ẞ"), (cjk, "汉")]
    assert list(face_runs("", (cjk, serif))) == []
    # a character no face has is drawn (as .notdef) in the primary face
    assert list(face_runs("A𪚥", (serif, cjk))) == [(serif, "A𪚥")]


def test_a_joiner_or_a_variation_selector_stays_in_the_face_of_the_character_before_it():
    cjk, serif = cjk_serif()
    assert list(face_runs("ẞ\ufe00汉", (cjk, serif))) == [(serif, "ẞ\ufe00"), (cjk, "汉")]
    assert list(face_runs("A\u200d汉", (serif, cjk))) == [(serif, "A\u200d"), (cjk, "汉")]
    assert list(face_runs("汉\U000e0100A", (serif, cjk))) == [(cjk, "汉\U000e0100"), (serif, "A")]
    # an ideographic variation sequence, a ZWJ after Han, a selector no face maps
    assert list(face_runs("汉\ufe00", (cjk, serif))) == [(cjk, "汉\ufe00")]
    assert list(face_runs("汉\u200dA", (serif, cjk))) == [(cjk, "汉\u200d"), (serif, "A")]
    assert list(face_runs("汉\U000e01efA", (serif, cjk))) == [(cjk, "汉\U000e01ef"), (serif, "A")]
    # the characters just past the selectors' blocks are no joiners: ︐ is a vertical comma
    assert list(face_runs("A\ufe10", (serif, cjk))) == [(serif, "A"), (cjk, "\ufe10")]
    # at the start of the text a joiner has no character before it: its own face
    assert list(face_runs("\u200d汉", (serif, cjk))) == [(serif, "\u200d"), (cjk, "汉")]


def test_emoji_are_measured_in_the_emoji_face_and_text_in_the_others_first():
    _, chains = theme_chains()
    chain = chains["body"]
    emoji = metrics.emoji_face(chain)
    assert emoji is not None and emoji in chain
    runs = list(face_runs("汉⚽汉", chain))
    assert [part for _, part in runs] == ["汉", "⚽", "汉"]
    assert runs[1][0] == emoji and runs[0][0] != emoji
    assert [part for _, part in face_runs("汉⚽\ufe0e汉", chain)] == ["汉⚽\ufe0e汉"]
    # a chain with no emoji face: ⚽ is drawn by the first face that has it
    cjk, serif = cjk_serif()
    assert metrics.emoji_face((cjk, serif)) is None
    assert list(face_runs("汉⚽", (serif, cjk))) == [(cjk, "汉⚽")]


def test_advances_in_em_with_the_feature_and_the_script_pango_gives_the_run():
    faces = cjk_serif()
    assert advance_em("汉", faces) == 1.0
    assert advance_em("，", faces) == 1.0 and advance_em("，", faces, "halt") == 0.5
    assert advance_em("——", faces) == 2.0 and advance_em("——", faces, "fwid") == 2.0
    assert advance_em("A", faces) == pytest.approx(0.718)
    # digits alone stay in the Chinese run; with a letter the run is Latin, other digits
    assert advance_em("2025", faces) == pytest.approx(2.231)
    assert advance_em("X2", faces) == pytest.approx(1.249)
    assert advance_em("X", faces) + advance_em("2", faces) == pytest.approx(1.258)
    # Hangul jamo shaped as Korean compose to one syllable, as Pango sets them
    assert advance_em("\u1100\u1161", faces) == pytest.approx(0.966)
    assert advance_em("A汉", (cjk_serif()[1], cjk_serif()[0])) == pytest.approx(
        advance_em("A", (cjk_serif()[1],)) + 1.0)
    table = advance_table(faces, "halt")
    assert table["，"] == 0.5 and "，" in table and advance_table(faces)["，"] == 1.0
    assert advance_table(faces, "halt") is table and advance_table(faces) is not table


def test_ideographs_measured_in_one_call_take_the_face_that_has_them():
    cjk, serif = cjk_serif()
    faces = (serif, cjk)                      # the Latin face first: 汉 is in the second
    measure_ideographs(["汉", "字", "汉", "A", "汉字", "㐀"], faces)
    table = advance_table(faces)
    assert dict(table) == {"汉": 1.0, "字": 1.0}  # single URO ideographs only
    assert face_table(faces)["汉"] == cjk
    measure_ideographs(["\u9fff", "\u4e00"], faces)   # neither face has U+9FFF: the primary's .notdef
    assert table["\u4e00"] == 1.0
    assert table["\u9fff"] == advance_em("\u9fff", faces)
    assert table["\u9fff"] != 1.0


def test_missing_characters_are_those_no_face_maps_and_are_drawn():
    faces = cjk_serif()
    assert missing_chars("汉字𪚥A \t\u200d\ufe0f\U000e0100\x01", faces) == {"𪚥"}
    assert missing_chars("𪚥𪚥\U000F0000", faces) == {"𪚥", "\U000F0000"}
    assert missing_chars("", faces) == set()
    # default-ignorables no face maps are not missing (a tag, the last variation selector);
    # an unassigned code point just past the selectors is
    assert missing_chars("汉\U000e0001\U000e01ef\U000e01f0", faces) == {"\U000e01f0"}


def test_clear_caches_forgets_every_measurement():
    faces = cjk_serif()
    advance_table(faces)["汉"]
    advance_em("A", faces)
    metrics.feature_neutral("汉", faces, "halt")
    metrics.halt_trims_right("，", faces)
    metrics.clear_caches()
    assert metrics._tables == {}
    for cached in (advance_em, metrics.feature_neutral, metrics.halt_trims_right):
        assert cached.cache_info().currsize == 0
    assert advance_table(faces)["汉"] == 1.0
