"""Page places: `layout render --plan-json` writes where each module, photo and headline is on the
page (checked against the glyphs and images of the PDF), its issue.yaml line, and the findings
drawn on them."""
from __future__ import annotations

import json

import pdfplumber
from click.testing import CliRunner

from layout.cli import main
from layout.places import markers, place_of

from .conftest import photo

ISSUE = """\
paper: 示例日报
title: 测试特刊
date: 2026-02-10
pages:
  - section: 要闻
    stories:
      - headline: 头条标题
        subhead: 副题文字
        body: |
          第一段正文，检查检查一下。

          第二段正文。
        figures:
          - image: images/a.jpg
            caption: 图片说明
      - headline: 第二篇
        body: 第二篇正文。
"""


def glyphs_of(sheet, text: str) -> list[dict]:
    """The page's glyphs that print `text`, one after the other."""
    chars = [c for c in sheet.chars if not c["text"].isspace()]
    start = "".join(c["text"] for c in chars).index(text)
    return chars[start:start + len(text)]


def test_render_plan_json_places_match_the_pdf_and_the_issue_lines(write_issue, tmp_path, caplog):
    folder = write_issue(ISSUE)
    photo(folder / "images" / "a.jpg", (2400, 1600))
    result = CliRunner().invoke(main, ["render", str(folder), "-o", str(tmp_path / "out"), "--plan-json"])
    assert result.exit_code == 0, result.output        # warnings only (a soft photo, a doubled word)
    assert f"wrote {tmp_path / 'out' / 'x-plan.json'}" in result.output
    data = json.loads((tmp_path / "out" / "x-plan.json").read_text(encoding="utf-8"))
    assert (data["file"], data["unit"], len(data["pages"])) == ("x/issue.yaml", "pt", 1)
    page = data["pages"][0]
    places = {}
    for place in sorted(page["places"], key=lambda p: p["x"]):
        places.setdefault(place["key"], place)           # a paragraph's first column
    assert {key: (p["kind"], p["line"]) for key, p in places.items()} == {
        "pages[0].stories[0]": ("story", 7), "pages[0].stories[0].headline": ("headline", 7),
        "pages[0].stories[0].subhead": ("subhead", 8),
        "pages[0].stories[0].figures[0]": ("figure", 14),     # in its own story's module
        "pages[0].stories[1]": ("story", 16), "pages[0].stories[1].headline": ("headline", 16),
        "pages[0].stories[0].body[0]": ("paragraph", 10), "pages[0].stories[0].body[1]": ("paragraph", 12),
        "pages[0].stories[1].body[0]": ("paragraph", 17)}
    with pdfplumber.open(tmp_path / "out" / "x.pdf") as pdf:
        sheet = pdf.pages[0]
        assert (round(float(sheet.width), 2), round(float(sheet.height), 2)) == (page["width"], page["height"])
        for text, key in (("头条标题", "pages[0].stories[0].headline"), ("副题文字", "pages[0].stories[0].subhead"),
                          ("第二篇", "pages[0].stories[1].headline"), ("第一段正文", "pages[0].stories[0].body[0]"),
                          ("第二段正文", "pages[0].stories[0].body[1]"), ("第二篇正文", "pages[0].stories[1].body[0]")):
            chars = glyphs_of(sheet, text)
            box = places[key]
            assert all(box["x"] - 1 <= c["x0"] and c["x1"] <= box["x"] + box["w"] + 1
                       and box["y"] - 1 <= c["top"] and c["bottom"] <= box["y"] + box["h"] + 1 for c in chars), key
        [image] = sheet.images
        figure = places["pages[0].stories[0].figures[0]"]
        assert abs(image["x0"] - figure["x"]) < 1 and abs(image["top"] - figure["y"]) < 1
        assert image["x1"] <= figure["x"] + figure["w"] + 1 and image["bottom"] < figure["y"] + figure["h"]
    slip, coarse = page["markers"]
    assert [(m["place"], m["key"], m["line"], m["severity"]) for m in (slip, coarse)] == [
        ("pages[0].stories[0].body[0]", "pages[0].stories[0].body", 10, "warning"),
        ("pages[0].stories[0].figures[0]", "pages[0].stories[0].figures[0].image", 14, "warning")]
    assert [data["findings"][m["finding"]]["message"] for m in (slip, coarse)] == [slip["message"], coarse["message"]]
    ppi = round(2400 / (figure["w"] / 72))                 # the photo's pixels over its placed width
    assert "'检查检查'" in slip["message"] and f": {ppi} ppi at its placed size" in coarse["message"]
    assert {k: coarse[k] for k in "xywh"} == {k: figure[k] for k in "xywh"}
    assert [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")] == []


def test_a_finding_goes_to_the_place_of_the_longest_key_that_holds_its_key():
    places = [{"key": "pages[0].stories[1]", "w": 100, "h": 100},
              {"key": "pages[0].stories[1].headline", "w": 100, "h": 10},
              {"key": "pages[0].stories[10]", "w": 50, "h": 50},
              {"key": "pages[0].photos[4]", "w": 30, "h": 20},
              {"key": "pages[0].stories[1].figures[0]", "w": 500, "h": 300}]     # moved to the photo group
    assert place_of("pages[0].stories[1].headline", places)["key"] == "pages[0].stories[1].headline"
    assert place_of("pages[0].stories[1].body", places)["key"] == "pages[0].stories[1]"
    assert place_of("pages[0].stories[1]", places)["key"] == "pages[0].stories[1]"
    assert place_of("pages[0].photos[4].image", places)["key"] == "pages[0].photos[4]"
    assert place_of("pages[0].stories[1].figures[0].image", places)["key"] == "pages[0].stories[1].figures[0]"
    assert place_of("pages[0].photos[40].image", places) is None
    assert place_of("pages[0]", places) is None and place_of("", places) is None
    assert markers([], places) == []
