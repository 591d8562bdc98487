"""Fonts: resolve each theme font role to a concrete font file.

Families resolve first among the files a newsroom drops into `fonts/`, then through fontconfig
(the same resolver WeasyPrint uses through Pango). A role whose family is not installed is an
error naming the role, the family and the Debian package that has it.

The roles named `fallback` and `fallback_*` are the fallback faces, in the theme's order: a
character the role's own face lacks is set in the first of them that has it (the composer
measures it there, and the CSS lists them in the same order after each role's family).

A file in `fonts/` must be a regular file inside that folder and a usable font (an `OS/2` table
and a readable `name` table); anything else is an error naming the file, on every render.
"""
from __future__ import annotations

import contextlib
import functools
import logging
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from fontTools.ttLib import TTCollection, TTFont

from .errors import Finding, LayoutError
from .files import FileProblem, open_regular
from . import theme as themes
from .theme import FONTS_DIR, FontRole, Theme  # noqa: F401 - FONTS_DIR: the default, for importers

FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")
#: Larger than any font file a newsroom drops in (a CJK collection of 4 weights is ~100 MB).
MAX_FONT_BYTES = 256_000_000


@dataclass(frozen=True)
class FontFile:
    """One face of a font file: what a role resolved to."""

    family: str
    path: Path
    index: int = 0
    bold: bool = False
    dropped_in: bool = False   # from fonts/, so the CSS must declare it with @font-face


def fallback_roles(fonts) -> list[str]:
    """The fallback roles among a theme's roles (`fallback`, `fallback_*`), in their order."""
    return [role for role in fonts if role == "fallback" or role.startswith("fallback_")]


def resolve_fonts(theme: Theme, fonts_dir: Path | None = None) -> dict[str, FontFile]:
    """Resolve every role of `theme`; raise LayoutError listing every missing family and
    every unusable file in `fonts_dir` (default: the fonts/ folder, `theme.FONTS_DIR`)."""
    fonts_dir = fonts_dir or themes.FONTS_DIR
    resolved, findings = {}, list(font_file_problems(fonts_dir))
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


def resolve_role(role: FontRole, fonts_dir: Path | None = None) -> FontFile | None:
    bold = role.weight >= 600
    for font in dropped_in_fonts(fonts_dir or themes.FONTS_DIR):
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


def _font_files(fonts_dir: Path) -> tuple[tuple[Path, int, int], ...]:
    """(path, size, mtime) of the font files in fonts_dir: a changed file is scanned again."""
    if not fonts_dir.is_dir():
        return ()
    files = []
    for path in sorted(p for p in fonts_dir.iterdir() if p.suffix.lower() in FONT_SUFFIXES):
        with contextlib.suppress(OSError):
            stat = path.stat()
            files.append((path, stat.st_size, stat.st_mtime_ns))
            continue
        files.append((path, -1, -1))     # a dangling link: _faces says why
    return tuple(files)


def dropped_in_fonts(fonts_dir: Path | None = None) -> list[FontFile]:
    """Every usable face in the newsroom's fonts/ folder, by family name (name IDs 16, then 1)."""
    fonts_dir = fonts_dir or themes.FONTS_DIR
    return [item for item in _scan(_font_files(fonts_dir), fonts_dir) if isinstance(item, FontFile)]


def font_file_problems(fonts_dir: Path | None = None) -> list[Finding]:
    """One located error for every file in fonts/ that is not a usable font."""
    fonts_dir = fonts_dir or themes.FONTS_DIR
    return [item for item in _scan(_font_files(fonts_dir), fonts_dir) if isinstance(item, Finding)]


@functools.lru_cache(maxsize=16)
def _scan(files: tuple[tuple[Path, int, int], ...], fonts_dir: Path) -> list[FontFile | Finding]:
    found: list[FontFile | Finding] = []
    for path, _, _ in files:
        try:
            found += _faces(path, fonts_dir)
        except FileProblem as problem:
            found.append(Finding(problem.message, file=_shown(path), kind="font"))
    return found


def _faces(path: Path, fonts_dir: Path) -> list[FontFile]:
    """The faces of one font file, read through a checked file object; FileProblem if the file
    is not a regular file in `fonts_dir` or not a usable font."""
    with open_regular(path, fonts_dir) as file, _font_log() as log:
        if os.fstat(file.fileno()).st_size > MAX_FONT_BYTES:
            raise FileProblem(f"font file is over {MAX_FONT_BYTES:,} bytes")
        try:
            collection = path.suffix.lower() in (".ttc", ".otc")
            fonts = TTCollection(file, lazy=True).fonts if collection else [TTFont(file, lazy=True)]
            faces = [_face(font, path, index) for index, font in enumerate(fonts)]
        except FileProblem:
            raise
        except Exception as exc:  # noqa: BLE001 - fontTools raises anything on a damaged file
            raise FileProblem(f"not a usable font file: {log.first or exc}") from None
        if log.first:
            raise FileProblem(f"not a usable font file: {log.first}")
    return faces


def _face(font: TTFont, path: Path, index: int) -> FontFile:
    if "OS/2" not in font or "name" not in font:
        missing = "OS/2" if "OS/2" not in font else "name"
        raise FileProblem(f"not a usable font file: it has no '{missing}' table")
    name = font["name"]
    family = name.getDebugName(16) or name.getDebugName(1) or path.stem
    return FontFile(family, path, index, font["OS/2"].usWeightClass >= 600, dropped_in=True)


class _FirstWarning(logging.Handler):
    """Keeps fontTools' first warning about a file (a damaged table logs one line per record:
    65,537 of them for a `name` table that claims 65,535 records) and prints none."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.first = ""

    def emit(self, record: logging.LogRecord) -> None:
        self.first = self.first or record.getMessage()


@contextlib.contextmanager
def _font_log():
    logger, handler = logging.getLogger("fontTools"), _FirstWarning()
    saved = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.propagate = saved


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
