#!/usr/bin/env python3
"""Screenshots of `layout epaper`'s 数字报 for docs/ (headless Chromium, as the tests use).

- docs/epaper-page.png: the sample's page 1, the pointer over a story (its area outlined, its
  headline shown above it);
- docs/epaper-article.png: that story's article page (headline, figures, lead-ins).

    PYTHONPATH=src python tools/epaper_screenshots.py [--out docs]
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "issues" / "2026-changzhi-lianghui"
STORY = "pages[0].stories[1]"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    from layout.epaper import build_site
    with tempfile.TemporaryDirectory(prefix="epaper-shots-") as tmp, sync_playwright() as playwright:
        site = build_site(SAMPLE, Path(tmp) / "site").folder
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"),
                                             args=["--headless", "--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000}, java_script_enabled=False)
        page.goto((site / "page-1.html").as_uri())
        page.hover(f'a.area[data-key="{STORY}"]')
        page.screenshot(path=str(args.out / "epaper-page.png"))
        print(f"wrote {args.out / 'epaper-page.png'}")
        page.click(f'a.area[data-key="{STORY}"]')
        page.set_viewport_size({"width": 1000, "height": 1400})
        page.screenshot(path=str(args.out / "epaper-article.png"))
        print(f"wrote {args.out / 'epaper-article.png'}")
        browser.close()


if __name__ == "__main__":
    sys.exit(main())
