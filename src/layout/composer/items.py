"""Layout decisions: line composition -- the paragraph as measured items.

Turns styled runs into parallel lists (one entry per item) that the line breaker scans:
advance in pt, what squeezing the item with `halt` would save, the Han–Latin quarter em
before it, and whether a line may break before it (never inside a kept group: a number and
its unit, a name in a credit; see keep.py). Adjacent punctuation is compressed here
once and for all: the first mark of a pair (。” ）、 ”，) is set half-width.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from . import classes as cc
from .keep import glue
from .metrics import advance_table, measure_ideographs, missing_chars

AUTOSPACE_EM = 0.25
#: how far a Han–Latin space may be adjusted to justify a line (JLREQ 3.8, which clreq follows:
#: it is the first space to give way, shrinking to an eighth of an em before any punctuation is
#: squeezed, and growing before any letter-spacing). The upper bound stays inside the 0.1-0.4 em
#: that cjk_audit.py accepts.
BOUNDARY_MIN_EM = 0.125
BOUNDARY_MAX_EM = 0.375
#: what a Han–Latin space (an item's `gap`) may give up and take on, as shares of itself
BOUNDARY_GIVE = 1.0 - BOUNDARY_MIN_EM / AUTOSPACE_EM
BOUNDARY_TAKE = BOUNDARY_MAX_EM / AUTOSPACE_EM - 1.0


@dataclass
class Items:
    """A paragraph's items as parallel lists (index i = item i)."""

    text: list[str] = field(default_factory=list)
    kind: list[str] = field(default_factory=list)
    run: list[int] = field(default_factory=list)
    adv: list[float] = field(default_factory=list)      # natural advance, pt
    saving: list[float] = field(default_factory=list)   # pt gained by squeezing with halt
    paired: list[bool] = field(default_factory=list)    # first mark of a pair, set with halt
    gap: list[float] = field(default_factory=list)      # Han–Latin space before the item, pt
    breakable: list[bool] = field(default_factory=list)  # a line may start with this item
    glued: list[bool] = field(default_factory=list)     # no break before it, even forced (keep.py)
    missing: set[str] = field(default_factory=set)

    def __len__(self) -> int:
        return len(self.text)


def build_items(runs, size: float, max_width: float) -> Items:
    """Measure the runs' items at `size` pt; tokens wider than max_width are split."""
    it = Items()
    kept = []   # items that start inside a run's keep span
    for r, run in enumerate(runs):
        advances = advance_table(run.faces)
        offset = 0
        for text, kind in cc.split_items(run.text):
            if kind == cc.WORD and len(text) > 1 and advances[text] * size > max_width:
                pieces = cc.clusters(text)  # an overlong word: let it break between clusters
            else:
                pieces = [text]
            for piece in pieces:
                it.text.append(piece)
                it.kind.append(kind)
                it.run.append(r)
                kept.append(bool(run.keep) and any(a < offset < b for a, b in run.keep))
                offset += len(piece)
        it.missing |= missing_chars(run.text, run.faces)
    _measure(it, runs, size)
    _pair_punctuation(it, size)
    _gaps_and_breaks(it, size)
    it.glued = glue(it, kept, max_width)
    it.breakable = [b and not g for b, g in zip(it.breakable, it.glued)]
    return it


def _measure(it: Items, runs, size: float) -> None:
    if len(runs) == 1:
        measure_ideographs(set(it.text), runs[0].faces)
    else:
        for r, run in enumerate(runs):
            measure_ideographs({t for t, i in zip(it.text, it.run) if i == r}, run.faces)
    plain = [advance_table(run.faces) for run in runs]
    halt = [advance_table(run.faces, "halt") for run in runs]
    fwid = [advance_table(run.faces, "fwid") for run in runs]
    adv, saving = it.adv, it.saving
    prev_space = True  # leading whitespace is dropped by the renderer
    for text, kind, r in zip(it.text, it.kind, it.run):
        if kind == cc.SPACE:
            adv.append(0.0 if prev_space else plain[r][" "] * size)
            saving.append(0.0)
            prev_space = True
            continue
        prev_space = False
        a = (fwid if text[0] in cc.DASHES else plain)[r][text] * size
        adv.append(a)
        if kind == cc.PUNCT:
            saving.append(max(0.0, a - halt[r][text] * size))
        else:
            saving.append(0.0)


def _pair_punctuation(it: Items, size: float) -> None:
    """Set one mark of each adjacent pair half-width: the first (。” ）、 ”， ”“), or the
    second when both open (“《), so that no mark is pulled left over the one before it.
    Only closing marks stay squeezable by the line breaker: a squeezed opening mark moves
    its ink left, over the mark or column edge before it."""
    n = len(it)
    it.paired = [False] * n
    for i in range(n - 1):
        if it.kind[i] != cc.PUNCT or it.kind[i + 1] != cc.PUNCT:
            continue
        both_open = it.text[i] in cc.OPENING_MARKS and it.text[i + 1] in cc.OPENING_MARKS
        k = i + 1 if both_open else i
        after_half = k > 0 and it.paired[k - 1] and it.text[k] in cc.OPENING_MARKS
        if not it.paired[k] and not after_half and it.saving[k] > 0:
            it.adv[k] -= it.saving[k]
            it.paired[k] = True
    for i in range(n):
        if it.paired[i] or it.text[i] not in cc.SQUEEZABLE:
            it.saving[i] = 0.0


def _gaps_and_breaks(it: Items, size: float) -> None:
    n = len(it)
    it.gap = [0.0] * n
    it.breakable = [False] * (n + 1)
    it.breakable[n] = True
    quarter = AUTOSPACE_EM * size
    t, k, gap, breakable, may_break = it.text, it.kind, it.gap, it.breakable, cc.may_break
    for i in range(1, n):
        if k[i - 1] != k[i] and cc.needs_autospace(k[i - 1], t[i - 1], k[i], t[i]):
            gap[i] = quarter
        breakable[i] = may_break(t[i - 1], k[i - 1], t[i], k[i])
