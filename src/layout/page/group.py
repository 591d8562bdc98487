"""Layout decisions: the page's photo group (组图) as a module of rows of photos.

Photos in one row share a height, so their captions share a baseline: each photo is as wide as
its picture's proportions give at that height, and the row fills the module's width, as a 组图
is set: no white beside its photos. A row may be a few lines taller or lower than the pictures
(cropped within figures.MAX_CROP). A row whose photos cannot fill the module's width (their
pixels at 200 ppi, or the page's photo caps, forbid) is not made: the group takes a narrower
module instead. Only a group that fills no module at all (small pictures) is narrowed (all
photos of a row in proportion) and centred.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from ..model import Figure
from . import score
from .figures import CAPTION_GAP, FigureSlot, capped_width, figure_slot, group_arrangements, picture_for
from .limits import PhotoLimits
from ..composer import Paragraph
from .plan import Box, PlacedFigure, TextBlock
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
    labels: GroupLabels | None = None

    def place(self, x0: float, y: float, room: float, pitch: float) -> list[PlacedFigure]:
        placed = []
        y += self.labels.title_rows * pitch if self.labels else 0.0
        for row, image_rows in zip(self.rows, self.image_rows):
            x = x0 + (room - row.width) / 2
            for slot in row.slots:
                placed.append(slot.place(x, y, image_rows, row.caption_rows, pitch))
                x += slot.width + _gutter_of(row, room)
            y += (image_rows + row.caption_rows + GAP_ROWS) * pitch
        return placed


@dataclass(frozen=True)
class GroupLabels:
    """The group's overall title (above its photos) and caption (under them), composed."""

    title: Paragraph | None
    title_rows: int
    caption: Paragraph | None
    caption_rows: int
    html: tuple = ()
    shift: float = 0.0

    @property
    def rows(self) -> int:
        return self.title_rows + self.caption_rows

    def blocks(self, x: float, top: float, bottom: float, room: float, pitch: float) -> list[TextBlock]:
        """The title's block from `top`, the caption's ending at `bottom` (pt)."""
        out = []
        if self.title is not None:
            out.append(TextBlock(Box(x, top, room, (self.title_rows - 1) * pitch), self.html[0],
                                 "group-title", len(self.title.lines), self.title.size))
        if self.caption is not None:
            out.append(TextBlock(Box(x, bottom - self.caption_rows * pitch, room, self.caption_rows * pitch),
                                 self.html[1], "group-caption caption", len(self.caption.lines),
                                 self.caption.size, shift=self.shift))
        return out


def group_labels(title: str, caption: str, room: float, setter: Typesetter) -> GroupLabels | None:
    """The title set like a narrow headline with a line under it; the caption in the caption face."""
    if not title and not caption:
        return None
    heading = setter.display(title, "headline", "headline_narrow", room) if title else None
    words = setter.caption(caption, "", room) if caption else None
    return GroupLabels(heading, setter.rows_for(heading, 1.25) + 1 if heading else 0,
                       words, len(words.lines) if words else 0,
                       (setter.html(heading) if heading else None, setter.html(words) if words else None),
                       setter.baseline_shift("caption", words.size) if words else 0.0)


def _gutter_of(row: PhotoRow, room: float) -> float:
    count = len(row.slots)
    return (row.width - sum(s.width for s in row.slots)) / (count - 1) if count > 1 else 0.0


def row_scale(photos: list[tuple[str, Figure]], folder, room: float, grid,
              limits: PhotoLimits) -> tuple[list[float], float] | None:
    """The widths of photos side by side across `room` pt at one height (in proportion to their
    pictures) and the scale (<= 1) their pixels and `limits` allow; None if a photo would be
    narrower than a photo in a group may be."""
    gutters = (len(photos) - 1) * grid.gutter
    pictures = [picture_for(folder, f) for _, f in photos]
    aspects = [p.aspect for p in pictures]
    widths = [(room - gutters) * a / sum(aspects) for a in aspects]
    if any(w < (MIN_PHOTO_COLUMNS if a > 1 else MIN_PORTRAIT_COLUMNS) * grid.column_width
           for w, a in zip(widths, aspects)):
        return None                  # too many photos for the row (small pictures may be narrower)
    return widths, min([1.0] + [capped_width(p, w, limits.widest_of(k), limits.area(k)) / w
                                for (k, _), p, w in zip(photos, pictures, widths)])


def photo_row(photos: list[tuple[str, Figure]], folder, room: float, setter: Typesetter,
              limits: PhotoLimits, fill: bool = True) -> PhotoRow | None:
    """Photos side by side across `room` pt, sharing a height, each within the page's photo
    `limits`; None if they cannot, or, with `fill`, if they cannot fill the width (without
    `fill`, a row of photos that must be smaller is narrowed and centred)."""
    grid = setter.theme.grid
    gutters = (len(photos) - 1) * grid.gutter
    measured = row_scale(photos, folder, room, grid, limits)
    if measured is None or (fill and measured[1] < 1 - 1e-9):
        return None
    widths = [w * measured[1] for w in measured[0]]
    slots = tuple(figure_slot(k, f, folder, w, setter, limits.widest_of(k), limits.area(k))
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
                   rows: int, limits: PhotoLimits | None = None, title: str = "",
                   caption: str = "") -> Variants:
    """The photo group's variants: every arrangement in rows, 2 to all columns wide; the page's
    主图, if it is in the group, alone in its row; the group's `title` above, `caption` under."""
    grid = setter.theme.grid
    limits = limits or PhotoLimits()
    alone = next((i for i, (k, _) in enumerate(photos) if k == limits.main), None)
    arrangements = group_arrangements(len(photos), alone)

    def rows_of(arrangement: list[int]) -> list[list[tuple[str, Figure]]]:
        starts = [sum(arrangement[:i]) for i in range(len(arrangement))]
        return [photos[start:start + count] for start, count in zip(starts, arrangement)]

    made_rows: dict[tuple, PhotoRow | None] = {}

    def row(photos_of_row: list, span: int, fill: bool) -> PhotoRow | None:
        key_of = (tuple(k for k, _ in photos_of_row), span, fill)
        if key_of not in made_rows:
            made_rows[key_of] = photo_row(photos_of_row, folder, grid.span_width(span), setter, limits, fill)
        return made_rows[key_of]

    spans = [span for span in range(2, grid.columns + 1)        # the widths the group fills
             if any(all(row(r, span, True) for r in rows_of(a)) for a in arrangements)]
    fill = bool(spans)       # a group that fills no module (small pictures) is narrowed and centred

    def measure(span: int) -> Table:
        room = grid.span_width(span)
        table: Table = {}
        labels = group_labels(title, caption, room, setter)
        for arrangement in arrangements:
            made = [row(r, span, fill) for r in rows_of(arrangement)]
            if all(made):
                _group_heights(span, room, tuple(made), rows, table, grid, limits, labels)
        return table

    return Variants(key, -1, spans or list(range(2, grid.columns + 1)), measure)


def _group_heights(span: int, room: float, made: tuple[PhotoRow, ...], rows: int, table: Table,
                   grid, limits: PhotoLimits, labels: GroupLabels | None = None) -> None:
    """Add every height the rows can take together to `table` (cheapest image heights)."""
    extra = labels.rows if labels else 0
    options = {extra - GAP_ROWS: (0.0, ())}   # total lines -> (cost, image rows of each row)
    for row in made:
        step = {}
        for total, (cost, chosen) in options.items():
            for image in range(row.lowest, row.tallest + 1):
                height = total + GAP_ROWS + image + row.caption_rows
                value = cost + score.crop(image, row.natural) + sum(
                    score.photo_size(area_lines(s.width * (image * grid.line_pitch - CAPTION_GAP), grid),
                                     area_lines(limits.reference(s.key), grid), grid.columns)
                    for s in row.slots) + \
                    score.photo_margin(area_lines((room - row.width) * image * grid.line_pitch, grid))
                if height <= rows and (height not in step or value < step[height][0]):
                    step[height] = (value, chosen + (image,))
        options = step
    for height, (value, chosen) in options.items():
        if height not in table or value < table[height].cost:
            table[height] = Variant(height, value, GroupDraft(span, made, chosen, labels))
