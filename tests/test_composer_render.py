"""End-to-end tests of the composer: WeasyPrint paints the lines it was handed.

Each test renders composed paragraphs in fixed-width column blocks, then reads the PDF's
text layer back with pdfplumber: the text must be the source text, and every non-final
line must end at its column's right edge.
"""
from __future__ import annotations

import logging
import re
import subprocess
from functools import lru_cache
from pathlib import Path

import pytest

from layout.composer import COMPOSER_CSS, FontFace, Run, compose_paragraph, paragraph_html

SIZE = 9.0
BOLD_CSS = '.lead { font-family: "Noto Sans CJK SC"; font-weight: bold; }'


@lru_cache(maxsize=None)
def fc_face(pattern: str) -> FontFace:
    """The face fontconfig picks for pattern, as WeasyPrint would."""
    out = subprocess.check_output(["fc-match", "-f", "%{file}:%{index}", pattern], text=True)
    path, index = out.rsplit(":", 1)
    return FontFace(path, int(index))


@lru_cache(maxsize=None)
def body_faces() -> tuple[FontFace, ...]:
    return (fc_face("Noto Serif CJK SC"), fc_face("Noto Serif"))


@lru_cache(maxsize=None)
def lead_faces() -> tuple[FontFace, ...]:
    return (fc_face("Noto Sans CJK SC:bold"), fc_face("Noto Serif:bold"))


def runs_for(text: str) -> list[Run]:
    """'【lead】rest' puts 'lead' in a bold lead-in run; the brackets are not part of the text."""
    m = re.match(r"^\[\[(.+?)\]\](.*)$", text, re.S)
    if m:
        return [Run(m.group(1), lead_faces(), "lead"), Run(m.group(2), body_faces())]
    return [Run(text, body_faces())]


def source_text(text: str) -> str:
    return text.replace("[[", "").replace("]]", "")


def page_html(paragraphs: list[str], width: float, columns: int = 4, page=(842, 1191)) -> str:
    """An A3-ish page of `columns` column blocks, each `width` pt wide, of composed paragraphs."""
    html = "".join(f'<p class="cz-p">{paragraph_html(compose_paragraph(runs_for(t), width=width, size=SIZE))}</p>'
                   for t in paragraphs)
    return f"""<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><style>
@page {{ size: {page[0]}pt {page[1]}pt; margin: 40pt; }}
body {{ margin: 0; font-family: "Noto Serif CJK SC", "Noto Serif"; font-size: {SIZE}pt; line-height: 1.6; }}
.cols {{ column-count: {columns}; column-gap: {SIZE}pt; width: {columns * width + (columns - 1) * SIZE}pt; }}
p {{ margin: 0; width: {width}pt; }}
{BOLD_CSS}
{COMPOSER_CSS}</style></head><body><div class="cols">{html}</div></body></html>"""


def render(html: str, path: Path) -> Path:
    import weasyprint
    weasyprint.HTML(string=html).write_pdf(path)
    return path
