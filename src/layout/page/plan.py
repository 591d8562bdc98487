"""Layout decisions: the page plan, every element's rectangle in pt from the type area's corner."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from ..errors import Finding


FRAME_MARGIN = 4.0    # pt between a commentary's text and its box (within the cut's half gutter)


@dataclass(frozen=True)
class Box:
    """A rectangle in pt, measured from the top-left corner of the type area (版心)."""

    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    def overlaps(self, other: Box, tolerance: float = 0.01) -> bool:
        return (self.x < other.right - tolerance and other.x < self.right - tolerance
                and self.y < other.bottom - tolerance and other.y < self.bottom - tolerance)


@dataclass
class TextBlock:
    """Composed lines of one text (headline, caption, jump line...) in a box."""

    box: Box
    html: Markup
    role: str
    lines: int = 1
    size: float = 0.0
    shift: float = 0.0       # lowers the lines onto the body's baseline grid


@dataclass
class PlacedFigure:
    """A photo cropped to its frame, with its caption block directly under it."""

    key: str
    source: Path
    image: Box
    caption: TextBlock
    credit: str = ""
    focus: tuple[float, float] | None = None       # the crop's centre (fractions of the picture)
    region: tuple[float, float, float, float] | None = None   # the editor's exact crop

    @property
    def box(self) -> Box:
        return Box(self.image.x, self.image.y, self.image.w, self.caption.box.bottom - self.image.y)


@dataclass
class Fragment:
    """The lines of one paragraph that fall into one column."""

    html: Markup
    lines: int
    continued: bool          # the paragraph started in an earlier column
    indent: float = 0.0      # first-line indent (pt), set as the block's text-indent


@dataclass
class ColumnBox:
    """One body column of a story module and the paragraph fragments it holds."""

    box: Box
    fragments: list[Fragment] = field(default_factory=list)

    @property
    def lines(self) -> int:
        return sum(f.lines for f in self.fragments)


@dataclass
class StoryModule:
    """A story placed on the page: headline set, body columns, figures, jump lines."""

    key: str
    box: Box
    headline_set: list[TextBlock]
    columns: list[ColumnBox]
    figures: list[PlacedFigure]
    lead: bool = False
    jump: TextBlock | None = None
    overset_lines: int = 0
    kind: str = ""            # "commentary" (boxed, 楷体), "briefs" (简讯), or news

    @property
    def frame(self) -> Box:
        """A commentary's box: the module and a margin of FRAME_MARGIN pt around it."""
        m = FRAME_MARGIN
        return Box(self.box.x - m, self.box.y - m, self.box.w + 2 * m, self.box.h + 2 * m)


@dataclass
class PagePlan:
    """Everything on one page, positioned; plus what the layout noticed (copyfit, underset)."""

    number: int
    section: str
    editor: str
    banner: dict | None = None
    banner_box: Box | None = None
    photos: list[PlacedFigure] = field(default_factory=list)
    modules: list[StoryModule] = field(default_factory=list)
    rules: list[Box] = field(default_factory=list)
    texts: list[TextBlock] = field(default_factory=list)    # a photo group's title and caption
    line_pitch: float = 0.0
    spread: str = ""          # "left" or "right" half of a 通版, whose banner crosses the gutter
    designer: str = ""        # 美编 and 校对, credited with the editor (furniture.py)
    proofreader: str = ""
    findings: list[Finding] = field(default_factory=list)

    def boxes(self) -> list[tuple[str, Box]]:
        """Every module-level rectangle, for overlap and containment checks."""
        out = [("banner", self.banner_box)] if self.banner_box else []
        out += [(f.key, f.box) for f in self.photos]
        out += [(m.key, m.box) for m in self.modules]
        return out
