"""Theme settings: every problem in theme.yaml located by file, line and key, all reported at
once; settings that make the screen and print PDFs disagree, or clip the banner, are warnings."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import layout.theme
from layout.cli import main
from layout.errors import LayoutError, Severity
from layout.preflight import check_issue
from layout.theme import load_theme

from .conftest import MINIMAL

NEWSPAPER = Path(layout.theme.TEMPLATES_DIR) / "newspaper"


@pytest.fixture
def theme_x(tmp_path, monkeypatch):
    """A copy of the newspaper theme as templates/x; return a function that edits its theme.yaml
    (pairs of old, new text) and loads it."""
    shutil.copytree(NEWSPAPER, tmp_path / "templates" / "x")
    monkeypatch.setattr(layout.theme, "TEMPLATES_DIR", tmp_path / "templates")
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "templates" / "x" / "theme.yaml"
    original = path.read_text(encoding="utf-8")

    def edit(*changes: tuple[str, str]) -> Path:
        text = original
        for old, new in changes:
            assert old in text, old
            text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")
        return path

    return edit


def problems() -> list[str]:
    with pytest.raises(LayoutError) as caught:
        load_theme("x")
    return [str(f) for f in caught.value.findings]


def test_the_newspaper_theme_loads_without_a_finding():
    theme = load_theme()
    assert theme.label.endswith("templates/newspaper/theme.yaml") and theme.findings == ()


def test_bad_values_are_all_reported_with_line_and_key(theme_x):
    theme_x(("columns: 8 ", "columns: eight "), ("line_pitch_pt: 13.5", "line_pitch_pt: -1"),
            ("lines: 102", "lines: 10.5"), ("image_ppi: 300", "image_ppi: many"),
            ('rgb: "#e60012"', "rgb: red"), ("cmyk: [0, 100, 100, 0]", "cmyk: [0, 100, 100]"),
            ("body:      {family: Noto Serif CJK SC, weight: 400, package: fonts-noto-cjk}",
             "body:      Noto Serif CJK SC"))
    assert problems() == [
        "templates/x/theme.yaml:12: grid.line_pitch_pt: expected a number more than 0, got '-1'",
        "templates/x/theme.yaml:13: grid.columns: expected a whole number, got 'eight'",
        "templates/x/theme.yaml:16: grid.lines: expected a whole number, got '10.5'",
        "templates/x/theme.yaml:25: fonts.body: expected a mapping of keys (family:, weight:, package:), "
        "got 'Noto Serif CJK SC'",
        "templates/x/theme.yaml:47: colours.red.cmyk: expected four percentages [C, M, Y, K] from 0 to 100, "
        "got [0, 100, 100]",
        "templates/x/theme.yaml:47: colours.red.rgb: expected a screen colour '#rrggbb', got 'red'",
        "templates/x/theme.yaml:52: print.image_ppi: expected a whole number, got 'many'",
    ]


def test_missing_settings_are_named(theme_x):
    theme_x(("  caption:   {family: LXGW WenKai, weight: 400, package: fonts-lxgw-wenkai}\n", ""),
            ("  banner_kicker: 22\n", ""), ("  bleed_mm: 3\n", ""))
    assert problems() == [
        "templates/x/theme.yaml:5: page.bleed_mm: required setting is missing",
        "templates/x/theme.yaml:19: fonts.caption: required setting is missing",
        "templates/x/theme.yaml:34: sizes_pt.banner_kicker: required setting is missing",
    ]


def test_settings_that_do_not_make_a_page_are_errors(theme_x):
    theme_x(("columns: 8 ", "columns: 10 "), ("lines: 102", "lines: 120"),
            ("banner_lines: 15", "banner_lines: 120"),
            ("copyfit_min_line_pitch_pt: 12.6", "copyfit_min_line_pitch_pt: 14"))
    assert problems() == [
        "templates/x/theme.yaml:13: grid.columns: the type area is 139 characters of 9 pt = 1251.0 pt "
        "wide, wider than the page (390 mm = 1105.5 pt)",
        "templates/x/theme.yaml:16: grid.lines: 120 lines of 13.5 pt under a top margin of 30 mm end "
        "146.0 pt below the foot of the page (550 mm)",
        "templates/x/theme.yaml:18: grid.banner_lines: a banner of 120 lines leaves no room for stories "
        "on a page of 120 lines",
        "templates/x/theme.yaml:19: grid.copyfit_min_line_pitch_pt: expected at most grid.line_pitch_pt "
        "(13.5), got '14'",
    ]


def test_render_prints_located_theme_errors_and_exits_1(theme_x, write_issue):
    theme_x(("columns: 8 ", "columns: eight "), ("lines: 102", "lines: many"))
    folder = write_issue(MINIMAL.replace("date: 2026-02-10", "date: 2026-02-10\ntheme: x"))
    result = CliRunner().invoke(main, ["render", str(folder), "-o", "out"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "templates/x/theme.yaml:13: grid.columns: expected a whole number, got 'eight'",
        "templates/x/theme.yaml:16: grid.lines: expected a whole number, got 'many'"]
    assert not Path("out").exists()


def test_a_screen_colour_changed_without_its_print_colour_is_a_warning(theme_x):
    theme_x(('rgb: "#e60012"', 'rgb: "#0050a0"'))
    theme = load_theme("x")
    assert [(f.severity, str(f)) for f in theme.findings] == [(
        Severity.WARNING,
        "templates/x/theme.yaml:47: colours.red: the screen colour rgb '#0050a0' and the print colour "
        "cmyk 0/100/100/0 are different colours (ΔE 117 through the output profile): the screen PDF "
        "and the print PDF will not match; change rgb and cmyk together")]


def test_a_colour_changed_on_both_sides_is_not_reported(theme_x):
    theme_x(('red:   {cmyk: [0, 100, 100, 0], rgb: "#e60012"}',
             'red:   {cmyk: [100, 60, 0, 0], rgb: "#0060b0"}'))
    assert load_theme("x").findings == ()


BANNER = """\
    banner:
      kicker: 聚焦
      title: 2026长治两会
      slogan: 谋好篇 布好局 履职尽责为人民
      label: 两会特刊
"""


def test_check_and_render_warn_when_the_theme_clips_the_banner(theme_x, write_issue):
    theme_x(("banner_lines: 15", "banner_lines: 10"), ('rgb: "#e60012"', 'rgb: "#0050a0"'))
    text = MINIMAL.replace("date: 2026-02-10", "date: 2026-02-10\ntheme: x")
    folder = write_issue(text.replace("    stories:\n", BANNER + "    stories:\n"))
    clipped = ("x/issue.yaml:7: warning: pages[0].banner: the banner's kicker, title, slogan and label "
               "need 171.4 pt, but the theme's banner is 135.0 pt tall (10 lines): the kicker and label "
               "are cut off; set grid.banner_lines to 13 in the theme, or shorten the banner")
    colour = ("templates/x/theme.yaml:47: warning: colours.red: the screen colour rgb '#0050a0' and the "
              "print colour cmyk 0/100/100/0 are different colours (ΔE 117 through the output profile): "
              "the screen PDF and the print PDF will not match; change rgb and cmyk together")
    report = check_issue(Path("x"))
    assert [line for line in report.lines() if "banner" in line or "colours" in line] == [colour, clipped]
    assert not [f for f in report.findings if f.kind == "render"]       # no WeasyPrint warning
    result = CliRunner().invoke(main, ["render", "x", "-o", "out"])
    assert result.exit_code == 0, result.output
    printed = [line for line in result.stderr.splitlines() if "banner" in line or "colours" in line]
    assert printed == [colour, clipped]          # render prints check's findings in check's words
    assert "WeasyPrint" not in result.stderr


def test_a_banner_that_fits_its_lines_is_not_reported(theme_x, write_issue):
    theme_x(("banner_lines: 15", "banner_lines: 13"))
    text = MINIMAL.replace("date: 2026-02-10", "date: 2026-02-10\ntheme: x")
    folder = write_issue(text.replace("    stories:\n", BANNER + "    stories:\n"))
    report = check_issue(folder)
    assert [f for f in report.findings if "banner" in f.key] == []
