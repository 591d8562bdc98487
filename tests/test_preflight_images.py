"""Preflight, photos: effective resolution at the placed size, colour mode, EXIF orientation,
unreadable and missing files."""
from __future__ import annotations

from pathlib import Path

import pytest
from markupsafe import Markup
from PIL import Image

from layout.errors import Severity
from layout.page import Box, PagePlan, PlacedFigure, TextBlock
from layout.preflight import check_issue
from layout.preflight.images import check_images, effective_ppi
from layout.source import load_source
from layout.theme import PT_PER_MM

from .conftest import MINIMAL

ISSUE = MINIMAL + """\
        figures:
          - image: a.jpg
            caption: 图片说明
"""
FRAME = Box(0, 0, 100 * PT_PER_MM, 50 * PT_PER_MM)     # 100 x 50 mm


def plan_with(path: Path) -> list[PagePlan]:
    caption = TextBlock(Box(0, FRAME.h, FRAME.w, 13.5), Markup("图片说明"), "caption")
    figure = PlacedFigure("pages[0].stories[0].figures[0]", path, FRAME, caption)
    return [PagePlan(1, "要闻", "", photos=[figure])]


def check(write_issue, image: Image.Image, **save) -> list:
    folder = write_issue(ISSUE)
    image.save(folder / "a.jpg", **save)
    source = load_source(folder / "issue.yaml", label="x/issue.yaml")
    return check_images(plan_with(folder / "a.jpg"), source, folder, 300)


def messages(findings):
    return [(f.severity, f.message) for f in findings]


def test_effective_ppi_is_the_lower_of_width_and_height():
    assert effective_ppi(1200, 300, 72, 72) == 300
    assert effective_ppi(1181, 591, 100 * PT_PER_MM, 50 * PT_PER_MM) == pytest.approx(300, abs=0.2)


def test_a_sharp_photo_has_no_findings(write_issue):
    assert check(write_issue, Image.new("RGB", (1181, 591), "grey"), format="JPEG") == []


def test_below_150_ppi_is_an_error_located_at_the_image_key(write_issue):
    findings = check(write_issue, Image.new("RGB", (500, 250), "grey"), format="JPEG")
    assert [str(f) for f in findings] == [
        "x/issue.yaml:13: pages[0].stories[0].figures[0].image: 'a.jpg' is 500 × 250 pixels: "
        "127 ppi at its placed size 100 × 50 mm (target 300 ppi); below 150 ppi it prints "
        "blurred: use a larger photo"]
    assert (findings[0].severity, findings[0].kind) == (Severity.ERROR, "image")


def test_below_250_ppi_is_a_warning(write_issue):
    findings = check(write_issue, Image.new("RGB", (900, 450), "grey"), format="JPEG")
    assert messages(findings) == [(Severity.WARNING,
        "'a.jpg' is 900 × 450 pixels: 229 ppi at its placed size 100 × 50 mm (target 300 ppi); "
        "below 250 ppi it may print soft")]


def test_cmyk_photo_is_noted(write_issue):
    findings = check(write_issue, Image.new("CMYK", (1200, 600)), format="JPEG")
    assert messages(findings) == [(Severity.INFO,
        "'a.jpg' is a CMYK photo: converted to RGB for the page (the printer converts it back "
        "with the output profile)")]


def test_palette_and_sixteen_bit_photos_are_noted(write_issue):
    folder = write_issue(ISSUE)
    source = load_source(folder / "issue.yaml")
    Image.new("P", (1200, 600)).save(folder / "p.png")
    Image.new("I;16", (1200, 600)).save(folder / "d.png")
    assert messages(check_images(plan_with(folder / "p.png"), source, folder, 300)) == [
        (Severity.INFO, "'p.png' is a palette image (GIF-like colours): converted to RGB")]
    assert messages(check_images(plan_with(folder / "d.png"), source, folder, 300)) == [
        (Severity.INFO, "'d.png' has 16 bits per channel: reduced to 8 bits")]


def test_exif_orientation_is_noted(write_issue):
    image = Image.new("RGB", (600, 1200), "grey")
    exif = image.getexif()
    exif[0x0112] = 6
    findings = check(write_issue, image, format="JPEG", exif=exif.tobytes())
    assert messages(findings) == [(Severity.INFO,
        "'a.jpg' is stored turned (EXIF orientation 6): printed upright")]


def test_an_unreadable_photo_is_an_error(write_issue):
    folder = write_issue(ISSUE)
    (folder / "a.jpg").write_bytes(b"not a photo")
    findings = check_images(plan_with(folder / "a.jpg"), load_source(folder / "issue.yaml"),
                            folder, 300)
    assert messages(findings) == [
        (Severity.ERROR, "'a.jpg': not a readable image: unknown or damaged file")]


def test_a_missing_photo_stops_the_preflight_as_a_content_error(write_issue):
    folder = write_issue(ISSUE)
    report = check_issue(folder)
    assert report.lines() == [
        "x/issue.yaml:13: error: pages[0].stories[0].figures[0].image: file 'a.jpg' not found",
        "x/issue.yaml: 1 error, 0 warnings, 0 notes",
    ]
    assert report.exit_code() == 1
