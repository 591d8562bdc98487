"""Layout decisions: line composition -- the Chinese paragraph composer.

Sets a Chinese paragraph to clreq / GB/T 15834 and hands WeasyPrint lines it only has to
paint: total-fit line breaking with kinsoku, squeezing before pushing (先挤进，后推出),
compressed punctuation pairs, a quarter em between Han and Latin, even justification by
letter-spacing, no lone last character, a number kept with its unit and a name in a credit
kept whole. Stages: `classes` (character classes), `metrics` (HarfBuzz advances), `items`
(measured items), `keep` (keep-together), `breaking` (line breaks), `spacing` (spacing within
lines), `markup` (HTML).

    para = compose_paragraph([Run(text, faces)], width=117, size=9)
    html = paragraph_html(para)          # inside <p class="cz-p">, with COMPOSER_CSS
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from .breaking import break_lines
from .items import build_items
from .keep import credit_names
from .markup import COMPOSER_CSS, lines_html, paragraph_html
from .metrics import FontFace
from .spacing import Line, set_line

__all__ = ["COMPOSER_CSS", "FontFace", "Line", "Paragraph", "Run", "compose_paragraph",
           "credit_names", "lines_html", "paragraph_html"]


@dataclass(frozen=True)
class Run:
    """Text in one face list (primary face first, then fallbacks); css_class "lead" marks a
    bold lead-in, painted inside <strong class="lead">. `keep` holds (start, end) character
    spans of the text that no line break may cut (a name in a credit: keep.credit_names)."""

    text: str
    faces: tuple[FontFace, ...]
    css_class: str | None = None
    keep: tuple[tuple[int, int], ...] = ()


@dataclass
class Paragraph:
    """A composed paragraph: its lines, the runs they came from, and the characters that no
    face could show (a preflight finding for the caller)."""

    lines: list[Line]
    runs: tuple[Run, ...]
    size: float
    width: float
    indent: float                      # first-line indent, pt
    missing: set[str] = field(default_factory=set)
    forced: bool = False               # a break the rules forbid, because nothing else fitted

    @property
    def text(self) -> str:
        return "".join(line.text for line in self.lines)


def compose_paragraph(runs: Sequence[Run], *, width: float, size: float, indent: float = 2.0,
                      lang: str = "zh-CN", allow_forced: bool = True) -> Paragraph:
    """Break and space a paragraph for a column `width` pt wide at `size` pt.

    `indent` is the first-line indent in em. Only mainland Chinese rules are implemented:
    `lang` is accepted for the interface and must be a zh-Hans language tag. When no legal
    break keeps every line within the column, a forced break is made (`Paragraph.forced`),
    unless `allow_forced` is False.
    """
    runs = tuple(r for r in runs if r.text)
    indent_pt = indent * size
    first_width = max(width - indent_pt, size)
    items = build_items(runs, size, min(width, first_width))
    lines = []
    breaks = break_lines(items, width, first_width, size, allow_forced)
    for a, b, fit in breaks:
        measure = first_width if a == 0 else width
        lines.append(set_line(items, a, b, fit, measure, b == len(items)))
    forced = any(not items.breakable[b] for _, b, _ in breaks)
    return Paragraph(lines, runs, size, width, indent_pt, items.missing, forced)
