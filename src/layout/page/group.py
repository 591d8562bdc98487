"""Layout decisions: the page's photo group (组图) as a module of rows of photos.

Photos in one row share a height, so their captions share a baseline: each photo is as wide as
its picture's proportions give at that height, and the row fills the module's width. A row may
be a few lines taller or lower than the pictures (cropped within figures.MAX_CROP). A photo
whose pixels cannot fill its share is narrowed (all photos of the row in proportion), and the row
is centred.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from ..model import Figure
from . import score
from .figures import CAPTION_GAP, FigureSlot, capped_width, figure_slot, group_arrangements, picture_of
from .limits import PhotoLimits
from .plan import PlacedFigure
from .typeset import Typesetter
from .variants import Table, Variant, Variants, area_lines

GAP_ROWS = 1
MIN_PHOTO_COLUMNS = 1.0    # a landscape photo in a group is at least a column wide,
MIN_PORTRAIT_COLUMNS = 0.6 # a portrait one 0.6 of a column (a small picture, capped by the 主图)


@dataclass(frozen=True)
class PhotoRow:
    """One row of a photo group: its slots (widths fixed) and the image heights it allows."""

    slots: tuple[FigureSlot, ...]
    lowest: int
    natural: int
    tallest: int
    caption_rows: int
    width: float             # the row's width (<= the module's, if its photos are small)


@dataclass(frozen=True)
class GroupDraft:
    """A photo group measured for a module `span` columns wide: rows and their image heights."""

    span: int
    rows: tuple[PhotoRow, ...]
    image_rows: tuple[int, ...]

    def place(self, x0: float, y: float, room: float, pitch: float) -> list[PlacedFigure]:
        placed = []
        for row, image_rows in zip(self.rows, self.image_rows):
            x = x0 + (room - row.width) / 2
            for slot in row.slots:
                placed.append(slot.place(x, y, image_rows, row.caption_rows, pitch))
                x += slot.width + _gutter_of(row, room)
            y += (image_rows + row.caption_rows + GAP_ROWS) * pitch
        return placed


def _gutter_of(row: PhotoRow, room: float) -> float:
    count = len(row.slots)
    return (row.width - sum(s.width for s in row.slots)) / (count - 1) if count > 1 else 0.0


def photo_row(photos: list[tuple[str, Figure]], folder, room: float, setter: Typesetter,
              limits: PhotoLimits) -> PhotoRow | None:
    """Photos side by side across `room` pt, sharing a height, each within the page's photo
    `limits` (a row of photos that must be smaller is narrowed and centred); None if they
    cannot."""
    grid = setter.theme.grid
    gutters = (len(photos) - 1) * grid.gutter
    pictures = [picture_of(folder / f.image) for _, f in photos]
    aspects = [p.aspect for p in pictures]
    widths = [(room - gutters) * a / sum(aspects) for a in aspects]
    scale = min([1.0] + [capped_width(p, w, limits.widest, limits.area(k)) / w
                         for (k, _), p, w in zip(photos, pictures, widths)])
    widths = [w * scale for w in widths]
    if any(w < (MIN_PHOTO_COLUMNS if a > 1 else MIN_PORTRAIT_COLUMNS) * grid.column_width
           for w, a in zip(widths, aspects)):
        return None
    slots = tuple(figure_slot(k, f, folder, w, setter, limits.widest, limits.area(k))
                  for (k, f), w in zip(photos, widths))
    lowest, tallest = max(s.min_rows for s in slots), min(s.max_rows for s in slots)
    for slot in slots:
        if limits.floor(slot.key):
            lowest = max(lowest, math.ceil((limits.floor(slot.key) / slot.width + CAPTION_GAP) / setter.pitch))
    if lowest > tallest:
        return None
    natural = min(max(round(sum(s.natural_rows for s in slots) / len(slots)), lowest), tallest)
    return PhotoRow(slots, lowest, natural, tallest, max(s.caption_rows for s in slots),
                    sum(widths) + gutters)


def group_variants(key: str, photos: list[tuple[str, Figure]], folder, setter: Typesetter,
                   rows: int, limits: PhotoLimits | None = None) -> Variants:
    """The photo group's variants: every arrangement in rows, 2 to all columns wide; the page's
    主图, if it is in the group, alone in its row."""
    grid = setter.theme.grid
    limits = limits or PhotoLimits()
    alone = next((i for i, (k, _) in enumerate(photos) if k == limits.main), None)

    def measure(span: int) -> Table:
        room = grid.span_width(span)
        table: Table = {}
        for arrangement in group_arrangements(len(photos), alone):
            made, index = [], 0
            for count in arrangement:
                made.append(photo_row(photos[index:index + count], folder, room, setter, limits))
                index += count
            if all(made):
                _group_heights(span, room, tuple(made), rows, table, grid, limits)
        return table

    return Variants(key, -1, list(range(2, grid.columns + 1)), measure)


def _group_heights(span: int, room: float, made: tuple[PhotoRow, ...], rows: int, table: Table,
                   grid, limits: PhotoLimits) -> None:
    """Add every height the rows can take together to `table` (cheapest image heights)."""
    options = {-GAP_ROWS: (0.0, ())}          # total lines -> (cost, image rows of each row)
    for row in made:
        step = {}
        for total, (cost, chosen) in options.items():
            for image in range(row.lowest, row.tallest + 1):
                height = total + GAP_ROWS + image + row.caption_rows
                value = cost + score.crop(image, row.natural) + sum(
                    score.photo_scale(area_lines(s.width * (image * grid.line_pitch - CAPTION_GAP), grid),
                                      area_lines(limits.floor(s.key), grid)) for s in row.slots) + \
                    score.photo_margin(area_lines((room - row.width) * image * grid.line_pitch, grid))
                if height <= rows and (height not in step or value < step[height][0]):
                    step[height] = (value, chosen + (image,))
        options = step
    for height, (value, chosen) in options.items():
        if height not in table or value < table[height].cost:
            table[height] = Variant(height, value, GroupDraft(span, made, chosen))
