"""Module kinds (issue 10): a commentary (评论) is a boxed, tinted module in the 楷体 with its
rubric (栏头) above the headline; briefs (简讯) are a narrow module of items, each under a bold
run-in headline. Checked on a real PDF by the positions of boxes and glyphs."""
from __future__ import annotations

import pdfplumber
import pytest

from layout.errors import LayoutError
from layout.model import load_issue
from layout.pipeline import render_to_files
from layout.theme import load_theme

from .conftest import photo
from .test_modular import body

GRID = load_theme().grid
PT = 72 / 25.4


def kinds_issue(folder) -> str:
    photo(folder / "images" / "l.jpg", (4000, 2667))
    paragraphs = lambda n: "\n".join("          " + p + "\n" for p in body(n).split("\n\n"))
    items = "\n".join(f"          - headline: 简讯标题{i}\n            body: {body(60 + 25 * i)}" for i in range(6))
    return f"""paper: 示例日报
title: 评论与简讯
date: 2026-02-10
pages:
  - section: 要闻
    stories:
      - headline: 奋进平顺 踏征途
        figures: [{{image: images/l.jpg, caption: 头条配图}}]
        body: |
{paragraphs(1500)}
      - headline: 以实干担当书写新时代答卷
        kind: commentary
        rubric: 评论员文章
        body: |
{paragraphs(900)}
      - headline: 县域简讯
        kind: briefs
        items:
{items}
      - headline: 第四条稿件
        body: |
{paragraphs(700)}
"""


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    folder = tmp_path_factory.mktemp("kinds")
    (folder / "issue.yaml").write_text(kinds_issue(folder), encoding="utf-8")
    result, written = render_to_files(folder, tmp_path_factory.mktemp("out"))
    with pdfplumber.open(written[-1]) as pdf:
        page = pdf.pages[0]
        yield result, page.chars, page.rects


def inside(char, box) -> bool:
    x0, top, x1, bottom = box
    return x0 <= char["x0"] and char["x1"] <= x1 and top <= char["top"] and char["bottom"] <= bottom


def test_renders_without_weasyprint_warnings(rendered):
    result, _, _ = rendered
    assert [str(f) for f in result.findings if f.kind == "render"] == []
    assert not [f for f in result.findings if f.severity.value == "error"]


def test_a_commentary_is_a_box_holding_its_rubric_headline_and_kai_body(rendered):
    _, chars, rects = rendered
    boxes = [r for r in rects if r["width"] > 100 and r["height"] > 100]
    box = boxes[0]                                      # the tinted, ruled commentary box
    assert all(abs(b["x0"] - box["x0"]) < 2 and abs(b["bottom"] - box["bottom"]) < 2 for b in boxes)
    assert any(b["fill"] for b in boxes)
    area = (box["x0"], box["top"], box["x1"], box["bottom"])
    held = [c for c in chars if inside(c, area)]
    text = "".join(c["text"] for c in held)
    assert text.startswith("评论员文章") and "以实干担当书写新时代答卷" in text
    rubric = [c for c in held if c["text"] in "评论员文章"][:5]
    headline = [c for c in held if c["size"] > 15]
    assert max(c["bottom"] for c in rubric) < min(c["top"] for c in headline)        # 栏头 above
    assert min(c["x0"] for c in rubric) < min(c["x0"] for c in headline)             # at the left
    body = [c for c in held if c["top"] > max(h["bottom"] for h in headline)]
    lead_ins = [c for c in body if "Sans" in c["fontname"] and "Bold" in c["fontname"]]  # **…**, bold Hei
    assert len(body) > 500 and lead_ins and all("WenKai" in c["fontname"] for c in body if c not in lead_ins)
    assert min(c["x0"] for c in body) - box["x0"] >= 3 and box["x1"] - max(c["x1"] for c in body) >= 3
    outside = [c for c in chars if "以实干" in c["text"] and not inside(c, area)]
    assert outside == []


def test_briefs_are_a_narrow_module_of_items_under_bold_run_in_headlines(rendered):
    _, chars, _ = rendered
    title = [c for c in chars if c["text"] in "县域简讯" and c["size"] > 15]
    assert len(title) == 4
    markers = sorted((c for c in chars if c["text"] == "■"), key=lambda c: (c["x0"] // 50, c["top"]))
    assert len(markers) == 6
    left = min(c["x0"] for c in markers) - GRID.indent_em * GRID.body_size - 1
    width = max(c["x1"] for c in chars if c["top"] > min(m["top"] for m in markers) - 1
                and c["x0"] >= left - 0.5 and c["top"] < max(m["bottom"] for m in markers) + 200) - left
    assert GRID.span_width(1) < width <= GRID.span_width(3) + GRID.body_size   # 2-3 basic columns
                                                            # (punctuation may hang half an em)
    for marker in markers:                 # the run-in headline follows in the bold sans face
        run = sorted((c for c in chars if abs(c["top"] - marker["top"]) < 1 and 0 < c["x0"] - marker["x0"] < 60),
                     key=lambda c: c["x0"])
        assert "".join(c["text"] for c in run).startswith("简讯标题")
        assert all("Sans" in c["fontname"] and "Bold" in c["fontname"] for c in run[:4])


@pytest.mark.parametrize("story, message", [
    ("kind: briefs", "pages[0].stories[0].items: a briefs module (kind: briefs) needs items: [{headline, body}, ...]"),
    ("kind: briefs\n                items: [{headline: 甲, body: 乙}]\n                body: 正文",
     "pages[0].stories[0].body: a briefs module takes items, not a body"),
    ("items: [{headline: 甲, body: 乙}]\n                body: 正文", "pages[0].stories[0].items: items are for kind: briefs"),
    ("rubric: 短评\n                body: 正文", "pages[0].stories[0].rubric: a rubric (栏头) is for kind: commentary"),
    ("kind: column\n                body: 正文",
     "pages[0].stories[0].kind: expected 'news', 'commentary' or 'briefs', got 'column'"),
])
def test_keys_of_another_kind_are_located_errors(write_issue, story, message):
    folder = write_issue(f"""\
        paper: 示例日报
        title: 种类
        date: 2026-02-10
        pages:
          - stories:
              - headline: 标题
                {story}
        """)
    with pytest.raises(LayoutError) as caught:
        load_issue(folder)
    assert [f"{f.key}: {f.message}" for f in caught.value.findings] == [message]
