"""Unit tests of the pure composer (layout decisions: line composition): line texts, kinsoku,
widths, flush lines, token integrity, squeezing, pairs, autospace, markup."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from markupsafe import Markup

from layout.composer import COMPOSER_CSS, Run, compose_paragraph, paragraph_html
from layout.composer.classes import NO_END, NO_START, split_items
sys.path.insert(0, str(Path(__file__).parent))
from test_composer_render import body_faces, fc_face  # noqa: E402

SIZE = 9.0
W13 = 13 * SIZE


def compose(text: str, width: float = W13, **kw):
    return compose_paragraph([Run(text, body_faces())], width=width, size=SIZE, **kw)


def texts(para) -> list[str]:
    return [line.text for line in para.lines]


def test_pure_han_fills_whole_em_lines():
    para = compose("汉" * 50)
    assert texts(para) == ["汉" * 11, "汉" * 13, "汉" * 13, "汉" * 13]
    assert [line.flush for line in para.lines] == [True, True, True, False]
    assert all(line.letter_spacing == 0 for line in para.lines)
    assert (para.size, para.width, para.indent) == (SIZE, W13, 2 * SIZE)
    assert not para.forced and para.parted == 0 and para.missing == set()


def test_line_never_starts_with_closing_mark_squeezes_first():
    # 12 em of text for an 11 em first line: squeeze the end 。 and the ， (先挤进)
    text = "汉" * 5 + "，" + "汉" * 5 + "。" + "字" * 20
    para = compose(text)
    assert texts(para)[0] == text[:12]
    assert [p.text for p in para.lines[0].pieces if p.halt] == ["，", "。"]
    assert para.lines[0].flush and para.lines[0].letter_spacing == 0


def test_push_when_nothing_to_squeeze():
    para = compose("汉" * 11 + "？" + "字" * 20)  # ？ is never squeezed: push one 汉 (后推出)
    assert texts(para)[0] == "汉" * 10 and texts(para)[1].startswith("汉？")
    assert para.lines[0].flush and para.lines[0].letter_spacing == pytest.approx(1.0)


@pytest.mark.parametrize("text", ["汉" * 10 + "“引号内的文字”" + "字" * 30,
                                  "汉" * 12 + "（括号）" + "字" * 30,
                                  "汉" * 10 + "《书名号》，" + "字" * 30])
def test_kinsoku(text):
    para = compose(text)
    for line in para.lines[:-1]:
        assert line.text[0] not in NO_START, line.text
        assert line.text[-1] not in NO_END, line.text
    assert "".join(texts(para)) == text


def test_breaks_before_opening_quote_and_after_closing():
    para = compose("汉" * 11 + "“字字”" + "汉" * 30)
    assert texts(para)[0] == "汉" * 11
    para = compose("汉" * 7 + "“字字”" + "汉" * 30)
    assert texts(para)[0] == "汉" * 7 + "“字字”"


@pytest.mark.parametrize("token", ["15.8", "94.9%", "GMP", "PM2.5", "COVID-19", "2025", "1,280", "3.2‰"])
def test_tokens_stay_whole(token):
    for pad in range(8, 14):
        text = "汉" * pad + token + "亿元" + "字" * 20
        para = compose(text)
        assert any(token in line.text for line in para.lines), (pad, texts(para))


def test_dashes_and_ellipses_unsplit_and_may_start_a_line():
    starts = set()
    for pad in range(8, 14):
        text = "汉" * pad + "——" + "字" * 6 + "……" + "字" * 20
        para = compose(text)
        starts |= {line.text[:2] for line in para.lines[1:]}
        joined = "|".join(texts(para))
        assert "——" in joined and "……" in joined
        assert "—|—" not in joined and "…|…" not in joined
    assert starts & {"——", "……"}   # GB/T 15834 5.1.4/5.1.5 forbid a cut, not a line start


def test_adjacent_punctuation_first_mark_half():
    para = compose("汉汉。”汉汉）、汉汉”，汉" + "字" * 30)
    halted = [p.text for line in para.lines for p in line.pieces if p.halt]
    assert halted[:3] == ["。", "）", "”"]


def test_autospace_quarter_em_on_tokens():
    para = compose("汉字GMP汉字")
    word = next(p for p in para.lines[0].pieces if p.text == "GMP")
    assert word.margin_left == pytest.approx(0.25 * SIZE)
    assert word.margin_right == pytest.approx(0.25 * SIZE)


def test_no_line_wider_than_width_and_flush():
    text = "发展是第一要务，产业是根本支撑，项目是核心载体。2025年，平顺县签约项目56个、总投资79亿元，GMP易地技改项目试产成功。" * 3
    for width in (W13, 20 * SIZE, 117.5, 150.3):
        para = compose(text, width=width)
        for i, line in enumerate(para.lines):
            measure = width - (2 * SIZE if i == 0 else 0)
            assert line.width <= measure + 0.01
            if i < len(para.lines) - 1:
                assert line.flush, line.text


def test_no_lone_last_character():
    for n in range(20, 60):
        para = compose("汉" * n + "。")
        assert len(para.lines[-1].text) >= 2 or len(para.lines) == 1, n


def test_lead_in_measured_in_its_face_and_wrapped():
    bold = (fc_face("Noto Sans CJK SC:bold"),)
    para = compose_paragraph([Run("本报讯", bold, "lead"), Run("记者从县委获悉" * 4, body_faces())],
                             width=W13, size=SIZE)
    html = str(paragraph_html(para))
    assert html.count('<strong class="lead">') == 1
    assert re.sub("<[^>]+>", "", html) == "本报讯" + "记者从县委获悉" * 4


def test_missing_characters_reported():
    para = compose("汉字𪚥汉字")
    assert para.missing == {"𪚥"}
    assert compose("汉䶮𠮷字").missing == set()
    runs = [Run("𪚥汉", body_faces(), "lead"), Run("汉字", body_faces())]   # every run's, not the last's
    assert compose_paragraph(runs, width=W13, size=SIZE).missing == {"𪚥"}


def test_markup_is_escaped_and_adds_no_text():
    text = "<b>汉</b>&amp;“字”" + "汉" * 30
    para = compose(text)
    html = paragraph_html(para)
    assert isinstance(html, Markup)
    assert "<b>" not in html
    plain = re.sub("<[^>]+>", "", html.replace("<br>", ""))
    assert plain.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").replace("&#34;", '"') == text


def test_css_names_prefixed():
    assert set(re.findall(r"\.([\w-]+)", COMPOSER_CSS)) <= {"cz-p", "cz-pre", "cz-j", "cz-h", "cz-w", "cz-d", "cz-e", "cz-i"}


def measured(text: str, faces=None):
    from layout.composer.items import build_items
    return build_items([Run(text, faces or body_faces())], SIZE, 20 * SIZE)


def test_spaces_measure_once_a_leading_or_repeated_space_nothing():
    """The renderer drops a paragraph's leading whitespace and collapses a run of spaces, so
    the composer measures the first space of a run only."""
    space = measured("A B").adv[1]
    assert space == pytest.approx(0.256 * SIZE)
    assert measured(" 汉").adv == [0.0, SIZE]
    assert measured("A  B").adv[1:3] == [space, 0.0]
    assert [measured("A B  C").adv[i] for i in (1, 3, 4)] == [space, space, 0.0]
    assert all(s == 0.0 for s in measured("A  B").saving)


def test_the_first_item_has_no_han_latin_space_before_it_and_no_break():
    it = measured("A汉")
    assert it.gap == [0.0, 0.25 * SIZE] and it.breakable == [False, True, True]


def test_a_pair_at_the_paragraph_start_halves_its_first_mark_only():
    """。“” : 。 gives up its half to “ ; “ after a halved mark stays full (halved, its ink would
    move left over the 。), and ” before nothing is left squeezable."""
    it = measured("。“”")
    assert it.paired == [True, False, False]
    assert measured("“《").paired == [False, True]     # of two opening marks, the second
    assert it.adv == [SIZE / 2, SIZE, SIZE] and it.saving == [0.0, 0.0, SIZE / 2]


def test_marks_of_a_face_without_halt_are_never_paired():
    """LXGW WenKai (the caption face) has no halt feature: 。” saves nothing, nothing is paired
    (no halt span would be painted for them)."""
    sys.path.insert(0, str(Path(__file__).parent))
    from test_composer_emoji import theme_chains
    it = measured("好。”", theme_chains()[1]["caption"])
    assert it.paired == [False, False, False] and it.saving == [0.0, 0.0, 0.0]
    assert it.adv[:2] == [SIZE, SIZE]


def test_split_items_groups():
    assert split_items("15.8亿元——……GMP") == [
        ("15.8", "word"), ("亿", "han"), ("元", "han"), ("——", "han"), ("……", "han"), ("GMP", "word")]


def test_han_latin_spaces_give_way_before_marks_and_letter_spacing():
    """The quarter em around a token is the first space adjusted (JLREQ 3.8): it shrinks to an
    eighth of an em to keep a line from pushing a character down, and grows to 3/8 em before
    any letter-spacing; a line that fits that way is not letter-spaced."""
    shrunk = grown = 0
    for token, pad in ((t, n) for t in ("2025", "341", "15.8", "GMP", "94.9%", "AI") for n in range(13)):
        para = compose("汉" * pad + token + "年" * 40, indent=0)
        for line in para.lines[:-1]:
            word = next((p for p in line.pieces if p.kind == "word"), None)
            if word is None or not word.margin_left:
                continue
            assert 0.125 * SIZE - 1e-6 <= word.margin_left <= 0.375 * SIZE + 1e-6, line.text
            assert line.flush, line.text
            if word.margin_left < 0.25 * SIZE - 1e-6:
                shrunk += 1
                assert line.letter_spacing == 0 and line.width <= W13 + 0.01, line.text
            elif word.margin_left > 0.25 * SIZE + 1e-6:
                grown += 1
    assert shrunk and grown


def test_ideographs_measured_together_as_alone():
    """measure_ideographs shapes many Han characters in one HarfBuzz call: each advance must be
    what the character measures alone (CJK faces have no kerning or contextual forms there)."""
    from layout.composer import metrics
    faces = body_faces()
    chars = [chr(c) for c in range(0x4E00, 0xA000, 7)] + list("历史的画卷总是在砥砺前行中铺展")
    metrics.clear_caches()
    metrics.measure_ideographs(chars, faces)
    table = metrics.advance_table(faces)
    assert all(c in table for c in chars)          # filled by the one call, not one by one
    together = dict(table)
    metrics.clear_caches()
    alone = {c: metrics.advance_em(c, faces) for c in chars}
    assert together == alone


def test_newline_joined_lines_keep_text_and_put_breaks_inside_closing_spans():
    from layout.composer import lines_html
    text = "汉" * 11 + "？" + "字" * 20 + "平顺县2025年签约项目56个，" * 3
    para = compose(text)
    html = str(lines_html(para, 0, len(para.lines), newlines=True, indent=False))
    assert "\n</span>" in html                      # a spaced line ends inside its span
    plain = re.sub("<[^>]+>", "", html)
    assert plain.split("\n") == texts(para)          # one newline a line, nothing added


def test_one_character_symbols_are_spaced_like_han_without_a_span():
    """· + / between Han characters have no Han–Latin space and nothing inside them to keep
    from being letter-spaced: they get no span of their own (a token like 2025 keeps one)."""
    text = ("汉" * 11 + "？" + "理想乡村·平顺寻美记，科技+医疗+保障，2025年" + "字" * 9) * 2
    for width in (W13, 20 * SIZE):
        para = compose(text, width=width)
        html = str(paragraph_html(para))
        assert not re.search(r'<span class="cz-w"[^>]*>[·+/]</span>', html), html
        assert re.search(r'<span class="cz-w"[^>]*>2025</span>', html)
        assert re.sub("<[^>]+>", "", html.replace("<br>", "")) == text
        assert any("·" in line.text or "+" in line.text for line in para.lines if line.letter_spacing)


@pytest.mark.parametrize("length", range(6, 14))
def test_a_run_in_headlines_gap_neither_ends_nor_starts_a_line(length):
    # a brief: "■headline" in bold, then U+3000 and the body; a line ending with the gap read
    # as a line one em short, one starting with it as an indent (length 9 and 10 did both)
    runs = [Run("■" + "汉" * length, body_faces(), css_class="lead"), Run("　" + "字" * 40, body_faces())]
    para = compose_paragraph(runs, width=W13, size=SIZE)
    assert "".join(texts(para)) == "■" + "汉" * length + "　" + "字" * 40
    for line in para.lines:
        assert not line.text.startswith("　") and not line.text.endswith("　"), texts(para)
    assert all(line.flush for line in para.lines[:-1])
