"""Layout decisions: photo frames on the line grid (a story's figures and a page's photo group).

A photo is cropped to a frame a whole number of body lines tall; its caption follows directly
under it, also on the grid. Frames may stretch between a wide and a tall limit, which is how a
page absorbs slack before anything else changes.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from ..images import ImageProblem, upright_size
from ..model import Figure
from .plan import Box, PlacedFigure, TextBlock
from .typeset import Typesetter

WIDEST = 2.0       # a frame is at most twice as wide as it is tall
TALLEST = 0.8      # and at most 1.25 times as tall as it is wide


@dataclass
class FigureSlot:
    """A figure waiting for its frame: its width, caption lines and allowed image rows."""

    key: str
    figure: Figure
    source: Path
    width: float
    natural_rows: int
    min_rows: int
    max_rows: int
    caption_html: object
    caption_rows: int
    caption_shift: float = 0.0

    def place(self, x: float, y: float, image_rows: int, caption_rows: int, pitch: float,
              caption_gap: float) -> PlacedFigure:
        image = Box(x, y, self.width, image_rows * pitch - caption_gap)
        caption = TextBlock(Box(x, y + image_rows * pitch, self.width, caption_rows * pitch),
                            self.caption_html, "caption", self.caption_rows, shift=self.caption_shift)
        return PlacedFigure(self.key, self.source, image, caption, self.figure.credit)


def figure_slot(key: str, figure: Figure, folder: Path, width: float, setter: Typesetter) -> FigureSlot:
    pitch = setter.pitch
    source = folder / figure.image
    try:
        image_width, image_height = upright_size(source)
        aspect = image_width / image_height
    except (ImageProblem, OSError):
        aspect = 1.5      # checked and reported when the issue was loaded
    caption = setter.caption(figure.caption, figure.credit, width)
    min_rows = max(2, math.ceil(width / WIDEST / pitch))
    max_rows = max(min_rows, math.floor(width / TALLEST / pitch))
    natural = min(max(round(width / aspect / pitch), min_rows), max_rows)
    return FigureSlot(key, figure, source, width, natural, min_rows, max_rows,
                      setter.html(caption), len(caption.lines),
                      setter.baseline_shift("caption", caption.size))


def group_rows(count: int, per_row: int = 4) -> list[int]:
    """How many photos go in each row of a photo group (7 at 4 a row -> 4 + 3)."""
    if count <= per_row:
        return [count] if count else []
    rows = math.ceil(count / per_row)
    base, extra = divmod(count, rows)
    return [base + (1 if i < extra else 0) for i in range(rows)]


#: arrangements of more rows than this are tried only when no other arrangement exists
MAX_GROUP_ROWS = 4


def group_arrangements(count: int) -> list[list[int]]:
    """Ways to arrange a photo group, fewest rows first (7 -> 4+3, 3+2+2, 2+2+2+1 ...).

    A group of more than 16 photos keeps all of them: 4 a row, in as many rows as it takes
    (17 -> 4+4+3+3+3); if the rows do not fit the page, that is reported as overset."""
    seen, out = set(), []
    for per_row in (4, 3, 2, 1):
        rows = tuple(group_rows(count, per_row))
        if rows and rows not in seen and len(rows) <= MAX_GROUP_ROWS:
            seen.add(rows)
            out.append(list(rows))
    return out or ([group_rows(count)] if count else [])
