"""Layout decisions: how large each photo of a page may be, decided once per page.

A page has one 主图 (main picture): the photo marked `main: true`, else the lead's first
figure, else the first photo of the page's group. It is at least MAIN_FLOOR of the type area
(when its pixels allow) and at most MAIN_SHARE; every other photo is at most OTHER_SHARE of the
type area and never more than OTHER_TO_MAIN of the main's floor, so the 主图 is clearly the
largest. No photo is wider than WIDEST_COLUMNS basic columns. Frames narrower than their columns
because of these caps are centred in them (figures.py).
"""
from __future__ import annotations

from dataclasses import dataclass

from ..model import Page
from ..theme import Grid
from .figures import picture_for

WIDEST_COLUMNS = 5      # no photo wider (a banner photo spread would be the exception)
MAIN_SHARE = 0.25       # the main picture: at most a quarter of the type area
MAIN_FLOOR = 0.12       # ... and at least this share, if its pixels allow
OTHER_SHARE = 0.08      # any other picture: at most this share of the type area
OTHER_TO_MAIN = 0.6     # ... and at most this share of the main picture's floor


@dataclass(frozen=True)
class PhotoLimits:
    """The photo caps of one page, in pt (widths) and pt² (image areas)."""

    main: str = ""              # key of the page's 主图, "" if the page has no photo
    widest: float = 0.0
    main_area: float = 0.0
    main_floor: float = 0.0
    other_area: float = 0.0

    def area(self, key: str) -> float:
        """The largest image area of the photo `key` (0: no cap)."""
        return self.main_area if key == self.main else self.other_area

    def floor(self, key: str) -> float:
        return self.main_floor if key == self.main else 0.0

    def relaxed(self) -> PhotoLimits:
        """The same caps without the main picture's floor (when no composition reaches it)."""
        return PhotoLimits(self.main, self.widest, self.main_area, 0.0, self.other_area)


def main_photo(page: Page, key: str) -> tuple[str, object] | None:
    """(key, Figure) of the page's 主图, or None if the page has no photo."""
    candidates = [(f"{key}.stories[{s}].figures[{i}]", f) for s, story in enumerate(page.stories)
                  for i, f in enumerate(story.figures)]
    candidates += [(f"{key}.photos[{i}]", f) for i, f in enumerate(page.photos)]
    marked = [c for c in candidates if c[1].main]
    if marked:
        return marked[0]
    lead = lead_index(page)
    if page.stories and page.stories[lead].figures:
        return f"{key}.stories[{lead}].figures[0]", page.stories[lead].figures[0]
    photos = [c for c in candidates if ".photos[" in c[0]]
    return (photos or candidates or [None])[0]


def lead_index(page: Page) -> int:
    """The 头条: the story marked `lead: true`, else the first."""
    return next((i for i, s in enumerate(page.stories) if getattr(s, "lead", False)), 0)


def page_limits(page: Page, key: str, folder, grid: Grid) -> PhotoLimits:
    area = grid.type_width * grid.lines * grid.line_pitch
    widest = grid.span_width(WIDEST_COLUMNS)
    found = main_photo(page, key)
    if found is None:
        return PhotoLimits("", widest, area * MAIN_SHARE, 0.0, area * OTHER_SHARE)
    picture = picture_for(folder, found[1])
    width = min(widest, picture.widest)
    largest = min(area * MAIN_SHARE, width * min(width / picture.aspect / (1 - picture.max_crop), picture.tallest))
    floor = min(area * MAIN_FLOOR, largest * 0.9)
    return PhotoLimits(found[0], widest, area * MAIN_SHARE, floor,
                       min(area * OTHER_SHARE, floor * OTHER_TO_MAIN))
