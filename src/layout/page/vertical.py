"""Layout decisions: a vertical headline (竖排标题) at the right of a narrow module.

WeasyPrint ignores `writing-mode`, so the 主题 is set as columns of cells, one character a
cell, top to bottom; a headline the editor broke in two (`\\n`) takes two columns read right to
left. Each cell is as tall as HarfBuzz's vertical advance of its character (vertical shaping
with the font's `vert` forms). Han characters stand upright; punctuation takes the font's
vertical form (，。、 in the top right of their square, brackets and quotes turned), drawn as it
is painted, with `font-feature-settings: "vert"`; a mark that has no vertical form and is not
upright in vertical text (~, a hyphen…) is refused. A run of up to three digits or Latin letters
stands upright as one 纵中横 block in one cell, squeezed to the em (to half its width at most);
a longer number is set a digit a cell, a longer Latin word is refused. The strip takes whole body
characters of the module's width (its lines and a gutter to the body); the body is set in the
rest, in as many columns as the module has basic columns.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

import uharfbuzz as hb
from markupsafe import Markup, escape

from ..composer import Run
from ..composer.metrics import FontFace, _hb_font, face_for, vertical_extents
from ..errors import Finding
from .typeset import Typesetter, _compose

LINE_GAP_EM = 0.3          # between the columns of a two-line vertical headline
IDEOGRAPHIC_ASCENT = 0.88  # the CJK em box above the baseline (Noto CJK, Source Han: 880/1000)
TCY_MAX = 3                # digits or letters set upright as one 纵中横 block
TCY_MIN_SCALE = 0.5        # a 纵中横 block is squeezed to half its width at most
MIN_BODY_CHARS = 6         # a body column beside the strip keeps at least this many characters
UPRIGHT = set("？！?!·・　 ")   # upright in vertical text as they are
TOKEN = re.compile(r"[0-9A-Za-z]+|.", re.S)


@dataclass(frozen=True)
class Cell:
    """One cell of a vertical line: a character, a 纵中横 block or a space, and its height."""

    text: str
    height: float          # pt
    scale: float = 0.0     # a 纵中横 block's horizontal squeeze (0: not a block)


@dataclass(frozen=True)
class VerticalHeadline:
    """The 主题 as vertical lines (right to left), or why it cannot be set so."""

    text: str
    lines: tuple[tuple[Cell, ...], ...]
    size: float
    chars: int = 0          # width of the strip in body characters, with its gutter
    refusal: str = ""

    @property
    def height(self) -> float:
        return max((sum(c.height for c in line) for line in self.lines), default=0.0)

    def rows(self, pitch: float) -> int:
        return max(1, math.ceil(self.height / pitch - 1e-6))

    @property
    def width(self) -> float:
        """The lines and the gaps between them, in pt (the strip's gutter not included)."""
        count = len(self.lines)
        return count * self.size + (count - 1) * LINE_GAP_EM * self.size


def set_vertical(setter: Typesetter, text: str, size_key: str) -> VerticalHeadline:
    """The headline `text` as vertical lines at the theme size `size_key`, measured."""
    size = setter.theme.sizes[size_key]
    faces = setter.faces["headline"]
    lines, refusals = [], []
    for line in [t.strip() for t in text.strip().split("\n") if t.strip()]:
        cells = []
        for token in TOKEN.findall(line):
            made, refusal = _cells(token, faces, size)
            cells += made
            refusals += [refusal] if refusal else []
        lines.append(tuple(cells))
    grid = setter.theme.grid
    head = VerticalHeadline(text, tuple(lines), size, refusal=refusals[0] if refusals else "")
    chars = math.ceil(head.width / grid.body_size - 1e-6) + grid.gutter_chars
    return VerticalHeadline(head.text, head.lines, size, chars, head.refusal)


def _cells(token: str, faces, size: float) -> tuple[list[Cell], str]:
    """The cells of one token (a run of digits or letters, or one character), or a refusal."""
    if token[0].isascii() and token[0].isalnum():
        width = _compose((Run(token, faces),), 100000.0, size, 0).lines[0].width
        scale = min(1.0, 0.95 * size / width)
        if len(token) <= TCY_MAX and scale >= TCY_MIN_SCALE:
            return [Cell(token, size, scale)], ""
        if token.isdigit():
            return [Cell(d, _advance(d, faces) * size) for d in token], ""
        return [], (f"the Latin word '{token}' is too long to stand upright in a vertical headline "
                    f"(at most {TCY_MAX} letters); write it in Chinese, or set the headline horizontally")
    advance, turned = _vertical_form(token, faces)
    if _is_mark(token) and not turned and token not in UPRIGHT:
        return [], (f"'{token}' has no vertical form in the headline face; leave it out of the "
                    f"vertical headline, or set the headline horizontally")
    return [Cell(token, advance * size)], ""


def _is_mark(char: str) -> bool:
    return not (char.isalnum() or char.isspace())


def _advance(char: str, faces) -> float:
    return _vertical_form(char, faces)[0]


@lru_cache(maxsize=4096)
def _vertical_form(char: str, faces: tuple[FontFace, ...]) -> tuple[float, bool]:
    """(vertical advance in em, whether the face has a vertical form of the character), by
    shaping it top to bottom with HarfBuzz, as a vertical line would set it."""
    face = face_for(char, faces) or faces[0]
    font, upem = _hb_font(face)
    shaped = []
    for direction, features in (("ttb", {"vert": True}), ("ltr", {})):
        buf = hb.Buffer()
        buf.add_str(char)
        buf.direction, buf.script, buf.language = direction, "Hani", "zh-CN"
        hb.shape(font, buf, features)
        shaped.append(buf)
    advance = abs(shaped[0].glyph_positions[0].y_advance) / upem
    return advance or 1.0, shaped[0].glyph_infos[0].codepoint != shaped[1].glyph_infos[0].codepoint


def body_measure(chars: int, span: int, grid) -> tuple[float, float] | None:
    """(column width, column step) in pt of a body of `span` columns beside a strip `chars`
    body characters wide, in whole characters; None if a column would keep too few."""
    room = span * grid.column_chars + (span - 1) * grid.gutter_chars - chars
    column = (room - (span - 1) * grid.gutter_chars) // span
    if column < MIN_BODY_CHARS:
        return None
    return column * grid.body_size, (column + grid.gutter_chars) * grid.body_size


def headline_html(head: VerticalHeadline) -> Markup:
    """The vertical lines as HTML: one column of cells each, the first at the right."""
    columns = []
    step = head.size * (1 + LINE_GAP_EM)
    for index, line in enumerate(head.lines):
        left = head.width - head.size - index * step
        cells = "".join(_cell_html(cell) for cell in line)
        columns.append(f'<span class="vline" style="left:{left:.3f}pt;width:{head.size:.3f}pt">{cells}</span>')
    return Markup("".join(columns))


def _cell_html(cell: Cell) -> str:
    style = f"height:{cell.height:.3f}pt;line-height:{cell.height:.3f}pt"
    if cell.scale:
        return (f'<span class="vcell tcy" style="{style}"><span style="transform:scaleX({cell.scale:.3f})">'
                f"{escape(cell.text)}</span></span>")
    return f'<span class="vcell" style="{style}">{escape(cell.text)}</span>'


def vertical_findings(modules, pitch: float) -> list[Finding]:
    """An error for every vertical headline longer than its module: it would run into what
    stands under the module (a story cut at the foot of the page for a jump can be shorter than
    its vertical headline)."""
    out = []
    for module in modules:
        for block in module.headline_set:
            over = block.box.bottom - module.box.bottom
            if block.role == "vertical-headline" and over > 0.5:
                out.append(Finding(
                    f"the vertical headline '{block.html.striptags()}' is {block.box.h:.0f} pt long, "
                    f"{math.ceil(over / pitch - 1e-6)} lines longer than its module "
                    f"({module.box.h / pitch:.0f} lines): it would overprint what stands under it; "
                    f"shorten it, break it in two lines (\\n), or set it horizontally",
                    key=f"{module.key}.headline", kind="layout"))
    return out


def em_box_drop(setter: Typesetter, size: float) -> float:
    """How far below its cell's top WeasyPrint puts a character's em box, in pt: cells are one
    em tall, and Pango centres the face's ascent and descent (HarfBuzz's) in them."""
    ascent, descent = vertical_extents(setter.faces["headline"][0])
    baseline = (1 - ascent - descent) / 2 + ascent
    return (baseline - IDEOGRAPHIC_ASCENT) * size
