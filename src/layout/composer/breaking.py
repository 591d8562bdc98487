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
* the last line is never stretched, and one holding a single character (段末孤字) is penalised;
* a line may start with —— or …… (GB/T 15834-2011 forbids only cutting them), at a small cost,
  so that it does when that spares squeezing or spacing, not on a tie;
* a number stays with its unit (keep.py), as a strong preference with a bound: when the best
  breaks that keep every group whole leave a line letter-spaced more than KEEP_LOOSE_EM, the
  paragraph is broken again with a group allowed to part (before its unit, PART_UNIT; less
  willingly before its amount word, PART_AMOUNT; never inside the digits or the unit) and a
  line looser than KEEP_LOOSE_EM costing LOOSE_LINE, far more than parting. Those breaks are
  taken when they part a group (which they do only to bring a line under the bound, or to
  relieve a line spaced half an em or more) or leave fewer loose lines: 先挤进，后推出, then a
  break.
"""
from __future__ import annotations

from bisect import bisect_left
from typing import NamedTuple
from itertools import accumulate
from math import ceil, inf

from .classes import CLOSING_MARKS, GROUPED, PUNCT, SPACE, cluster_count
from .items import BOUNDARY_GIVE, BOUNDARY_TAKE, Items
from .keep import PART_AMOUNT, PART_UNIT

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
UNIT_START = 5.0    # a line starts with —— or ……: allowed (GB/T 15834), yet a little worse
UNFILLABLE = 1e5    # a non-final line with slack but no gap to put it in
SHORT_LINE = 0.8    # lines shorter than this share of the width are tried only as a fallback
#: letter-spacing (em) beyond which keeping a number with its unit gives way: a quarter em, the
#: Han–Latin space itself and the spacing the breaker scores as badness 100 (STRETCH_EM). Up to
#: it a line pushed short by a kept group reads as a line justified wide, as kinsoku leaves
#: them; past it the characters stand apart (keep-together left 村材服动保 a whole em apart before
#: 1,280倍！), and parting 1,280 | 倍 is the lesser fault. A quarter em keeps short groups whole
#: where an indented first line of a 13-em column must push them down (汉×8，| 56个: 2 em over 8
#: gaps); 1/6 em would part 2 of 3 of those, and 1/8 em the sample's 回首2025 | 年.
KEEP_LOOSE_EM = 0.25
LOOSE_LINE = 1e4    # (second pass) a non-final line letter-spaced more than KEEP_LOOSE_EM
#: (second pass) a break inside a number's group, by keep.py's rank, before its unit first:
#: far less than a line beyond the bound (LOOSE_LINE), far more than any ordinary trade-off
#: (a lone last character, squeezed marks, the badness of a line under about half an em)
PART_COST = {PART_UNIT: 1e3, PART_AMOUNT: 2e3}


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
        adv, gap, saving = it.adv, it.gap, it.saving
        steps = [a + g for a, g in zip(adv, gap)]
        if steps:
            steps[0] = adv[0]  # the gap before the first item falls at the line start
        self.x = [0.0, *accumulate(steps)]             # advances + Han–Latin gaps before each item
        self.save = [0.0, *accumulate(saving)]         # squeezable width
        self.marks = [0, *accumulate(v > 0 for v in saving)]           # squeezable marks
        self.solid = [0, *accumulate(k != SPACE for k in it.kind)]     # non-space items
        self.shrink = [0.0, *accumulate(g * BOUNDARY_GIVE for g in gap)]  # what the Han–Latin spaces may give
        self.grow = [0.0, *accumulate(g * BOUNDARY_TAKE for g in gap)]    # ... and take
        #: x less everything that squeezing may take away: the line a..b-1 cannot be made to fit
        #: the width w when tight[b] > w + base(a) - save[a] - shrink[a + 1]
        self.tight = [x - s - h for x, s, h in zip(self.x, self.save, self.shrink)]

    def flex(self, a: int, j: int) -> tuple[float, float]:
        """What the Han–Latin spaces inside the line of items a..j-1 may give and take (pt):
        the spaces before items a+1..j-1 (the one before a falls at the line start)."""
        if j <= a + 1:
            return 0.0, 0.0
        return self.shrink[j] - self.shrink[a + 1], self.grow[j] - self.grow[a + 1]


def line_fit(it: Items, p: _Prefix, a: int, b: int, width: float, size: float, last: bool,
             loose: float = 0.0) -> Fit:
    """Cost and squeezing of the line holding items a..b-1 set to `width` pt; `loose` is added
    when it is letter-spaced more than KEEP_LOOSE_EM."""
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
    return Fit(cost + _stretch_cost(slack, take, p.solid[j] - p.solid[a] - 1, size, loose),
               end, mid, slack)


def _stretch_cost(slack: float, take: float, gaps: int, size: float, loose: float = 0.0) -> float:
    """Cost of stretching a line by `slack` pt: its Han–Latin spaces take up to `take` pt,
    then the rest is spread over its `gaps` gaps (badness 100 at STRETCH_EM a gap), plus
    `loose` beyond KEEP_LOOSE_EM a gap."""
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
    if loose and slack > gaps * size * KEEP_LOOSE_EM + EPS:
        cost += loose
    return cost + 100.0 * ratio * ratio * ratio


def is_loose(it: Items, p: _Prefix, a: int, b: int, fit: Fit, size: float) -> bool:
    """Whether the non-final line of items a..b-1 is letter-spaced more than KEEP_LOOSE_EM
    (what its Han–Latin spaces cannot take of its slack, over its gaps; as spacing.set_line)."""
    return letter_spacing(it, p, a, b, fit, size) > KEEP_LOOSE_EM + EPS / size


def letter_spacing(it: Items, p: _Prefix, a: int, b: int, fit: Fit, size: float) -> float:
    """The letter-spacing (em a gap) the non-final line of items a..b-1 needs after its
    Han–Latin spaces took what they can; 0 for an overfull line (it is squeezed, not spaced),
    infinite for one with slack and no gap."""
    j = b
    while j > a + 1 and it.kind[j - 1] == SPACE:
        j -= 1
    rest = fit.slack - p.flex(a, j)[1]
    gaps = p.solid[j] - p.solid[a] - 1
    if fit.cost >= OVERFULL:
        return 0.0
    if rest <= EPS:
        return 0.0
    return rest / gaps / size if gaps > 0 else float("inf")


def _lone_penalty(it: Items, a: int, j: int) -> float:
    chars = sum(cluster_count(it.text[i]) for i in range(a, j) if it.kind[i] != SPACE)
    if chars <= 1:
        return LONE_CHAR
    solid = [i for i in range(a, j) if it.kind[i] not in (SPACE, PUNCT)]
    if len(solid) == 1 and cluster_count(it.text[solid[0]]) == 1:
        return LONE_HAN
    return 0.0


def break_lines(it: Items, width: float, first_width: float, size: float,
                allow_forced: bool = True, allow_parting: bool = True) -> list[tuple[int, int, Fit]]:
    """Best breaks for the paragraph: a list of (start, end, fit), one per line.

    Only legal break points are used, unless they leave a line wider than the column (a run of
    marks with no legal break, say “内”，“《文》” in a narrow column): then, as a last resort, a
    break between two items that the rules forbid is allowed at a high cost, since a line
    running into the next column is worse than a mark at a line start. Even then no break falls
    inside an item (——, ……, a Latin word or a number that fits the column), nor inside a kept
    group (a number and its unit, a name in a credit), nor before a space (it would start the
    line). A number's group parts only where keeping it leaves a line looser than
    KEEP_LOOSE_EM (module docstring), unless `allow_parting` is False."""
    p = _Prefix(it)
    breakable, legal = it.breakable, None
    lines = _break(it, p, width, first_width, size, breakable, _start_costs(it, breakable))
    if allow_forced and any(fit.cost >= OVERFULL for _, _, fit in lines):
        breakable, legal = _forcible(it), it.breakable
        lines = _break(it, p, width, first_width, size, breakable, _start_costs(it, breakable, legal))
    if allow_parting and any(it.parting):
        loose = _count_loose(it, p, lines, size)
        if loose:
            parting = [b or r > 0 for b, r in zip(breakable, it.parting)]
            costs = [c + PART_COST.get(r, 0.0)
                     for c, r in zip(_start_costs(it, parting, legal), it.parting)]
            relaxed = _break(it, p, width, first_width, size, parting, costs, LOOSE_LINE)
            if _relieves(it, p, relaxed, lines, size):
                lines = relaxed
    return lines


def _count_loose(it: Items, p: _Prefix, lines, size: float) -> int:
    return sum(is_loose(it, p, a, b, fit, size) for a, b, fit in lines[:-1])


def _relieves(it: Items, p: _Prefix, parted, kept, size: float) -> bool:
    """Whether parting a group is worth it: fewer lines looser than KEEP_LOOSE_EM, or as many
    and a less loose worst line (never more loose lines, never a looser worst line)."""
    def worst(lines) -> float:
        return max((letter_spacing(it, p, a, b, fit, size) for a, b, fit in lines[:-1]), default=0.0)
    loose, loose_kept = _count_loose(it, p, parted, size), _count_loose(it, p, kept, size)
    return loose < loose_kept and worst(parted) <= worst(kept) + EPS or \
        loose == loose_kept and worst(parted) < worst(kept) - EPS


def _forcible(it: Items) -> list[bool]:
    """Break points for a forced break: between any two items, but not before a space nor
    inside a kept group (a number and its unit, a name in a credit: keep.py)."""
    return [i == len(it) or (i > 0 and it.kind[i] != SPACE and not it.glued[i])
            for i in range(len(it) + 1)]


def _start_costs(it: Items, breakable: list[bool], legal: list[bool] | None = None) -> list[float]:
    """What a break before item b costs of itself: a forced break (not `legal`), a line
    starting with —— / ……."""
    n = len(it)
    at = [0.0] * (n + 1)
    for b in range(1, n + 1):
        if not breakable[b]:
            continue
        if legal is not None and not legal[b] and not it.parting[b]:
            at[b] = FORCED
        elif b < n and it.text[b][0] in GROUPED:
            at[b] = UNIT_START
    return at


def _break(it: Items, p: _Prefix, width: float, first_width: float, size: float,
           breakable: list[bool], at: list[float], loose: float = 0.0) -> list[tuple[int, int, Fit]]:
    """Total-fit breaks among the `breakable` points, each costing `at[b]` of itself; a line
    looser than KEEP_LOOSE_EM costs `loose` more."""
    n = len(it)
    if n == 0:
        return []
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
            # line_fit(...).cost, inlined for the common line: nothing to squeeze
            slack = w - (x[b] - xa - ga)
            if b == n or kind[b - 1] == SPACE or slack < -EPS:
                cost = line_fit(it, p, a, b, w, size, b == n, loose).cost
            elif slack <= EPS:
                cost = LINE_COST
            elif grow[b] != grow[a + 1]:
                cost = LINE_COST + _stretch_cost(slack, grow[b] - grow[a + 1], solid[b] - solid[a] - 1,
                                                 size, loose)
            else:
                gaps = solid[b] - solid[a] - 1
                if gaps <= 0:
                    cost = LINE_COST + UNFILLABLE
                else:
                    ratio = slack / gaps / size / STRETCH_EM
                    cost = LINE_COST + 100.0 * ratio * ratio * ratio
                    if loose and slack > gaps * size * KEEP_LOOSE_EM + EPS:
                        cost += loose
            total = before + cost + at[b]
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
    """Break points worth trying after a: from SHORT_LINE full to the longest line that can be
    squeezed to fit, and one overfull line beyond; when that leaves no line that fits, the
    longest shorter one too."""
    x, tight = p.x, p.tight
    base = x[a] + (it.gap[a] if a else 0.0)
    limit = w + EPS + base - p.save[a] - p.shrink[a + 1]   # tight[b] > limit: cannot fit
    k0 = bisect_left(ends, a + 1)
    k = max(bisect_left(ends_x, base + SHORT_LINE * w), k0)
    found = []
    n_ends = len(ends)
    while k < n_ends:
        b = ends[k]
        if tight[b] > limit:
            if not found:
                found.append(b)  # one overfull line as a last resort
            break
        found.append(b)
        k += 1
    if not found or tight[found[0]] > limit:
        k = k - 1 if found else n_ends - 1
        while k >= k0 and tight[ends[k]] > limit:
            k -= 1
        if k >= k0:
            found.insert(0, ends[k])
        elif not found:
            found.append(ends[k0])
    return found
