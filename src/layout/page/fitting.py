"""Layout decisions: what to do with a page whose stories do not fit (overset).

Overset is measured exactly, in body lines, for the story that crosses the bottom of the type
area (and every story after it). An editor may allow a remedy on the page or the issue:
`fit: copyfit` tightens the line pitch within the theme's bounds (the body size never changes),
`fit: jump` continues the story on a page added after the last one (下转第N版 / 上接第N版).

Every figure an editor reads is the same one: "overset by N lines" is the story's body lines
that do not fit, and the copyfit note and the warning on a nearly empty jump page quote it.
"""
from __future__ import annotations

import math
from dataclasses import replace
from typing import TYPE_CHECKING

from ..errors import Finding, Severity
from .story import HEADLINE_LEADING, StoryDraft, fit_body
from .typeset import Typesetter

if TYPE_CHECKING:
    from .bands import Stack
    from .plan import PagePlan

COPYFIT_STEP = 0.1     # pt of line pitch per copyfit step
NEARLY_EMPTY = 0.25    # a page added for a jump that fills at most this share of its lines is reported


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
                   jump_text="", body_rows=0, vertical=None, vertical_rows=0)  # the measure stays
    fit_body(rest)
    return rest


def overset_findings(stack: Stack, setter: Typesetter, number: int) -> list[Finding]:
    """An error for every story that does not fit on page `number`, with its lines over."""
    return [Finding(f"overset by {_lines(over)}: '{draft.story.headline}' does not fit on page {number}",
                    key=draft.key, kind="layout") for draft, over in overset_at(stack, setter)]


def copyfit_note(stack: Stack, setter: Typesetter, tighter: Typesetter, key: str) -> Finding:
    """What copyfit did on a page, quoting the overset it saved (the figure `overset_findings` gives)."""
    over = overset_at(stack, setter)
    saved = (_and([f"'{draft.story.headline}' (overset by {_lines(n)})" for draft, n in over])
             + (" fits" if len(over) == 1 else " fit")) if over else \
        f"the page's bands fit ({_lines(-stack.spare)} too deep)"
    return Finding(f"copyfit: line pitch {setter.pitch:g} pt -> {tighter.pitch:g} pt so that {saved}",
                   key=key, severity=Severity.NOTE, kind="layout")


def jump_findings(origin: PagePlan, added: PagePlan, carried: list[StoryDraft], lines: int) -> list[Finding]:
    """A note for each story a jump takes from `origin` to the page it adds, and a warning when
    that page, `lines` body lines deep, is nearly empty."""
    cut = carried[0] if carried[0].skip else None
    findings = [_jump_note(draft, origin, added, carried[0]) for draft in carried]
    used = round(max(m.box.bottom for m in added.modules) / added.line_pitch) if added.modules else 0
    if used > NEARLY_EMPTY * lines:
        return findings
    if cut is not None and len(carried) == 1:
        continued = _module_lines(added, cut.key)
        advice = (f"holds only {_lines(continued)} of '{cut.story.headline}': cut {_lines(continued - 1)} "
                  f"(its overset on page {origin.number}), or use fit: copyfit, "
                  f"to do without page {added.number}")
    else:
        advice = (f"is nearly empty ({used} of its {lines} lines used): shorten the stories of page "
                  f"{origin.number}, or use fit: copyfit, to do without page {added.number}")
    findings.append(Finding(f"page {added.number} was added for a jump and {advice}", key=carried[0].key,
                            severity=Severity.WARNING, kind="layout"))
    return findings


def _jump_note(draft: StoryDraft, origin: PagePlan, added: PagePlan, first: StoryDraft) -> Finding:
    if draft is first and draft.skip:
        message = (f"'{draft.story.headline}' jumps from page {origin.number} to page {added.number} "
                   f"(下转第{added.number}版): {_lines(_module_lines(added, draft.key))} continue there")
    elif draft is first:              # moved whole: not two lines of it fitted below its headline
        message = (f"'{draft.story.headline}' moves whole from page {origin.number} to page "
                   f"{added.number}: less than two lines of it fit on page {origin.number}")
    else:
        message = (f"'{draft.story.headline}' moves from page {origin.number} to page {added.number}, "
                   f"after the jump of '{first.story.headline}'")
    return Finding(message, key=draft.key, severity=Severity.NOTE, kind="layout")


def _module_lines(plan: PagePlan, key: str) -> int:
    return sum(c.lines for m in plan.modules if m.key == key for c in m.columns)


def _lines(count: int) -> str:
    return f"{count} line" + ("" if count == 1 else "s")


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
