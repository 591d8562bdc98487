"""Layout decisions: automatic placement of a page's banner, photo group and story modules.

The page is stacked in full-width bands on the line grid: banner, photo group, then the stories
in their order (the first, the lead, with the largest headline and figures). The photo group's
frames stretch or shrink by whole lines so that the bands fill the type area; what still does not
fit is overset and reported, never dropped.
"""
from __future__ import annotations

from ..errors import Finding, Severity
from ..fonts import FontFile
from ..model import Issue, Page
from ..theme import Theme
from .figures import FigureSlot, figure_slot, group_arrangements
from .plan import Box, PagePlan
from .story import StoryDraft, draft_story, place_story, refit
from .typeset import Typesetter

GAP_ROWS = 1          # one body line between bands (a module rule runs through it)


def plan_issue(issue: Issue, theme: Theme, fonts: dict[str, FontFile]) -> list[PagePlan]:
    """Plan every page of the issue; pages are independent."""
    setter = Typesetter.for_theme(theme, fonts)
    return [plan_page(issue, page, number, setter) for number, page in enumerate(issue.pages, 1)]


def plan_page(issue: Issue, page: Page, number: int, setter: Typesetter) -> PagePlan:
    grid = setter.theme.grid
    key = f"pages[{number - 1}]"
    plan = PagePlan(number, page.section or issue.label, page.editor,
                    banner=page.banner.model_dump() if page.banner else None, line_pitch=grid.line_pitch)
    drafts = [draft_story(f"{key}.stories[{i}]", s, issue.folder, setter, grid.columns, lead=(i == 0))
              for i, s in enumerate(page.stories)]
    banner_rows = grid.banner_lines if page.banner else 0
    options = []
    for arrangement in group_arrangements(len(page.photos)) or [[]]:
        group = _photo_group(key, page, issue, setter, arrangement)
        fixed = banner_rows + sum(d.rows for d in drafts) + GAP_ROWS * _gaps(page, drafts, group)
        photo_rows = _fit_group(group, grid.lines - fixed)
        spare = grid.lines - fixed - sum(photo_rows)
        options.append(((spare < 0, abs(spare)), group, photo_rows, fixed))
    _, group, photo_rows, fixed = min(options, key=lambda o: o[0])
    used = fixed + sum(photo_rows)
    used += _grow_stories(drafts, grid.lines - used)
    gap = GAP_ROWS + min(2, max(0, (grid.lines - used) // max(1, _gaps(page, drafts, group))))
    used += (gap - GAP_ROWS) * _gaps(page, drafts, group)
    row = 0
    if page.banner:
        plan.banner_box = Box(0, 0, grid.type_width, banner_rows * grid.line_pitch)
        row = banner_rows + gap
    if group:
        row = _place_group(plan, group, photo_rows, row, setter) + gap
    for draft in drafts:
        module = place_story(draft, row * grid.line_pitch, grid, setter)
        plan.modules.append(module)
        row += draft.rows + gap
        plan.rules.append(Box(0, (row - gap / 2) * grid.line_pitch, grid.type_width, 0))
    if plan.rules:
        plan.rules.pop()
    _report_fit(plan, drafts, grid.lines - used, key)
    return plan


def _grow_stories(drafts: list[StoryDraft], spare: int) -> int:
    """Give spare lines to stories whose figures can take them (a taller body, larger photos),
    as long as that leaves no more empty lines in their columns; return the lines used."""
    used = 0
    growing = True
    while spare - used > 0 and growing:
        growing = False
        for index, draft in enumerate(drafts):
            if not draft.figures or spare - used <= 0:
                continue
            taller = refit(draft, draft.body_rows + 1)
            extra = taller.rows - draft.rows
            if 0 < extra <= spare - used and taller.slack <= max(draft.slack, 2):
                drafts[index] = taller
                used += extra
                growing = True
    return used


def _gaps(page: Page, drafts: list[StoryDraft], group: list) -> int:
    bands = bool(page.banner) + bool(group) + len(drafts)
    return max(0, bands - 1)


def _photo_group(key: str, page: Page, issue: Issue, setter: Typesetter,
                 arrangement: list[int]) -> list[list[FigureSlot]]:
    grid = setter.theme.grid
    rows, index = [], 0
    for count in arrangement:
        width = (grid.type_width - (count - 1) * grid.gutter) / count
        rows.append([figure_slot(f"{key}.photos[{index + i}]", page.photos[index + i], issue.folder,
                                 width, setter) for i in range(count)])
        index += count
    return rows


def _row_extra(row: list[FigureSlot]) -> int:
    return max(s.caption_rows for s in row) + GAP_ROWS


def _fit_group(group: list[list[FigureSlot]], available: int) -> list[int]:
    """Total rows of each photo row (image + caption + gap) that best fill `available` rows."""
    if not group:
        return []
    lows = [max(s.min_rows for s in r) for r in group]
    highs = [max(lo, min(s.max_rows for s in r)) for lo, r in zip(lows, group)]
    image = [round(sum(s.natural_rows for s in r) / len(r)) for r in group]
    image = [min(max(i, lo), hi) for i, lo, hi in zip(image, lows, highs)]
    extras = [_row_extra(r) for r in group]
    target = available - sum(extras) - GAP_ROWS * (len(group) - 1)
    while sum(image) < target and any(i < hi for i, hi in zip(image, highs)):
        smallest = min((i, n) for n, (i, hi) in enumerate(zip(image, highs)) if i < hi)[1]
        image[smallest] += 1
    while sum(image) > target and any(i > lo for i, lo in zip(image, lows)):
        largest = max((i, n) for n, (i, lo) in enumerate(zip(image, lows)) if i > lo)[1]
        image[largest] -= 1
    return [i + e for i, e in zip(image, extras)]


def _place_group(plan: PagePlan, group, photo_rows: list[int], row: int, setter: Typesetter) -> int:
    grid = setter.theme.grid
    for slots, total in zip(group, photo_rows):
        caption_rows = max(s.caption_rows for s in slots)
        image_rows = total - caption_rows - GAP_ROWS
        x = 0.0
        for slot in slots:
            plan.photos.append(slot.place(x, row * grid.line_pitch, image_rows, caption_rows,
                                          grid.line_pitch, caption_gap=3.0))
            x += slot.width + grid.gutter
        row += total
    return row - GAP_ROWS


def _report_fit(plan: PagePlan, drafts: list[StoryDraft], spare: int, key: str) -> None:
    if spare < 0 and drafts:
        last = drafts[-1]
        plan.findings.append(Finding(
            f"overset by {-spare} lines: '{last.story.headline}' does not fit on page {plan.number}",
            key=last.key, kind="layout"))
    elif spare > 2:
        plan.findings.append(Finding(
            f"page {plan.number} has {spare} empty lines at the bottom; add content or photos",
            key=key, severity=Severity.WARNING, kind="layout"))
