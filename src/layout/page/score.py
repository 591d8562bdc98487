"""Layout decisions: the score of a page composition, in one place.

A composition is chosen by the search (search.py) as the one with the lowest score. The score is
a sum of small named terms, each a function of one module or one cut of the page, weighed by
WEIGHTS; a few rules are never broken (RULES): a composition that would break one is not made.
The README quotes this table.
"""
from __future__ import annotations

#: Each term's weight: the cost of one unit of what it measures.
WEIGHTS = {
    "holes": 4.0,           # per empty line at a column's foot, squared per column (unbalanced)
    "page_foot": 40.0,      # per body line left empty across the foot of the page
    "shallow": 6.0,         # per line a story's columns are shallower than SHALLOW_LINES, x span
    "headline_space": 2.0,  # per line added around a headline to take up slack
    "wide_cut": 3.0,        # per line added to a cut between modules (beyond one line)
    "lead_width": 8.0,      # per basic column the lead is narrower than the type area
    "figure_width": 4.0,    # per basic column a figure is narrower than the width it wants
    "crop": 1.0,            # per line a photo frame is taller or lower than the picture
    "stack": 2.0,           # per module stacked under another in the same cell (a busier page)
    "headline_lines": 8.0,  # per line of a headline beyond its first (a narrow module breaks it)
    "photo_scale": 0.05,    # per photo: (column-lines beyond its reference size)^2 / reference
    "photo_area": 1.0,      # per column-line of a photo beyond its reference size (photos grow last)
    "strip": 10.0,          # per line a module's columns are shallower than STRIP_LINES + 1, x span
    "white_space": 2.5,     # per line of white space left at a module's foot
    "blank": 2.0,           # x page_foot per column, per column-line left white beside a tier's cells
    "photo_margin": 10.0,    # per column-line left white beside a photo narrower than its columns
    "photo_short": 1.0,     # x page_foot per column, per column-line the 主图 is short of its floor
    "measure": 40.0,        # a commentary in basic columns where the theme asks for its 破栏
}

#: The size a photo may take before photo_scale and photo_area count, in column-lines (one basic
#: column and its gutter x one body line): other pictures; the page's 主图 counts from its floor
#: (limits.py).
PHOTO_REFERENCE = {"other": 25}

#: Rules no composition breaks (checked where modules are measured and combined).
RULES = {
    "stub_lines": 4,        # no column of 1-4 lines, except a story's last
    "hole_lines": 8,        # no column with 8 or more empty lines at its foot
    "white_column": True,   # no body column left without text when it has room for 5+ lines
    "lead_widest": True,    # no story wider than the lead
    "photo_ppi": 200,       # no photo larger than its pixels allow at this resolution (figures.py)
    "crop_area": 0.20,      # no crop removing more of the picture (figures.py)
    "figure_depth": 7,      # no story whose figures leave its columns shallower (unless it is shorter)
    "photo_caps": True,     # no photo wider than 5 columns or larger than its share (limits.py)
}

SHALLOW_LINES = 12          # a column of body text shallower than this reads as a strip
STRIP_LINES = 6             # columns this shallow, when a narrower module would be deeper, are a strip


def holes(empties: list[int]) -> float:
    """Empty lines at the foot of each body column of a module (squared: one column 4 lines
    short is worse than four columns 1 line short)."""
    return WEIGHTS["holes"] * sum(e * e for e in empties)


def page_foot(lines: int) -> float:
    return WEIGHTS["page_foot"] * lines


def shallow(depth: int, span: int) -> float:
    """A story set wide and shallow (a strip across the page) instead of a deep module; `depth`
    is the lines of its deepest body column."""
    return WEIGHTS["shallow"] * max(0, SHALLOW_LINES - depth) * span


def strip(depth: int, span: int, lines: int) -> float:
    """Columns `depth` lines deep or less across `span` columns when the story's `lines` would
    make deeper columns in a narrower module (a 300-character story belongs in 2-3 columns)."""
    if span < 2 or depth > STRIP_LINES or lines <= depth:
        return 0.0
    return WEIGHTS["strip"] * span * (STRIP_LINES + 1 - depth)


def white_space(lines: int) -> float:
    return WEIGHTS["white_space"] * lines


def headline_space(lines: int) -> float:
    return WEIGHTS["headline_space"] * lines


def headline_lines(lines: int) -> float:
    return WEIGHTS["headline_lines"] * max(0, lines - 1)


def wide_cut(extra_lines: int) -> float:
    return WEIGHTS["wide_cut"] * extra_lines


def lead_width(span: int, columns: int) -> float:
    """Hierarchy: the lead's module should be the widest on the page, ideally across it."""
    return WEIGHTS["lead_width"] * (columns - span)


def figure_width(wanted: int, got: int) -> float:
    return WEIGHTS["figure_width"] * max(0, wanted - got)


def crop(rows: int, natural: int) -> float:
    """A frame cropped away from the picture's own proportions, per line."""
    return WEIGHTS["crop"] * abs(rows - natural)


def photo_scale(column_lines: float, reference: float = 0.0) -> float:
    """A photo grown beyond `reference` column-lines (default: another picture's; the 主图's is
    its floor): the space is better given to text, headlines and white space first."""
    reference = reference or PHOTO_REFERENCE["other"]
    excess = max(0.0, column_lines - reference)
    return WEIGHTS["photo_area"] * excess + WEIGHTS["photo_scale"] * excess ** 2 / reference


def photo_margin(column_lines: float) -> float:
    """White beside a photo its caps or pixels keep narrower than its columns (a hole)."""
    return WEIGHTS["photo_margin"] * column_lines


def photo_short(column_lines: float, reference: float, columns: int) -> float:
    """A 主图 smaller than its floor (`reference` column-lines), on a page where no composition
    reaches the floor: each column-line short costs as much as one of white across the page's
    foot, so the photo grows while that costs the page less than the white it leaves."""
    return WEIGHTS["photo_short"] * WEIGHTS["page_foot"] * max(0.0, reference - column_lines) / columns


def photo_size(column_lines: float, reference: float, columns: int) -> float:
    """A photo's size against its reference: its growth beyond (`photo_scale`), or a 主图's
    shortfall below its floor (`photo_short`)."""
    return photo_scale(column_lines, reference) + photo_short(column_lines, reference, columns)


def blank(column_lines: int, columns: int) -> float:
    """White left beside the modules of a tier that do not fill the page's width: per
    column-line, costlier than an empty line across the foot of the page (a hole in the page)."""
    return WEIGHTS["blank"] * WEIGHTS["page_foot"] * column_lines / columns


def measure_unasked() -> float:
    """A commentary set in basic columns although the theme asks for a 破栏
    (`grid.commentary_measure`): the search moves it to a span that holds the 破栏 when that
    costs less than a line across the page's foot."""
    return WEIGHTS["measure"]


def stack(count: int) -> float:
    return WEIGHTS["stack"] * max(0, count - 1)


def stub(lines: list[int]) -> bool:
    """True if a column other than the story's last holds 1-4 lines (a 碎栏)."""
    filled = [i for i, n in enumerate(lines) if n > 0]
    return any(0 < lines[i] <= RULES["stub_lines"] for i in filled[:-1])


def white_column(lines: list[int], empties: list[int]) -> bool:
    """True if a body column is left without text though it has room for more than a stub
    (a module wider than its text)."""
    return any(n == 0 and e > RULES["stub_lines"] for n, e in zip(lines, empties))


def hole(empties: list[int]) -> bool:
    return any(e >= RULES["hole_lines"] for e in empties)
