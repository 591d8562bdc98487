"""Theme: the page grid and font roles a template set declares in `templates/<name>/theme.yaml`.

The grid is data. The CSS template reads it through the `grid` object, and the Python layout
code reads the same object, so no number is written twice.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .errors import Finding, LayoutError
from .source import load_source

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES_DIR = Path(os.environ.get("LAYOUT_TEMPLATES", ROOT / "templates"))
FONTS_DIR = Path(os.environ.get("LAYOUT_FONTS", ROOT / "fonts"))
DEFAULT_THEME = "newspaper"
PT_PER_MM = 72 / 25.4


@dataclass(frozen=True)
class FontRole:
    """A typographic role (body, headline, caption...) and the family that fills it."""

    role: str
    family: str
    weight: int = 400
    package: str = ""


@dataclass(frozen=True)
class Grid:
    """Page size, type area and the character/line grid, in pt."""

    page_width: float
    page_height: float
    margin_top: float
    bleed: float
    body_size: float
    line_pitch: float
    columns: int
    column_chars: int
    gutter_chars: int
    lines: int
    indent_em: float
    banner_lines: int = 0
    min_line_pitch: float = 0.0       # copyfit may tighten the line pitch down to this

    @property
    def column_width(self) -> float:
        return self.column_chars * self.body_size

    @property
    def gutter(self) -> float:
        return self.gutter_chars * self.body_size

    @property
    def type_width(self) -> float:
        return self.columns * self.column_width + (self.columns - 1) * self.gutter

    @property
    def type_height(self) -> float:
        return self.lines * self.line_pitch

    @property
    def margin_side(self) -> float:
        return (self.page_width - self.type_width) / 2

    @property
    def margin_bottom(self) -> float:
        return self.page_height - self.margin_top - self.type_height

    def span_width(self, columns: int) -> float:
        """Width of a module spanning `columns` basic columns (n x 13 + (n - 1) characters)."""
        return columns * self.column_width + (columns - 1) * self.gutter

    def column_x(self, column: int) -> float:
        """Left edge of basic column `column` (0-based), from the type area's left edge."""
        return column * (self.column_width + self.gutter)


DEFAULT_IMAGE_PPI = 300
# Ghostscript's CMYK profile (Debian package libgs-common, installed with ghostscript): a SWOP
# coated press profile, the only CMYK ICC profile the free Debian packages ship.  Replace it with
# the printer's own profile (e.g. ISOnewspaper26v4) through `print.icc_profile`.
DEFAULT_ICC_PROFILE = Path("/usr/share/color/icc/ghostscript/default_cmyk.icc")


@dataclass(frozen=True)
class PrintSettings:
    """Print production: photo resolution at the placed size and the press's CMYK profile."""

    image_ppi: int = DEFAULT_IMAGE_PPI
    icc_profile: Path = DEFAULT_ICC_PROFILE


@dataclass(frozen=True)
class Theme:
    """A template set: its folder, grid, font roles, type sizes, colours and print settings."""

    name: str
    folder: Path
    grid: Grid
    fonts: dict[str, FontRole]
    sizes: dict[str, float]
    colours: dict[str, dict]
    print: PrintSettings = PrintSettings()


def load_theme(name: str = "") -> Theme:
    """Load `templates/<name>/theme.yaml`; raise LayoutError naming the file and key."""
    name = name or DEFAULT_THEME
    folder = TEMPLATES_DIR / name
    if "/" in name or "\\" in name or name.startswith(".") or not (folder / "theme.yaml").is_file():
        known = sorted(p.name for p in TEMPLATES_DIR.iterdir() if (p / "theme.yaml").is_file())
        raise LayoutError(f"unknown theme '{name}'; themes in {TEMPLATES_DIR}: {', '.join(known)}")
    source = load_source(folder / "theme.yaml")
    data = source.data
    try:
        grid = _grid(data["page"], data["grid"])
        fonts = {role: FontRole(role, str(v["family"]), int(v.get("weight", 400)), str(v.get("package", "")))
                 for role, v in data["fonts"].items()}
        sizes = {k: float(v) for k, v in data["sizes_pt"].items()}
        colours = {k: {"cmyk": [float(c) for c in v["cmyk"]], "rgb": str(v["rgb"])}
                   for k, v in data["colours"].items()}
        printing = _print_settings(data.get("print") or {}, folder)
    except (KeyError, TypeError, ValueError) as exc:
        raise LayoutError(Finding(f"theme setting missing or invalid: {exc}", file=source.label)) from None
    return Theme(name, folder, grid, fonts, sizes, colours, printing)


def _print_settings(data: dict, folder: Path) -> PrintSettings:
    """`print:` settings; a relative profile path is relative to the theme folder."""
    ppi = int(data.get("image_ppi", DEFAULT_IMAGE_PPI))
    if ppi <= 0:
        raise ValueError(f"print.image_ppi must be positive, got {ppi}")
    profile = Path(str(data.get("icc_profile") or DEFAULT_ICC_PROFILE))
    return PrintSettings(ppi, profile if profile.is_absolute() else folder / profile)


def _grid(page: dict, grid: dict) -> Grid:
    mm = lambda key: float(page[key]) * PT_PER_MM  # noqa: E731
    return Grid(
        page_width=mm("width_mm"), page_height=mm("height_mm"), margin_top=mm("margin_top_mm"),
        bleed=mm("bleed_mm"), body_size=float(grid["body_size_pt"]),
        line_pitch=float(grid["line_pitch_pt"]), columns=int(grid["columns"]),
        column_chars=int(grid["column_chars"]), gutter_chars=int(grid["gutter_chars"]),
        lines=int(grid["lines"]), indent_em=float(grid["indent_em"]),
        banner_lines=int(grid.get("banner_lines", 0)),
        min_line_pitch=float(grid.get("copyfit_min_line_pitch_pt", grid["line_pitch_pt"])),
    )
