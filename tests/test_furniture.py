"""Page furniture (issue 10, item 7): the running header (报眉) of an inner page is the paper's
name, the 版次 and 版名 emphasised (bold, the 版名 reversed white on red) and the date above a
rule across the whole type area; the first page under its banner keeps the banner as its
masthead (a plain line, no rule); the credits (责任编辑, 美编, 校对) are small, in the caption
face, in the 报眉 or under the type area as the theme says. Checked on real PDFs."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pdfplumber
import pytest

import layout.theme
from layout.furniture import HEAD_GAP
from layout.pipeline import render_to_files
from layout.theme import load_theme

GRID = load_theme().grid
ISSUE = """\
paper: 示例日报
title: 报眉测试
date: 2026-02-10
pages:
  - section: 两会特刊
    editor: 赵一
    banner:
      title: 2026长治两会
    stories:
      - headline: 第一版稿件
        body: |
          第一版正文。
  - section: 要闻
    editor: 王小明
    designer: 李华
    proofreader: 张强
    stories:
      - headline: 第二版稿件
        body: |
          第二版正文。
"""
CREDITS = "责任编辑：王小明　美编：李华　校对：张强"


def render(folder: Path, out: Path):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "issue.yaml").write_text(ISSUE, encoding="utf-8")
    result, written = render_to_files(folder, out)
    assert [str(f) for f in result.findings if f.kind == "render"] == []
    pdf = pdfplumber.open(written[-1])
    return pdf


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    pdf = render(tmp_path_factory.mktemp("furniture") / "x", tmp_path_factory.mktemp("out"))
    yield pdf.pages
    pdf.close()


def squash(text: str) -> str:
    return re.sub(r"\s", "", text)


def text_above_type_area(page) -> str:
    return squash("".join(c["text"] for c in page.chars if c["bottom"] < GRID.margin_top))


def header_rules(page) -> list[dict]:
    return [r for r in page.rects if r["width"] > GRID.type_width / 2 and r["bottom"] < GRID.margin_top]


def test_an_inner_page_s_header_sits_above_a_rule_across_the_type_area(pages):
    rules = header_rules(pages[1])
    assert len(rules) == 1
    rule = rules[0]
    assert rule["x0"] == pytest.approx(GRID.margin_side, abs=0.1)
    assert rule["width"] == pytest.approx(GRID.type_width, abs=0.1)
    assert rule["height"] == pytest.approx(1.0, abs=0.05)
    assert rule["bottom"] == pytest.approx(GRID.margin_top - HEAD_GAP, abs=0.1)
    text = [c for c in pages[1].chars if c["bottom"] < GRID.margin_top]
    assert text and all(c["bottom"] <= rule["top"] for c in text)     # every letter above the rule
    assert text_above_type_area(pages[1]) == squash(f"示例日报第2版要闻{CREDITS}2026年2月10日星期二")


def test_the_folio_and_section_are_bold_and_the_section_reversed(pages):
    chars = {c["text"]: c for c in pages[1].chars if c["bottom"] < GRID.margin_top and c["x0"] < 300}
    for ch in "第2版要闻":
        assert "Bold" in chars[ch]["fontname"] and chars[ch]["size"] == pytest.approx(12, abs=0.1)
    assert "Bold" not in chars["示"]["fontname"] and chars["示"]["size"] == pytest.approx(9, abs=0.1)
    red = [r for r in pages[1].rects if r["bottom"] < GRID.margin_top and r["non_stroking_color"]
           and r["width"] < 100]
    assert len(red) == 1
    assert red[0]["x0"] < chars["要"]["x0"] and chars["闻"]["x1"] < red[0]["x1"]
    assert red[0]["top"] < (chars["要"]["top"] + chars["要"]["bottom"]) / 2 < red[0]["bottom"]
    assert chars["要"]["non_stroking_color"] in ((1, 1, 1), [1, 1, 1], (1.0, 1.0, 1.0))


def test_the_credits_are_small_kai_right_of_the_section_before_the_date(pages):
    chars = [c for c in pages[1].chars if c["bottom"] < GRID.margin_top and c["text"].strip()]
    text = "".join(c["text"] for c in chars)
    start = text.index("责任编辑")
    credit = chars[start:start + len(squash(CREDITS))]
    assert "".join(c["text"] for c in credit) == squash(CREDITS)
    assert all("WenKai" in c["fontname"] and c["size"] == pytest.approx(9, abs=0.1) for c in credit)
    date = chars[text.index("2026年"):]
    assert credit[-1]["x1"] < date[0]["x0"]
    assert date[-1]["x1"] == pytest.approx(GRID.margin_side + GRID.type_width, abs=0.5)


def test_the_first_page_under_its_banner_keeps_a_plain_line(pages):
    assert header_rules(pages[0]) == []
    assert text_above_type_area(pages[0]) == "示例日报第1版两会特刊责任编辑：赵一2026年2月10日星期二"
    assert all("Bold" not in c["fontname"] for c in pages[0].chars if c["bottom"] < GRID.margin_top)


def test_the_theme_can_put_the_credits_under_the_type_area(tmp_path, monkeypatch):
    shutil.copytree(Path(layout.theme.TEMPLATES_DIR) / "newspaper", tmp_path / "templates" / "newspaper")
    theme = tmp_path / "templates" / "newspaper" / "theme.yaml"
    text = theme.read_text(encoding="utf-8")
    theme.write_text(text.replace("  credits: head ", "  credits: foot ").replace(
        "section_style: reversed", "section_style: red"), encoding="utf-8")
    monkeypatch.setattr(layout.theme, "TEMPLATES_DIR", tmp_path / "templates")
    with render(tmp_path / "x", tmp_path / "out") as pdf:
        page = pdf.pages[1]
        assert text_above_type_area(page) == "示例日报第2版要闻2026年2月10日星期二"
        foot = "".join(c["text"] for c in page.chars if c["top"] > GRID.margin_top + GRID.type_height)
        assert squash(foot) == squash(CREDITS)
        section = [c for c in page.chars if c["text"] == "要" and c["bottom"] < GRID.margin_top][0]
        assert tuple(section["non_stroking_color"]) != (1, 1, 1)
        assert not [r for r in page.rects if r["bottom"] < GRID.margin_top and r["width"] < 100]


def test_a_section_style_the_theme_does_not_know_is_a_located_error(tmp_path, monkeypatch):
    shutil.copytree(Path(layout.theme.TEMPLATES_DIR) / "newspaper", tmp_path / "templates" / "x")
    theme = tmp_path / "templates" / "x" / "theme.yaml"
    text = theme.read_text(encoding="utf-8")
    theme.write_text(text.replace("section_style: reversed", "section_style: blue"), encoding="utf-8")
    monkeypatch.setattr(layout.theme, "TEMPLATES_DIR", tmp_path / "templates")
    monkeypatch.chdir(tmp_path)
    line = text.splitlines().index(next(t for t in text.splitlines() if "section_style" in t)) + 1
    with pytest.raises(layout.theme.LayoutError) as caught:
        load_theme("x")
    assert [str(f) for f in caught.value.findings] == [
        f"templates/x/theme.yaml:{line}: running_head.section_style: expected reversed, red or bold, got 'blue'"]
