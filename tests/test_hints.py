"""Layout hints (issue 10): lead, span, main, focus, crop and the photo group's title and
caption; each honoured on the page, and each that cannot be honoured a located error."""
from __future__ import annotations

import pytest
from PIL import Image

from layout.errors import LayoutError
from layout.fonts import resolve_fonts
from layout.images import prepare_image
from layout.model import load_issue
from layout.page import plan_issue
from layout.theme import load_theme

from .conftest import photo
from .test_modular import body

THEME = load_theme()
GRID = THEME.grid
FONTS = resolve_fonts(THEME)


def issue_text(stories: list[str], photos: str = "", page: str = "") -> str:
    lines = ["paper: 示例日报", "title: 提示", "date: 2026-02-10", "pages:", "  - section: 要闻"]
    lines += [f"    {line}" for line in page.splitlines()]
    if photos:
        lines += ["    photos:"] + [f"      {line}" for line in photos.splitlines()]
    lines.append("    stories:")
    for number, extra in enumerate(stories):
        lines.append(f"      - headline: 第{number}条稿件")
        lines += [f"        {line}" for line in extra.splitlines()]
        lines.append("        body: |")
        lines += ["          " + p + "\n" for p in body(400 + 300 * number).split("\n\n")]
    return "\n".join(lines) + "\n"


def problems(folder) -> list[str]:
    with pytest.raises(LayoutError) as caught:
        load_issue(folder)
    return [str(f) for f in caught.value.findings]


@pytest.fixture
def images(tmp_path):
    def make(folder):
        photo(folder / "images" / "l.jpg", (4000, 2667))
        photo(folder / "images" / "p.jpg", (2400, 3600))
        photo(folder / "images" / "m.jpg", (1600, 1200))
        return folder
    return make


# -- each hint alone: exact, located messages --------------------------------------------------

def test_bad_hint_values_are_located_errors(write_issue, images):
    text = issue_text(["lead: perhaps", "span: 13", ""],
                      "- {image: images/l.jpg, caption: 一, focus: [0.5]}\n"
                      "- {image: images/l.jpg, caption: 二, crop: [0.6, 0, 0.4, 1]}\n"
                      "- {image: images/l.jpg, caption: 三, main: yes please}")
    assert problems(images(write_issue(text))) == [
        "x/issue.yaml:7: pages[0].photos[0].focus: expected [x, y]: 2 numbers from 0 to 1 "
        "(fractions of the picture), got ['0.5']",
        "x/issue.yaml:8: pages[0].photos[1].crop: expected x0 < x1 and y0 < y1 in [x0, y0, x1, y1], "
        "got [0.6, 0.0, 0.4, 1.0]",
        "x/issue.yaml:9: pages[0].photos[2].main: expected true or false, got 'yes please'",
        "x/issue.yaml:12: pages[0].stories[0].lead: expected true or false, got 'perhaps'",
        "x/issue.yaml:19: pages[0].stories[1].span: expected a number from 0 to 12, got '13'",
    ]


def test_hints_that_contradict_each_other_are_located_errors(write_issue, images):
    text = issue_text(["lead: true", "lead: true\nfigures: [{image: images/l.jpg, caption: 图, main: true}]"],
                      "- {image: images/l.jpg, caption: 一, main: true, focus: [0.2, 0.5], crop: [0, 0, 1, 1]}")
    assert problems(images(write_issue(text))) == [
        "x/issue.yaml:7: pages[0].photos[0].crop: give either focus (where to crop) or crop "
        "(the exact crop), not both",
        "x/issue.yaml:17: pages[0].stories[1].lead: only one story on a page may be the lead; "
        "pages[0].stories[0] is already",
        "x/issue.yaml:18: pages[0].stories[1].figures[0].main: only one photo on a page may be the "
        "main picture; pages[0].photos[0] is already",
    ]


# -- each hint honoured on the page ------------------------------------------------------------

def plan_of(folder):
    plan, = plan_issue(load_issue(folder), THEME, FONTS)
    return plan


def test_lead_true_makes_a_later_story_the_lead_at_the_top_left(write_issue, images):
    plan = plan_of(images(write_issue(issue_text(["", "lead: true", ""]))))
    first = plan.modules[0]
    assert first.key == "pages[0].stories[1]" and first.lead
    assert first.box.x == 0 and first.box.y == min(m.box.y for m in plan.modules)
    assert not any(m.lead for m in plan.modules[1:])


def test_span_sets_the_module_width(write_issue, images):
    plan = plan_of(images(write_issue(issue_text(["", "span: 3", ""]))))
    module, = [m for m in plan.modules if m.key == "pages[0].stories[1]"]
    assert module.box.w == pytest.approx(GRID.span_width(3))
    assert not [f for f in plan.findings if f.severity.value == "error"]


def test_a_span_the_page_cannot_honour_is_a_located_layout_error(write_issue, images):
    too_wide = plan_of(images(write_issue(issue_text(["", "span: 9", ""]))))
    assert [(f.key, f.message) for f in too_wide.findings if f.severity.value == "error"] == [
        ("pages[0].stories[1].span", "span 9 cannot be honoured: the grid has 8 basic columns")]
    wider_than_lead = plan_of(images(write_issue(issue_text(["span: 2", "span: 6"]), name="y")))
    assert [f.key for f in wider_than_lead.findings if f.severity.value == "error"] == [
        "pages[0].stories[0].span", "pages[0].stories[1].span"]
    assert "cannot be composed with this story 6 columns wide" in wider_than_lead.findings[1].message


def test_main_true_makes_a_group_photo_the_largest(write_issue, images):
    text = issue_text(["figures: [{image: images/l.jpg, caption: 头条图}]", ""],
                      "- {image: images/m.jpg, caption: 一}\n- {image: images/l.jpg, caption: 二, main: true}")
    plan = plan_of(images(write_issue(text)))
    areas = {f.key: f.image.w * f.image.h for f in [*plan.photos, *(f for m in plan.modules for f in m.figures)]}
    main = areas.pop("pages[0].photos[1]")
    assert main > max(areas.values())


def test_crop_sets_the_frame_s_proportions_and_focus_the_crop_s_centre(write_issue, images, tmp_path):
    text = issue_text(["figures: [{image: images/l.jpg, caption: 裁切, crop: [0.1, 0.2, 0.5, 0.9]}]"])
    figure, = plan_of(images(write_issue(text))).modules[0].figures
    wanted = (0.4 * 4000) / (0.7 * 2667)                            # portrait, from a landscape photo
    assert figure.region == (0.1, 0.2, 0.5, 0.9)
    assert abs(figure.image.w / figure.image.h / wanted - 1) < 0.06

    halves = Image.new("RGB", (400, 200), (255, 0, 0))
    halves.paste((0, 0, 255), (200, 0, 400, 200))                  # red left half, blue right
    halves.save(tmp_path / "halves.jpg", quality=95)
    for focus, red in (((0.0, 0.5), True), ((1.0, 0.5), False), (None, None)):
        prepared = prepare_image(tmp_path / "halves.jpg", placed_width=50, placed_height=100,
                                 target_ppi=300, cache_dir=tmp_path / "cache", focus=focus)
        r, _, b = Image.open(prepared.path).convert("RGB").resize((1, 1), Image.Resampling.BOX).getpixel((0, 0))
        if red is None:
            assert abs(r - b) < 40                                   # centred: half and half
        else:
            assert (r > 200 and b < 40) if red else (b > 200 and r < 40)
    region = prepare_image(tmp_path / "halves.jpg", placed_width=50, placed_height=50, target_ppi=300,
                           cache_dir=tmp_path / "cache", region=(0.5, 0, 1, 1))
    r, _, b = Image.open(region.path).convert("RGB").resize((1, 1), Image.Resampling.BOX).getpixel((0, 0))
    assert b > 200 and r < 40


def test_the_photo_group_takes_a_title_above_and_a_caption_under_its_photos(write_issue, images):
    text = issue_text(["", ""], "- {image: images/m.jpg, caption: 一}\n- {image: images/p.jpg, caption: 二}",
                      page="photos_title: 春到太行\nphotos_caption: 县域春耕一线。")
    plan = plan_of(images(write_issue(text)))
    title, caption = plan.texts
    assert title.role == "group-title" and "春到太行" in str(title.html)
    assert "县域春耕一线" in str(caption.html)
    assert title.box.bottom <= min(f.image.y for f in plan.photos)
    assert caption.box.y >= max(f.caption.box.bottom for f in plan.photos) - 0.01
    assert title.box.x <= min(f.image.x for f in plan.photos)
