"""Layout decisions: how large each photo of a page may be, decided once per page.

A page has one 主图 (main picture): the photo marked `main: true`, else the lead's first
figure, else the first photo of the page's group. It is at least MAIN_FLOOR of the type area
(when its pixels allow) and at most MAIN_SHARE; every other photo is never more than
OTHER_TO_MAIN of the main's floor, so the 主图 is clearly the largest.

A page whose text and photos at these caps cannot fill it (thin copy, a photo page) may raise
them together, by FILL_FLOORS: the 主图's floor rises and every other cap with it, so the
hierarchy holds while the photos take the space the text cannot. The score (score.py) still
counts every photo's growth from the first level's sizes, so photos grow only when nothing
else fills the page. No photo is wider than WIDEST_COLUMNS basic columns, the 主图 than
MAIN_WIDEST_COLUMNS. A frame the area cap keeps narrower than its columns takes their width,
cropped lower, when its crop limit allows; other frames narrower than their columns are centred
in them (figures.py).
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from ..model import Page
from ..theme import Grid
from .figures import picture_for

WIDEST_COLUMNS = 5      # no photo wider (a banner photo spread would be the exception)
MAIN_WIDEST_COLUMNS = 6  # ... but the 主图, which may fill a lead's 6-column module
MAIN_SHARE = 0.25       # the main picture: at most a quarter of the type area
MAIN_FLOOR = 0.12       # ... and at least this share, if its pixels allow
OTHER_TO_MAIN = 0.6     # any other picture: at most this share of the main picture's floor
FILL_FLOORS = (0.17, 0.22)  # the main picture's floor on an underset page (then the others')


@dataclass(frozen=True)
class PhotoLimits:
    """The photo caps of one page, in pt (widths) and pt² (image areas)."""

    main: str = ""              # key of the page's 主图, "" if the page has no photo
    widest: float = 0.0
    main_area: float = 0.0
    main_floor: float = 0.0
    other_area: float = 0.0
    main_reference: float = 0.0  # the main's size from which its growth is scored (its first floor)
    main_widest: float = 0.0     # the widest the 主图 may be (pt; 0: as wide as any other)

    def area(self, key: str) -> float:
        """The largest image area of the photo `key` (0: no cap)."""
        return self.main_area if key == self.main else self.other_area

    def widest_of(self, key: str) -> float:
        """The widest photo `key` may be (pt)."""
        return max(self.widest, self.main_widest) if key == self.main else self.widest

    def floor(self, key: str) -> float:
        return self.main_floor if key == self.main else 0.0

    def reference(self, key: str) -> float:
        """The area (pt²) from which a photo's growth is scored (0: another picture's default)."""
        return (self.main_reference or self.main_floor) if key == self.main else 0.0

    def relaxed(self) -> PhotoLimits:
        """The same caps without the main picture's floor (when no composition reaches it)."""
        return replace(self, main_floor=0.0, main_reference=self.reference(self.main))


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


def page_limits(page: Page, key: str, folder, grid: Grid, share: float = MAIN_FLOOR) -> PhotoLimits:
    """The page's caps with the 主图's floor at `share` of the type area (MAIN_FLOOR, or a
    FILL_FLOORS level), or less if its pixels say so."""
    area = grid.type_width * grid.lines * grid.line_pitch
    widest = grid.span_width(WIDEST_COLUMNS)
    found = main_photo(page, key)
    if found is None:
        return PhotoLimits("", widest, area * MAIN_SHARE, 0.0, area * share * OTHER_TO_MAIN)
    picture = picture_for(folder, found[1])
    width = min(widest, picture.widest)
    largest = min(area * MAIN_SHARE, width * min(width / picture.aspect / (1 - picture.max_crop), picture.tallest))
    floor = min(area * share, largest * 0.9)
    first = min(area * MAIN_FLOOR, largest * 0.9)
    return PhotoLimits(found[0], widest, area * MAIN_SHARE, floor, floor * OTHER_TO_MAIN, first,
                       grid.span_width(MAIN_WIDEST_COLUMNS))


def fill_levels(page: Page, key: str, folder, grid: Grid) -> list[PhotoLimits]:
    """The caps of an underset page, level by level, each raising the last (none that would not)."""
    levels, last = [], page_limits(page, key, folder, grid)
    for share in FILL_FLOORS:
        limits = page_limits(page, key, folder, grid, share)
        if limits.other_area > last.other_area * 1.05:
            levels.append(limits)
            last = limits
    return levels
