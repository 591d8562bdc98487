"""Layout decisions: a page stacked in full-width bands, for pages whose stories do not fit.

When the modules of a page cannot all be composed in its type area (search.py), the page is
stacked in full-width bands on the line grid: banner, photo group, then the stories in their
order. A story that does not fit is overset: an error naming the story and the exact number of
lines over, unless the page (or issue) says `fit: copyfit` or `fit: jump`, and a jump's
continuation page is stacked the same way.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup

from ..errors import Finding, Severity
from ..model import Issue, Page
from .figures import group_arrangements
from .fitting import _used_rows, copyfit_note, copyfit_setters, cut_at_page_end, overset_findings
from .limits import PhotoLimits, lead_index
from .plan import Box, PagePlan
from .story import StoryDraft, draft_story, place_story, refit
from .typeset import Typesetter

GAP_ROWS = 1          # one body line between bands (a module rule runs through it)


@dataclass
class Stack:
    """The vertical composition of one page: bands measured, photo rows chosen, spare lines."""

    drafts: list[StoryDraft]
    group: list = field(default_factory=list)          # PhotoRows (group.py)
    photo_rows: list[int] = field(default_factory=list)
    banner_rows: int = 0
    gap: int = GAP_ROWS
    spare: int = 0
    photos_first: bool = True       # the photo group above the stories (or below: photos_at)


def plan_page_in_bands(issue: Issue, page: Page, number: int, setter: Typesetter,
              fit: str) -> tuple[PagePlan, list[StoryDraft]]:
    """Plan one page in bands; return it and, for a jump, the stories (or their rest) carried over."""
    key = f"pages[{number - 1}]"
    stack = stack_page(issue, page, key, setter)
    notes: list[Finding] = []
    if stack.spare < 0 and fit == "copyfit":
        for tighter in copyfit_setters(setter):
            candidate = stack_page(issue, page, key, tighter)
            if candidate.spare >= 0:
                notes.append(copyfit_note(stack, setter, tighter, key))
                stack, setter = candidate, tighter
                break
    findings = notes + _fit_findings(stack, setter, number, key) + [
        Finding(message, key=where, kind="layout") for d in stack.drafts for where, message in d.overflow]
    carried = cut_at_page_end(stack, setter, fit == "jump", number) if stack.spare < 0 else []
    plan = place_page(issue, page, number, stack, setter)
    plan.findings += findings if fit != "jump" else [f for f in findings if "overset" not in f.message]
    return plan, carried if fit == "jump" else []


def plan_carried(issue: Issue, origin: PagePlan, carried: list[StoryDraft], number: int,
                 setter: Typesetter) -> tuple[PagePlan, list[StoryDraft]]:
    """A continuation page: the stories carried over from `origin`, stacked from the top."""
    page = Page(section=origin.section, editor=origin.editor, designer=origin.designer,
                proofreader=origin.proofreader)
    stack = Stack(carried)
    stack.spare = setter.theme.grid.lines - sum(d.rows for d in carried) - GAP_ROWS * (len(carried) - 1)
    rest = cut_at_page_end(stack, setter, True, number) if stack.spare < 0 else []
    if rest and rest[0] is carried[0]:
        raise_overset = Finding(f"'{carried[0].story.headline}' does not fit even on its own "
                                f"continuation page {number}", key=carried[0].key, kind="layout")
        plan = place_page(issue, page, number, stack, setter)
        plan.findings.append(raise_overset)
        return plan, []
    return place_page(issue, page, number, stack, setter), rest


def stack_page(issue: Issue, page: Page, key: str, setter: Typesetter) -> Stack:
    grid = setter.theme.grid
    photos = [(f"{key}.photos[{i}]", f) for i, f in enumerate(page.photos)]
    drafts, lead = [], lead_index(page)
    for i, story in enumerate(page.stories):
        draft = draft_story(f"{key}.stories[{i}]", story, issue.folder, setter, grid.columns, lead=(i == lead))
        if _figures_leave_holes(draft):
            photos += [(f"{draft.key}.figures[{j}]", f) for j, f in enumerate(story.figures)]
            draft = draft_story(draft.key, story.model_copy(update={"figures": []}), issue.folder,
                                setter, grid.columns, lead=(i == lead))
        drafts.append(draft)
    banner_rows = grid.banner_lines if page.banner else 0
    options = []
    arrangements = group_arrangements(len(photos)) or [[]]
    arrangements.append([1] * len(photos))       # always possible: one photo a row
    for arrangement in arrangements:
        group = _photo_group(photos, issue, setter, arrangement)
        if group is None:
            continue
        fixed = banner_rows + sum(d.rows for d in drafts) + GAP_ROWS * _gaps(page, drafts, group)
        photo_rows = _fit_group(group, grid.lines - fixed)
        spare = grid.lines - fixed - sum(photo_rows)
        options.append(((spare < 0, abs(spare)), Stack(drafts, group, photo_rows, banner_rows, spare=spare,
                                                       photos_first=page.photos_at != "bottom")))
    stack = min(options, key=lambda o: o[0])[1]
    stack.spare -= _grow_stories(stack.drafts, stack.spare)
    gaps = _gaps(page, drafts, stack.group)
    if stack.spare > 0 and gaps:
        stack.gap = GAP_ROWS + min(2, stack.spare // gaps)
        stack.spare -= (stack.gap - GAP_ROWS) * gaps
    return stack


def place_page(issue: Issue, page: Page, number: int, stack: Stack, setter: Typesetter) -> PagePlan:
    """Give every band of the stack its rectangle, top to bottom."""
    grid = setter.theme.grid
    plan = PagePlan(number, page.section or issue.label, page.editor,
                    banner=page.banner.model_dump() if page.banner else None, line_pitch=grid.line_pitch,
                    designer=page.designer, proofreader=page.proofreader)
    row = 0
    if page.banner:
        plan.banner_box = Box(0, 0, grid.type_width, stack.banner_rows * grid.line_pitch)
        row = stack.banner_rows + stack.gap
    if stack.group and stack.photos_first:
        row = _place_group(plan, stack.group, stack.photo_rows, row, setter) + stack.gap
    for draft in stack.drafts:
        plan.modules.append(place_story(draft, row * grid.line_pitch, grid, setter))
        row += draft.rows + stack.gap
        plan.rules.append(Box(0, (row - stack.gap / 2) * grid.line_pitch, grid.type_width, 0))
    if stack.group and not stack.photos_first:
        _place_group(plan, stack.group, stack.photo_rows, row, setter)
    elif plan.rules:
        plan.rules.pop()
    return plan


def _grow_stories(drafts: list[StoryDraft], spare: int) -> int:
    """Give spare lines to stories whose figures can take them (a taller body, larger photos),
    as long as that leaves no more empty lines in their columns; return the lines used."""
    used, growing = 0, True
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


def _figures_leave_holes(draft: StoryDraft) -> bool:
    """A short story beside figures it cannot match in height would leave its columns
    more than two lines short: its figures are better off in the page's photo group."""
    text_columns = draft.span - len(draft.figures) * draft.figure_columns
    return bool(draft.figures) and draft.slack > 2 * max(1, text_columns)


def _photo_group(photos: list, issue: Issue, setter: Typesetter, arrangement: list[int]) -> list | None:
    """The page's photo group in full-width rows of `arrangement` (PhotoRows, group.py: photos
    of a row share a height within their pixels and crop limits); None if a row cannot be
    made. `photos` holds (key, Figure) pairs."""
    from .group import photo_row
    rows, index = [], 0
    for count in arrangement:
        rows.append(photo_row(photos[index:index + count], issue.folder, setter.theme.grid.type_width,
                              setter, PhotoLimits(), fill=False))
        index += count
    return None if not all(rows) else rows


def _fit_group(group: list, available: int) -> list[int]:
    """Total rows of each photo row (image + caption + gap) that best fill `available` rows."""
    if not group:
        return []
    lows = [r.lowest for r in group]
    highs = [r.tallest for r in group]
    image = [r.natural for r in group]
    extras = [r.caption_rows + GAP_ROWS for r in group]
    target = available - sum(extras) - GAP_ROWS * (len(group) - 1)
    while sum(image) < target and any(i < hi for i, hi in zip(image, highs)):
        smallest = min((i, n) for n, (i, hi) in enumerate(zip(image, highs)) if i < hi)[1]
        image[smallest] += 1
    while sum(image) > target and any(i > lo for i, lo in zip(image, lows)):
        largest = max((i, n) for n, (i, lo) in enumerate(zip(image, lows)) if i > lo)[1]
        image[largest] -= 1
    return [i + e for i, e in zip(image, extras)]


def _place_group(plan: PagePlan, group, photo_rows: list[int], row: int, setter: Typesetter) -> int:
    """Each PhotoRow centred across the type area, its photos side by side at one height."""
    grid = setter.theme.grid
    for photos, total in zip(group, photo_rows):
        image_rows = total - photos.caption_rows - GAP_ROWS
        x = (grid.type_width - photos.width) / 2
        for slot in photos.slots:
            plan.photos.append(slot.place(x, row * grid.line_pitch, image_rows, photos.caption_rows,
                                          grid.line_pitch, caption_gap=3.0))
            x += slot.width + grid.gutter
        row += total
    return row - GAP_ROWS


def _fit_findings(stack: Stack, setter: Typesetter, number: int, key: str) -> list[Finding]:
    if stack.spare < 0:
        return overset_findings(stack, setter, number) + _group_findings(stack, setter.theme.grid.lines,
                                                                         number, key)
    if stack.spare > 2:
        return [Finding(f"page {number} has {stack.spare} empty lines at the bottom; add content or photos",
                        key=key, severity=Severity.WARNING, kind="layout")]
    return []


def _group_findings(stack: Stack, lines: int, number: int, key: str) -> list[Finding]:
    """The photo group crossing the bottom of the type area (photos never jump or shrink away)."""
    if not stack.group:
        return []
    if stack.photos_first:
        bottom = (stack.banner_rows + stack.gap if stack.banner_rows else 0) + sum(stack.photo_rows) - GAP_ROWS
    else:
        bottom = _used_rows(stack)
    if bottom <= lines:
        return []
    count = sum(len(row.slots) for row in stack.group)
    return [Finding(f"the photo group ({count} photos in {len(stack.group)} rows) runs {bottom - lines} lines "
                    f"below the type area of page {number}; move photos to another page",
                    key=f"{key}.photos", kind="layout")]
