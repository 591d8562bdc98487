"""Layout decisions: a chosen composition (search.py) placed on the page as rectangles.

Tiers go top to bottom under the banner, cells left to right, stacked modules top to bottom.
A rule runs through the middle of every cut: across the type area between tiers, across a cell
between stacked modules, and down the gutter between cells.
"""
from __future__ import annotations

from .group import GroupDraft
from .plan import Box, PagePlan
from .search import GAP_ROWS, Composition, Tier
from .story import place_story
from .typeset import Typesetter


def place_composition(plan: PagePlan, composition: Composition, top: int, setter: Typesetter) -> None:
    """Place every tier of `composition` from body line `top` down."""
    grid = setter.theme.grid
    pitch = grid.line_pitch
    row = top
    for index, tier in enumerate(composition.tiers):
        _place_tier(plan, tier, row, setter)
        row += tier.rows
        if index < len(composition.tiers) - 1:
            plan.rules.append(Box(0, (row + tier.gap / 2) * pitch, grid.type_width, 0))
            row += tier.gap


def _place_tier(plan: PagePlan, tier: Tier, row: int, setter: Typesetter) -> None:
    grid = setter.theme.grid
    pitch = grid.line_pitch
    for number, cell in enumerate(tier.cells):
        x, width = grid.column_x(cell.column), grid.span_width(cell.span)
        if number:
            plan.rules.append(Box(x - grid.gutter / 2, row * pitch, 0, tier.rows * pitch))
        y = row
        for index, variant in enumerate(cell.variants):
            if isinstance(variant.draft, GroupDraft):
                plan.photos += variant.draft.place(x, y * pitch, width, pitch)
                if variant.draft.labels:
                    plan.texts += variant.draft.labels.blocks(x, y * pitch, (y + variant.rows) * pitch,
                                                              width, pitch)
            else:
                plan.modules.append(place_story(variant.draft, y * pitch, grid, setter, cell.column))
            y += variant.rows
            if index < len(cell.variants) - 1:
                plan.rules.append(Box(x, (y + GAP_ROWS / 2) * pitch, width, 0))
                y += GAP_ROWS
