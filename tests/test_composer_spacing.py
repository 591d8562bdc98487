"""Unit tests of the spacing within a line (composer/spacing.py): which marks a fit squeezes
inside the line (ink-left stops first, then closing brackets and quotes, from the line's end;
never a mark already half-width in a pair, never one of another line), written to kill the
mutants scripts/mutation found alive (docs/mutation.md)."""
from __future__ import annotations

import re
import sys
from html import unescape
from pathlib import Path

import pytest

from layout.composer import Run, compose_paragraph, paragraph_html
from layout.composer.breaking import Fit
from layout.composer.items import AUTOSPACE_EM, BOUNDARY_MAX_EM, build_items
from layout.composer.spacing import _squeezed, set_line

sys.path.insert(0, str(Path(__file__).parent))
from test_composer_render import body_faces  # noqa: E402

SIZE = 9.0


def items(text: str):
    return build_items([Run(text, body_faces())], SIZE, 20 * SIZE)


def squeezed(text: str, a: int, b: int, mid: int) -> list[str]:
    it = items(text)
    chosen = _squeezed(it, a, b, Fit(1.0, False, mid, 0.0))
    return [f"{i}{it.text[i]}" for i in sorted(chosen)]


def test_stops_are_squeezed_before_closing_quotes_from_the_line_end():
    text = "汉，汉”汉。汉"
    assert squeezed(text, 0, 7, 1) == ["5。"]
    assert squeezed(text, 0, 7, 2) == ["1，", "5。"]
    assert squeezed(text, 0, 7, 3) == ["1，", "3”", "5。"]


def test_a_mark_of_the_line_before_is_never_squeezed():
    # the line holds 汉”汉。汉 (items 2..6); the ， ending the line before is not its to squeeze
    assert squeezed("汉，汉”汉。汉", 2, 7, 2) == ["3”", "5。"]


def test_a_mark_already_half_width_in_a_pair_is_not_squeezed_again():
    it = items("汉，汉。”汉")
    assert it.paired[3] and it.saving[3] == 0.0          # 。” : the 。 is set half-width
    assert squeezed("汉，汉。”汉", 0, 6, 1) == ["1，"]


def test_the_squeezed_marks_are_painted_half_width():
    it = items("汉，汉”汉。汉")
    line = set_line(it, 0, 7, Fit(1.0, False, 2, 0.0), 6.0 * SIZE, False)
    assert [p.text for p in line.pieces if p.halt] == ["，", "。"]
    assert line.width == 6.0 * SIZE and line.flush and line.letter_spacing == 0.0


def han_latin_line(extra: float):
    """汉ABC汉 set `extra` pt wider than its natural width, as a non-final line."""
    it = items("汉ABC汉")
    assert it.text == ["汉", "ABC", "汉"] and it.gap[1] == it.gap[2] == AUTOSPACE_EM * SIZE
    natural = sum(it.adv) + sum(it.gap)
    return it, set_line(it, 0, 3, Fit(1.0, False, 0, extra), natural + extra, False)


def test_a_little_slack_goes_evenly_into_the_han_latin_spaces():
    _, line = han_latin_line(0.6)
    word = line.pieces[1]
    assert word.margin_left == pytest.approx(AUTOSPACE_EM * SIZE + 0.3)
    assert word.margin_right == pytest.approx(AUTOSPACE_EM * SIZE + 0.3)
    assert line.letter_spacing == 0.0 and line.flush


def test_slack_beyond_the_han_latin_spaces_room_is_letter_spacing():
    # each space may grow to BOUNDARY_MAX_EM; the rest is spread over the 2 gaps
    _, line = han_latin_line(5.0)
    room = (BOUNDARY_MAX_EM - AUTOSPACE_EM) * SIZE
    word = line.pieces[1]
    assert word.margin_left == pytest.approx(BOUNDARY_MAX_EM * SIZE)
    assert line.letter_spacing == pytest.approx((5.0 - 2 * room) / 2)
    assert word.margin_right == pytest.approx(BOUNDARY_MAX_EM * SIZE + line.letter_spacing)
    assert line.flush


LATIN = ("会议由 World Health Organization 与 United Nations Development Programme 联合主办，"
         "来自 the Asia Pacific region 的代表出席。") * 2


@pytest.mark.parametrize("em", [9, 10, 13])
def test_every_item_but_the_last_carries_the_letter_spacing(em):
    para = compose_paragraph([Run(LATIN, body_faces())], width=em * SIZE, size=SIZE)
    spaced_lines = [line for line in para.lines[:-1] if line.letter_spacing > 0]
    assert len(spaced_lines) >= 3
    for line in spaced_lines:
        solid = [p for p in line.pieces if p.kind != "space"]
        assert not solid[-1].spaced and solid[-1].margin_right == 0.0, line.text
        for piece in solid[:-1]:
            assert piece.spaced or piece.margin_right >= line.letter_spacing - 1e-9, (line.text, piece)


@pytest.mark.parametrize("em", [9, 10, 13])
def test_the_markup_paints_every_character_of_the_source_once(em):
    """Lines with Latin words, their spaces, letter-spacing and a bold lead-in run: the HTML's
    text, tags taken out, is the paragraph's text, line by line."""
    runs = [Run("新华社讯 ", body_faces(), css_class="lead"), Run(LATIN, body_faces())]
    para = compose_paragraph(runs, width=em * SIZE, size=SIZE)
    html = str(paragraph_html(para))
    painted = [unescape(re.sub(r"<[^>]+>", "", line)) for line in html.split("<br>")]
    assert painted == [line.text for line in para.lines]
    assert "".join(painted) == "新华社讯 " + LATIN


def test_how_each_kind_of_item_carries_the_spacing():
    """A line 9 pt wider than its natural width: the two Han–Latin spaces grow to their bound,
    the rest is letter-spacing over the 10 gaps. Han characters and a one-character word (·)
    are letter-spaced; —— is never spaced inside (the spacing after it is a margin); a Latin
    word carries its Han–Latin spaces and the spacing after it as margins; the last item
    carries nothing."""
    from layout.composer.spacing import Piece
    it = items("约翰·史密斯说——好ABC汉")
    assert it.kind == ["han", "han", "word", "han", "han", "han", "han", "han", "han", "word", "han"]
    natural = sum(it.adv) + sum(it.gap)
    line = set_line(it, 0, len(it), Fit(1.0, False, 0, 9.0), natural + 9.0, False)
    quarter, room = AUTOSPACE_EM * SIZE, (BOUNDARY_MAX_EM - AUTOSPACE_EM) * SIZE
    s = (9.0 - 2 * room) / 10
    assert line.letter_spacing == pytest.approx(s) and line.first and line.flush

    def han(text):
        return Piece(text, "han", 0, False, True, 0.0, 0.0, False)
    expected = [han("约"), han("翰"), Piece("·", "word", 0, False, True, 0.0, 0.0, False),
                han("史"), han("密"), han("斯"), han("说"),
                Piece("——", "han", 0, False, False, 0.0, s, False), han("好"),
                Piece("ABC", "word", 0, False, False, quarter + room, s + quarter + room, False),
                Piece("汉", "han", 0, False, False, 0.0, 0.0, True)]
    assert len(line.pieces) == len(expected)
    for got, want in zip(line.pieces, expected):
        assert tuple(got) == pytest.approx(tuple(want)) and got == pytest.approx(want), got
        assert [type(v) for v in got] == [type(v) for v in want], got


def test_a_latin_word_starting_a_line_has_no_han_latin_space_before_it():
    it = items("汉字ABC汉")
    assert it.gap[2] == AUTOSPACE_EM * SIZE       # ABC follows 字: a space when they share a line
    line = set_line(it, 2, 4, Fit(1.0, False, 0, 0.0), it.adv[2] + it.adv[3] + it.gap[3], False)
    assert line.pieces[0].margin_left == 0.0 and not line.first
    para = compose_paragraph([Run("汉" * 40, body_faces())], width=13 * SIZE, size=SIZE)
    assert [line.first for line in para.lines] == [True, False, False, False]
