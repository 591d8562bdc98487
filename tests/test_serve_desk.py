"""The proof desk end to end in headless Chromium: read a page, zoom, find a story's line in
issue.yaml, see check's findings drawn where they are (an overset story, a 150-ppi photo), and
see an edited caption marked as changed, old → new.

Skipped only when Debian's chromium is not installed (`scripts/setup --test` installs it)."""
from __future__ import annotations

import math
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from layout.fonts import resolve_fonts
from layout.model import load_issue
from layout.page import plan_issue
from layout.theme import load_theme

from .test_serve import CHROMIUM, _url, browser  # noqa: F401 - browser: the fixture

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")
PARAGRAPH = "超长稿件的正文段落，内容重复以便排不下。" * 12
DESK_ISSUE = """\
paper: 示例日报
title: 校样测试
date: 2026-02-10
pages:
  - section: 要闻
    photos:
      - image: images/soft.jpg
        caption: 分辨率不足的图片
      - image: images/sharp.jpg
        caption: 清晰的图片
    stories:
      - headline: 短稿标题
        body: |
          短稿正文第一段。

          短稿正文第二段。
      - headline: 超长稿件标题
        body: |
{long}
  - section: 第二版
    stories:
      - headline: 第二版标题
        body: 第二版正文。
"""


def desk_issue(folder: Path) -> Path:
    """An issue whose page 1 has an overset story and a soft photo (below 250 ppi at its placed
    size: the composer places a photo at 200 ppi at most, never larger)."""
    (folder / "images").mkdir(parents=True)
    long = "\n\n".join(f"          {PARAGRAPH}" for _ in range(40))
    (folder / "issue.yaml").write_text(DESK_ISSUE.format(long=long), encoding="utf-8")
    Image.new("RGB", (3000, 2000), (150, 120, 90)).save(folder / "images" / "sharp.jpg")
    Image.new("RGB", (3000, 2000), (90, 120, 150)).save(folder / "images" / "soft.jpg")
    for _ in range(3):              # the frame may follow the picture: size it to 150 ppi of its frame
        issue = load_issue(folder)
        theme = load_theme(issue.theme)
        frame = plan_issue(issue, theme, resolve_fonts(theme))[0].photos[0].image
        size = (math.ceil(frame.w / 72 * 150) + 1, math.ceil(frame.h / 72 * 150) + 1)
        if Image.open(folder / "images" / "soft.jpg").size == size:
            break
        Image.new("RGB", size, (90, 120, 150)).save(folder / "images" / "soft.jpg")
    return folder


@pytest.fixture
def desk(tmp_path):
    """`layout serve` on the desk issue, on a free port; yields (issue folder, url)."""
    issue = desk_issue(tmp_path / "desk")
    env = {**os.environ, "LAYOUT_CACHE": str(tmp_path / "cache")}
    process = subprocess.Popen([sys.executable, "-m", "layout.cli", "serve", str(issue), "--port", "0"],
                               env=env, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        yield issue, _url(process)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def rect(locator) -> tuple[float, ...]:
    box = locator.bounding_box()
    return box["x"], box["y"], box["x"] + box["width"], box["y"] + box["height"]


def inside(inner, outer, slack: float = 1.5) -> bool:
    return (inner[0] >= outer[0] - slack and inner[1] >= outer[1] - slack
            and inner[2] <= outer[2] + slack and inner[3] <= outer[3] + slack)


def test_read_a_page_zoom_find_the_source_line_and_see_findings_where_they_are(desk, browser):  # noqa: F811
    issue, url = desk
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.goto(url)
    page.locator("#page-1 .marker").first.wait_for(timeout=60_000)
    overset = page.locator("#findings li", has_text="overset by")
    soft = page.locator("#findings li", has_text="'images/soft.jpg' is")
    assert overset.count() == 1 and soft.count() == 1
    assert re.search(r": 2[0-4][0-9] ppi at its placed size .*; below 250 ppi it may print soft", soft.inner_text())

    page.click("#page-1 img")                                   # reading size: 100 dpi
    sheet = page.locator("#sheet")
    page.locator("#sheet img.layer").first.wait_for(timeout=30_000)
    page.wait_for_function("() => [...document.querySelectorAll('#sheet img.layer')].every(i => i.complete)")
    width = sheet.bounding_box()["width"]
    page.keyboard.press("+")
    page.keyboard.press("+")                                    # 150, then 200 dpi
    assert sheet.get_attribute("data-dpi") == "200"
    assert sheet.bounding_box()["width"] == pytest.approx(width * 2, abs=1)
    assert page.evaluate("() => Math.min(...[...document.querySelectorAll('#sheet img.layer')]"
                         ".map(i => i.naturalWidth / i.getBoundingClientRect().width))") == pytest.approx(1, abs=0.01)

    headline = page.locator('#sheet .place[data-key="pages[0].stories[0].headline"]')
    headline.scroll_into_view_if_needed()
    headline.click()
    line = 1 + DESK_ISSUE.splitlines().index("      - headline: 短稿标题")
    assert page.locator("#info .key").inner_text().strip() == "pages[0].stories[0].headline"
    source = page.locator("#info a.source")
    assert source.inner_text() == f"issue.yaml:{line}" == f"issue.yaml:{12}"
    assert source.get_attribute("href") == f"vscode://file{issue / 'issue.yaml'}:{line}"

    story = page.locator('#sheet .place[data-key="pages[0].stories[1]"]')
    overset_marker = page.locator("#sheet .marker", has=page.locator("[title*='overset by']"))
    assert overset_marker.count() == 1 and rect(overset_marker) == pytest.approx(rect(story), abs=0.5)
    photo_marker = page.locator("#sheet .marker", has=page.locator("[title*='soft.jpg']"))
    photo = page.locator('#sheet .place[data-key="pages[0].photos[0]"]')
    assert photo_marker.count() == 1 and rect(photo_marker) == pytest.approx(rect(photo), abs=0.5)
    layers = page.locator("#sheet img.layer")                    # the photo's layer is under its marker
    photo_layers = [i for i in range(layers.count()) if inside(rect(photo_marker), rect(layers.nth(i)), 6)
                    and rect(layers.nth(i))[2] - rect(layers.nth(i))[0] < 0.6 * sheet.bounding_box()["width"]]
    assert len(photo_layers) == 1

    keys = "() => [...document.querySelectorAll('#sheet img.layer')].map(i => [i.id, i.dataset.key, i.complete])"
    before = page.evaluate(keys)
    yaml = issue / "issue.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("短稿标题", "短稿改过的标题"), encoding="utf-8")
    page.wait_for_function(f"() => ({keys})().filter(([id, key]) => key !== "
                           f"{dict((i, k) for i, k, _ in before)!r}[id]).length > 0", timeout=30_000)
    page.wait_for_function("() => [...document.querySelectorAll('#sheet img.layer')].every(i => i.complete)")
    after = page.evaluate(keys)
    assert len([1 for old, new in zip(before, after) if old != new]) == 1      # the headline's frame only

    assert page.locator("#proof").inner_text() == "第2次校样"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("清晰的图片", "清楚的图片"), encoding="utf-8")
    caption = page.locator("#sheet .change", has_text="改 清【晰】的图片 → 清【楚】的图片")
    caption.wait_for(timeout=30_000)                            # since the proof before: the caption
    photo = page.locator('#sheet .place[data-key="pages[0].photos[1]"]')
    line = page.locator("#sheet .change-line")                 # its one line, not the photo: the caption's
    assert line.count() == 1 and rect(line) == pytest.approx(rect(caption), abs=0.5)
    top, bottom, photo_top, photo_bottom = rect(caption)[1], rect(caption)[3], rect(photo)[1], rect(photo)[3]
    assert inside(rect(caption), rect(photo)) and abs(bottom - photo_bottom) < 2
    assert bottom - top < (photo_bottom - photo_top) / 5
    assert page.locator("#changes li").all_inner_texts() == ["pages[0].photos[1].caption: 清【晰】的图片 → 清【楚】的图片"]
    page.keyboard.press("ArrowRight")
    page.locator("#folio", has_text="第2版").wait_for()
    page.keyboard.press("ArrowLeft")
    page.locator("#folio", has_text="第1版").wait_for()
    page.keyboard.press("Escape")
    page.select_option("#since", "1")                           # since the first proof: both edits
    page.locator("#changes li", has_text="headline").wait_for()
    assert page.locator("#changes li").all_inner_texts() == [
        "pages[0].stories[0].headline: 短稿【】标题 → 短稿【改过的】标题",
        "pages[0].photos[1].caption: 清【晰】的图片 → 清【楚】的图片"]
    assert page.locator("#page-1 .change").count() == 2
    overset.locator("a").click()                                # the list links to the marker
    page.locator("#sheet .marker.target", has=page.locator("[title*='overset by']")).wait_for()
    assert page.locator("#pdf").get_attribute("href") == "/issue.pdf"
    pdf = page.request.get(url + "issue.pdf")          # the proofs as shown, errors and all
    assert pdf.body().startswith(b"%PDF") and pdf.headers["content-disposition"] == (
        "attachment; filename=\"issue.pdf\"; filename*=UTF-8''desk-with-errors.pdf")
