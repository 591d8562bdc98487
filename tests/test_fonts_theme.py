"""Theme grid as data, font roles resolved through fonts/ and fontconfig, clear font errors."""
from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from layout.errors import LayoutError
from layout.fonts import resolve_fonts, resolve_role
from layout.theme import FontRole, load_theme

THEME = load_theme()


def test_the_grid_is_counted_in_characters_and_lines():
    grid = THEME.grid
    assert grid.type_width == pytest.approx((8 * 13 + 7) * 9)          # 111 characters of 小五
    assert grid.span_width(3) == pytest.approx((3 * 13 + 2) * 9)       # n x 13 + (n - 1)
    assert grid.type_height == pytest.approx(102 * 13.5)
    assert grid.margin_side * 2 + grid.type_width == pytest.approx(grid.page_width)


def test_every_role_resolves_to_a_simplified_chinese_or_named_face():
    fonts = resolve_fonts(THEME)
    assert fonts["body"].family == "Noto Serif CJK SC" and fonts["body"].path.suffix == ".ttc"
    assert fonts["caption"].family == "LXGW WenKai"
    assert fonts["headline"].bold and not fonts["body"].bold


def test_a_missing_family_names_role_family_and_package(tmp_path):
    theme = dataclasses.replace(THEME, fonts={
        **THEME.fonts, "caption": FontRole("caption", "FZKai-Z03", 400, "fonts-fz-kai")})
    with pytest.raises(LayoutError) as caught:
        resolve_fonts(theme, fonts_dir=tmp_path)
    assert [str(f) for f in caught.value.findings] == [
        f"{THEME.folder / 'theme.yaml'}: fonts.caption: font for role 'caption' not found: family "
        f"'FZKai-Z03'; install the Debian package 'fonts-fz-kai' or put the font file in {tmp_path}/"]


def test_a_font_dropped_into_fonts_wins_over_fontconfig(tmp_path):
    source = Path("/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf")
    shutil.copy(source, tmp_path / "licensed.ttf")
    font = resolve_role(FontRole("body", "Noto Serif"), tmp_path)
    assert font.path == tmp_path / "licensed.ttf" and font.dropped_in


def test_unknown_theme_is_a_clear_error():
    with pytest.raises(LayoutError) as caught:
        load_theme("tabloid-x")
    assert str(caught.value).startswith("unknown theme 'tabloid-x'; themes in ")
    assert "newspaper" in str(caught.value)
