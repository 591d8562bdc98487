"""Unit tests of the composer's character classes (layout decisions: line composition), one per
rule of GB/T 15834-2011 5.1 / clreq that the classes encode: which items may start or end a
line, which stay in one piece, and the least-bad forced break."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from layout.composer import Run, compose_paragraph
from layout.composer import classes
from layout.composer.classes import is_cjk, last_base, split_items

sys.path.insert(0, str(Path(__file__).parent))
from test_composer_render import body_faces  # noqa: E402

SIZE = 9.0
W13 = 13 * SIZE

#: every encoding of the two-em dash and the ellipsis the composer is handed
DASH_UNITS = ["——", "⸺", "――", "──"]
ELLIPSIS_UNITS = ["……", "⋯⋯"]


@pytest.fixture(autouse=True)
def cold_class_caches(monkeypatch):
    """Each test classes characters afresh: the per-character caches (how an item starting
    with a character is cut, whether a character extends a cluster) start empty, so what a
    test asserts is what the functions compute, not what an earlier test left there."""
    monkeypatch.setattr(classes, "_start_kind", {})
    monkeypatch.setattr(classes, "_extenders", {})


def compose(text: str, width: float = W13, **kw):
    return compose_paragraph([Run(text, body_faces())], width=width, size=SIZE, **kw)


def texts(para) -> list[str]:
    return [line.text for line in para.lines]


def _starts_and_cuts(unit: str, before: int = 6, after: int = 25):
    """For pads 0..12 of Han before `unit`: the set of line starts, and whether any break cut
    the unit."""
    starts, cut = set(), False
    for pad in range(before, before + 13):
        text = "汉" * pad + unit + "字" * after
        lines = texts(compose(text))
        assert "".join(lines) == text
        starts |= {line[:len(unit)] for line in lines[1:]}
        cut |= not any(unit in line for line in lines)
    return starts, cut


@pytest.mark.parametrize("unit", DASH_UNITS + ELLIPSIS_UNITS)
def test_two_em_dash_and_ellipsis_may_start_a_line_but_are_never_cut(unit):
    """GB/T 15834 5.1.4 (破折号) and 5.1.5 (省略号): never cut between two lines; a line may
    start with one (clreq's GB-style level; only its strict level forbids it)."""
    assert split_items("汉" + unit + "字") == [("汉", "han"), (unit, "han"), ("字", "han")]
    starts, cut = _starts_and_cuts(unit)
    assert not cut
    assert unit in starts


def test_the_issue_16_case_breaks_before_the_dash_without_forcing():
    para = compose("“内”，——……", width=80.0)
    assert texts(para) in (["“内”，——", "……"], ["“内”，", "——……"])
    assert not para.forced
    assert para.lines[0].flush


@pytest.mark.parametrize("connector", ["—", "―", "～", "-"])
def test_connectors_never_start_a_line(connector):
    """GB/T 15834 5.1.6: 连接号 (一字线 —, 浪纹线 ～, 短横线 -) never starts a line; a lone
    U+2014 is the one-em connector, not half a 破折号."""
    for pad in range(6, 19):
        lines = texts(compose("汉" * pad + "北京" + connector + "上海" + "字" * 25))
        assert all(not line.startswith(connector) for line in lines[1:]), lines
    assert split_items("京—上")[1] == ("—", "han")


@pytest.mark.parametrize("dot", ["·", "‧", "・"])
def test_interpuncts_never_start_a_line(dot):
    """GB/T 15834 5.1.7: 间隔号 never starts a line."""
    for pad in range(6, 19):
        lines = texts(compose("汉" * pad + "列奥纳多" + dot + "达" + dot + "芬奇" + "字" * 25))
        assert all(not line.startswith(dot) for line in lines[1:]), lines


@pytest.mark.parametrize("slash", ["/", "／"])
def test_solidus_neither_starts_nor_ends_a_line(slash):
    """GB/T 15834 5.1.9 (clreq GB-style level): 分隔号 neither starts nor ends a line."""
    for pad in range(6, 19):
        lines = texts(compose("汉" * pad + "科技" + slash + "医疗" + slash + "保障" + "字" * 25))
        for line in lines[:-1]:
            assert not line.endswith(slash), lines
        assert all(not line.startswith(slash) for line in lines[1:]), lines


@pytest.mark.parametrize("mark", list("，。、；：？！”’）》」』〉】〕"))
def test_closing_marks_never_start_a_line(mark):
    """GB/T 15834 5.1.1, 5.1.2, 5.1.3: stops and closing halves never start a line."""
    for pad in range(9, 15):
        lines = texts(compose("汉" * pad + mark + "字" * 25))
        assert all(not line.startswith(mark) for line in lines[1:]), lines


@pytest.mark.parametrize("mark", list("“‘（《「『〈【〔"))
def test_opening_marks_never_end_a_line(mark):
    """GB/T 15834 5.1.3: opening halves never end a line."""
    for pad in range(8, 15):
        lines = texts(compose("汉" * pad + mark + "字字" + "字" * 25))
        assert all(not line.endswith(mark) for line in lines[:-1]), lines


@pytest.mark.parametrize("number", ["15.8%", "3.2‰", "25℃"])
def test_numbers_keep_their_suffix(number):
    """clreq #prohibition_rules_for_unbreakable_marks: digits stay with their suffix symbol."""
    for pad in range(8, 15):
        lines = texts(compose("汉" * pad + number + "字" * 25))
        assert any(number in line for line in lines), lines


def test_forced_break_never_cuts_a_dash_an_ellipsis_or_a_token():
    """A run with no legal break, too wide for the column: the forced break falls between two
    items the rules keep together, never inside ——, …… or a token, nor before a space."""
    text = "（" * 6 + "——" + "）" * 6 + "（" * 6 + "……" + "）" * 6 + "（" * 6 + "COVID-19" + "）" * 6
    para = compose(text, width=80.0)
    assert para.forced
    lines = texts(para)
    assert "".join(lines) == text
    assert any("——" in line for line in lines) and any("……" in line for line in lines)
    assert any("COVID-19" in line for line in lines)
    spaced = compose("（" * 10 + " " + "）" * 10, width=40.0)
    assert spaced.forced and all(not line.text.startswith(" ") for line in spaced.lines)


def test_runs_of_dashes_and_ellipses_part_only_between_units_and_only_when_forced():
    """clreq #prohibition_rules_for_unbreakable_marks: multiples may part between two lines, but
    never inside one ——, ⸺ or ……; the composer parts them only when nothing else fits."""
    assert [t for t, _ in split_items("————")] == ["——", "——"]
    assert [t for t, _ in split_items("———")] == ["———"]
    assert [t for t, _ in split_items("……………")] == ["……", "………"]
    assert [t for t, _ in split_items("⸺⸺")] == ["⸺", "⸺"]
    para = compose("————————", width=80.0)
    assert para.forced and texts(para) == ["——————", "——"]
    assert not compose("汉" * 8 + "————" + "字" * 20).forced
    assert all("————" in line.text or "—" not in line.text
               for line in compose("汉" * 8 + "————" + "字" * 20).lines)


def test_an_odd_run_of_dashes_gives_its_last_character_to_the_last_unit():
    """Five or seven one-em dashes: two-em units, the odd dash joining the last one (———), so
    no unit is a lone connector."""
    assert [t for t, _ in split_items("—————")] == ["——", "———"]
    assert [t for t, _ in split_items("汉" + "—" * 7 + "字")] == ["汉", "——", "——", "———", "字"]
    assert [t for t, _ in split_items("…" * 7)] == ["……", "……", "………"]


@pytest.mark.parametrize("char,cjk", [
    ("㐀", True), ("䶿", True), ("䷀", False),     # Extension A, then the Yijing hexagrams
    ("一", True), ("鿿", True), ("ꀀ", True),       # URO; Yi syllables are wide too
    ("豈", True), ("\ufaff", True), ("ﬀ", False),  # compatibility ideographs, then a ligature
    ("𠀀", True), ("\u3000", True), ("\u303f", True), ("ヿ", True), ("가", True), ("ힰ", False),
    ("Ａ", True), ("A", False), ("é", False), ("—", False), ("·", False),
])
def test_characters_set_on_the_em_grid(char, cjk):
    """Ideographs, kana, hangul and full-width forms are CJK, and so is the half-fill space
    U+303F (narrow by East Asian Width, but in the CJK symbols block); a hexagram, a Latin
    ligature, a jamo of the Hangul Jamo Extended-B block and Latin letters are not."""
    assert is_cjk(char) is cjk


@pytest.mark.parametrize("item,base", [
    ("Zoe\u0308", "e"), ("\u2764\ufe0f", "\u2764"), ("\U0001f44d\U0001f3fb", "\U0001f44d"),
    ("\U0001f44d\U0001f3ff", "\U0001f44d"), ("1\u20e3", "1"), ("\U0001f468\u200d", "\U0001f468"),
    ("\u845b\U000e0100", "\u845b"), ("\u845b\U000e01ef", "\u845b"), ("\u845b\ufe00", "\u845b"),
    ("x\U0001f3fa", "\U0001f3fa"), ("x\U0001f400", "\U0001f400"), ("ab", "b"), ("\u0308", "\u0308"),
    ("\uff09\ufe0f", "\uff09"), ("e\u0308", "e"), ("\u0308\u0301", "\u0308"),
])
def test_the_base_of_an_items_last_cluster(item, base):
    """Combining marks (Mn, Me), joiners (Cf), variation selectors and the five skin-tone
    modifiers (U+1F3FB-1F3FF, category Sk) are skipped; the characters either side of the
    modifiers' block (🏺, 🐀) are bases; a lone mark is its own base."""
    assert last_base(item) == base


def test_breaks_and_han_latin_spaces_read_the_base_of_the_cluster_before_them():
    """（ with a variation selector still never ends a line; a Han character with one may; a
    word ending in a combining accent (Á) gets the Han–Latin space, a dash does not."""
    assert not classes.may_break("汉", classes.HAN, "）", classes.PUNCT)
    assert not classes.may_break("（\ufe0f", classes.PUNCT, "汉", classes.HAN)
    assert classes.may_break("汉\ufe0f", classes.HAN, "字", classes.HAN)
    assert classes.needs_autospace(classes.WORD, "A\u0301", classes.HAN, "汉")
    assert not classes.needs_autospace(classes.WORD, "\u2014", classes.HAN, "汉")


def test_tokens_take_letters_and_digits_of_any_script_and_stop_at_a_connector_before_han():
    """Nguyễn and PM₁₀ are one token each (ễ is a letter, ₁₀ digits); APP/小程序 cuts after APP:
    the solidus joins a token only when a word character follows it."""
    assert split_items("Nguyễn说") == [("Nguyễn", "word"), ("说", "han")]
    assert split_items("PM₁₀超标") == [("PM₁₀", "word"), ("超", "han"), ("标", "han")]
    assert split_items("APP/小程序") == [("APP", "word"), ("/", "word"), ("小", "han"),
                                        ("程", "han"), ("序", "han")]
    assert split_items("Zoë，") == [("Zoë", "word"), ("，", "punct")]
    # a number or a word at the very end of the text, with and without a connector after it
    assert split_items("增长3.5") == [("增", "han"), ("长", "han"), ("3.5", "word")]
    assert split_items("COVID-19.") == [("COVID-19", "word"), (".", "word")]
    assert split_items("A B") == [("A", "word"), (" ", "space"), ("B", "word")]


def test_a_dash_carrying_marks_is_cut_between_its_clusters_only():
    dash = "—\u0301\u0308"
    assert split_items(dash * 2) == [(dash, "han"), (dash, "han")]


@pytest.mark.parametrize("item,unit", [
    ("——", True), ("⸺", True), ("—", True), ("……", True), ("\U0001f44d\U0001f3fd", True),
    ("e\u0301", True), ("汉", False), ("…", False), ("，", False),
])
def test_units_are_painted_whole(item, unit):
    """Dashes (even one), ellipses of two and clusters of several characters are units."""
    assert classes.is_unit(item) is unit


def test_cluster_count_counts_user_perceived_characters():
    assert classes.cluster_count("ab") == 2
    assert classes.cluster_count("\U0001f44d\U0001f3fd汉") == 2
    assert classes.cluster_count("e\u0301") == 1
