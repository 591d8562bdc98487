"""Stage 7: a marked proof (改样) — change bars and a 校样 stamp drawn over a rendered proof PDF.

The marks are one small overlay page per proof page, laid out by WeasyPrint (the stamp's Chinese
needs a real font) and laid over the page with pikepdf; the proof's own pages are not laid out
again. Only the proof written by `layout proof --since` gets them: never `<slug>.pdf` nor the
print PDF.

- A change bar in the page margin beside each changed line (the left margin for a line in the
  left half of the page, else the right), as tall as the line, and a thin tick in the gutter
  just before the line itself (a margin bar says the height, the tick the column).
- A caret (‸) in the margin and before the line where lines were taken out.
- A boxed red stamp in the top right margin: `校样 第3次 2026-11-29 18:05 对照第1次 改动 5 行`.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from markupsafe import escape

from .render import write_atomically
from .setlines import Marks, SetLine

RED = "#e60012"
BAR_W = 3.0           # pt: a change bar in the margin
BAR_GAP = 14.0        # pt between the type area and a margin bar
TICK_W = 1.2          # pt: the tick in the gutter before a changed line
TICK_GAP = 1.4        # pt between the tick and its line (the column rule lies 4.5 pt before it)
CARET = 7.0           # pt: a deletion caret's width


@dataclass
class Stamp:
    number: int                # this proof's number
    when: str                  # "2026-11-29 18:05"
    since: str                 # "第1次" or the old PDF's name
    changed: int = 0           # lines and photos marked

    def text(self) -> str:
        since = self.since if self.since.startswith("第") else f" {self.since}"    # a file's name: spaced
        return f"校样 第{self.number}次 {self.when} 对照{since} 改动 {self.changed} 处"


def marked_proof(pdf: Path, out: Path, marks: Marks, stamp: Stamp, grid, font) -> Path:
    """Write `out`: the proof `pdf` with `marks` and `stamp` drawn over every page (the stamp in
    `font`, a theme role's FontFile)."""
    import pikepdf
    with pikepdf.open(pdf) as proof:
        sizes = [(float(p.mediabox[2]) - float(p.mediabox[0]), float(p.mediabox[3]) - float(p.mediabox[1]))
                 for p in proof.pages]
        overlay = overlay_pdf(sizes, marks, stamp, grid, font)
        with pikepdf.open(io.BytesIO(overlay)) as over:
            for page, marks_page in zip(proof.pages, over.pages):
                page.add_overlay(marks_page, pikepdf.Rectangle(*[float(v) for v in page.mediabox]))
            write_atomically(out, lambda tmp: proof.save(tmp))
    return out


def overlay_pdf(sizes: list[tuple[float, float]], marks: Marks, stamp: Stamp, grid, font) -> bytes:
    """One page of marks per proof page, as a PDF (transparent but for the marks)."""
    from weasyprint import HTML
    pages = []
    for number, (width, height) in enumerate(sizes, 1):
        changed, deleted = marks.on_page(number)
        items = [_stamp(stamp, width, grid)]
        items += [mark for line in changed for mark in _bar(line, width, grid)]
        items += [mark for line in deleted for mark in _caret(line, width, grid)]
        pages.append(f'<section style="width:{width:.3f}pt;height:{height:.3f}pt">{"".join(items)}</section>')
    width, height = sizes[0] if sizes else (595.0, 842.0)
    face = f"@font-face {{ font-family: stamp; src: url({Path(font.path).as_uri()}) }}" if font.dropped_in else ""
    family = "stamp" if font.dropped_in else f'"{font.family}"'
    css = (f"{face} .stamp {{ font-family: {family}; font-weight: {700 if font.bold else 400} }}"
           f"@page {{ size: {width:.3f}pt {height:.3f}pt; margin: 0 }}"
           "body { margin: 0 } section { position: relative; break-after: page; overflow: hidden }"
           "section > div { position: absolute; margin: 0 }")
    html = f"<!DOCTYPE html><html lang=zh-CN><head><style>{css}</style></head><body>{''.join(pages)}</body></html>"
    return HTML(string=html).write_pdf()


def _side(line: SetLine, width: float, grid) -> float:
    """The x of the margin bar beside `line`: in the margin nearer to it."""
    if line.x + line.w / 2 < width / 2:
        return grid.margin_side - BAR_GAP - BAR_W
    return width - grid.margin_side + BAR_GAP


def _box(x: float, y: float, w: float, h: float, style: str = "") -> str:
    return f'<div style="left:{x:.3f}pt;top:{y:.3f}pt;width:{w:.3f}pt;height:{h:.3f}pt;{style}"></div>'


def _bar(line: SetLine, width: float, grid) -> list[str]:
    """A bar in the margin as tall as the line, and a tick in the gutter just before it."""
    fill = f"background:{RED}"
    return [_box(_side(line, width, grid), line.y, BAR_W, line.h, fill),
            _box(line.x - TICK_GAP - TICK_W, line.y, TICK_W, line.h, fill)]


def _caret(line: SetLine, width: float, grid) -> list[str]:
    """A caret (an upward wedge) where lines were taken out: in the margin and before the line."""
    half = CARET / 2
    wedge = (f"width:0;height:0;border-left:{half:.2f}pt solid transparent;"
             f"border-right:{half:.2f}pt solid transparent;border-bottom:{CARET:.2f}pt solid {RED}")
    margin = _side(line, width, grid) + BAR_W / 2 - half
    return [f'<div style="left:{x:.3f}pt;top:{line.y - 1:.3f}pt;{wedge}"></div>'
            for x in (margin, line.x - TICK_GAP - half)]


def _stamp(stamp: Stamp, width: float, grid) -> str:
    """The boxed red 校样 stamp, right-aligned to the type area, in the top margin."""
    right = grid.margin_side
    top = max(4.0, grid.margin_top / 2 - 22)
    return (f'<div class="stamp" style="right:{right:.3f}pt;top:{top:.3f}pt;border:1.5pt solid {RED};'
            f'color:{RED};font-size:12pt;line-height:1.3;padding:3pt 8pt;white-space:nowrap">'
            f"{escape(stamp.text())}</div>")
