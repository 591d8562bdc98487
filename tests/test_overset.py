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


# --- page/fitting.py's arithmetic, unit by unit (mutation round 3) ---------------------------

from dataclasses import dataclass, field  # noqa: E402
from types import SimpleNamespace  # noqa: E402

from layout.page.bands import Stack  # noqa: E402
from layout.page.fitting import _story_tops, _used_rows, copyfit_setters  # noqa: E402


def test_copyfit_tightens_the_pitch_a_tenth_at_a_time_down_to_the_minimum_and_recounts_the_lines():
    assert (GRID.line_pitch, GRID.min_line_pitch) == (13.5, 12.6)
    setters = list(copyfit_setters(SETTER))
    pitches = [s.theme.grid.line_pitch for s in setters]
    assert pitches == [13.4, 13.3, 13.2, 13.1, 13.0, 12.9, 12.8, 12.7, 12.6]
    height = GRID.lines * GRID.line_pitch
    assert GRID.lines == 102      # the whole lines of the same type height at each pitch
    assert [s.theme.grid.lines for s in setters] == [102, 103, 104, 105, 105, 106, 107, 108, 109]
    for tighter in setters:      # only the pitch and the lines change: not the size, the columns
        grid = tighter.theme.grid
        assert (grid.body_size, grid.columns, grid.column_width) == (GRID.body_size, GRID.columns,
                                                                     GRID.column_width)
        assert height - grid.line_pitch < grid.type_height <= height + 1e-6
        assert tighter.theme.fonts == THEME.fonts


def test_no_copyfit_step_when_the_pitch_is_already_the_minimum():
    from dataclasses import replace
    tight = replace(SETTER, theme=replace(THEME, grid=replace(GRID, min_line_pitch=GRID.line_pitch)))
    assert list(copyfit_setters(tight)) == []
    one = replace(SETTER, theme=replace(THEME, grid=replace(GRID, min_line_pitch=GRID.line_pitch - 0.1)))
    assert [s.theme.grid.line_pitch for s in copyfit_setters(one)] == [GRID.line_pitch - 0.1]


def rows(*counts: int) -> list:
    return [SimpleNamespace(rows=n) for n in counts]


@pytest.mark.parametrize("stack, tops, used", [
    # stories only: each starts a gap below the one above
    (Stack(rows(6, 7, 2), gap=1), [0, 7, 15], 6 + 7 + 2 + 2),
    (Stack(rows(6, 7), gap=2), [0, 8], 15),
    # a banner above them, then a gap
    (Stack(rows(6, 7), banner_rows=3, gap=1), [4, 11], 3 + 6 + 7 + 2),
    # a photo group above the stories: its rows share one line (the last row's foot), then a gap
    (Stack(rows(6, 7), group=[object()], photo_rows=[4, 5], banner_rows=3, gap=1),
     [3 + 1 + 8 + 1, 3 + 1 + 8 + 1 + 7], 3 + 8 + 6 + 7 + 3),
    (Stack(rows(6), group=[object()], photo_rows=[4], gap=1), [4], 3 + 6 + 1),
    # the group below the stories: the stories start at the top
    (Stack(rows(6, 7), group=[object()], photo_rows=[4, 5], gap=1, photos_first=False),
     [0, 7], 8 + 6 + 7 + 2),
    # photo rows without a group are not a band
    (Stack(rows(6), photo_rows=[4, 5], gap=1), [0], 6),
    (Stack([], gap=1), [], 0),
    (Stack([], banner_rows=5, gap=2), [], 5),
])
def test_story_tops_and_used_rows_stack_the_bands_with_a_gap_between(stack, tops, used):
    assert _story_tops(stack) == tops
    assert _used_rows(stack) == used


def with_brief(lines: int, fit: str = "", brief: bool = True) -> str:
    """story_of's issue under `fit`, with a one-line brief after the long story."""
    text = story_of(lines)
    text = text.replace("pages:\n", f"fit: {fit}\npages:\n") if fit else text
    return text + ("      - headline: 短讯\n        body: 短讯一则。\n" if brief else "")


def findings_of(plans) -> list[tuple[str, str, str]]:
    return [(f.severity.value, f.kind, str(f)) for p in plans for f in p.findings]


def test_overset_findings_are_layout_errors_for_every_story_over(write_issue):
    plans = plan_issue(load_issue(write_issue(with_brief(capacity() + 3))), THEME, FONTS)
    assert findings_of(plans) == [
        ("error", "layout", "pages[0].stories[0]: overset by 3 lines: '长文' does not fit on page 1"),
        ("error", "layout", "pages[0].stories[1]: overset by 1 line: '短讯' does not fit on page 1")]


def test_copyfit_takes_the_widest_pitch_that_fits_and_notes_it(write_issue):
    plans = plan_issue(load_issue(write_issue(with_brief(capacity() + 3, "copyfit", brief=False))),
                       THEME, FONTS)
    assert [p.line_pitch for p in plans] == [13.2]
    assert findings_of(plans) == [("note", "layout", "pages[0]: copyfit: line pitch 13.5 pt -> 13.2 pt "
                                   "so that '长文' (overset by 3 lines) fits")]
    # the widest: at every wider step the page's modules do not fit (what copyfit tries)
    from layout.page.placement import compose_page
    issue = load_issue(write_issue(with_brief(capacity() + 3, brief=False)))
    fits = {s.theme.grid.line_pitch: compose_page(issue, issue.pages[0], 1, s) is not None
            for s in copyfit_setters(SETTER)}
    assert [p for p, ok in fits.items() if ok][0] == 13.2 and not fits[13.4] and not fits[13.3]


def test_copyfit_names_every_story_it_saved(write_issue):
    plans = plan_issue(load_issue(write_issue(with_brief(capacity() + 3, "copyfit"))), THEME, FONTS)
    assert findings_of(plans)[0] == (
        "note", "layout", f"pages[0]: copyfit: line pitch 13.5 pt -> {plans[0].line_pitch:g} pt so that "
        "'长文' (overset by 3 lines) and '短讯' (overset by 1 line) fit")


def test_a_jump_moves_the_stories_after_the_cut_and_warns_of_a_nearly_empty_page(write_issue):
    plans = plan_issue(load_issue(write_issue(with_brief(capacity() + 40, "jump"))), THEME, FONTS)
    assert [p.number for p in plans] == [1, 2]
    continued = sum(c.lines for c in plans[1].modules[0].columns)
    assert continued == 41                      # 40 over, and the line the 下转 line took
    used = round(max(m.box.bottom for m in plans[1].modules) / plans[1].line_pitch)
    assert 0 < used <= GRID.lines // 4
    assert findings_of(plans) == [
        ("note", "layout", "pages[0].stories[0]: '长文' jumps from page 1 to page 2 (下转第2版): "
                           "41 lines continue there"),
        ("note", "layout", "pages[0].stories[1]: '短讯' moves from page 1 to page 2, after the jump of '长文'"),
        ("warning", "layout", f"pages[0].stories[0]: page 2 was added for a jump and is nearly empty "
                              f"({used} of its {GRID.lines} lines used): shorten the stories of page 1, "
                              "or use fit: copyfit, to do without page 2")]
    # the continuation comes first on page 2, the brief after it
    assert [m.key for m in plans[1].modules] == ["pages[0].stories[0]", "pages[0].stories[1]"]


def test_a_lone_story_jumped_is_told_how_many_lines_to_cut(write_issue):
    plans = plan_issue(load_issue(write_issue(with_brief(capacity() + 40, "jump", brief=False))),
                       THEME, FONTS)
    assert [(s, k) for s, k, _ in findings_of(plans)] == [("note", "layout"), ("warning", "layout")]
    assert findings_of(plans)[1][2] == (
        "pages[0].stories[0]: page 2 was added for a jump and holds only 41 lines of '长文': "
        "cut 40 lines (its overset on page 1), or use fit: copyfit, to do without page 2")


def test_copyfit_counts_a_whole_last_line_when_the_height_divides_exactly():
    """100 lines at 13.5 pt are 1350 pt: at 12.5 pt that is exactly 108 lines, not 107."""
    from dataclasses import replace
    grid = replace(GRID, lines=100, min_line_pitch=12.5)
    setters = list(copyfit_setters(replace(SETTER, theme=replace(THEME, grid=grid))))
    assert [(s.theme.grid.line_pitch, s.theme.grid.lines) for s in setters][-2:] == [(12.6, 107), (12.5, 108)]


@pytest.mark.parametrize("spare, deep", [(-3, "3 lines"), (-1, "1 line")])
def test_copyfit_of_bands_with_no_story_over_says_how_deep_they_were(spare, deep):
    from layout.page.fitting import copyfit_note
    tighter = next(copyfit_setters(SETTER))
    note = copyfit_note(Stack([], spare=spare), SETTER, tighter, "pages[1]")
    assert (note.severity.value, note.kind, str(note)) == (
        "note", "layout", f"pages[1]: copyfit: line pitch 13.5 pt -> 13.4 pt so that the page's bands "
                          f"fit ({deep} too deep)")


def fake_story(key: str, headline: str, skip: int = 0):
    return SimpleNamespace(key=key, skip=skip, story=SimpleNamespace(headline=headline))


def fake_plan(number: int, *modules: tuple[str, int]):
    """A page whose modules (key, lines) are stacked one column wide from the top."""
    placed, bottom = [], 0
    for key, lines in modules:
        bottom += lines
        placed.append(SimpleNamespace(key=key, columns=[SimpleNamespace(lines=lines)],
                                      box=SimpleNamespace(bottom=bottom * 13.5)))
    return SimpleNamespace(number=number, modules=placed, line_pitch=13.5)


def test_a_story_moved_whole_is_not_a_cut_and_its_page_is_reported_nearly_empty():
    """A jump that found less than two lines below the headline moves the story whole (no skip):
    it is not "jumped", and the advice counts the page's lines, not the story's cut."""
    from layout.page.fitting import jump_findings
    moved = fake_story("pages[0].stories[1]", "乙")
    found = jump_findings(fake_plan(1), fake_plan(2, ("pages[0].stories[1]", 10)), [moved], 100)
    assert [(f.severity.value, f.kind) for f in found] == [("note", "layout"), ("warning", "layout")]
    assert str(found[0]) == ("pages[0].stories[1]: '乙' moves whole from page 1 to page 2: less than two "
                             "lines of it fit on page 1")          # not "after the jump of '乙'"
    assert str(found[1]) == ("pages[0].stories[1]: page 2 was added for a jump and is nearly empty "
                             "(10 of its 100 lines used): shorten the stories of page 1, or use "
                             "fit: copyfit, to do without page 2")


@pytest.mark.parametrize("used, warned", [(25, True), (26, False)])
def test_a_jump_page_a_quarter_full_is_nearly_empty(used, warned):
    from layout.page.fitting import jump_findings
    cut, moved = fake_story("pages[0].stories[0]", "甲", skip=30), fake_story("pages[0].stories[1]", "乙")
    added = fake_plan(2, ("pages[0].stories[0]", used - 5), ("pages[0].stories[1]", 5))
    found = jump_findings(fake_plan(1), added, [cut, moved], 100)
    assert [str(f) for f in found][:2] == [
        f"pages[0].stories[0]: '甲' jumps from page 1 to page 2 (下转第2版): {used - 5} lines continue there",
        "pages[0].stories[1]: '乙' moves from page 1 to page 2, after the jump of '甲'"]
    assert [f.severity.value for f in found] == ["note", "note"] + (["warning"] if warned else [])
    if warned:
        assert f"is nearly empty ({used} of its 100 lines used)" in str(found[2])


def test_a_jump_page_with_no_module_counts_no_line_used():
    from layout.page.fitting import jump_findings
    cut, moved = fake_story("pages[0].stories[0]", "甲", skip=30), fake_story("pages[0].stories[1]", "乙")
    found = jump_findings(fake_plan(1), fake_plan(2), [cut, moved], 100)
    assert "is nearly empty (0 of its 100 lines used)" in str(found[-1])


@dataclass
class FakeDraft:
    """What cut_at_page_end reads of a StoryDraft: rows, headline rows, body lines, capacities."""
    key: str
    rows: int
    headline_rows: int = 1
    body_lines: int = 0
    reserve: int = 0
    body_rows: int = 0
    figures: list = field(default_factory=list)
    figure_rows: list = field(default_factory=list)

    def capacities(self) -> list[int]:
        return [self.body_rows - sum(self.figure_rows), self.body_rows]      # a figure in column 1


def test_a_story_with_less_than_two_lines_below_its_headline_is_carried_whole():
    from layout.page.fitting import cut_at_page_end
    fits = FakeDraft("a", rows=GRID.lines - 3, body_lines=10)
    low = FakeDraft("b", rows=20, body_lines=30)       # starts at the last line but one
    after = FakeDraft("c", rows=5, body_lines=8)
    stack = Stack([fits, low, after], gap=1)
    assert _story_tops(stack)[1] == GRID.lines - 2
    carried = cut_at_page_end(stack, SETTER, True, 1)
    assert carried == [low, after] and carried[0] is low
    assert stack.drafts == [fits] and stack.spare == 3


@pytest.mark.parametrize("room, figure, reserve, over", [
    (3, [], 0, 30 - 6),          # two columns of 3 rows below the headline
    (3, [], 1, 30 - 1 - 5),      # a line kept for 下转 holds no body line
    (1, [], 0, 30 - 2),
    (0, [], 1, 30 - 1),          # no room at all: nothing fits, and nothing is taken off for the reserve
    (3, [4], 0, 30 - (3 - 2 + 3)),   # the figure squeezed to its smallest (2 rows), not its 4
])
def test_overset_is_the_body_lines_over_what_the_room_below_the_headline_holds(room, figure, reserve, over):
    from layout.page.fitting import overset_at
    fits = FakeDraft("a", rows=GRID.lines - room - 2, body_lines=10)
    low = FakeDraft("b", rows=20, body_lines=30, reserve=reserve,
                    figures=[SimpleNamespace(min_rows=2)] * len(figure), figure_rows=figure)
    assert _story_tops(Stack([fits, low], gap=1))[1] + low.headline_rows == GRID.lines - room
    assert overset_at(Stack([fits, low], gap=1), SETTER) == [(low, over)]


def test_a_story_crossing_the_page_foot_whose_lines_all_fit_is_not_overset():
    from layout.page.fitting import overset_at
    fits = FakeDraft("a", rows=GRID.lines - 5, body_lines=10)
    low = FakeDraft("b", rows=6, body_lines=6)         # 3 rows below its headline hold 6 lines
    assert overset_at(Stack([fits, low], gap=1), SETTER) == []
    low.body_lines = 7
    assert overset_at(Stack([fits, low], gap=1), SETTER) == [(low, 1)]
