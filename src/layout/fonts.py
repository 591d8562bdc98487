"""Fonts: resolve each theme font role to a concrete font file.

Families resolve first among the files a newsroom drops into `fonts/`, then through fontconfig
(the same resolver WeasyPrint uses through Pango). A role whose family is not installed is an
error naming the role, the family and the Debian package that has it.
"""
from __future__ import annotations

import functools
import subprocess
from dataclasses import dataclass
from pathlib import Path

from fontTools.ttLib import TTCollection, TTFont

from .errors import Finding, LayoutError
from .theme import FONTS_DIR, FontRole, Theme

FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")


@dataclass(frozen=True)
class FontFile:
    """One face of a font file: what a role resolved to."""

    family: str
    path: Path
    index: int = 0
    bold: bool = False
    dropped_in: bool = False   # from fonts/, so the CSS must declare it with @font-face


def resolve_fonts(theme: Theme, fonts_dir: Path = FONTS_DIR) -> dict[str, FontFile]:
    """Resolve every role of `theme`; raise LayoutError listing every missing family."""
    resolved, findings = {}, []
    for role in theme.fonts.values():
        font = resolve_role(role, fonts_dir)
        if font is None:
            hint = f"; install the Debian package '{role.package}'" if role.package else "; install it on this machine"
            findings.append(Finding(
                f"font for role '{role.role}' not found: family '{role.family}'{hint} "
                f"or put the font file in {fonts_dir}/", file=str(theme.folder / "theme.yaml"),
                key=f"fonts.{role.role}", kind="font"))
        else:
            resolved[role.role] = font
    if findings:
        raise LayoutError(findings)
    return resolved


def resolve_role(role: FontRole, fonts_dir: Path = FONTS_DIR) -> FontFile | None:
    bold = role.weight >= 600
    for font in dropped_in_fonts(fonts_dir):
        if font.family.casefold() == role.family.casefold() and font.bold == bold:
            return font
    return _fontconfig(role.family, bold)


@functools.cache
def _fontconfig(family: str, bold: bool) -> FontFile | None:
    pattern = f"{family}:weight={'bold' if bold else 'regular'}"
    try:
        out = subprocess.run(["fc-match", "-f", "%{file}\n%{index}\n%{family}", pattern],
                             capture_output=True, text=True, check=True, timeout=20).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    file, index, families = (out.split("\n") + ["", "", ""])[:3]
    if family.casefold() not in (f.strip().casefold() for f in families.split(",")):
        return None
    return FontFile(family=family, path=Path(file), index=int(index or 0), bold=bold)


def dropped_in_fonts(fonts_dir: Path = FONTS_DIR) -> list[FontFile]:
    """Every face in the newsroom's fonts/ folder, by family name (name IDs 16, then 1)."""
    if not fonts_dir.is_dir():
        return []
    return _scan(tuple(sorted(p for p in fonts_dir.iterdir() if p.suffix.lower() in FONT_SUFFIXES)))


@functools.cache
def _scan(paths: tuple[Path, ...]) -> list[FontFile]:
    found = []
    for path in paths:
        try:
            faces = (TTCollection(path, lazy=True).fonts if path.suffix.lower() in (".ttc", ".otc")
                     else [TTFont(path, lazy=True)])
        except Exception:  # noqa: BLE001 - a broken file is simply not a usable font
            continue
        for index, face in enumerate(faces):
            name = face["name"]
            family = name.getDebugName(16) or name.getDebugName(1) or path.stem
            bold = face["OS/2"].usWeightClass >= 600
            found.append(FontFile(family, path, index, bold, dropped_in=True))
    return found
