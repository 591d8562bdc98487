"""Layout decisions: what to do with a page whose stories do not fit (overset).

Overset is measured exactly, in body lines, for the story that crosses the bottom of the type
area (and every story after it). An editor may allow a remedy on the page or the issue:
`fit: copyfit` tightens the line pitch within the theme's bounds (the body size never changes),
`fit: jump` continues the story on a page added after the last one (下转第N版 / 上接第N版).
"""
from __future__ import annotations

import math
from dataclasses import replace
from typing import TYPE_CHECKING

from .story import HEADLINE_LEADING, StoryDraft, fit_body
from .typeset import Typesetter

if TYPE_CHECKING:
    from .bands import Stack

COPYFIT_STEP = 0.1     # pt of line pitch per copyfit step


def copyfit_setters(setter: Typesetter):
    """Typesetters with the line pitch tightened step by step down to the theme's minimum."""
    grid = setter.theme.grid
    pitch = grid.line_pitch
    while pitch - COPYFIT_STEP >= grid.min_line_pitch - 1e-9:
        pitch = round(pitch - COPYFIT_STEP, 2)
        lines = math.floor(grid.type_height / pitch + 1e-9)
        tighter = replace(grid, line_pitch=pitch, lines=lines)
        yield replace(setter, theme=replace(setter.theme, grid=tighter))


def _story_tops(stack: Stack) -> list[int]:
    """The row at which each story of the stack starts (as place_page will place them)."""
    row = stack.banner_rows + stack.gap if stack.banner_rows else 0
    if stack.group and stack.photos_first:
        row += sum(stack.photo_rows) - 1 + stack.gap
    tops = []
    for draft in stack.drafts:
        tops.append(row)
        row += draft.rows + stack.gap
    return tops


def _capacity_in(draft: StoryDraft, body_rows: int) -> int:
    """Body lines the story's module holds if its body may only be `body_rows` lines tall."""
    if body_rows <= 0:
        return 0
    squeezed = replace(draft, body_rows=body_rows, figure_rows=[s.min_rows for s in draft.figures])
    return sum(squeezed.capacities()) - draft.reserve


def overset_at(stack: Stack, setter: Typesetter) -> list[tuple[StoryDraft, int]]:
    """Every story that crosses the bottom of the page, with the exact body lines over."""
    lines = setter.theme.grid.lines
    out = []
    for draft, top in zip(stack.drafts, _story_tops(stack)):
        if top + draft.rows <= lines:
            continue
        room = lines - top - draft.headline_rows
        over = draft.body_lines - draft.reserve - _capacity_in(draft, room)
        if over > 0:
            out.append((draft, over))
    return out


def cut_at_page_end(stack: Stack, setter: Typesetter, jump: bool, number: int) -> list[StoryDraft]:
    """Cut the first overset story at the bottom of the page and take every story after it off
    the page; return what was taken off (the rest of the cut story first), to be continued on
    another page or reported as overset. With `jump`, a line is kept for 下转第N版."""
    overset = overset_at(stack, setter)
    if not overset:
        return []
    draft = overset[0][0]
    index = stack.drafts.index(draft)
    room = setter.theme.grid.lines - _story_tops(stack)[index] - draft.headline_rows
    carried = stack.drafts[index + 1:]
    stack.drafts = stack.drafts[:index]
    if room >= 2:
        first = replace(draft, body_rows=room, figure_rows=[s.min_rows for s in draft.figures],
                        reserve=1 if jump else 0, jump_text="（下转第?版）" if jump else "")
        stack.drafts.append(first)
        placed = sum(first.capacities()) - first.reserve
        carried.insert(0, continuation_of(first, placed, number, setter))
    else:
        carried.insert(0, draft)
    stack.spare = setter.theme.grid.lines - _used_rows(stack)
    return carried


def _used_rows(stack: Stack) -> int:
    """Rows from the top of the type area to the bottom of the last band."""
    bands = [stack.banner_rows] if stack.banner_rows else []
    if stack.group:
        bands.append(sum(stack.photo_rows) - 1)
    bands += [d.rows for d in stack.drafts]
    return sum(bands) + stack.gap * max(0, len(bands) - 1)


def continuation_of(first: StoryDraft, placed: int, number: int, setter: Typesetter) -> StoryDraft:
    """The rest of a story cut on page `number`, under a 上接第N版 kicker."""
    width = setter.theme.grid.span_width(first.span)
    heads = []
    for role, text, size in (("kicker", f"（上接第{number}版）", "kicker"),
                             ("headline", first.story.headline, "headline")):
        paragraph = setter.display(text, role, size, width)
        heads.append((role, paragraph, setter.rows_for(paragraph, HEADLINE_LEADING)))
    rest = replace(first, lead=False, headline_set=heads, figures=[], figure_rows=[],
                   slot_sets={0: []}, figure_columns=0, skip=first.skip + placed, reserve=0,
                   jump_text="", body_rows=0)
    fit_body(rest)
    return rest
