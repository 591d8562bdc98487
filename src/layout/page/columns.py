"""Layout decisions: flowing a story's composed lines into its body columns.

Columns are filled top to bottom, left to right; a paragraph that does not end in a column
continues at the top of the next one. Each column holds exactly the lines it was given.
"""
from __future__ import annotations

from ..composer import Paragraph, lines_html
from .plan import ColumnBox, Fragment


def flow(paragraphs: list[Paragraph], columns: list[ColumnBox], capacities: list[int],
         skip: int = 0) -> int:
    """Fill `columns` (each up to its capacity) with the paragraphs' lines, starting `skip` lines
    in (a continuation); return the number of lines left over."""
    queue = []
    for paragraph in paragraphs:
        start = min(skip, len(paragraph.lines))
        skip -= start
        if start < len(paragraph.lines):
            queue.append((paragraph, start))
    for column, capacity in zip(columns, capacities):
        room = capacity
        while queue and room > 0:
            paragraph, start = queue[0]
            take = min(room, len(paragraph.lines) - start)
            html = lines_html(paragraph, start, start + take, newlines=True, indent=False)
            column.fragments.append(Fragment(html, take, start > 0,
                                             paragraph.indent if start == 0 else 0.0))
            room -= take
            if start + take == len(paragraph.lines):
                queue.pop(0)
            else:
                queue[0] = (paragraph, start + take)
    return sum(len(p.lines) - start for p, start in queue)


STUB_LINES = 4       # a column of this many lines or fewer, before a story's last, is a 碎栏


def balanced_capacities(total: int, full: list[int]) -> list[int]:
    """Take the slack evenly from the bottoms of the text columns, one line at a time from the
    right, so that no column ends more than a line or so short of the others; a text too short
    for that (it would leave a column of STUB_LINES or fewer before its last) fills the first
    columns instead, the last ones left white."""
    balanced = _balanced(total, full)
    filled = [n for n in balanced if n > 0]
    if any(n <= STUB_LINES for n in filled[:-1]):
        return _in_order(total, full)
    return balanced


def _in_order(total: int, full: list[int]) -> list[int]:
    out = []
    for capacity in full:
        out.append(min(capacity, total))
        total -= out[-1]
    return out


def _balanced(total: int, full: list[int]) -> list[int]:
    slack = sum(full) - total
    capacities = list(full)
    while slack > 0:
        candidates = [i for i, c in enumerate(capacities) if c > 0]
        if not candidates:
            break
        tallest = max(capacities[i] for i in candidates)
        for index in reversed(candidates):
            if slack and capacities[index] == tallest:
                capacities[index] -= 1
                slack -= 1
    return capacities
