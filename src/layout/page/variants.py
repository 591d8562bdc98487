"""Layout decisions: every story and photo group measured as modules of several shapes.

A variant is a module `span` basic columns wide and `rows` body lines tall, with its cost (the
score terms of one module, score.py) and what is needed to place it (a StoryDraft or a
GroupDraft). `Variants.table(span)` maps each height the module can take to its cheapest
variant: a story takes up height by its own means (larger figures within their limits, a
little headline space, then balanced column feet), never by a photo beyond its limits.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Callable

from ..model import Story
from . import score
from .columns import balanced_capacities
from .story import StoryDraft, _wanted_span, draft_story, fit_body
from .typeset import Typesetter

HEAD_SPACE = 2        # at most this many lines added around a headline


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


def headline_size(rank: int, span: int, columns: int, sizes: dict[str, float]) -> str:
    """The theme size of a headline, by the story's rank and its module's width: the lead's
    is the largest (largest still across most of the page), short narrow items the smallest."""
    if rank == 0:
        key = "lead_headline_wide" if span * 4 >= columns * 3 else "lead_headline"
    else:
        key = "headline" if span * 2 >= columns else "headline_narrow"
    return key if key in sizes else ("lead_headline" if rank == 0 else "headline")


def story_variants(key: str, story: Story, rank: int, folder, setter: Typesetter, rows: int) -> Variants:
    """A story's variants, 2 to all basic columns wide (1 for a text of a few lines), at most
    `rows` lines tall."""
    grid = setter.theme.grid
    narrowest = 2 if story.figures else 1

    def measure(span: int) -> Table:
        size = headline_size(rank, span, grid.columns, setter.theme.sizes)
        base = draft_story(key, story, folder, setter, span, lead=rank == 0, headline_size=size,
                           across=True)
        table: Table = {}
        head = sum(score.headline_lines(len(p.lines)) for role, p, _ in base.headline_set if role == "headline")
        for fig_columns, slots in base.slot_sets.items():
            draft = replace(base, figures=slots, figure_columns=fig_columns)
            _heights(draft, rows, table, head + (score.figure_width(_wanted_span(rank == 0), fig_columns)
                                                 if slots else 0.0), grid)
        return table

    return Variants(key, rank, list(range(narrowest, grid.columns + 1)), measure)


def _heights(draft: StoryDraft, rows: int, table: Table, base_cost: float, grid) -> None:
    """Add to `table` the draft at every body height from its smallest up, while a taller body
    can still be taken up without a hole."""
    fit_body(draft)
    body = draft.body_rows
    while draft.headline_rows + body <= rows:
        candidate = replace(draft)
        fit_body(candidate, body)
        if candidate.body_rows == body:
            cost = _module_cost(candidate, grid)
            if cost is None and _figures_at_most(candidate) and score.hole(column_lines(candidate)[1]):
                break
            if cost is not None:
                for space in range(HEAD_SPACE + 1):
                    total = candidate.rows + space
                    value = base_cost + cost + score.headline_space(space)
                    if total <= rows and (total not in table or value < table[total].cost):
                        table[total] = Variant(total, value, replace(candidate, head_space=space))
        body += 1


def _figures_at_most(draft: StoryDraft) -> bool:
    return all(r >= s.max_rows for r, s in zip(draft.figure_rows, draft.figures))


def column_lines(draft: StoryDraft) -> tuple[list[int], list[int]]:
    """(lines, empty lines at the foot) of each body column, as place_story will fill them."""
    full = draft.capacities()
    lines = balanced_capacities(draft.body_lines, full)
    return lines, [f - n for f, n in zip(full, lines)]


def _module_cost(draft: StoryDraft, grid) -> float | None:
    """The cost of a story module measured at its height; None if it breaks a rule."""
    lines, empties = column_lines(draft)
    if score.stub(lines) or score.hole(empties):
        return None
    photos = sum(score.crop(r, s.natural_rows) + score.photo_scale(column_lines_of(s.width, r, grid), draft.lead)
                 for r, s in zip(draft.figure_rows, draft.figures))
    return score.holes(empties) + score.shallow(draft.body_rows, draft.span) + photos


def column_lines_of(width: float, rows: int, grid) -> float:
    """A frame's area in column-lines (a basic column and its gutter x a body line)."""
    return width / (grid.column_width + grid.gutter) * rows
