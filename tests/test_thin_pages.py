"""Pages with too little copy: the 主图 keeps its size rather than shrinking to a stamp, and a
lone story is as wide as its photo's honest size allows (box positions of the composition)."""
from __future__ import annotations

import pytest

from layout.fonts import resolve_fonts
from layout.model import load_issue
from layout.page import limits, plan_issue, score
from layout.page.figures import MAX_CROP, MIN_PPI, picture_for
from layout.theme import load_theme

from .conftest import photo

THEME = load_theme()
GRID = THEME.grid
FONTS = resolve_fonts(THEME)
TYPE_AREA = GRID.type_width * GRID.lines * GRID.line_pitch
MM = 72 / 25.4

STORY = """\
      - headline: 非遗展演走进乡村大舞台
        kicker: 文旅康养
        byline: 本报记者 赵某
        body: |
          春节前后，平顺县组织开展“非遗展演进乡村”系列活动，八音会、落子戏、花鼓等十余项非遗项目轮番登台，吸引周边群众和外地游客五万余人次观看。

          **老手艺焕发新活力。**活动现场，非遗传承人现场展示剪纸、面塑、刺绣等传统技艺，不少年轻人排队体验。县文化馆负责人介绍，今年全县新认定县级非遗代表性传承人23名，开设非遗传习课堂41期，培训学员1200余人次。

          **文旅融合拓展新空间。**依托太行山大峡谷、通天峡等景区，县里把非遗展演嵌入旅游线路，推出“看非遗、住民宿、品农家”三条精品线路。2025年，全县接待游客355.89万人次，旅游总收入达23.07亿元，同比分别增长15%和18%。

          **群众文化生活更丰富。**各乡镇依托新时代文明实践站，常态化开展文艺演出、读书分享、体育比赛等活动，全年送戏下乡260场，放映公益电影3600场，群众在家门口就能享受文化大餐。

          下一步，平顺县将继续擦亮“太行山水·康养平顺”品牌，推动非遗保护传承与文旅产业深度融合，让更多游客走进平顺、爱上平顺。
        figures:
          - image: images/portrait.jpg
            caption: 非遗展演现场，演员向观众致意
"""

SHORTS = """\
      - headline: 让非遗在烟火气中活起来
        kind: commentary
        rubric: 评论员文章
        body: |
          非遗不是博物馆里的陈列品，而是群众日常生活的一部分。把展演搬到乡村大舞台，让老手艺与年轻人面对面，正是让非遗“活起来”的有效路径。

          让非遗活起来，要有人传。传承人是非遗的“活态载体”，既要给荣誉，更要给平台、给收入，让手艺人愿意教、年轻人愿意学。

          让非遗活起来，要有人用。把非遗元素融入文创产品、旅游线路和节庆活动，让它走进市场、走进生活，才能在传承中发展、在发展中传承。

          让非遗活起来，更要有人爱。多办一些群众喜闻乐见的展演，多讲一些非遗背后的故事，文化自信就会在一次次“看得见、摸得着”的体验中生根发芽。
      - headline: 文旅简讯
        kind: briefs
        items:
          - headline: 通天峡景区冬季开放
            body: 2月1日起，通天峡景区恢复冬季开放，推出冰瀑观赏、民俗体验等项目，门票半价优惠持续至3月底。
          - headline: 民宿联盟成立
            body: 全县56家民宿组建民宿联盟，统一服务标准和线上预订平台，首批评定星级民宿12家。
          - headline: 非遗文创进景区
            body: 剪纸、面塑等非遗文创产品进驻5个景区商店，春节期间销售额达38万元。
          - headline: 读书分享会举办
            body: 县图书馆举办“书香平顺”读书分享会，120余名读者参加，分享阅读心得。
      - headline: 游客春节期间同比增长两成
        body: |
          据县文旅局统计，春节假期全县共接待游客28.6万人次，同比增长21%；实现旅游收入1.9亿元，同比增长18%。太行山大峡谷、通天峡、神龙湾等景区游客量位居前列，乡村民宿入住率达85%以上。
        figures:
          - image: images/landscape.jpg
            caption: 春节期间，景区游客如织
"""


def _plan(tmp_path, stories: str):
    photo(tmp_path / "images" / "portrait.jpg", (2400, 3200))
    photo(tmp_path / "images" / "landscape.jpg", (4000, 3000))
    text = f"paper: 示例日报\ntitle: 薄版\ndate: 2026-02-12\npages:\n  - section: 文旅\n    stories:\n{stories}"
    (tmp_path / "issue.yaml").write_text(text, encoding="utf-8")
    issue = load_issue(tmp_path)
    plan, = plan_issue(issue, THEME, FONTS)
    return issue, plan


def _underset(plan) -> list[str]:
    return [f.message for f in plan.findings if "empty lines at the bottom" in f.message]


def test_a_main_picture_short_of_its_floor_costs_like_white_at_the_page_s_foot():
    per_column_line = score.WEIGHTS["page_foot"] / GRID.columns
    assert score.photo_short(10, 30, GRID.columns) == pytest.approx(20 * per_column_line)
    assert score.photo_short(40, 30, GRID.columns) == 0          # at or above its floor: nothing
    assert score.photo_short(0, 0, GRID.columns) == 0            # a photo with no floor


def test_a_lone_short_story_on_a_page_shows_its_photo_large_not_as_a_stamp(tmp_path):
    """One story of 470 characters with a portrait photo (2400 x 3200 px) on a page of its own.
    No module reaches the 主图's floor (12 % of the type area) without a hole, so the floor was
    dropped: the photo was set one column wide (41 x 47 mm) in a 4-column module 20 lines deep,
    4 columns white beside it and 82 lines under it. The 主图's shortfall from its floor now
    costs as much as white at the page's foot, and a page that cannot be composed snugly may
    leave white beside a tier as deep as the tier: the photo stands 179 mm wide, its text in a
    column beside it, one column of white beside the module."""
    issue, plan = _plan(tmp_path, STORY)
    lead, = plan.modules
    image = lead.figures[0].image
    assert image.w >= GRID.span_width(4) - 0.01, image                     # was one column
    assert image.h > image.w                                             # a portrait stays one
    picture = picture_for(tmp_path, issue.pages[0].stories[0].figures[0])
    assert picture.aspect / (image.w / image.h) >= 1 - MAX_CROP - 1e-9  # cropped within 20 %
    assert image.w * image.h <= limits.MAIN_SHARE * TYPE_AREA + 1        # within its area cap
    assert picture.width_px / (image.w / 72) >= MIN_PPI                  # and its pixels
    assert lead.box.w >= GRID.span_width(GRID.columns - 1) - 0.01        # was 4 columns of 8
    assert lead.box.h >= 40 * GRID.line_pitch                            # was 20 lines deep
    assert _underset(plan)                                               # the editor is told


def test_a_thin_page_s_short_keeps_a_photo_of_two_columns_not_one(tmp_path):
    """A commentary, a 简讯 module and a short with a landscape photo (4000 x 3000 px), 86 lines
    underset: the short's photo, the page's 主图, could not reach its floor and was set one
    column wide (41 x 32 mm). It now takes two columns (86 mm), in the same one tier at the
    top, all white under it across the page."""
    _, plan = _plan(tmp_path, SHORTS)
    short = next(m for m in plan.modules if m.key == "pages[0].stories[2]")
    image = short.figures[0].image
    assert image.w >= GRID.span_width(2) - 0.01, image                      # was one column
    assert image.w > image.h                                              # a landscape stays one
    assert abs(image.w / image.h - 4 / 3) / (4 / 3) <= MAX_CROP
    tops = {round(m.box.y, 1) for m in plan.modules}
    assert len(tops) == 1                                                 # one tier at the top
    assert abs(sum(m.box.w for m in plan.modules) + 2 * GRID.gutter - GRID.type_width) < 0.5
    assert _underset(plan)
