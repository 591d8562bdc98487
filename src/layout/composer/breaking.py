"""Layout decisions: line composition -- total-fit line breaking.

Chooses the breaks of a whole paragraph at once (dynamic programming over the legal break
points, as Knuth–Plass does) by minimising the sum of line costs:

* a line that is too long is first squeezed (先挤进): the line-end mark is set half-width
  with `halt` (cheapest, and invisible), then its Han–Latin spaces shrink towards an eighth of
  an em, then full-width marks inside it are set half-width; squeezing never takes a mark
  below half an em;
* a line that is too short is stretched: its Han–Latin spaces grow first (to 3/8 em, at a
  small cost), then what is left is spread over its inter-item gaps, and that cost grows with
  the cube of the spacing per gap, so pushing a character down (后推出) wins only when
  squeezing cannot make the line fit or is dearer;
* the last line is never stretched, and one holding a single character (段末孤字) is penalised.
"""
from __future__ import annotations

from bisect import bisect_left
from typing import NamedTuple
from math import ceil, inf

from .classes import CLOSING_MARKS, PUNCT, SPACE
from .items import AUTOSPACE_EM, BOUNDARY_MAX_EM, BOUNDARY_MIN_EM, Items

EPS = 0.01          # pt of tolerance on "fits"
END_SQUEEZE = 0.5   # cost of setting the line-end mark half-width
GAP_SHRINK = 0.3    # cost of shrinking a line's Han–Latin spaces
GAP_GROW = 0.2      # cost of widening them
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
    """How a line fits: squeezed marks (how many inside, whether the end one) and its slack
    (before the Han–Latin spaces take any of it)."""

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
        self.shrink = [0.0] * (n + 1)  # what the Han–Latin spaces before each item may give
        self.grow = [0.0] * (n + 1)    # ... and take
        x = s = sh = gr = 0.0
        m = c = 0
        give, take = 1.0 - BOUNDARY_MIN_EM / AUTOSPACE_EM, BOUNDARY_MAX_EM / AUTOSPACE_EM - 1.0
        for i in range(n):
            x += it.adv[i] + (it.gap[i] if i else 0.0)
            s += it.saving[i]
            m += it.saving[i] > 0
            c += it.kind[i] != SPACE
            sh += it.gap[i] * give
            gr += it.gap[i] * take
            self.x[i + 1], self.save[i + 1], self.marks[i + 1], self.solid[i + 1] = x, s, m, c
            self.shrink[i + 1], self.grow[i + 1] = sh, gr

    def flex(self, a: int, j: int) -> tuple[float, float]:
        """What the Han–Latin spaces inside the line of items a..j-1 may give and take (pt):
        the spaces before items a+1..j-1 (the one before a falls at the line start)."""
        if j <= a + 1:
            return 0.0, 0.0
        return self.shrink[j] - self.shrink[a + 1], self.grow[j] - self.grow[a + 1]


def line_fit(it: Items, p: _Prefix, a: int, b: int, width: float, size: float, last: bool) -> Fit:
    """Cost and squeezing of the line holding items a..b-1 set to `width` pt."""
    nat = p.x[b] - p.x[a] - (it.gap[a] if a else 0.0)
    j = b
    while j > a + 1 and it.kind[j - 1] == SPACE:
        nat -= it.adv[j - 1] + it.gap[j - 1]
        j -= 1
    give, take = p.flex(a, j)
    need = nat - width
    cost, end, mid = LINE_COST, False, 0
    if need > EPS:
        end_save = it.saving[j - 1] if it.text[j - 1] in CLOSING_MARKS else 0.0
        marks_save = p.save[b] - p.save[a]
        if marks_save + give + EPS < need:
            return Fit(OVERFULL + need, False, 0, -need)
        squeezed = 0.0
        if end_save > 0 and need > give + EPS:   # the spaces alone do not make it fit
            end, squeezed, cost = True, end_save, cost + END_SQUEEZE
        if squeezed + EPS < need and give > 0:
            squeezed += min(give, need - squeezed)
            cost += GAP_SHRINK
        if squeezed + EPS < need:
            marks = p.marks[b] - p.marks[a] - (1 if end else 0)
            unit = (marks_save - (end_save if end else 0.0)) / marks
            mid = ceil((need - squeezed - EPS) / unit)
            squeezed += mid * unit
            cost += MID_SQUEEZE * mid
        need -= squeezed
    slack = max(0.0, -need)
    if last:
        return Fit(cost + _lone_penalty(it, a, j), end, mid, slack)
    return Fit(cost + _stretch_cost(slack, take, p.solid[j] - p.solid[a] - 1, size), end, mid, slack)


def _stretch_cost(slack: float, take: float, gaps: int, size: float) -> float:
    """Cost of stretching a line by `slack` pt: its Han–Latin spaces take up to `take` pt,
    then the rest is spread over its `gaps` gaps (badness 100 at STRETCH_EM a gap)."""
    if slack <= EPS:
        return 0.0
    cost = 0.0
    if take > 0:
        cost = GAP_GROW
        slack = slack - take if slack > take else 0.0
        if slack <= EPS:
            return cost
    if gaps <= 0:
        return cost + UNFILLABLE
    ratio = slack / gaps / size / STRETCH_EM
    return cost + 100.0 * ratio * ratio * ratio


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
    x, solid, kind, gap, grow = p.x, p.solid, it.kind, it.gap, p.grow
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
            # line_fit(...).cost, inlined for the common line: no squeezing, no Han–Latin space
            slack = w - (x[b] - xa - ga)
            if b == n or kind[b - 1] == SPACE or slack < -EPS or grow[b] != grow[a + 1]:
                cost = line_fit(it, p, a, b, w, size, b == n).cost
            elif slack <= EPS:
                cost = LINE_COST
            else:
                gaps = solid[b] - solid[a] - 1
                if gaps <= 0:
                    cost = LINE_COST + UNFILLABLE
                else:
                    ratio = slack / gaps / size / STRETCH_EM
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


def _candidates(it: Items, p: _Prefix, ends: list[int], ends_x: list[float], a: int, w: float):
    """Break points worth trying after a: from 60 % full to the longest line that can fit."""
    x, save, shrink = p.x, p.save, p.shrink
    base = p.x[a] + (it.gap[a] if a else 0.0)
    limit = w + EPS
    save_a, shrink_a = save[a], shrink[a + 1] if a + 1 <= len(it) else 0.0
    k0 = bisect_left(ends, a + 1)
    k = max(bisect_left(ends_x, base + SHORT_LINE * w), k0)
    found = []
    n_ends = len(ends)
    while k < n_ends:
        b = ends[k]
        over = x[b] - base - (save[b] - save_a) - (shrink[b] - shrink_a) > limit
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
    return p.x[b] - base - (p.save[b] - p.save[a]) - p.flex(a, b)[0] > w + EPS
