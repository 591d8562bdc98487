"""Layout decisions: line composition -- spacing within each line.

Given the breaks, decides for every line which marks are set half-width (`halt`: pairs, and
the marks squeezed to make the line fit), and how the remaining slack is spread: first into
the Han–Latin spaces (clreq, after JLREQ, counts them among the adjustable places), which grow
from a quarter em to at most BOUNDARY_MAX_EM, or shrink to BOUNDARY_MIN_EM on a line that is
still too long; what is left evenly over the gaps between items, as letter-spacing after Han
characters and marks and as margin after Latin/number tokens (which themselves are never
letter-spaced), nor are —— and …… inside (the spacing after them is a margin too). The
Han–Latin space is a margin on the token, so a line whose slack fits into
its Han–Latin spaces needs no letter-spaced span. The last item of a
line carries no spacing, so non-final lines end exactly at the column edge; the paragraph's
last line keeps its natural spacing.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from .breaking import EPS, Fit
from .classes import SPACE, WORD, is_unit
from .items import BOUNDARY_GIVE, BOUNDARY_TAKE, Items

#: which marks to squeeze first inside a line: ink-left stops, then closing brackets/quotes
_SQUEEZE_ORDER = ("，。、；：", "”’）》」』〉】〕")


class Piece(NamedTuple):
    """One item as it is painted: its text, run, and the spacing it carries."""

    text: str
    kind: str
    run: int
    halt: bool = False          # set half-width with the OpenType halt feature
    spaced: bool = False        # carries the line's letter-spacing after it
    margin_left: float = 0.0    # pt (Han–Latin quarter em)
    margin_right: float = 0.0   # pt (line spacing after a token, plus Latin–Han quarter em)
    last: bool = False          # the line's last painted item


@dataclass(frozen=True)
class Line:
    """A composed line: source text, natural width (pt, after squeezing marks and Han–Latin
    spaces), and how it is set."""

    text: str
    width: float
    flush: bool
    measure: float              # the width it is set to (pt)
    letter_spacing: float       # pt added after each item but the last
    pieces: tuple[Piece, ...]
    first: bool = False         # first line of the paragraph (carries the indent)


def _squeezed(it: Items, a: int, j: int, fit: Fit) -> set[int]:
    """Item indices the fit squeezes: the line-end mark, then marks by _SQUEEZE_ORDER."""
    chosen = set()
    if fit.squeeze_end:
        chosen.add(j - 1)
    todo = fit.squeeze_mid
    for group in _SQUEEZE_ORDER:
        for i in range(j - 1, a - 1, -1):
            if todo == 0:
                return chosen
            if i not in chosen and it.saving[i] > 0 and it.text[i] in group:
                chosen.add(i)
                todo -= 1
    return chosen


def _boundary_adjust(it: Items, a: int, j: int, slack: float) -> dict[int, float]:
    """What the Han–Latin spaces of the line (items a..j-1) take of its slack before any goes
    to letter-spacing, or give up when the line is too long (slack < 0): each boundary moves
    evenly, between BOUNDARY_MIN_EM and BOUNDARY_MAX_EM in all; {item index: pt added before
    it (negative: taken away)}. A line whose slack fits there needs no letter-spacing."""
    bounds = [i for i in range(a + 1, j) if it.gap[i] > 0]
    if not bounds:
        return {}
    part = BOUNDARY_TAKE if slack > 0 else BOUNDARY_GIVE
    room = [it.gap[i] * part for i in bounds]
    if sum(room) <= EPS:
        return {}
    # fill evenly, capping each boundary at its room
    extra, left, todo = {}, abs(slack), sorted(zip(room, bounds))
    while todo:
        share = left / len(todo)
        r, i = todo[0]
        if r <= share:
            extra[i], left = r, left - r
            todo.pop(0)
            continue
        for r, i in todo:
            extra[i] = share
        left = 0.0
        break
    sign = 1.0 if slack > 0 else -1.0
    return {i: sign * x for i, x in extra.items() if x > 0}


def set_line(it: Items, a: int, b: int, fit: Fit, measure: float, last: bool) -> Line:
    """Spacing decisions for the line holding items a..b-1."""
    kinds, texts, runs, adv, gap, paired = it.kind, it.text, it.run, it.adv, it.gap, it.paired
    j = b
    while j > a + 1 and kinds[j - 1] == SPACE:
        j -= 1
    squeezed = _squeezed(it, a, j, fit) if fit.squeeze_end or fit.squeeze_mid else ()
    solid = [i for i in range(a, j) if kinds[i] != SPACE]
    width = sum(adv[a:j]) + sum(gap[a + 1:j]) - sum(it.saving[i] for i in squeezed)
    gaps = len(solid) - 1
    slack = measure - width
    if slack < -EPS or (not last and slack > EPS):
        extra = _boundary_adjust(it, a, j, slack)
    else:
        extra = {}
    stretched = width + sum(extra.values())
    slack = measure - stretched
    spacing = slack / gaps if (not last and gaps > 0 and slack > EPS) else 0.0
    last_solid = solid[-1] if solid else -1
    pieces = []
    for i in range(a, b):
        kind = kinds[i]
        if kind == SPACE:
            pieces.append(Piece(texts[i], kind, runs[i]))
            continue
        halt = paired[i] or i in squeezed
        after = spacing if i != last_solid else 0.0
        if kind == WORD:
            ml = gap[i] + extra.get(i, 0.0) if i > a else 0.0
            right = gap[i + 1] + extra.get(i + 1, 0.0) if i + 1 < j else 0.0
            if len(texts[i]) == 1 and not ml and not right:
                # one character with no Han–Latin space (· + /): nothing inside it to keep
                # from being spaced, so it is spaced like a Han character
                pieces.append(Piece(texts[i], kind, runs[i], halt, after > 0, 0.0, 0.0, i == last_solid))
            else:
                pieces.append(Piece(texts[i], kind, runs[i], halt, False, ml, after + right))
        elif is_unit(texts[i]):
            # ——, ……, a cluster of several characters: never letter-spaced inside (Pango would
            # space it again wherever a fallback face takes over); the spacing after is a margin
            pieces.append(Piece(texts[i], kind, runs[i], halt, False, 0.0, after, i == last_solid))
        else:
            pieces.append(Piece(texts[i], kind, runs[i], halt, after > 0, 0.0, 0.0, i == last_solid))
    flush = not last and abs(stretched + spacing * max(gaps, 0) - measure) <= EPS
    set_width = min(width, stretched)   # squeezed: marks and Han–Latin spaces
    return Line("".join(texts[a:b]), set_width, flush, measure, spacing, tuple(pieces), a == 0)
