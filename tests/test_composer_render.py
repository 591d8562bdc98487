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


def page_html(paragraphs: list[str], width: float, columns: int = 4, page=(842, 1191),
              newlines: bool = False) -> str:
    """An A3-ish page of `columns` column blocks, each `width` pt wide, of composed paragraphs."""
    cls = "cz-p cz-pre" if newlines else "cz-p"
    html = "".join(f'<p class="{cls}">'
                   f'{paragraph_html(compose_paragraph(runs_for(t), width=width, size=SIZE), newlines=newlines)}</p>'
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


MARGIN = 40.0
GAP = SIZE
CLOSING = set("，。、；：？！”’）》」』〉】〕")


def visual_lines(pdf_path: Path, width: float) -> list[dict]:
    """The PDF's text lines in reading order (column by column), with their column."""
    import pdfplumber
    out = []
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:
            rows: dict[tuple[int, float], list] = {}
            for c in page.chars:
                if c["text"].isspace():
                    continue
                col = int((c["x0"] + SIZE - MARGIN) // (width + GAP))
                rows.setdefault((col, round(c["bottom"], 1)), []).append(c)
            for (col, _), chars in sorted(rows.items()):
                chars.sort(key=lambda c: c["x0"])
                out.append({"col": col, "chars": chars, "text": "".join(c["text"] for c in chars)})
    return out


#: Noto CJK draws ⸺ ― ⋯ with the glyphs of —— — …, so the PDF's text layer gives those back
SHARED_GLYPHS = str.maketrans({"⸺": "——", "―": "—", "⋯": "…"})


def as_extracted(text: str) -> str:
    return re.sub(r"\s", "", text).translate(SHARED_GLYPHS)


def check_render(paragraphs: list[str], width: float, tmp_path: Path, caplog, newlines=False) -> None:
    caplog.set_level(logging.WARNING, logger="weasyprint")
    pdf = render(page_html(paragraphs, width, newlines=newlines), tmp_path / "page.pdf")
    assert not [r for r in caplog.records if r.name.startswith("weasyprint")]
    lines = visual_lines(pdf, width)
    source = "".join(source_text(t) for t in paragraphs)
    assert "".join(re.sub(r"\s", "", line["text"]) for line in lines) == as_extracted(source)
    composed = [(line, i == len(p.lines) - 1) for t in paragraphs
                for p in [compose_paragraph(runs_for(t), width=width, size=SIZE)]
                for i, line in enumerate(p.lines)]
    assert len(composed) == len(lines)
    for (line, last), seen in zip(composed, lines):
        assert as_extracted(line.text) == seen["text"]
        if last:
            continue
        right = MARGIN + seen["col"] * (width + GAP) + width
        end = seen["chars"][-1]
        ends = [end["x1"]] + ([end["x0"] + SIZE / 2] if end["text"] in CLOSING else [])
        assert min(abs(right - e) for e in ends) <= 0.5, (seen["text"], right, ends)


def seed_body() -> list[str]:
    path = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_07aebcb63628b662.txt"
    if not path.exists():
        pytest.skip("seed text not available")
    return [p.strip() for p in path.read_text(encoding="utf-8").splitlines() if len(p.strip()) > 60]


@pytest.mark.parametrize("width", [13 * SIZE, 20 * SIZE, 125.3])
def test_seed_renders_flush_and_text_layer_is_source(width, tmp_path, caplog):
    check_render(seed_body()[:12], width, tmp_path, caplog)


SYNTHETIC = [
    "[[本报讯]]（记者 王某）2025年，平顺县签约项目56个、总投资79.3亿元，同比增长15.8%。"
    "“叙乡情、话发展”招商恳谈会上，《平顺县志》——这部“大书”——再次被提起……",
    "正来制药GMP易地技改项目试产成功；北京吉电100MW光伏项目开工建设！PM2.5平均浓度"
    "下降3.2‰，AI讲古建、iPhone直播、5G基站“一个都不少”。他说：“好！”（完）",
    "䶮字与𠮷字是生僻字，“‘引号’里的引号”。【链接】「直角引号」『双直角』〈单书名号〉〔六角〕"
    "数字1,280与0.75，COVID-19之后，Wi-Fi覆盖率达94.9%。",
    "破折号有四种写法：两个连用的——、一个⸺、cp936的――和制表符的──；省略号有……和⋯⋯两种，"
    "连用时是…………，三个的是………。北京—上海、1949—1986年的连接号、科技/医疗的分隔号、"
    "列奥纳多·达·芬奇的间隔号，都不出现在行首——这一行又一行的文字……正是如此。",
]


@pytest.mark.parametrize("newlines", [False, True])
def test_synthetic_renders_flush_and_text_layer_is_source(newlines, tmp_path, caplog):
    check_render(SYNTHETIC * 3, 13 * SIZE, tmp_path, caplog, newlines)


def test_seed_renders_with_newlines(tmp_path, caplog):
    check_render(seed_body()[:12], 13 * SIZE, tmp_path, caplog, newlines=True)
