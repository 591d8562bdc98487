"""Theme: the page grid and font roles a template set declares in `templates/<name>/theme.yaml`.

The grid is data. The CSS template reads it through the `grid` object, and the Python layout
code reads the same object, so no number is written twice.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace
from pathlib import Path

from .errors import Finding, LayoutError
from .settings import Settings, parse_number, shown
from .source import load_source

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES_DIR = Path(os.environ.get("LAYOUT_TEMPLATES", ROOT / "templates"))
FONTS_DIR = Path(os.environ.get("LAYOUT_FONTS", ROOT / "fonts"))
DEFAULT_THEME = "newspaper"
PT_PER_MM = 72 / 25.4
#: what every theme declares: the layout code and the templates use each of these
ROLES = ("body", "lead", "headline", "kicker", "banner", "caption", "furniture", "fallback")
SIZES = ("banner_title", "banner_kicker", "banner_slogan", "lead_headline", "headline", "kicker",
         "subhead", "caption", "furniture")
COLOURS = ("red", "black", "rule", "white")
RGB = re.compile(r"#[0-9a-fA-F]{6}")


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
    commentary_measure: tuple[int, int] | None = None   # 破栏 the search also tries for commentaries

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


SECTION_STYLES = ("reversed", "red", "bold")
CREDIT_PLACES = ("head", "foot")
VERTICAL_USES = ("hint", "narrow")


@dataclass(frozen=True)
class RunningHeadStyle:
    """The 报眉: how the 版名 is emphasised, the size of 版次 and 版名, the rule, the credits' place."""

    section_style: str = "reversed"
    folio_size: float = 12.0
    rule: float = 1.0
    credits: str = "head"


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
    label: str = ""                       # theme.yaml as findings name it
    findings: tuple[Finding, ...] = ()    # warnings about the settings (colours.*)
    running_head: RunningHeadStyle = RunningHeadStyle()
    vertical_headlines: str = "hint"      # 竖排标题: "hint" (where a story asks) or "narrow" too


def load_theme(name: str = "") -> Theme:
    """Load `templates/<name>/theme.yaml`; raise LayoutError with every problem, located
    (`templates/x/theme.yaml:13: grid.columns: expected a whole number, got 'eight'`)."""
    name = name or DEFAULT_THEME
    folder = TEMPLATES_DIR / name
    if "/" in name or "\\" in name or name.startswith(".") or not (folder / "theme.yaml").is_file():
        known = sorted(p.name for p in TEMPLATES_DIR.iterdir() if (p / "theme.yaml").is_file())
        raise LayoutError(f"unknown theme '{name}'; themes in {TEMPLATES_DIR}: {', '.join(known)}")
    source = load_source(folder / "theme.yaml", label=_label(folder / "theme.yaml"))
    settings = Settings(source)
    grid = _grid(settings)
    fonts = {role: _font_role(settings, role) for role in _names(settings, "fonts", ROLES)}
    sizes = {size: settings.number(f"sizes_pt.{size}") for size in _names(settings, "sizes_pt", SIZES)}
    colours = {colour: _colour(settings, colour) for colour in _names(settings, "colours", COLOURS)}
    printing = _print_settings(settings, folder)
    head = _running_head(settings)
    vertical = _choice(settings, "headlines.vertical", VERTICAL_USES)
    settings.raise_if_errors()
    theme = Theme(name, folder, grid, fonts, sizes, colours, printing, label=source.label,
                  running_head=head, vertical_headlines=vertical)
    from .colours import colour_findings
    return replace(theme, findings=tuple(colour_findings(theme, source)))


def _label(path: Path) -> str:
    """The file as the user would name it: relative to the working folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _names(settings: Settings, section: str, required: tuple[str, ...]) -> list[str]:
    """The entries of a section: the required ones (each reported when missing), then any others."""
    written = settings.value(section)
    if written is not None and not isinstance(written, dict):
        settings.problem(section, f"expected a mapping of keys, got {shown(written)}")
    if not isinstance(written, dict):
        return []
    for name in required:
        if name not in written:
            settings.problem(f"{section}.{name}", "required setting is missing")
    return [str(name) for name in written]


def _font_role(settings: Settings, role: str) -> FontRole | None:
    key = f"fonts.{role}"
    if not isinstance(settings.value(key), dict):
        settings.problem(key, f"expected a mapping of keys (family:, weight:, package:), got "
                              f"{shown(settings.value(key))}")
        return None
    family = settings.text(f"{key}.family")
    if family is not None and not family.strip():
        settings.problem(f"{key}.family", "expected a font family name, got ''")
    weight = settings.number(f"{key}.weight", "400", whole=True, most=1000)
    package = settings.text(f"{key}.package", "")
    return FontRole(role, family, weight, package) if family and weight else None


def _colour(settings: Settings, name: str) -> dict | None:
    key = f"colours.{name}"
    if not isinstance(settings.value(key), dict):
        settings.problem(key, f"expected a mapping of keys (cmyk:, rgb:), got {shown(settings.value(key))}")
        return None
    cmyk = settings.value(f"{key}.cmyk")
    inks = [parse_number(c) for c in cmyk] if isinstance(cmyk, list) else []
    if cmyk is not None and (len(inks) != 4 or any(c is None or not 0 <= c <= 100 for c in inks)):
        settings.problem(f"{key}.cmyk", f"expected four percentages [C, M, Y, K] from 0 to 100, "
                                        f"got {shown(cmyk)}")
    rgb = settings.text(f"{key}.rgb")
    if rgb is not None and not RGB.fullmatch(rgb):
        settings.problem(f"{key}.rgb", f"expected a screen colour '#rrggbb', got {shown(rgb)}")
    return {"cmyk": inks, "rgb": rgb}


def _print_settings(settings: Settings, folder: Path) -> PrintSettings:
    """`print:` settings; a relative profile path is relative to the theme folder."""
    ppi = settings.number("print.image_ppi", str(DEFAULT_IMAGE_PPI), whole=True)
    profile = Path(settings.text("print.icc_profile", "") or DEFAULT_ICC_PROFILE)
    return PrintSettings(ppi or DEFAULT_IMAGE_PPI, profile if profile.is_absolute() else folder / profile)


def _running_head(settings: Settings) -> RunningHeadStyle:
    """`running_head:` settings (all optional: a theme without them gets the defaults)."""
    default = RunningHeadStyle()
    size = settings.number("running_head.folio_size_pt", str(default.folio_size))
    rule = settings.number("running_head.rule_pt", str(default.rule), above=False)
    return RunningHeadStyle(_choice(settings, "running_head.section_style", SECTION_STYLES),
                            size or default.folio_size, default.rule if rule is None else rule,
                            _choice(settings, "running_head.credits", CREDIT_PLACES))


def _choice(settings: Settings, key: str, choices: tuple[str, ...]) -> str:
    """One of `choices` at `key` (the first when the key is absent)."""
    value = settings.text(key, choices[0])
    if value is not None and value not in choices:
        settings.problem(key, f"expected {', '.join(choices[:-1])} or {choices[-1]}, got {shown(value)}")
    return value if value in choices else choices[0]


def _grid(settings: Settings) -> Grid | None:
    mm = lambda key, **bounds: _times(settings.number(f"page.{key}", **bounds), PT_PER_MM)  # noqa: E731
    number = lambda key, *default, **bounds: settings.number(f"grid.{key}", *default, **bounds)  # noqa: E731
    pitch = number("line_pitch_pt")
    values = dict(
        page_width=mm("width_mm"), page_height=mm("height_mm"),
        margin_top=mm("margin_top_mm", above=False), bleed=mm("bleed_mm", above=False),
        body_size=number("body_size_pt"), line_pitch=pitch,
        columns=number("columns", whole=True), column_chars=number("column_chars", whole=True),
        gutter_chars=number("gutter_chars", whole=True, above=False),
        lines=number("lines", whole=True), indent_em=number("indent_em", above=False),
        banner_lines=number("banner_lines", "0", whole=True, above=False),
        min_line_pitch=number("copyfit_min_line_pitch_pt", str(pitch or 1)),
    )
    if any(v is None for v in values.values()):
        return None
    grid = Grid(**values, commentary_measure=_commentary_measure(settings, values["columns"]))
    _check_grid(settings, grid)
    return grid


def _commentary_measure(settings: Settings, columns: int) -> tuple[int, int] | None:
    """`grid.commentary_measure: 3破2` (optional): commentaries may also be set 破栏."""
    from .model import measure_of
    text = settings.text("grid.commentary_measure", "")
    measure = measure_of(text) if text else None
    if text and (measure is None or measure[0] > (columns or measure[0])):
        settings.problem("grid.commentary_measure", f"expected N破M with M less than N and N at most "
                         f"grid.columns ({columns}), such as 3破2, got {shown(text)}")
        return None
    return measure


def _times(value: float | None, factor: float) -> float | None:
    return None if value is None else value * factor


def _check_grid(settings: Settings, grid: Grid) -> None:
    """What each setting allows on its own may still not make a page: check them together."""
    if grid.min_line_pitch > grid.line_pitch:
        settings.problem("grid.copyfit_min_line_pitch_pt", f"expected at most grid.line_pitch_pt "
                         f"({grid.line_pitch:g}), got '{grid.min_line_pitch:g}'")
    if grid.type_width > grid.page_width + 0.01:
        chars = grid.columns * grid.column_chars + (grid.columns - 1) * grid.gutter_chars
        settings.problem("grid.columns", f"the type area is {chars} characters of {grid.body_size:g} pt "
                         f"= {grid.type_width:.1f} pt wide, wider than the page "
                         f"({grid.page_width / PT_PER_MM:g} mm = {grid.page_width:.1f} pt)")
    bottom = grid.margin_top + grid.type_height
    if bottom > grid.page_height + 0.01:
        settings.problem("grid.lines", f"{grid.lines} lines of {grid.line_pitch:g} pt under a top margin of "
                         f"{grid.margin_top / PT_PER_MM:g} mm end {bottom - grid.page_height:.1f} pt below "
                         f"the foot of the page ({grid.page_height / PT_PER_MM:g} mm)")
    if grid.banner_lines >= grid.lines:
        settings.problem("grid.banner_lines", f"a banner of {grid.banner_lines} lines leaves no room "
                         f"for stories on a page of {grid.lines} lines")
