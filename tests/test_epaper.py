"""`layout epaper`: the 数字报 of the sample, read in headless Chromium with scripts off and no
network, its story areas checked against the glyphs of the PDF it was made from.

Skipped only when Debian's chromium is not installed (`scripts/setup --test` installs it)."""
from __future__ import annotations

import math
import re

import pdfplumber
import pytest
from click.testing import CliRunner

from layout.cli import main
from layout.epaper import build_site
from layout.epaper.site import MARKER
from layout.model import load_issue
from layout.pipeline import render_to_files

from .conftest import SAMPLE
from .test_serve import CHROMIUM, FLAGS

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")

DPI = 150
LINE_PX = 13.5 * DPI / 72          # one body line of the theme's grid, in page-image pixels
#: a page view's story areas, in the page image's pixels (read from the laid-out DOM)
AREAS_PX = """() => {
  const image = document.querySelector('.sheet img'), frame = image.getBoundingClientRect();
  const scale = image.naturalWidth / frame.width;
  return [...document.querySelectorAll('a.area-story')].map(a => { const r = a.getBoundingClientRect();
    return {key: a.dataset.key, href: a.getAttribute('href'), x0: (r.left - frame.left) * scale,
            top: (r.top - frame.top) * scale, x1: (r.right - frame.left) * scale,
            bottom: (r.bottom - frame.top) * scale}; });
}"""
ESCAPES = """\
paper: 示例日报
title: 转义测试
date: 2026-02-10
pages:
  - section: 要闻
    editor: 某某
    stories:
      - headline: 标题<script>alert(1)</script>
        kicker: 引题&amp;
        subhead: 副题<b>粗</b>
        byline: 本报记者 某某
        body: |
          **导语<i>**正文里有<script>alert("x")</script>和&lt;。

          第二段正文。
      - headline: 以实干担当书写新时代答卷
        kind: commentary
        rubric: 评论员文章
        body: |
          评论正文第一段。

          评论正文第二段。
      - headline: 县域简讯
        kind: briefs
        items:
          - headline: 简讯一
            body: 简讯正文一。
          - headline: 简讯二
            body: 简讯正文二。
"""


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """The sample's site, built once, and the PDF the same render writes (from the page cache)."""
    out = tmp_path_factory.mktemp("epaper")
    site = build_site(SAMPLE, out / "site")
    rendered, written = render_to_files(SAMPLE, out)
    return site, written[-1]


@pytest.fixture(scope="module")
def escapes(tmp_path_factory):
    """A one-page issue whose texts hold markup, with a commentary and briefs, written by the
    command (twice: the second run replaces the first site); the command's output and the PDF."""
    folder = tmp_path_factory.mktemp("escapes")
    (folder / "x").mkdir()
    (folder / "x" / "issue.yaml").write_text(ESCAPES, encoding="utf-8")
    site = folder / "site"
    runs = [CliRunner().invoke(main, ["epaper", str(folder / "x"), "-o", str(site)]) for _ in range(2)]
    rendered, written = render_to_files(folder / "x", folder)
    return site, runs, written[-1]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def reader(browser):
    """A tab with scripts disabled and no network: every request that is not for a local file
    is recorded and refused."""
    context = browser.new_context(java_script_enabled=False, offline=True, viewport={"width": 1400, "height": 1000})
    outside = []

    def refuse(route):
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", refuse)
    page = context.new_page()
    page.outside = outside
    yield page
    context.close()


def headline(story) -> str:
    return " ".join(line.strip() for line in story.headline.strip().split("\n"))


def test_a_click_on_a_story_area_opens_its_article(sample, reader):
    site, _ = sample
    issue = site.rendered.issue
    reader.goto((site.folder / "page-1.html").as_uri())
    areas = reader.locator("a.area-story")
    assert areas.count() == len(issue.pages[0].stories) == 2
    for index, story in enumerate(issue.pages[0].stories):
        reader.goto((site.folder / "page-1.html").as_uri())
        area = reader.locator(f'a.area-story[data-key="pages[0].stories[{index}]"]')
        area.click()            # at its centre, over the story's text and figure
        reader.wait_for_url(f"**/article-1-{index + 1}.html")
        assert reader.locator("h1.headline").inner_text() == headline(story)
        assert reader.locator(".pager a.back").inner_text() == "第1版 两会特刊"
    reader.goto((site.folder / "page-1.html").as_uri() + "#zoom")     # 放大: the page at full size, no script
    assert reader.evaluate("() => document.querySelector('.sheet img').getBoundingClientRect().width") == 2304
    reader.locator('a.area-story[data-key="pages[0].stories[1]"]').click()
    reader.wait_for_url("**/article-1-2.html")


def test_every_story_has_an_area_and_an_article(sample):
    site, _ = sample
    issue = site.rendered.issue
    keys = [f"pages[{i}].stories[{j}]" for i, page in enumerate(issue.pages) for j, _ in enumerate(page.stories)]
    areas = {}
    for number in (1, 2):
        html = (site.folder / f"page-{number}.html").read_text(encoding="utf-8")
        for href, key in re.findall(r'<a class="area area-story" href="([^"]+)"[^>]*data-key="([^"]+)"', html):
            areas[href] = key
    assert sorted(areas.values()) == sorted(keys)
    files = [f"article-{i + 1}-{j + 1}.html" for i, page in enumerate(issue.pages) for j, _ in enumerate(page.stories)]
    assert sorted(areas) == sorted(files) == sorted(p.name for p in site.folder.glob("article-*.html"))
    stories = [story for page in issue.pages for story in page.stories]
    for position, (file, story) in enumerate(zip(files, stories)):
        html = (site.folder / file).read_text(encoding="utf-8")
        assert re.search(r'<h1 class="headline">(.*?)</h1>', html).group(1).replace("<br>", " ") == headline(story)
        previous = re.search(r'rel="prev" href="([^"]+)"', html)
        after = re.search(r'rel="next" href="([^"]+)"', html)
        assert (previous.group(1) if previous else None) == (files[position - 1] if position else None)
        assert (after.group(1) if after else None) == (files[position + 1] if position + 1 < len(files) else None)
    index = (site.folder / "index.html").read_text(encoding="utf-8")
    assert re.findall(r'<span class="folio">(第\d+版)</span>\s*<span class="section">(.*?)</span>', index) == [
        ("第1版", "两会特刊"), ("第2版", "两会特刊")]
    assert not [f for f in site.rendered.findings if f.kind == "render"]     # no WeasyPrint warning


def test_an_article_has_the_printed_text(sample):
    site, _ = sample
    story = site.rendered.issue.pages[0].stories[1]
    html = (site.folder / "article-1-2.html").read_text(encoding="utf-8")
    paragraphs = re.findall(r"<p>(.*?)</p>", html)
    assert len(paragraphs) == len(story.paragraphs) == 6
    assert paragraphs[2].startswith("<strong>项目攻坚跑出“加速度”。</strong>全年签约项目56个")
    assert re.findall(r'<img src="(images/[^"]+)" width="\d+" height="\d+" alt="([^"]+)">', html) == [
        ("images/p1-s2-f1.jpg", "正来制药GMP易地技改项目试产成功"), ("images/p1-s2-f2.jpg", "神话科技航天新材料项目稳步推进")]
    body = re.findall(r"<(p|figure)[ >]", html.split('<div class="body">')[1])    # figures in the text
    assert body == ["p", "figure", "p", "p", "p", "figure", "p", "p"]


def _stream(chars: list[dict]) -> tuple[str, list[dict]]:
    """The page's text in content order without spaces, and the glyph of each character."""
    kept = [c for c in chars if not c["text"].isspace()]
    return "".join(c["text"] for c in kept), kept


def _glyphs(wanted: str, text: str, glyphs: list[dict]) -> list[dict]:
    """The glyphs of `wanted` (spaces left out) on the page, in 150-dpi pixels."""
    wanted = re.sub(r"\s", "", wanted)
    start = text.find(wanted)
    assert start >= 0, f"'{wanted[:20]}…' is not on the page"
    return [{k: g[k] * DPI / 72 for k in ("x0", "x1", "top", "bottom")} for g in glyphs[start:start + len(wanted)]]


def _inside(glyph: dict, area: dict, margin: float) -> bool:
    return (glyph["x0"] >= area["x0"] - margin and glyph["x1"] <= area["x1"] + margin
            and glyph["top"] >= area["top"] - margin and glyph["bottom"] <= area["bottom"] + margin)


def test_the_areas_lie_over_the_story_text_within_one_line(sample, reader):
    """Each story's area, as the browser lays it over the page image, holds every glyph of the
    story's body in the PDF (in 150-dpi pixels) within one line; its left, right and bottom edges
    are those of the text within one line; its top is above the headline by less than a line of
    the headline (its glyph's height and a body line); it holds no glyph of another story's body."""
    site, pdf = sample
    issue = site.rendered.issue
    with pdfplumber.open(pdf) as document:
        for number, pdf_page in enumerate(document.pages, 1):
            text, glyphs = _stream(pdf_page.chars)
            reader.goto((site.folder / f"page-{number}.html").as_uri())
            areas = reader.evaluate(AREAS_PX)
            stories = {a["key"]: _story(issue, a["key"]) for a in areas}
            bodies = {k: _glyphs("".join(p.plain for p in s.paragraphs), text, glyphs) for k, s in stories.items()}
            assert len(areas) == 2
            for area in areas:
                own, head = bodies[area["key"]], _glyphs(stories[area["key"]].headline, text, glyphs)
                assert all(_inside(g, area, LINE_PX) for g in own + head), area["key"]
                assert abs(min(g["x0"] for g in own) - area["x0"]) < LINE_PX
                assert abs(max(g["x1"] for g in own) - area["x1"]) < LINE_PX
                assert abs(max(g["bottom"] for g in own) - area["bottom"]) < LINE_PX
                assert 0 <= head[0]["top"] - area["top"] < head[0]["bottom"] - head[0]["top"] + LINE_PX
                others = [g for key, found in bodies.items() if key != area["key"] for g in found]
                assert not any(_inside(g, area, -LINE_PX) for g in others), area["key"]


def _story(issue, key: str):
    page, story = map(int, re.findall(r"\d+", key))
    return issue.pages[page].stories[story]


def test_the_site_opens_with_network_disabled(sample, reader):
    """No file names anything outside the site; every page loads with no request outside it."""
    site, _ = sample
    names = {str(p.relative_to(site.folder)) for p in site.folder.rglob("*") if p.is_file()}
    for path in site.folder.glob("*.html"):
        html = path.read_text(encoding="utf-8")
        links = re.findall(r'(?:src|href)="([^"]*)"', html)
        assert links and all(link.split("#")[0] in names | {""} for link in links), path.name
        assert "//" not in html
    assert "//" not in re.sub(r"/\*.*?\*/", "", (site.folder / "style.css").read_text(encoding="utf-8"), flags=re.S)
    for name in ["index.html", "page-1.html", "page-2.html", "article-2-2.html"]:
        reader.goto((site.folder / name).as_uri())
        assert reader.evaluate("() => [...document.images].every(i => i.complete && i.naturalWidth > 0)"), name
    assert reader.outside == []
    assert len(site.pages) == 2 and len(site.articles) == 4
    assert sorted(names) == sorted([MARKER, "index.html", "style.css", *(f"article-{k}.html" for k in
                                    ("1-1", "1-2", "2-1", "2-2")), *(f"page-{n}{s}" for n in (1, 2) for s in
                                    (".html", ".png", "-thumb.jpg")), *(f"images/p1-photo{k}.jpg" for k in (1, 2, 3)),
                                    "images/p1-s1-f1.jpg", "images/p1-s2-f1.jpg", "images/p1-s2-f2.jpg",
                                    *(f"images/p2-photo{k}.jpg" for k in range(1, 8))])


def test_the_page_image_is_the_pdf_at_150_dpi(sample):
    site, pdf = sample
    from PIL import Image
    with pdfplumber.open(pdf) as document:
        width, height = document.pages[0].width, document.pages[0].height
    with Image.open(site.folder / "page-1.png") as image:
        assert image.size == (math.ceil(width * DPI / 72), math.ceil(height * DPI / 72))    # as pdfium rounds
    html = (site.folder / "page-1.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in html and "<script" not in html


def test_markup_in_the_text_is_shown_as_text(escapes, reader):
    site, runs, pdf = escapes
    assert [run.exit_code for run in runs] == [0, 0]
    assert re.fullmatch(rf"wrote {re.escape(str(site))}/ \(1 page, 3 articles, 8 files, \d+\.\d MB, \d+\.\d s\)\n",
                        runs[1].stdout)
    reader.goto((site / "article-1-1.html").as_uri())
    assert reader.locator("h1.headline").inner_text() == "标题<script>alert(1)</script>"
    assert reader.locator(".kicker").inner_text() == "引题&amp;"
    assert reader.locator(".subhead").inner_text() == "副题<b>粗</b>"
    assert reader.locator(".body p").all_inner_texts() == ['导语<i>正文里有<script>alert("x")</script>和&lt;。',
                                                          "第二段正文。"]
    assert reader.locator(".body strong").inner_text() == "导语<i>"
    assert reader.locator("script, b, i").count() == 0
    with pdfplumber.open(pdf) as document:        # as the PDF prints them
        printed = re.sub(r"\s", "", document.pages[0].extract_text())
    assert '标题<script>alert(1)</script>' in printed and '正文里有<script>alert("x")</script>和&lt;。' in printed


def test_a_commentary_and_briefs_have_their_rubric_and_items(escapes, reader):
    site, _, _ = escapes
    reader.goto((site / "article-1-2.html").as_uri())
    assert reader.locator(".rubric").inner_text() == "评论员文章"
    assert reader.locator("article.story-commentary .body p").all_inner_texts() == ["评论正文第一段。", "评论正文第二段。"]
    reader.goto((site / "article-1-3.html").as_uri())
    assert reader.locator(".body strong").all_inner_texts() == ["■简讯一", "■简讯二"]
    assert reader.locator(".body p").all_inner_texts() == ["■简讯一　简讯正文一。", "■简讯二　简讯正文二。"]
    reader.locator('a[rel="prev"]').click()
    reader.wait_for_url("**/article-1-2.html")


def test_a_folder_that_is_not_a_site_is_never_replaced(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "a.txt").write_text("keep", encoding="utf-8")
    for target, why in [("notes", "'notes' is not empty and is not a site that layout epaper wrote; choose another "
                                  "folder, or empty it first"),
                        (".", "'.' holds the working folder or is the home folder; choose a folder of its own")]:
        run = CliRunner().invoke(main, ["epaper", str(SAMPLE), "-o", target])
        assert run.exit_code == 2
        assert run.stderr.splitlines()[-1] == f"Error: Invalid value for '-o' / '--out': {why}"
    assert (tmp_path / "notes" / "a.txt").read_text(encoding="utf-8") == "keep"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes"]


def _fonts_of(page, selector: str) -> list[str]:
    """The families Chromium drew the text of `selector` in (DevTools' platform fonts)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})
    return [font["familyName"] for font in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]})["fonts"]]


def test_an_article_is_set_in_the_theme_faces(sample, reader):
    """Body in the theme's Song (Noto Serif CJK SC), captions in its Kai (LXGW WenKai), lead-ins
    in its bold Hei, from the fonts installed: the site carries no font file."""
    site, _ = sample
    css = (site.folder / "style.css").read_text(encoding="utf-8")
    assert '--body: "Noto Serif CJK SC", "Source Han Serif SC", "Songti SC", "STSong", "SimSun", serif;' in css
    assert '--caption: "LXGW WenKai", "Kaiti SC", "STKaiti", "KaiTi", serif;' in css
    reader.goto((site.folder / "article-1-2.html").as_uri())
    assert _fonts_of(reader, ".body p:nth-of-type(2)") == ["Noto Serif CJK SC"]
    assert _fonts_of(reader, ".figure figcaption") == ["LXGW WenKai"]
    assert _fonts_of(reader, ".body p:nth-of-type(3) strong") == ["Noto Sans CJK SC"]
    assert reader.evaluate("() => getComputedStyle(document.querySelector('.body p')).lineHeight") == "32.4px"
    assert reader.evaluate("() => getComputedStyle(document.querySelector('.body p')).textIndent") == "36px"
    measure = reader.evaluate("() => document.querySelector('.body p').getBoundingClientRect().width / 18")
    assert 35 <= measure <= 40          # characters of 18 px in a line
    assert not list(site.folder.rglob("*.[ot]t[fc]")) and not list(site.folder.rglob("*.woff*"))


def test_a_story_continued_on_a_page_has_an_area_on_both(write_issue):
    """A jump: the story's module on each page links to its one article, which names both pages."""
    from layout.epaper.articles import collect_articles
    from layout.epaper.pages import page_views, printed_on

    from .test_page_layout import GRID, long_issue, paragraphs_over, plans_of
    folder = write_issue(long_issue(paragraphs_over(300), fit="jump"))
    plans = plans_of(folder)
    articles = collect_articles(load_issue(folder), printed_on(plans), {})
    assert [(a.file, a.pages) for a in articles] == [("article-1-1.html", [1, 2])]
    views = page_views(plans, GRID, None, articles, {})
    areas = [[(a.key, a.href) for a in view.areas] for view in views]
    assert areas == [[("pages[0].stories[0]", "article-1-1.html")]] * 2
    continued, module = views[1].areas[0], plans[1].modules[0]
    assert continued.height == pytest.approx(100 * module.box.h / GRID.page_height)   # no paragraph places
    assert [v.articles for v in views] == [articles, articles]


def test_an_issue_with_errors_writes_no_site(write_issue, tmp_path):
    folder = write_issue("""\
        paper: 示例日报
        title: 测试特刊
        date: 2026-02-30
        pages:
          - stories:
              - headline: 标题
                body: 正文。
        """)
    run = CliRunner().invoke(main, ["epaper", "x", "-o", "site"])
    assert run.exit_code == 1
    assert run.stderr == "x/issue.yaml:3: date: not a real date: '2026-02-30'\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [folder.name]       # no site, no hidden build folder


def test_a_failed_build_leaves_the_previous_site(escapes, monkeypatch):
    site, _, _ = escapes
    before = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}

    def fail(*args):
        raise RuntimeError("disk full")

    monkeypatch.setattr("layout.epaper.site.write_templates", fail)
    with pytest.raises(RuntimeError, match="disk full"):
        build_site(site.parent / "x", site)
    assert {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in site.parent.iterdir() if p.name.startswith(".")) == []
