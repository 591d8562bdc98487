#!/usr/bin/env python3
"""Screenshots of `layout serve`'s proof desk for docs/ (headless Chromium, as the tests use).

- docs/proof-desk-pages.png: the sample's pages with check's findings listed and marked;
- docs/proof-desk-zoom.png: page 2 of the sample in the reading view at 150 dpi, a headline
  picked (its key path and issue.yaml line), the markers of a doubled word and fallback glyphs;
- docs/proof-desk-changes.png: page 2 after a caption and a doubled word were corrected, the
  changed lines marked, each change's first lines outlined with old → new (72 dpi);
- docs/proof-desk-overset.png: a page with an overset story and a 150-ppi photo, at 100 dpi.

    PYTHONPATH=src python tools/proof_desk_screenshots.py [--out docs]
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SAMPLE = ROOT / "issues" / "2026-changzhi-lianghui"
LAYERS_LOADED = "() => [...document.querySelectorAll('#sheet img.layer')].every(i => i.complete && i.naturalWidth)"


@contextmanager
def served(issue: Path, cache: Path):
    """`layout serve` run beside the issue folder (its findings name `sample/issue.yaml:N`)."""
    process = subprocess.Popen([sys.executable, "-m", "layout.cli", "serve", issue.name, "--port", "0"],
                               env={**os.environ, "LAYOUT_CACHE": str(cache)}, stderr=subprocess.PIPE,
                               text=True, start_new_session=True, cwd=issue.parent)
    try:
        for line in process.stderr:
            if match := re.search(r"on (http://127\.0\.0\.1:\d+/)", line):
                yield match.group(1)
                break
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def shoot(browser, url: str, out: Path, *, page_number: int | None, dpi_steps: int = 0, pick: str = "",
          changes: int = 0, name: str) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(url)
    page.locator("#page-1 .marker").first.wait_for(timeout=120_000)
    page.wait_for_function("() => [...document.querySelectorAll('.page img')].every(i => i.complete && i.naturalWidth)",
                           timeout=120_000)
    if changes:
        page.wait_for_function(f"() => document.querySelectorAll('#changes li').length == {changes}", timeout=120_000)
    if page_number:
        page.click(f"#page-{page_number} img")
        page.locator("#sheet img.layer").first.wait_for(timeout=120_000)
        page.wait_for_function(LAYERS_LOADED, timeout=120_000)
        for _ in range(abs(dpi_steps)):
            page.keyboard.press("+" if dpi_steps > 0 else "-")
        if changes:
            page.locator("#sheet .change[data-key*='stories']").evaluate("d => d.scrollIntoView({block: 'center'})")
            page.mouse.move(5, 5)                       # no place under the pointer
        if pick:
            place = page.locator(f'#sheet .place[data-key="{pick}"]')
            place.scroll_into_view_if_needed()
            place.click()
            page.evaluate("() => document.getElementById('view').scrollBy(0, -120)")
    page.screenshot(path=str(out / name))
    print(f"wrote {out / name}")
    page.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    from tests.test_serve_desk import desk_issue
    with tempfile.TemporaryDirectory(prefix="desk-shots-") as tmp, sync_playwright() as playwright:
        work = Path(tmp)
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"),
                                             args=["--headless", "--no-sandbox", "--disable-gpu"])
        shutil.copytree(SAMPLE, work / "sample")
        with served(work / "sample", work / "cache") as url:
            shoot(browser, url, args.out, page_number=None, name="proof-desk-pages.png")
            shoot(browser, url, args.out, page_number=2, dpi_steps=1, pick="pages[1].stories[1].headline",
                  name="proof-desk-zoom.png")
            yaml = work / "sample" / "issue.yaml"        # 改样: a caption and a doubled word corrected
            text = yaml.read_text(encoding="utf-8")
            yaml.write_text(text.replace("caption: 招商引资项目集中签约", "caption: 重点项目集中签约仪式")
                            .replace("检查检查", "检查"), encoding="utf-8")
            shoot(browser, url, args.out, page_number=2, dpi_steps=-1, changes=2, name="proof-desk-changes.png")
        with served(desk_issue(work / "desk"), work / "cache") as url:
            shoot(browser, url, args.out, page_number=1, name="proof-desk-overset.png")
        browser.close()


if __name__ == "__main__":
    main()
