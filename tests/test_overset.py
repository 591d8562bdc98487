"""Overset without `fit:`: a story 1, 2 or 3 lines too long is an error giving exactly that many
lines. The stories are built by composing: the body's lines are counted with the typesetter and
the page's capacity is checked against the placed columns, not against the overset finding."""
from __future__ import annotations

import textwrap

import pytest
from click.testing import CliRunner

from layout.cli import main
from layout.fonts import resolve_fonts
from layout.model import Paragraph, load_issue
from layout.page import plan_issue
from layout.page.typeset import Typesetter
from layout.theme import load_theme

THEME = load_theme()
GRID = THEME.grid
FONTS = resolve_fonts(THEME)
SETTER = Typesetter.for_theme(THEME, FONTS)

LONG = ("发展是第一要务，产业是根本支撑，项目是核心载体。平顺县牢牢扭住产业发展“牛鼻子”，"
        "持续延链补链强链，推动特优农业、新型工业、文旅康养三大产业协同并进。")
SHORT = "短讯一则。"


def lines_of(text: str) -> int:
    return len(SETTER.body(Paragraph(text=text), GRID.column_width).lines)


def capacity() -> int:
    """Body lines a lone story's page holds: every column below the headline (set over the
    whole type width, one line of space under it)."""
    head = SETTER.display("长文", "headline", "lead_headline", GRID.type_width)
    return GRID.columns * (GRID.lines - SETTER.rows_for(head, 1.25) - 1)


def story_of(lines: int) -> str:
    """An issue whose one story's body composes to exactly `lines` lines."""
    long_lines = lines_of(LONG)
    assert lines_of(SHORT) == 1 and long_lines > 1
    longs = max(0, lines - 20) // long_lines
    body = [LONG] * longs + [SHORT] * (lines - longs * long_lines)
    assert sum(map(lines_of, body)) == lines
    return ("paper: 示例日报\ntitle: 测试\ndate: 2026-02-10\npages:\n  - section: 要闻\n"
            "    stories:\n      - headline: 长文\n        body: |\n"
            + textwrap.indent("\n\n".join(body), " " * 10) + "\n")


def test_a_story_of_exactly_the_capacity_fits_with_every_line_placed(write_issue):
    full = capacity()
    plans = plan_issue(load_issue(write_issue(story_of(full))), THEME, FONTS)
    assert [p.findings for p in plans if any(f.severity.value == "error" for f in p.findings)] == []
    module = plans[0].modules[0]
    assert sum(column.lines for column in module.columns) == full and module.overset_lines == 0
    assert module.box.bottom <= GRID.type_height + 0.01


@pytest.mark.parametrize("over, lines", [(1, "1 line"), (2, "2 lines"), (3, "3 lines")])
def test_a_story_over_by_a_few_lines_is_an_error_with_the_exact_count(write_issue, tmp_path, over, lines):
    folder = write_issue(story_of(capacity() + over))
    result = CliRunner().invoke(main, ["render", str(folder), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if "overset" in line]
    assert errors == [f"x/issue.yaml:7: pages[0].stories[0]: overset by {lines}: "
                      "'长文' does not fit on page 1"]
    assert not (tmp_path / "out" / "x.pdf").exists()
    module = plan_issue(load_issue(folder), THEME, FONTS)[0].modules[0]
    assert module.overset_lines == over
    assert sum(column.lines for column in module.columns) == capacity()


def test_the_stories_a_finding_names_are_listed_as_a_sentence():
    """copyfit's note names every story it saved: one alone, two joined by "and", more with
    commas before the last "and"."""
    from layout.page.fitting import _and
    assert _and(["'甲'"]) == "'甲'"
    assert _and(["'甲'", "'乙'"]) == "'甲' and '乙'"
    assert _and(["'甲'", "'乙'", "'丙'"]) == "'甲', '乙' and '丙'"
