"""E-paper stage: the page views, each printed page as an image with a link over every story.

The links' rectangles are the page plan's places (`layout.places.page_places`, the same data as
`layout render --plan-json` and the proof desk's `/page/N/boxes.json`), given as percentages of
the page: they scale with the image at any zoom, and they cannot drift from the print, since
the image is the rendered PDF and the places are the plan it was rendered from.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import Figure, Issue
from ..page import PagePlan
from ..places import page_places
from .articles import Article, ArticleFigure, article_file

FIGURE_KEY = re.compile(r"^pages\[(\d+)\]\.(?:stories\[(\d+)\]\.figures|photos)\[(\d+)\]$")
AREA_KINDS = ("story", "photo")


@dataclass(frozen=True)
class Area:
    """A link over a story module (to its article) or a photo (to its caption on the page view),
    in percent of the page's width and height."""

    key: str
    kind: str
    href: str
    label: str
    left: float
    top: float
    width: float
    height: float

    @property
    def style(self) -> str:
        return (f"left:{self.left:.4f}%;top:{self.top:.4f}%;"
                f"width:{self.width:.4f}%;height:{self.height:.4f}%")


@dataclass(frozen=True)
class PagePhoto(ArticleFigure):
    """A photo of the page's photo group (组图): a figure with its anchor on the page view."""

    anchor: str = ""


@dataclass
class PageView:
    """One printed page on the web: 版次, 版名, its image, its areas, its stories and photos."""

    number: int
    section: str
    editor: str
    width_px: int = 0
    height_px: int = 0
    areas: list[Area] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)
    photos: list[PagePhoto] = field(default_factory=list)
    previous: PageView | None = None
    next: PageView | None = None

    @property
    def file(self) -> str:
        return page_file(self.number)

    @property
    def image(self) -> str:
        return f"page-{self.number}.png"

    @property
    def thumbnail(self) -> str:
        return f"page-{self.number}-thumb.jpg"


def page_file(number: int) -> str:
    return f"page-{number}.html"


def page_areas(plan: PagePlan, grid, source, titles: dict[str, str], captions: dict[str, str]) -> list[Area]:
    """The story and photo areas of a page, from its places, in the plan's order (stories by
    module, then photos): a story's links to its article, a photo's to its caption below."""
    places = page_places(plan, (grid.margin_side, grid.margin_top), source)
    by_key = {p["key"]: p for p in places if p["kind"] in AREA_KINDS}
    out = []
    for key in [m.key for m in plan.modules] + [p.key for p in plan.photos]:
        place = by_key.get(key)
        if place is None:
            continue
        if place["kind"] == "story":
            href, label, height = article_file(key), titles.get(key, ""), _filled_height(place, places)
        else:
            href, label, height = f"#{photo_anchor(key)}", captions.get(key, ""), place["h"]
        out.append(Area(key, place["kind"], href, label, 100 * place["x"] / grid.page_width,
                        100 * place["y"] / grid.page_height, 100 * place["w"] / grid.page_width,
                        100 * height / grid.page_height))
    return out


def _filled_height(story: dict, places: list[dict]) -> float:
    """A story module's height down to the foot of its last place (headline, figure, paragraph):
    the empty lines under an underset story's text are not part of its area."""
    parts = [p for p in places if p["key"].startswith(story["key"] + ".")]
    if not any(p["kind"] == "paragraph" for p in parts):    # continued from another page: no paragraphs
        return story["h"]
    return min(story["h"], max(p["y"] + p["h"] for p in parts) - story["y"])


def photo_anchor(key: str) -> str:
    """`pages[0].photos[2]` -> `photo-1-3`."""
    match = FIGURE_KEY.match(key)
    return f"photo-{int(match.group(1)) + 1}-{int(match.group(3)) + 1}" if match else "photo"


def figure_of(issue: Issue, key: str) -> Figure | None:
    """The model's figure for a plan's figure key (a story's figure or a page photo)."""
    match = FIGURE_KEY.match(key)
    if match is None:
        return None
    page = issue.pages[int(match.group(1))]
    figures = page.photos if match.group(2) is None else page.stories[int(match.group(2))].figures
    return figures[int(match.group(3))]


def printed_on(plans: list[PagePlan]) -> dict[str, list[int]]:
    """Each story key and the numbers of the pages its modules are on (a jump: two pages)."""
    out: dict[str, list[int]] = {}
    for plan in plans:
        for module in plan.modules:
            out.setdefault(module.key, []).append(plan.number)
    return out


def page_views(plans: list[PagePlan], grid, source, articles: list[Article],
               photos: dict[str, PagePhoto]) -> list[PageView]:
    """A view of every printed page, linked to the page before and after it."""
    titles = {a.key: a.title for a in articles}
    captions = {k: p.caption_line for k, p in photos.items()}
    views = []
    for plan in plans:
        view = PageView(plan.number, plan.section, plan.editor)
        view.areas = page_areas(plan, grid, source, titles, captions)
        view.articles = [a for a in articles if plan.number in a.pages]
        view.photos = [photos[p.key] for p in plan.photos if p.key in photos]
        views.append(view)
    for before, after in zip(views, views[1:]):
        before.next, after.previous = after, before
    return views
