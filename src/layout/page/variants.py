"""Layout decisions: every story and photo group measured as modules of several shapes.

A variant is a module `span` basic columns wide and `rows` body lines tall, with its cost (the
score terms of one module, score.py) and what is needed to place it (a StoryDraft or a
GroupDraft). `Variants.table(span)` maps each height the module can take to its cheapest
variant: a story takes up height by its own means (larger figures within their limits, a
little headline space, then balanced column feet), never by a photo beyond its limits.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Callable

from ..model import Story, vertical_obstacle
from . import score
from .columns import balanced_capacities, kept_breaks, kept_fits
from .figures import CAPTION_GAP
from .hints import usable_measure, usable_span
from .limits import PhotoLimits
from .story import StoryDraft, _shared_rows, _wanted_span, draft_story, fit_body
from .typeset import Typesetter

HEAD_SPACE = 2        # at most this many lines added around a headline
FOOT_SPACE = 2        # at most this many lines of white space left at a module's foot
BRIEFS_SPANS = (2, 3)  # a briefs (简讯) module is narrow
VERTICAL_SPANS = (1, 2)  # modules the theme may give a vertical headline (headlines.vertical: narrow)


@dataclass(frozen=True)
class Variant:
    """One shape of one module: its height in lines, its cost and the draft to place."""

    rows: int
    cost: float
    draft: object


Table = dict[int, Variant]


@dataclass
class Variants:
    """The module shapes of one item (a story or the photo group), measured on demand."""

    key: str
    rank: int                         # 0 for the lead, then 1, 2...; -1 for the photo group
    spans: list[int]
    measure: Callable[[int], Table]
    tables: dict[int, Table] = field(default_factory=dict)

    def table(self, span: int) -> Table:
        if span not in self.tables:
            self.tables[span] = self.measure(span) if span in self.spans else {}
        return self.tables[span]

    @property
    def is_story(self) -> bool:
        return self.rank >= 0


def headline_size(rank: int, span: int, columns: int, sizes: dict[str, float], kind: str = "") -> str:
    """The theme size of a headline, by the story's rank and its module's width: the lead's
    is the largest (largest still across most of the page), short narrow items the smallest."""
    if kind in ("commentary", "briefs"):
        key = "headline_narrow"
    elif rank == 0:
        key = "lead_headline_wide" if span * 4 >= columns * 3 else "lead_headline"
    else:
        key = "headline" if span * 2 >= columns else "headline_narrow"
    return key if key in sizes else ("lead_headline" if rank == 0 else "headline")


def story_variants(key: str, story: Story, rank: int, folder, setter: Typesetter, rows: int,
                   limits: PhotoLimits | None = None) -> Variants:
    """A story's variants, 2 to all basic columns wide (1 for a text of a few lines), at most
    `rows` lines tall, its photos within the page's `limits`."""
    grid = setter.theme.grid
    limits = limits or PhotoLimits()

    def measure(span: int) -> Table:
        size = headline_size(rank, span, grid.columns, setter.theme.sizes, story.kind)
        table: Table = {}
        for po_lan in story_measures(story, grid, span):
            choices = vertical_choices(story, rank, span, setter.theme) if not story.measure else (False,)
            for upright in choices:
                base = draft_story(key, story, folder, setter, span, lead=rank == 0, headline_size=size,
                                   across=True, limits=limits, vertical=upright, po_lan=po_lan,
                                   intro=story.wide_intro)
                if upright and base.vertical is None:    # it cannot stand vertically: set it horizontally
                    continue
                if base.overflow or not base.slot_sets:  # a headline line wider than this module, or
                    break                                # figures that cannot stand on its 破栏 measure
                _measured(base, rank, rows, table, grid, limits, _unasked(story, grid, po_lan))
                break
        return table

    hinted = usable_span(story, grid)
    spans = list(range(1, grid.columns + 1))     # one column: a short item, its figure above
    if story.kind == "briefs":
        spans = [s for s in spans if s in BRIEFS_SPANS]
    if usable_measure(story, grid):     # 破栏 N破M: the module spans whole groups of N columns
        spans = [s for s in spans if s % story.columns_measure[0] == 0]
    return Variants(key, rank, [hinted] if hinted else spans, measure)


def _unasked(story: Story, grid, po_lan: tuple[int, int] | None) -> float:
    """The cost of a commentary set in basic columns where the theme asks for its 破栏."""
    asked = story.kind == "commentary" and not story.measure and grid.commentary_measure
    return score.measure_unasked() if asked and po_lan is None else 0.0


def _measured(base: StoryDraft, rank: int, rows: int, table: Table, grid, limits: PhotoLimits,
              extra: float = 0.0) -> None:
    """Add to `table` the draft's heights with each of its figure widths (`extra`: a cost of
    the whole module)."""
    head = extra + sum(score.headline_lines(len(p.lines)) for role, p, _ in base.headline_set
                       if role == "headline")
    for fig_columns, slots in base.slot_sets.items():
        draft = replace(base, figures=slots, figure_columns=fig_columns)
        _heights(draft, rows, table, head + (score.figure_width(_wanted_span(rank == 0), fig_columns)
                                             if slots else 0.0), grid, limits)


def story_measures(story: Story, grid, span: int) -> list[tuple[int, int] | None]:
    """The measures a story is set in at `span` columns: its own 破栏 `measure` (None: the basic
    columns); a commentary without one, in both the theme's `grid.commentary_measure` where the
    span holds it and the basic columns: at each height the cheaper variant wins, the 破栏 one
    on a tie (the theme asks for it)."""
    own = usable_measure(story, grid)
    if own or story.measure:
        return [own]
    auto = grid.commentary_measure if story.kind == "commentary" else None
    return [auto, None] if auto and span % auto[0] == 0 else [None]


def vertical_choices(story: Story, rank: int, span: int, theme) -> tuple[bool, ...]:
    """The headlines to try, in order, the first that can be set is measured: with the theme's
    `headlines.vertical: narrow`, a 1-2 column module after the lead sets its headline
    vertically when it can (a story's `vertical_headline` hint makes every variant vertical)."""
    narrow = (theme.vertical_headlines == "narrow" and rank > 0 and span in VERTICAL_SPANS
              and not story.vertical_headline and not vertical_obstacle(story))
    return (True, False) if narrow else (False,)


def _heights(draft: StoryDraft, rows: int, table: Table, base_cost: float, grid,
             limits: PhotoLimits) -> None:
    """Add to `table` the draft at every body height from its smallest up, while a taller body
    can still be taken up without a hole."""
    fit_body(draft)
    body = draft.body_rows
    while draft.headline_rows + body <= rows:
        candidate = replace(draft)
        fit_body(candidate, body)
        if candidate.body_rows == body:
            cost = _module_cost(candidate, grid, limits)
            if cost is None and _figures_at_most(candidate) and score.hole(column_lines(candidate)[1]):
                break
            if cost is not None:
                _spaced(candidate, base_cost + cost, rows, table)
        body += 1


def _spaced(draft: StoryDraft, cost: float, rows: int, table: Table) -> None:
    """The draft with a few lines of headline space and white space at its foot."""
    for head in range(1 if draft.vertical else HEAD_SPACE + 1):
        for foot in range(FOOT_SPACE + 1):
            total = draft.rows + head + foot
            value = cost + score.headline_space(head) + score.white_space(foot)
            if total <= rows and (total not in table or value < table[total].cost):
                table[total] = Variant(total, value, replace(draft, head_space=head, foot_space=foot))


def _figures_at_most(draft: StoryDraft) -> bool:
    shared = _shared_rows(draft)
    if shared:
        return draft.figure_rows[0] >= shared[1]
    return all(r >= s.max_rows for r, s in zip(draft.figure_rows, draft.figures))


def column_lines(draft: StoryDraft) -> tuple[list[int], list[int]]:
    """(lines, empty lines at the foot) of each body column, as place_story will fill them."""
    full = draft.capacities()
    lines = balanced_capacities(draft.body_lines, full, kept_breaks(draft.paragraphs, draft.skip))
    return lines, [f - n for f, n in zip(full, lines)]


def _module_cost(draft: StoryDraft, grid, limits: PhotoLimits) -> float | None:
    """The cost of a story module measured at its height; None if it breaks a rule."""
    lines, empties = column_lines(draft)
    if not kept_fits(lines, draft.capacities()):
        return None                   # a lead-in would be parted from its column at this height
    if score.stub(lines) or score.hole(empties) or score.white_column(lines, empties):
        return None
    depth = max(lines, default=0)
    if draft.figures and depth < min(score.RULES["figure_depth"], draft.body_lines):
        return None
    photos = 0.0
    for r, s in zip(draft.figure_rows, draft.figures):
        area = s.width * (r * grid.line_pitch - CAPTION_GAP)
        if area < limits.floor(s.key) - 1e-6:
            return None
        reference = area_lines(limits.reference(s.key), grid)
        photos += score.crop(r, s.natural_rows) + score.photo_size(area_lines(area, grid), reference, grid.columns)
        photos += score.photo_margin(area_lines((s.room - s.width) * r * grid.line_pitch, grid))
    return (score.holes(empties) + score.shallow(depth, draft.span)
            + score.strip(depth, draft.span, draft.body_lines) + photos)


def area_lines(area: float, grid) -> float:
    """An area (pt²) in column-lines."""
    return area / ((grid.column_width + grid.gutter) * grid.line_pitch)
