"""Layout decisions: line composition -- total-fit line breaking.

Chooses the breaks of a whole paragraph at once (dynamic programming over the legal break
points, as Knuth–Plass does) by minimising the sum of line costs:

* a line that is too long is first squeezed (先挤进): full-width marks on it are set
  half-width with `halt`, the line-end mark first and cheapest; squeezing never takes a mark
  below half an em;
* a line that is too short is stretched: the slack is spread over its inter-item gaps, and
  the cost grows with the cube of the spacing per gap, so pushing a character down (后推出)
  wins only when squeezing cannot make the line fit or is dearer;
* the last line is never stretched, and one holding a single character (段末孤字) is penalised.
"""
from __future__ import annotations

from bisect import bisect_left
from typing import NamedTuple
from math import ceil, inf

from .classes import CLOSING_MARKS, PUNCT, SPACE
from .items import Items

EPS = 0.01          # pt of tolerance on "fits"
END_SQUEEZE = 0.5   # cost of setting the line-end mark half-width
MID_SQUEEZE = 2.0   # cost per mark squeezed inside a line
LINE_COST = 1.0     # every line costs a little: fewer lines when all else is equal
STRETCH_EM = 0.25   # spacing per gap (em) that scores a badness of 100
LONE_CHAR = 400.0   # last line holds one character
LONE_HAN = 60.0     # last line holds one character plus punctuation
OVERFULL = 1e7
FORCED = 1e5        # a break where the rules allow none (only when nothing else fits)
UNFILLABLE = 1e5    # a non-final line with slack but no gap to put it in
SHORT_LINE = 0.8    # lines shorter than this share of the width are tried only as a fallback


class Fit(NamedTuple):
    """How a line fits: squeezed marks (how many inside, whether the end one) and its slack."""

    cost: float
    squeeze_end: bool
    squeeze_mid: int
    slack: float


class _Prefix:
    """Prefix sums over the items so that a line's totals cost O(1)."""

    def __init__(self, it: Items):
        n = len(it)
        self.x = [0.0] * (n + 1)       # advances + Han–Latin gaps before each item
        self.save = [0.0] * (n + 1)    # squeezable width
        self.marks = [0] * (n + 1)     # squeezable marks
        self.solid = [0] * (n + 1)     # non-space items
        x = s = 0.0
        m = c = 0
        for i in range(n):
            x += it.adv[i] + (it.gap[i] if i else 0.0)
            s += it.saving[i]
            m += it.saving[i] > 0
            c += it.kind[i] != SPACE
            self.x[i + 1], self.save[i + 1], self.marks[i + 1], self.solid[i + 1] = x, s, m, c


def line_fit(it: Items, p: _Prefix, a: int, b: int, width: float, size: float, last: bool) -> Fit:
    """Cost and squeezing of the line holding items a..b-1 set to `width` pt."""
    nat = p.x[b] - p.x[a] - (it.gap[a] if a else 0.0)
    j = b
    while j > a + 1 and it.kind[j - 1] == SPACE:
        nat -= it.adv[j - 1] + it.gap[j - 1]
        j -= 1
    need = nat - width
    cost, end, mid = LINE_COST, False, 0
    if need > EPS:
        end_save = it.saving[j - 1] if it.text[j - 1] in CLOSING_MARKS else 0.0
        avail = p.save[b] - p.save[a]
        if avail + EPS < need:
            return Fit(OVERFULL + need, False, 0, -need)
        squeezed = 0.0
        if end_save > 0:
            end, squeezed, cost = True, end_save, cost + END_SQUEEZE
        if squeezed + EPS < need:
            marks = p.marks[b] - p.marks[a] - (1 if end else 0)
            unit = (avail - squeezed) / marks
            mid = ceil((need - squeezed - EPS) / unit)
            squeezed += mid * unit
            cost += MID_SQUEEZE * mid
        need -= squeezed
    slack = max(0.0, -need)
    if last:
        return Fit(cost + _lone_penalty(it, a, j), end, mid, slack)
    gaps = p.solid[j] - p.solid[a] - 1
    if gaps <= 0:
        return Fit(cost + (UNFILLABLE if slack > EPS else 0.0), end, mid, slack)
    ratio = slack / gaps / size / STRETCH_EM
    return Fit(cost + 100.0 * ratio * ratio * ratio, end, mid, slack)


def _lone_penalty(it: Items, a: int, j: int) -> float:
    chars = sum(len(it.text[i]) for i in range(a, j) if it.kind[i] != SPACE)
    if chars <= 1:
        return LONE_CHAR
    solid = [i for i in range(a, j) if it.kind[i] not in (SPACE, PUNCT)]
    if len(solid) == 1 and len(it.text[solid[0]]) == 1:
        return LONE_HAN
    return 0.0


def break_lines(it: Items, width: float, first_width: float, size: float,
                allow_forced: bool = True) -> list[tuple[int, int, Fit]]:
    """Best breaks for the paragraph: a list of (start, end, fit), one per line.

    Only legal break points are used, unless they leave a line wider than the column (a run of
    marks with no legal break, say “内”，———— in a narrow column): then, as a last resort, a
    break between any two items is allowed at a high cost, since a line running into the next
    column is worse than a mark at a line start."""
    lines = _break(it, width, first_width, size, it.breakable)
    if allow_forced and any(fit.cost >= OVERFULL for _, _, fit in lines):
        anywhere = [True] * (len(it) + 1)
        lines = _break(it, width, first_width, size, anywhere, legal=it.breakable)
    return lines


def _break(it: Items, width: float, first_width: float, size: float, breakable: list[bool],
           legal: list[bool] | None = None) -> list[tuple[int, int, Fit]]:
    n = len(it)
    if n == 0:
        return []
    p = _Prefix(it)
    x, solid, kind, gap = p.x, p.solid, it.kind, it.gap
    ends = [i for i in range(1, n + 1) if breakable[i]]
    ends_x = [x[b] for b in ends]
    best = [inf] * (n + 1)
    back = [0] * (n + 1)
    best[0] = 0.0
    for a in [0] + ends[:-1]:
        before = best[a]
        if before == inf:
            continue
        w = first_width if a == 0 else width
        xa, ga = x[a], (gap[a] if a else 0.0)
        for b in _candidates(it, p, ends, ends_x, a, w):
            # line_cost(), inlined: the common line needs no squeezing
            slack = w - (x[b] - xa - ga)
            if b == n or kind[b - 1] == SPACE or slack < -EPS:
                cost = line_fit(it, p, a, b, w, size, b == n).cost
            else:
                gaps = solid[b] - solid[a] - 1
                if gaps <= 0:
                    cost = LINE_COST + (UNFILLABLE if slack > EPS else 0.0)
                else:
                    ratio = (slack if slack > 0 else 0.0) / gaps / size / STRETCH_EM
                    cost = LINE_COST + 100.0 * ratio * ratio * ratio
            total = before + cost + (FORCED if legal is not None and not legal[b] else 0.0)
            if total < best[b]:
                best[b], back[b] = total, a
    lines = []
    b = n
    while b > 0:
        a = back[b]
        w = first_width if a == 0 else width
        lines.append((a, b, line_fit(it, p, a, b, w, size, b == n)))
        b = a
    return lines[::-1]


def line_cost(it: Items, p: _Prefix, a: int, b: int, width: float, size: float, last: bool) -> float:
    """line_fit(...).cost, with a fast path for the common line that needs no squeezing."""
    if last or it.kind[b - 1] == SPACE:
        return line_fit(it, p, a, b, width, size, last).cost
    slack = width - (p.x[b] - p.x[a] - (it.gap[a] if a else 0.0))
    if slack < -EPS:
        return line_fit(it, p, a, b, width, size, last).cost
    gaps = p.solid[b] - p.solid[a] - 1
    if gaps <= 0:
        return LINE_COST + (UNFILLABLE if slack > EPS else 0.0)
    ratio = (slack if slack > 0 else 0.0) / gaps / size / STRETCH_EM
    return LINE_COST + 100.0 * ratio * ratio * ratio


def _candidates(it: Items, p: _Prefix, ends: list[int], ends_x: list[float], a: int, w: float):
    """Break points worth trying after a: from 60 % full to the longest line that can fit."""
    x, save = p.x, p.save
    base = p.x[a] + (it.gap[a] if a else 0.0)
    limit = w + EPS
    save_a = save[a]
    k0 = bisect_left(ends, a + 1)
    k = max(bisect_left(ends_x, base + SHORT_LINE * w), k0)
    found = []
    n_ends = len(ends)
    while k < n_ends:
        b = ends[k]
        over = x[b] - base - (save[b] - save_a) > limit
        if over and found:
            break
        found.append(b)
        if over:
            break  # one overfull line as a last resort
        k += 1
    if not found or _overfull(p, a, found[0], base, w):
        k = bisect_left(ends, found[0]) - 1 if found else len(ends) - 1
        while k >= k0 and _overfull(p, a, ends[k], base, w):
            k -= 1
        if k >= k0:
            found.insert(0, ends[k])
        elif not found:
            found.append(ends[k0])
    return found


def _overfull(p: _Prefix, a: int, b: int, base: float, w: float) -> bool:
    return p.x[b] - base - (p.save[b] - p.save[a]) > w + EPS
