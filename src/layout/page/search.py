"""Layout decisions: the search for a page's composition, a guillotine partition in reading order.

The type area under the banner is cut into tiers, top to bottom; a tier is cut into cells, left
to right, that share its height; a cell holds one module, or a few stacked. Items (the stories in
order, and the photo group at its place) fill the cells in reading order: top-left to
bottom-right, so the lead is always at the top left. The search is exhaustive over these
partitions (modules' variants from variants.py), by dynamic programming over (item, lines left),
and deterministic: ties go to the first composition found. The lowest score (score.py) wins.
"""
from __future__ import annotations

from dataclasses import dataclass

from . import score
from .variants import Variant, Variants

GAP_ROWS = 1          # one body line between modules stacked or in tiers (a rule runs through it)
MAX_CUT = 2           # a cut between tiers may widen to this many lines to fill the page
MAX_STACK = 3         # modules stacked in one cell
MAX_CELLS = 4         # cells side by side in one tier
MAX_WHITE = 24        # lines a cell may leave white at its foot when it is shorter than its tier
#: ... and, in the first search of a page, the most white a cell may leave at its foot or a tier
#: beside its cells: fewer lines than a hole (score.RULES["hole_lines"]). Only a page that
#: cannot be composed so is searched again with MAX_WHITE under a cell and white columns beside
#: a tier as deep as the tier (score.blank prices them).
SNUG_WHITE = score.RULES["hole_lines"] - 1


@dataclass(frozen=True)
class Cell:
    """Items `start`..`end`-1 stacked in basic columns `column`..`column + span`, with the
    variant each takes."""

    column: int
    span: int
    variants: tuple[Variant, ...]
    keys: tuple[str, ...]


@dataclass(frozen=True)
class Tier:
    """A band of the page cut into cells that share its height."""

    rows: int
    cells: tuple[Cell, ...]
    gap: int = GAP_ROWS         # lines between this tier and the next
    blank: int = 0              # basic columns left white at the tier's right


@dataclass(frozen=True)
class Composition:
    tiers: tuple[Tier, ...]
    foot: int                   # lines left empty at the foot of the page
    score: float
    snug: bool = True           # no white inside the page as deep as a hole (SNUG_WHITE)

    @property
    def rank(self) -> tuple[bool, float]:
        """What compositions are compared by: a snug one first, then the lower score."""
        return not self.snug, self.score

    @property
    def blank(self) -> int:
        """Column-lines left white at the right of tiers whose cells do not fill the width."""
        return sum(t.rows * t.blank for t in self.tiers)

    @property
    def white(self) -> int:
        """Column-lines left white at the foot of cells shorter than their tier."""
        return sum((t.rows - sum(v.rows for v in c.variants) - GAP_ROWS * (len(c.variants) - 1)) * c.span
                   for t in self.tiers for c in t.cells)


def compose(items: list[Variants], columns: int, rows: int,
            pins: dict[str, tuple[int | None, int | None]] | None = None) -> Composition | None:
    """The best composition of `items` in a type area `columns` x `rows`; None if the items
    cannot all be placed in it. `pins` holds, by item key, the (column, row) from 0 where that
    item's module must have its top-left corner (None: anywhere): it is then the top module of
    a cell starting at that column, in a tier starting at that row."""
    if not items:
        return Composition((), rows, score.page_foot(rows))
    return _compose(items, columns, rows, pins or {}, SNUG_WHITE) or _compose(items, columns, rows,
                                                                             pins or {}, MAX_WHITE)


def _compose(items: list[Variants], columns: int, rows: int, pins: dict, white: int) -> Composition | None:
    search = _Search(items, columns, pins, white)
    lead = next((i for i, item in enumerate(items) if item.rank == 0), None)
    best = None
    for lead_span in _lead_spans(items[lead], columns) if lead is not None else [columns]:
        found = search.best(rows, lead_span)
        if found is not None:
            total = found.score + (score.lead_width(lead_span, columns) if lead is not None else 0)
            if best is None or total < best.score - 1e-9:
                best = Composition(found.tiers, found.foot, total, white == SNUG_WHITE)
    return best


MIN_LEAD_SPAN = 3     # a lead narrower than this is a brief: tried only if it can be nothing wider


def _lead_spans(lead: Variants, columns: int) -> list[int]:
    """The widths the lead's module can take (it has a variant there), widest first."""
    spans = [s for s in range(columns, 0, -1) if lead.table(s)]
    return [s for s in spans if s >= MIN_LEAD_SPAN] or spans


class _Search:
    """One page's search. Its tables are memoised on the instance, so they go with it once the
    page is composed (an lru_cache on a method would key on `self` and keep every page's tables,
    and their variants, for the life of the process: 107 MB for a 100-page issue)."""

    def __init__(self, items: list[Variants], columns: int, pins: dict | None = None,
                 white: int = MAX_WHITE):
        self.items, self.columns, self.white = items, columns, white
        self.count = len(items)
        self.pins = {i: pins[item.key] for i, item in enumerate(items) if item.key in (pins or {})}
        self._cells: dict[tuple[int, int, int], dict] = {}
        self._tiers: dict[int, list] = {}

    def cell(self, start: int, end: int, span: int) -> dict[int, tuple[float, tuple[Variant, ...]]]:
        """Heights a stack of items start..end-1 can take at `span` columns, cheapest first."""
        key = (start, end, span)
        if key not in self._cells:
            self._cells[key] = self._stack(start, end, span)
        return self._cells[key]

    def _stack(self, start: int, end: int, span: int) -> dict[int, tuple[float, tuple[Variant, ...]]]:
        options = {-GAP_ROWS: (score.stack(end - start), ())}
        for item in self.items[start:end]:
            step = {}
            for height, (cost, chosen) in options.items():
                for rows, variant in item.table(span).items():
                    total, value = height + GAP_ROWS + rows, cost + variant.cost
                    if total not in step or value < step[total][0]:
                        step[total] = (value, chosen + (variant,))
            options = step
        return _with_white(options, end - start, span, self.columns, self.white)

    def tiers(self, start: int) -> list[tuple[int, int, float, int, int, tuple[Cell, ...]]]:
        """Every tier that can start with item `start`: (end, rows, cost, widest story span,
        lead span or 0, cells), the cheapest of each kind."""
        if start not in self._tiers:
            self._tiers[start] = self._walk(start)
        return self._tiers[start]

    def _walk(self, start: int) -> list[tuple[int, int, float, int, int, tuple[Cell, ...]]]:
        found: dict[tuple, tuple] = {}

        def walk(index: int, column: int, cells: tuple, heights: dict, widest: int, lead: int):
            if cells:                 # the tier may end here, white beyond its last cell
                for rows, (cost, chosen) in heights.items():
                    if column < self.columns and self.white == SNUG_WHITE and rows > self.white:
                        continue          # a white column beside the tier, deeper than allowed
                    key = (index, rows, widest, lead)
                    value = cost + score.blank((self.columns - column) * rows, self.columns)
                    if key not in found or value < found[key][2] - 1e-9:
                        found[key] = (index, rows, value, widest, lead, (cells, chosen))
            if column == self.columns:
                return
            if index == self.count or len(cells) == MAX_CELLS:
                return
            for end in range(index + 1, min(self.count, index + MAX_STACK) + 1):
                if self.pins and not self._cell_pinned(index, end, column):
                    continue
                for span in range(1, self.columns - column + 1):
                    stacked = self.cell(index, end, span)
                    merged = _merge(heights, stacked)
                    if merged:
                        stories = [i for i in range(index, end) if self.items[i].is_story]
                        has_lead = any(self.items[i].rank == 0 for i in stories)
                        walk(end, column + span, cells + ((index, end, column, span),), merged,
                             max(widest, span if stories else 0), span if has_lead else lead)

        walk(start, 0, (), None, 0, 0)
        return _undominated(sorted(found.values(), key=lambda t: (t[0], t[1], t[2])))

    def _cell_pinned(self, start: int, end: int, column: int) -> bool:
        """Whether a cell of items start..end-1 at `column` keeps their pins: a pinned item is
        the top module of its cell, and the cell starts at the pinned column."""
        return all(i == start and self.pins[i][0] in (None, column)
                   for i in range(start, end) if i in self.pins)

    def _tier_pinned(self, start: int, end: int, row: int) -> bool:
        """Whether a tier of items start..end-1 starting at `row` keeps their pinned rows."""
        return all(self.pins[i][1] in (None, row) for i in range(start, end) if i in self.pins)

    def best(self, rows: int, lead_span: int) -> Composition | None:
        """The cheapest composition whose lead is `lead_span` columns wide (and no story wider)."""
        usable: dict[int, list[list[tuple]]] = {}
        memo: dict[tuple[int, int], tuple | None] = {}

        def tiers_from(start: int) -> list[list[tuple]]:
            """The tiers starting with item `start` that this lead span allows, by end, lowest first."""
            if start not in usable:
                by_end: dict[int, list[tuple]] = {}
                for entry in self.tiers(start):
                    end, _, _, widest, lead, _ = entry
                    if widest <= lead_span and (not lead or lead == lead_span):
                        by_end.setdefault(end, []).append(entry)
                usable[start] = [sorted(group, key=lambda t: t[1]) for group in by_end.values()]
            return usable[start]

        def best_from(start: int, left: int) -> tuple | None:
            """(cost, tier entry, gap, rest's start, rest's lines) of the cheapest rest of the page."""
            if start == self.count:
                return score.page_foot(left), None, 0, start, left
            key = (start, left)
            if key in memo:
                return memo[key]
            result = None
            for group in tiers_from(start):
                if self.pins and not self._tier_pinned(start, group[0][0], rows - left):
                    continue
                for entry in group:
                    end, height, cost = entry[0], entry[1], entry[2]
                    if height > left:
                        break
                    for gap in ((0,) if end == self.count else range(GAP_ROWS, MAX_CUT + 1)):
                        if left - height - gap < 0:
                            break
                        below = (end, left - height - gap)
                        rest = memo[below] if below in memo else best_from(*below)
                        if rest is None:
                            continue
                        value = cost + rest[0] + score.wide_cut(gap - GAP_ROWS) if gap else cost + rest[0]
                        if result is None or value < result[0] - 1e-9:
                            result = (value, entry, gap, end, left - height - gap)
            memo[key] = result
            return result

        found = best_from(0, rows)
        if found is None:
            return None
        tiers, step = [], found
        while step[1] is not None:
            _, (_, height, _, _, _, (cells, chosen)), gap, start, left = step
            placed = _cells(cells, chosen, self.items)
            tiers.append(Tier(height, placed, gap, self.columns - sum(c.span for c in placed)))
            step = best_from(start, left)
        return Composition(tuple(tiers), step[4], found[0])


def _undominated(tiers: list[tuple]) -> list[tuple]:
    """Drop a tier when another of the same end, height and lead is no wider and no dearer:
    every lead span that allows it allows the other, which always wins."""
    kept, best = [], {}
    for entry in sorted(tiers, key=lambda t: (t[0], t[1], t[4], t[3], t[2])):
        key = (entry[0], entry[1], entry[4])
        if key in best and best[key] <= entry[2] + 1e-9:
            continue
        best[key] = entry[2] if key not in best else min(best[key], entry[2])
        kept.append(entry)
    return sorted(kept, key=lambda t: (t[0], t[1], t[2]))


def _with_white(options: dict, count: int, span: int, columns: int, most: int = MAX_WHITE) -> dict:
    """A stack may also stand in a taller cell, white at its foot (as costly as white beside a
    tier, score.blank), so that short modules can sit beside a tall one."""
    if not count:
        return options
    out = dict(options)
    per_line = score.blank(span, columns)          # the cost of one line of white, linear
    for height, (cost, chosen) in options.items():
        for white in range(1, most + 1):
            value = cost + per_line * white
            taller = out.get(height + white)
            if taller is None or value < taller[0] - 1e-9:
                out[height + white] = (value, chosen)
    return out


def _merge(heights: dict | None, stacked: dict) -> dict:
    """Heights both the tier so far and a new cell can take, with their summed costs."""
    if heights is None:
        return {h: (c, (chosen,)) for h, (c, chosen) in stacked.items()}
    out = {}
    for h, (cost, chosen) in heights.items():
        if h in stacked:
            out[h] = (cost + stacked[h][0], chosen + (stacked[h][1],))
    return out


def _cells(cells: tuple, chosen: tuple, items: list[Variants]) -> tuple[Cell, ...]:
    return tuple(Cell(column, span, variants, tuple(items[i].key for i in range(start, end)))
                 for (start, end, column, span), variants in zip(cells, chosen))
