"""Unit tests of the composer's character classes (layout decisions: line composition), one per
rule of GB/T 15834-2011 5.1 / clreq that the classes encode: which items may start or end a
line, which stay in one piece, and the least-bad forced break."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from layout.composer import Run, compose_paragraph
from layout.composer.classes import split_items

sys.path.insert(0, str(Path(__file__).parent))
from test_composer_render import body_faces  # noqa: E402

SIZE = 9.0
W13 = 13 * SIZE

#: every encoding of the two-em dash and the ellipsis the composer is handed
DASH_UNITS = ["——", "⸺", "――", "──"]
ELLIPSIS_UNITS = ["……", "⋯⋯"]


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
