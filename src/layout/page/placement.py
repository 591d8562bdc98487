"""Layout decisions: every page of the issue composed as a mosaic of modules.

Each story, and the page's photo group, is measured as modules of several widths and heights
(variants.py, group.py); the search (search.py) picks the guillotine partition of the type area
under the banner with the lowest score (score.py), keeping reading order; mosaic.py places it.
A page whose modules cannot all be composed in its type area is stacked in bands instead
(bands.py), where overset is measured exactly and `fit: copyfit` or `fit: jump` apply.
"""
from __future__ import annotations

from markupsafe import Markup

from ..errors import Finding, Severity
from ..fonts import FontFile
from ..model import Issue, Page
from ..theme import Theme
from .bands import plan_carried, plan_page_in_bands, stack_page
from .fitting import copyfit_note, copyfit_setters, jump_findings
from .group import group_variants
from .hints import banded_findings, span_findings, unkept_span_findings
from .limits import PhotoLimits, fill_levels, lead_index, page_limits
from .mosaic import place_composition
from .pins import Pins, page_pins, pinned_white, unkept_pin_findings
from .plan import Box, PagePlan
from .search import GAP_ROWS, Composition, compose
from .story import StoryDraft
from .typeset import Typesetter
from .variants import Variants, story_variants
from .vertical import vertical_findings


def plan_issue(issue: Issue, theme: Theme, fonts: dict[str, FontFile]) -> list[PagePlan]:
    """Plan every page; stories that jump continue on pages added after the last one."""
    setter = Typesetter.for_theme(theme, fonts)
    plans, jumps = [], []
    for number, page in enumerate(issue.pages, 1):
        left = issue.pages[number - 2] if number > 1 else None
        if left is not None and left.spread:
            page = page.model_copy(update={"banner": left.banner})
        plan, carried = plan_page(issue, page, number, setter, page.fit or issue.fit)
        if left is not None and left.spread:
            _span_the_gutter(plans[-1], plan, theme)
        plans.append(plan)
        if carried:
            jumps.append((plan, carried))
    for origin, carried in jumps:
        while carried:
            number = len(plans) + 1
            _point_jump(origin, number)
            added, rest = plan_carried(issue, origin, carried, number, setter)
            added.findings += jump_findings(origin, added, carried, theme.grid.lines)
            plans.append(added)
            origin, carried = added, rest
    return plans



def plan_page(issue: Issue, page: Page, number: int, setter: Typesetter,
              fit: str) -> tuple[PagePlan, list[StoryDraft]]:
    """Plan one page as modules; if they do not fit, tighten the pitch (copyfit) or stack the
    page in bands, which measures the overset and cuts a jump. Return the plan and, for a
    jump, the stories (or their rest) carried over."""
    plan = compose_page(issue, page, number, setter)
    if plan is None and fit == "copyfit":
        for tighter in copyfit_setters(setter):
            plan = compose_page(issue, page, number, tighter)
            if plan is not None:
                key = f"pages[{number - 1}]"
                plan.findings.insert(0, copyfit_note(stack_page(issue, page, key, setter), setter, tighter, key))
                break
    grid = setter.theme.grid
    if plan is not None:
        plan.findings[:0] = span_findings(page, f"pages[{number - 1}]", grid)
        return plan, []
    plan, carried = plan_page_in_bands(issue, page, number, setter, fit)
    plan.findings += vertical_findings(plan.modules, plan.line_pitch)
    top = grid.banner_lines + GAP_ROWS if page.banner else 0
    plan.findings[:0] = (span_findings(page, f"pages[{number - 1}]", grid)
                         + unkept_span_findings(page, f"pages[{number - 1}]", grid)
                         + banded_findings(page, f"pages[{number - 1}]", grid, top)
                         + page_pins(page, f"pages[{number - 1}]", grid, top)[1])
    return plan, carried


def compose_page(issue: Issue, page: Page, number: int, setter: Typesetter) -> PagePlan | None:
    """The page as a mosaic of modules under its banner; None if they cannot all fit."""
    grid = setter.theme.grid
    key = f"pages[{number - 1}]"
    top = grid.banner_lines + GAP_ROWS if page.banner else 0
    rows = grid.lines - top
    pins, pin_errors = page_pins(page, key, grid, top)
    composition, unkept = best_composition(issue, page, key, setter, rows, pins)
    if composition is None:
        return None
    plan = PagePlan(number, page.section or issue.label, page.editor,
                    banner=page.banner.model_dump() if page.banner else None, line_pitch=grid.line_pitch,
                    designer=page.designer, proofreader=page.proofreader)
    plan.findings += pin_errors + unkept + pinned_white(pins, unkept, composition, key)
    if page.banner:
        plan.banner_box = Box(0, 0, grid.type_width, grid.banner_lines * grid.line_pitch)
    place_composition(plan, composition, top, setter)
    beside = f" and {composition.blank} empty column-lines beside its modules" if composition.blank else ""
    if composition.foot > 2 or composition.blank:
        plan.findings.append(Finding(
            f"page {number} has {composition.foot} empty lines at the bottom{beside}; add content or photos",
            key=key, severity=Severity.WARNING, kind="layout"))
    return plan


def best_composition(issue: Issue, page: Page, key: str, setter: Typesetter, rows: int,
                     pins: Pins | None = None) -> tuple[Composition | None, list[Finding]]:
    """Compose the page's items, with the photo group at each place it may take in reading
    order (`photos_at: top` first, `bottom` last, otherwise anywhere after the lead, or split in
    two: one part of at most MAX_FIRST_PART photos after the lead, the other after the last
    story), keeping the editor's `pins`
    (pins.py). If no composition keeps them, the best without them and an error for each pin
    that cannot be kept."""
    found = _filled(issue, page, key, setter, rows, pins)
    if found is not None or not pins:
        return found, []
    free = _filled(issue, page, key, setter, rows, {})
    if free is None:
        return None, []
    grid = setter.theme.grid
    orders = _orders(issue, page, key, setter, rows, page_limits(page, key, issue.folder, grid))
    keep = lambda kept: _best(orders, grid.columns, rows, kept)      # noqa: E731
    return free, unkept_pin_findings(pins, orders[0], grid.lines - rows, grid.columns, keep)


def _filled(issue: Issue, page: Page, key: str, setter: Typesetter, rows: int,
            pins: Pins | None) -> Composition | None:
    """The best composition keeping `pins`, its photos' caps raised while the page is underset."""
    limits = page_limits(page, key, issue.folder, setter.theme.grid)
    found = _compose_with(issue, page, key, setter, rows, limits, pins)
    if found is None and limits.main_floor:
        found = _compose_with(issue, page, key, setter, rows, limits.relaxed(), pins)
    if found is not None and (page.photos or underset(found)):
        for level in fill_levels(page, key, issue.folder, setter.theme.grid):
            filled = _compose_with(issue, page, key, setter, rows, level, pins)
            if filled is not None and filled.rank < (not found.snug, found.score - 1e-9):
                found = filled
            if not underset(found):
                break
    return found


def underset(composition: Composition) -> bool:
    """True if the page is left with white at its foot or beside its modules."""
    return composition.foot > 2 or composition.blank > 0


def _compose_with(issue: Issue, page: Page, key: str, setter: Typesetter, rows: int,
                  limits: PhotoLimits, pins: Pins | None = None) -> Composition | None:
    return _best(_orders(issue, page, key, setter, rows, limits), setter.theme.grid.columns, rows, pins)


def _best(orders: list[list[Variants]], columns: int, rows: int, pins: Pins | None) -> Composition | None:
    found = [c for c in (compose(items, columns, rows, pins) for items in orders) if c is not None]
    return min(found, key=lambda c: c.rank) if found else None


def _orders(issue: Issue, page: Page, key: str, setter: Typesetter, rows: int,
            limits: PhotoLimits) -> list[list[Variants]]:
    """The page's items in each reading order worth composing: the stories, lead first, with
    the photo group at each of its places (or split in two)."""
    lead = lead_index(page)
    order = [lead] + [i for i in range(len(page.stories)) if i != lead]
    stories = [story_variants(f"{key}.stories[{i}]", page.stories[i], rank, issue.folder, setter, rows,
                              limits) for rank, i in enumerate(order)]
    if not page.photos:
        return [stories]
    photos = [(f"{key}.photos[{i}]", f) for i, f in enumerate(page.photos)]
    title, caption = page.photos_title, page.photos_caption
    group = group_variants(f"{key}.photos", photos, issue.folder, setter, rows, limits, title, caption)
    orders = [stories[:at] + [group] + stories[at:] for at in _group_places(page, len(stories))]
    if not page.photos_at and len(stories) > 1 and len(photos) > 2:
        for cut in range(1, min(len(photos), MAX_FIRST_PART + 1)):
            first = group_variants(f"{key}.photos", photos[:cut], issue.folder, setter, rows, limits, title)
            rest = group_variants(f"{key}.photos", photos[cut:], issue.folder, setter, rows, limits,
                                  caption=caption)
            orders.append(stories[:1] + [first] + stories[1:] + [rest])
    return orders


MAX_FIRST_PART = 3    # photos of a split group in its first part (beside the lead); the rest go last


def _group_places(page: Page, stories: int) -> list[int]:
    if page.photos_at == "top":
        return [0]
    if page.photos_at == "bottom":
        return [stories]
    return list(range(min(1, stories), stories + 1))


def _span_the_gutter(left: PagePlan, right: PagePlan, theme: Theme) -> None:
    """Draw a 通版 banner once across both pages: from the left page's type area over the
    gutter to the right page's; each page shows its half (facing pages meet at the trim)."""
    grid = theme.grid
    width = grid.page_width + grid.type_width
    height = left.banner_box.h
    left.banner_box = Box(0, 0, width, height)
    right.banner_box = Box(-grid.page_width, 0, width, height)
    left.spread, right.spread = "left", "right"


def _point_jump(origin: PagePlan, number: int) -> None:
    """Fill in the page number of the origin's 下转 line now that the continuation exists."""
    for module in origin.modules:
        if module.jump is not None and "?" in str(module.jump.html):
            module.jump.html = Markup(str(module.jump.html).replace("?", str(number)))


