"""Layout decisions: photo frames on the line grid, sized by the picture.

A photo is cropped to a frame a whole number of body lines tall; its caption follows directly
under it, also on the grid. The frame keeps the picture's orientation: a crop removes at most
`MAX_CROP` of the picture's area, and a frame is never larger than the picture's pixels allow at
`MIN_PPI` (a small picture gets a frame narrower than its columns, centred in them).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from ..images import ImageProblem, upright_size
from ..model import Figure
from .plan import Box, PlacedFigure, TextBlock
from .typeset import Typesetter

MAX_CROP = 0.20       # a crop removes at most a fifth of the picture's area
EXACT_CROP = 0.05     # an editor's exact `crop` is kept but for this much (whole lines)
MIN_PPI = 200         # a photo is never placed larger than its pixels allow at this resolution
CAPTION_GAP = 3.0     # pt between a photo and its caption
POINTS_PER_INCH = 72.0


@dataclass(frozen=True)
class Picture:
    """What the layout needs to know of a photo file: its upright pixel size."""

    width_px: int
    height_px: int
    max_crop: float = MAX_CROP

    @property
    def aspect(self) -> float:
        return self.width_px / self.height_px

    @property
    def widest(self) -> float:
        """The widest frame (pt) its pixels allow at MIN_PPI."""
        return self.width_px * POINTS_PER_INCH / MIN_PPI

    @property
    def tallest(self) -> float:
        return self.height_px * POINTS_PER_INCH / MIN_PPI

    def heights(self, width: float) -> tuple[float, float]:
        """The lowest and tallest image heights (pt) of a frame `width` wide that keep at least
        1 - MAX_CROP of the picture and stay within its pixels."""
        keep = 1 - self.max_crop
        return keep * width / self.aspect, min(width / self.aspect / keep, self.tallest)


def picture_of(path: Path) -> Picture:
    try:
        return Picture(*upright_size(path))
    except (ImageProblem, OSError, ZeroDivisionError):
        return Picture(1500, 1000)      # checked and reported when the issue was loaded


def picture_for(folder: Path, figure: Figure) -> Picture:
    """The picture a frame shows: the whole photo, or the editor's exact `crop` of it."""
    picture = picture_of(folder / figure.image)
    if figure.crop is None:
        return picture
    x0, y0, x1, y1 = figure.crop
    return Picture(max(1, round(picture.width_px * (x1 - x0))), max(1, round(picture.height_px * (y1 - y0))),
                   EXACT_CROP)


def frame_rows(picture: Picture, width: float, pitch: float) -> tuple[int, int, int]:
    """(lowest, natural, tallest) frame heights in body lines for a frame `width` wide (the
    caption gap included); lowest > tallest when no whole number of lines keeps the crop."""
    low, high = picture.heights(width)
    lowest = math.ceil((low + CAPTION_GAP) / pitch - 1e-6)
    tallest = math.floor((high + CAPTION_GAP) / pitch + 1e-6)
    natural = round((width / picture.aspect + CAPTION_GAP) / pitch)
    return lowest, min(max(natural, lowest), max(tallest, lowest)), tallest


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
    room: float = 0.0         # the width of the columns it stands in (>= width)

    def place(self, x: float, y: float, image_rows: int, caption_rows: int, pitch: float,
              caption_gap: float = CAPTION_GAP) -> PlacedFigure:
        x += max(0.0, self.room - self.width) / 2
        image = Box(x, y, self.width, image_rows * pitch - caption_gap)
        caption = TextBlock(Box(x, y + image_rows * pitch, self.width, caption_rows * pitch),
                            self.caption_html, "caption", self.caption_rows, shift=self.caption_shift)
        return PlacedFigure(self.key, self.source, image, caption, self.figure.credit,
                            self.figure.focus, self.figure.crop)


def figure_slot(key: str, figure: Figure, folder: Path, room: float, setter: Typesetter,
                widest: float = 0.0, area: float = 0.0) -> FigureSlot:
    """A figure in columns `room` pt wide: as wide as they are, unless its pixels, the widest a
    photo may be (`widest` pt) or its largest image area (`area` pt²) say less."""
    pitch = setter.pitch
    source = folder / figure.image
    picture = picture_for(folder, figure)
    width = capped_width(picture, room, widest, area)
    if width < room and _cropped_fills(picture, room, widest, area):
        width = room
    lowest, natural, tallest = frame_rows(picture, width, pitch)
    if area:
        tallest = min(tallest, math.floor((area / width + CAPTION_GAP) / pitch + 1e-6))
    tallest = max(lowest, tallest)       # rounding may leave no whole line: keep the lowest
    caption = setter.caption(figure.caption, figure.credit, width)
    return FigureSlot(key, figure, source, width, natural, lowest, tallest,
                      setter.html(caption), len(caption.lines),
                      setter.baseline_shift("caption", caption.size), room=room)


def capped_width(picture: Picture, room: float, widest: float = 0.0, area: float = 0.0) -> float:
    """The frame width in `room` pt: no wider than the pixels allow, than `widest`, or than an
    image of `area` pt² at the picture's own proportions."""
    width = min(room, picture.widest)
    if widest:
        width = min(width, widest)
    if area:
        width = min(width, math.sqrt(area * picture.aspect))
    return width


def _cropped_fills(picture: Picture, room: float, widest: float, area: float) -> bool:
    """Whether a frame only its area cap keeps narrower than its columns may take their whole
    width, cropped lower (within the picture's crop limit) to stay within that area: no white
    beside it."""
    if not area or room > picture.widest or (widest and room > widest):
        return False
    lowest = picture.heights(room)[0]
    return room * lowest <= area


def group_rows(count: int, per_row: int = 4) -> list[int]:
    """How many photos go in each row of a photo group (7 at 4 a row -> 4 + 3)."""
    if count <= per_row:
        return [count] if count else []
    rows = math.ceil(count / per_row)
    base, extra = divmod(count, rows)
    return [base + (1 if i < extra else 0) for i in range(rows)]


#: arrangements of more rows than this are tried only when no other arrangement exists
MAX_GROUP_ROWS = 4


def group_arrangements(count: int, alone: int | None = None) -> list[list[int]]:
    """Ways to arrange a photo group, fewest rows first (7 -> 4+3, 3+2+2, 2+2+2+1 ...); with
    `alone`, the photo at that index has a row of its own (7, alone 0 -> 1+3+3 ...).

    A group of more than 16 photos keeps all of them: 4 a row, in as many rows as it takes
    (17 -> 4+4+3+3+3); if the rows do not fit the page, that is reported as overset."""
    seen, out = set(), []
    for per_row in (4, 3, 2, 1):
        if alone is None:
            rows = tuple(group_rows(count, per_row))
        else:
            rows = (*group_rows(alone, per_row), 1, *group_rows(count - alone - 1, per_row))
        if rows and rows not in seen and len(rows) <= MAX_GROUP_ROWS:
            seen.add(rows)
            out.append(list(rows))
    return out or ([group_rows(count)] if count else [])
