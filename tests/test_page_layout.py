"""Page composition: modules on the grid, baselines on the line grid, overset, copyfit, jump,
and generated issues of many shapes composing without overlap, holes or loss."""
from __future__ import annotations

import random
import re
import textwrap
from collections import Counter

import pdfplumber
import pytest

from layout.fonts import resolve_fonts
from layout.model import load_issue
from layout.page import plan_issue
from layout.page.typeset import Typesetter
from layout.pipeline import render_to_files
from layout.theme import load_theme

from .conftest import SAMPLE, photo

THEME = load_theme()
GRID = THEME.grid
FONTS = resolve_fonts(THEME)


def plans_of(folder):
    return plan_issue(load_issue(folder), THEME, FONTS)


def assert_composed_cleanly(plans):
    for plan in plans:
        width, height = GRID.type_width, plan.line_pitch * _lines(plan)
        boxes = plan.boxes()
        for name, box in boxes:
            if name == "banner" and plan.spread:
                continue          # a 通版 banner crosses the gutter by design
            assert -0.01 <= box.x and box.right <= width + 0.01, (plan.number, name, box)
            assert -0.01 <= box.y and box.bottom <= height + 0.01, (plan.number, name, box)
        for i, (a, box_a) in enumerate(boxes):
            for b, box_b in boxes[i + 1:]:
                assert not box_a.overlaps(box_b), (plan.number, a, b)
        for module in plan.modules:
            inner = [c.box for c in module.columns if c.box.h > 0] + [f.box for f in module.figures]
            for i, box in enumerate(inner):
                assert box.y >= module.box.y - 0.01 and box.bottom <= module.box.bottom + 0.01
                assert not any(box.overlaps(other) for other in inner[i + 1:]), module.key


def _lines(plan) -> int:
    return round(GRID.type_height / plan.line_pitch) if plan.line_pitch == GRID.line_pitch else \
        int(GRID.type_height // plan.line_pitch)


def test_sample_modules_stay_in_the_type_area_without_overlap():
    plans = plans_of(SAMPLE)
    assert [p.number for p in plans] == [1, 2]
    assert_composed_cleanly(plans)
    assert all(not f.severity.value == "error" for p in plans for f in p.findings)


def test_sample_columns_have_no_holes():
    for plan in plans_of(SAMPLE):
        for module in plan.modules:
            for column in module.columns:
                empty = column.box.h / plan.line_pitch - column.lines
                assert empty <= 2 + 1e-6, (module.key, column.box, column.lines)


@pytest.fixture(scope="module")
def sample_pdf(tmp_path_factory):
    return render_to_files(SAMPLE, tmp_path_factory.mktemp("grid"))[1][-1]


def test_every_body_baseline_is_on_the_line_grid(sample_pdf):
    """Body text, bold lead-ins and captions of every column share one baseline grid."""
    with pdfplumber.open(sample_pdf) as pdf:
        for page in pdf.pages:
            residues = Counter()
            for char in page.chars:
                baseline = page.height - char["matrix"][5]
                if abs(char["size"] - GRID.body_size) < 0.05 and baseline > GRID.margin_top:
                    residues[round((baseline - GRID.margin_top) % GRID.line_pitch, 1)] += 1
            assert residues, "no body text"
            values = sorted(residues)
            assert values[-1] - values[0] <= 0.3, residues


def test_neighbouring_columns_share_baselines(sample_pdf):
    with pdfplumber.open(sample_pdf) as pdf:
        page = pdf.pages[1]
        by_column = {}
        for char in page.chars:
            if abs(char["size"] - GRID.body_size) < 0.05 and "Serif-CJK" in char["fontname"]:
                column = int((char["x0"] - GRID.margin_side) // (GRID.column_width + GRID.gutter))
                by_column.setdefault(column, set()).add(round(page.height - char["matrix"][5], 1))
    for left, right in zip(sorted(by_column), sorted(by_column)[1:]):
        shared = by_column[left] & by_column[right]
        assert len(shared) >= 0.8 * min(len(by_column[left]), len(by_column[right])), (left, right)


LONG = "发展是第一要务，产业是根本支撑，项目是核心载体。平顺县牢牢扭住产业发展“牛鼻子”，" \
       "深入开展“重大项目建设年”活动，坚持“招大引强、招新引优”与“本土培育、提档升级”双向发力，" \
       "持续延链补链强链，推动特优农业、新型工业、文旅康养三大产业协同并进。"


def long_issue(paragraphs: int, fit: str = "") -> str:
    body = "\n\n".join([LONG] * paragraphs)
    fit_line = f"    fit: {fit}\n" if fit else ""
    return (f"paper: 示例日报\ntitle: 测试\ndate: 2026-02-10\npages:\n  - section: 要闻\n{fit_line}"
            f"    stories:\n      - headline: 长文\n        body: |\n"
            + textwrap.indent(body, " " * 10) + "\n")


def expected_overset(paragraphs: int) -> int:
    setter = Typesetter.for_theme(THEME, FONTS)
    issue_story_lines = paragraphs * len(setter.body(_paragraph(), GRID.column_width).lines)
    head = setter.display("长文", "headline", "lead_headline", GRID.type_width)
    headline_rows = setter.rows_for(head, 1.25) + 1
    return issue_story_lines - GRID.columns * (GRID.lines - headline_rows)


def _paragraph():
    from layout.model import Paragraph
    return Paragraph(text=LONG)


def lines_per_paragraph() -> int:
    return len(Typesetter.for_theme(THEME, FONTS).body(_paragraph(), GRID.column_width).lines)


def paragraphs_over(lines: int) -> int:
    """How many LONG paragraphs overflow a page by about `lines` lines."""
    return (GRID.columns * GRID.lines + lines) // lines_per_paragraph()


def test_an_over_long_story_reports_its_exact_overset(write_issue):
    count = paragraphs_over(60)
    over = expected_overset(count)
    assert over > 0
    plans = plans_of(write_issue(long_issue(count)))
    assert [str(f) for p in plans for f in p.findings] == [
        f"pages[0].stories[0]: overset by {over} lines: '长文' does not fit on page 1"]
    assert plans[0].modules[0].overset_lines == over


def test_copyfit_tightens_the_line_pitch_within_bounds(write_issue):
    count = next(n for n in range(paragraphs_over(-100), 10**4) if expected_overset(n) > 0)
    over = expected_overset(count)
    assert 0 < over <= lines_per_paragraph()
    plans = plans_of(write_issue(long_issue(count, fit="copyfit")))
    notes = [str(f) for f in plans[0].findings]
    assert len(notes) == 1 and notes[0].startswith("pages[0]: copyfit: line pitch 13.5 pt -> ")
    assert GRID.min_line_pitch <= plans[0].line_pitch < GRID.line_pitch
    assert plans[0].modules[0].overset_lines == 0
    assert_composed_cleanly(plans)


def test_copyfit_that_cannot_fit_is_still_an_overset_error(write_issue):
    plans = plans_of(write_issue(long_issue(paragraphs_over(200), fit="copyfit")))
    assert [f.severity.value for f in plans[0].findings] == ["error"]
    assert "overset by" in plans[0].findings[0].message


def test_jump_continues_the_story_on_an_added_page(write_issue):
    count = paragraphs_over(300)
    folder = write_issue(long_issue(count, fit="jump"))
    plans = plans_of(folder)
    assert [p.number for p in plans] == [1, 2]
    first, rest = plans[0].modules[0], plans[1].modules[0]
    assert str(first.jump.html) == "（下转第2版）"
    kicker = rest.headline_set[0]
    assert kicker.role == "kicker" and "上接第" in str(kicker.html) and "版）" in str(kicker.html)
    total = count * lines_per_paragraph()
    placed = sum(c.lines for m in (first, rest) for c in m.columns)
    assert placed == total and first.overset_lines == 0 and rest.overset_lines == 0
    assert not [f for p in plans for f in p.findings if f.severity.value == "error"]
    # the continuation: 上接 kicker naming page 1, then the story's own headline, no figures
    assert [(b.role, re.sub("<[^>]+>", "", str(b.html))) for b in rest.headline_set] == [("kicker", "（上接第1版）"),
                                                                  ("headline", "长文")]
    assert rest.jump is None and not rest.figures and first.jump is not None
    assert first.lead and not rest.lead          # the continuation is not the page's lead story
    # the first part fills the page down to its last line, the jump line included
    assert round(first.box.bottom / plans[0].line_pitch) == GRID.lines
    assert_composed_cleanly(plans)


SOURCE_TEXT = [p.plain for s in load_issue(SAMPLE).pages[1].stories for p in s.paragraphs]


def generated_issue(seed: int, folder) -> str:
    """An issue of random shape: 1-6 stories, 0-8 photos, very short to very long stories."""
    rng = random.Random(seed)
    images = folder / "images"
    for i, size in enumerate([(3000, 2000), (2400, 3200), (4000, 3000), (3200, 1800)]):
        photo(images / f"p{i}.jpg", size, (40 * i, 90, 150))
    lines = ["paper: 示例日报", "title: 生成", "date: 2026-02-10", "fit: jump", "pages:"]
    for _ in range(rng.randint(1, 2)):
        lines.append("  - section: 要闻")
        if rng.random() < 0.5:
            lines.append("    banner: {title: 两会特刊, kicker: 聚焦}")
        photos = rng.randint(0, 8)
        if photos:
            lines.append("    photos:")
            lines += [f"      - {{image: images/p{rng.randint(0, 3)}.jpg, caption: 图{j}说明}}" for j in range(photos)]
        lines.append("    stories:")
        for s in range(rng.randint(1, 6)):
            lines.append(f"      - headline: 标题{s}")
            if rng.random() < 0.4:
                lines.append(f"        figures: [{{image: images/p{rng.randint(0, 3)}.jpg, caption: 配图}}]")
            paragraphs = rng.choice([1, 2, 4, 8, 16])
            text = [rng.choice(SOURCE_TEXT)[: rng.choice([30, 120, 400])] for _ in range(paragraphs)]
            lines.append("        body: |")
            lines += ["          " + t + "\n" for t in text]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("seed", range(10))
def test_generated_issues_compose_without_overlap_holes_or_loss(write_issue, tmp_path, seed):
    folder = write_issue("paper: x\n")
    (folder / "issue.yaml").write_text(generated_issue(seed, folder), encoding="utf-8")
    issue = load_issue(folder)
    plans = plan_issue(issue, THEME, FONTS)
    assert_composed_cleanly(plans)
    setter = Typesetter.for_theme(THEME, FONTS)
    for number, page in enumerate(issue.pages, 1):
        for s, story in enumerate(page.stories):
            key = f"pages[{number - 1}].stories[{s}]"
            total = sum(len(setter.body(p, GRID.column_width).lines) for p in story.paragraphs)
            modules = [m for p in plans for m in p.modules if m.key == key]
            placed = sum(c.lines for m in modules for c in m.columns)
            over = sum(m.overset_lines for m in modules[-1:])
            assert placed + over == total, key
            if over:
                assert any(f.key == key and "overset" in f.message for p in plans for f in p.findings)
    for plan in plans:
        for module in plan.modules:
            for column in module.columns:
                assert column.box.h / plan.line_pitch - column.lines < 8 - 1e-6, (seed, module.key)


HINTED = """\
paper: 示例日报
title: 提示
date: 2026-02-10
pages:
  - photos_at: bottom
    photos:
      - {image: images/a.jpg, caption: 图一}
      - {image: images/a.jpg, caption: 图二}
    stories:
      - headline: 有图的稿件
        figure_span: 4
        figures: [{image: images/a.jpg, caption: 配图}]
        body: |
BODY
"""


def test_layout_hints_figure_span_and_photos_at_bottom(write_issue):
    body = "\n\n".join("          " + LONG for _ in range(30))
    folder = write_issue(HINTED.replace("BODY", body))
    photo(folder / "images" / "a.jpg", (3000, 2000))
    plans = plans_of(folder)
    plan = plans[0]
    module = plan.modules[0]
    assert [round(f.image.w, 2) for f in module.figures] == [round(GRID.span_width(4), 2)]
    assert min(f.image.y for f in plan.photos) > module.box.bottom
    assert_composed_cleanly(plans)


SPREAD = """\
paper: 示例日报
title: 通版
date: 2026-02-10
pages:
  - spread: true
    banner: {kicker: 聚焦, title: 2026长治两会, slogan: 谋好篇 布好局 履职尽责为人民}
    stories:
      - headline: 左版稿件
        body: |
BODY
  - stories:
      - headline: 右版稿件
        body: |
BODY
"""


def test_a_spread_banner_crosses_the_gutter(write_issue, tmp_path):
    body = "\n\n".join("          " + LONG for _ in range(60))
    folder = write_issue(SPREAD.replace("BODY", body))
    plans = plans_of(folder)
    assert [p.spread for p in plans] == ["left", "right"]
    assert plans[1].banner["title"] == "2026长治两会"
    assert plans[0].modules[0].box.y == plans[1].modules[0].box.y      # both stacked under it
    pdf = render_to_files(folder, tmp_path / "out")[1][-1]
    with pdfplumber.open(pdf) as doc:
        left, right = ([r for r in page.rects if r["height"] > 100 and r["non_stroking_color"]
                        and r["non_stroking_color"][0] > 0.8] for page in doc.pages)
        width = doc.pages[0].width
    assert left[0]["x0"] == pytest.approx(GRID.margin_side, abs=0.5)
    assert left[0]["x1"] >= width - 0.5                       # runs off the left page at the gutter
    assert right[0]["x0"] <= 0.5                              # and on from the right page's edge
    assert right[0]["x1"] == pytest.approx(GRID.margin_side + GRID.type_width, abs=0.5)


def test_spread_mistakes_are_located(write_issue):
    folder = write_issue(MINIMAL_SPREAD)
    with pytest.raises(Exception) as caught:
        load_issue(folder)
    assert [str(f) for f in caught.value.findings] == [
        "x/issue.yaml:5: pages[0].spread: a spread needs a banner on its left page"]


MINIMAL_SPREAD = """\
paper: 示例日报
title: 通版
date: 2026-02-10
pages:
  - spread: true
    stories: [{headline: 标题, body: 正文}]
  - stories: [{headline: 标题, body: 正文}]
"""


@pytest.mark.parametrize("seed", [3, 7])
def test_the_whole_text_of_a_generated_issue_is_in_its_pdf(write_issue, tmp_path, seed):
    folder = write_issue("paper: x\n")
    (folder / "issue.yaml").write_text(generated_issue(seed, folder), encoding="utf-8")
    issue = load_issue(folder)
    pdf = render_to_files(folder, tmp_path / "out")[1][-1]
    box = (GRID.margin_side - 1, GRID.margin_top - 1, GRID.margin_side + GRID.type_width + 1,
           GRID.margin_top + GRID.type_height + 1)
    with pdfplumber.open(pdf) as doc:
        text = "".join("".join(c["text"] for c in page.crop(box).chars) for page in doc.pages)
    text = "".join(text.split())
    plans = plan_issue(issue, THEME, FONTS)
    jumped = {m.key for p in plans for m in p.modules if m.jump is not None}
    body = ""
    for p, page in enumerate(issue.pages):
        for s, story in enumerate(page.stories):
            story_text = "".join("".join(par.plain.split()) for par in story.paragraphs)
            body += story_text
            if f"pages[{p}].stories[{s}]" not in jumped:        # a jumped story is split by pages
                assert story_text in text
    assert not Counter(body) - Counter(text)                    # every character is printed


def test_a_column_foot_moves_off_a_lead_in_by_the_fewest_lines():
    from layout.page.columns import balanced_capacities
    full = [10, 10, 10]
    assert balanced_capacities(27, full) == [9, 9, 9]
    assert balanced_capacities(27, full, frozenset({9})) == [10, 8, 9]        # down: room for one more
    assert balanced_capacities(27, full, frozenset({8, 9, 10})) == [7, 10, 10]  # up: lines 8-10 go on
    assert balanced_capacities(30, full, frozenset({10})) == [9, 10, 11]       # no room: the last overfills
