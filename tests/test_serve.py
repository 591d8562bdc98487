"""`layout serve` end to end in headless Chromium: edit a headline, see it on the proof page.

Skipped only when Debian's chromium is not installed (`scripts/setup --test` installs it)."""
from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import SAMPLE

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
OLD, NEW = "下绣花功夫 群策群力优机制", "改版新标题 群策群力"

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")


@pytest.fixture
def server(tmp_path):
    """`layout serve` on a copy of the sample, on a free port; yields (issue folder, url)."""
    issue = tmp_path / "issue"
    shutil.copytree(SAMPLE, issue)
    env = {**os.environ, "LAYOUT_CACHE": str(tmp_path / "cache")}
    process = subprocess.Popen([sys.executable, "-m", "layout.cli", "serve", str(issue), "--port", "0"],
                               env=env, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        yield issue, _url(process)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def _url(process: subprocess.Popen) -> str:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        if match := re.search(r"on (http://127\.0\.0\.1:\d+/)", line):
            return match.group(1)
        if not line and process.poll() is not None:
            break
    pytest.fail("layout serve did not start")


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


def png_of(page, number: int) -> bytes:
    src = page.eval_on_selector(f"#page-{number} img", "img => img.src")   # absolute address
    return page.request.get(src).body()


def test_an_edited_headline_appears_on_the_proof_page(server, browser):
    issue, url = server
    page = browser.new_page()
    page.goto(url)
    page.get_by_text(OLD).wait_for(timeout=60_000)
    page.wait_for_function("document.querySelectorAll('.page img[src]').length == 2")
    before = png_of(page, 2)
    assert before.startswith(b"\x89PNG")
    yaml = issue / "issue.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace(OLD, NEW), encoding="utf-8")
    page.locator("#page-2 .headline", has_text=NEW).wait_for(timeout=30_000)
    assert page.locator(".headline", has_text=OLD).count() == 0
    after = png_of(page, 2)
    assert after.startswith(b"\x89PNG") and after != before


def test_content_errors_show_on_the_page_and_the_server_lives_on(server, browser):
    issue, url = server
    page = browser.new_page()
    page.goto(url)
    page.get_by_text(OLD).wait_for(timeout=60_000)
    yaml = issue / "issue.yaml"
    good = yaml.read_text(encoding="utf-8")
    yaml.write_text(good.replace("date: 2026-02-10", "date: 2026-02-30"), encoding="utf-8")
    page.locator("#errors", has_text="date: not a real date: '2026-02-30'").wait_for(timeout=30_000)
    assert page.locator(".page img").count() == 2           # the last good proofs stay
    yaml.write_text(good.replace(OLD, NEW), encoding="utf-8")
    page.locator("#page-2 .headline", has_text=NEW).wait_for(timeout=30_000)
    assert page.locator("#errors").inner_text() == ""
