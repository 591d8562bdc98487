"""Layout decisions: flowing a story's composed lines into its body columns.

Columns are filled top to bottom, left to right; a paragraph that does not end in a column
continues at the top of the next one. Each column holds exactly the lines it was given.
A paragraph's bold lead-in (and a brief's run-in headline) is kept with its paragraph's column:
no column ends inside the lead-in or right after it (kept_breaks), as the conventions ask.
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


def kept_breaks(paragraphs: list[Paragraph], skip: int = 0) -> frozenset[int]:
    """Line numbers (counted from the first line placed, after `skip`) before which no column
    may break: the lines of a lead-in after its first, and the line right after the lead-in,
    when the paragraph goes on (a lead-in never alone at a column's foot)."""
    kept, start = set(), -skip
    for paragraph in paragraphs:
        ends = _lead_in_end(paragraph)
        if ends is not None:
            last = min(ends + 1, len(paragraph.lines) - 1)
            kept.update(start + j for j in range(1, last + 1) if start + j > 0)
        start += len(paragraph.lines)
    return frozenset(kept)


def _lead_in_end(paragraph: Paragraph) -> int | None:
    """The index of the line on which the paragraph's lead-in ends, None without one."""
    if not paragraph.runs or paragraph.runs[0].css_class != "lead":
        return None
    length, seen = len(paragraph.runs[0].text.rstrip()), 0
    for index, line in enumerate(paragraph.lines):
        seen += len(line.text)
        if seen >= length:
            return index
    return len(paragraph.lines) - 1


def balanced_capacities(total: int, full: list[int], kept: frozenset[int] = frozenset()) -> list[int]:
    """Take the slack evenly from the bottoms of the text columns, one line at a time from the
    right, so that no column ends more than a line or so short of the others; a text too short
    for that (it would leave a column of STUB_LINES or fewer before its last) fills the first
    columns instead, the last ones left white. A column that would end before a `kept` line
    ends a little lower or higher (_keep); if that overfills the last column, the result's last count exceeds its room
    (kept_fits is False): that height cannot keep the lead-ins."""
    balanced = _keep(_balanced(total, full), full, kept)
    filled = [n for n in balanced if n > 0]
    if any(n <= STUB_LINES for n in filled[:-1]):
        return _keep(_in_order(total, full), full, kept)
    return balanced


def kept_fits(lines: list[int], full: list[int]) -> bool:
    return all(n <= f for n, f in zip(lines, full))


def _keep(counts: list[int], full: list[int], kept: frozenset[int]) -> list[int]:
    """Move each column's foot off kept lines: down (the column takes the kept lines, if it has
    room) or up (they go to the next column), whichever moves fewer lines; lines pushed past a
    full column go on to the next."""
    counts = list(counts)
    end = 0
    for i in range(len(counts) - 1):
        end += counts[i]
        if counts[i] > 0 and end in kept:
            down, up = end, end
            while down in kept:
                down += 1
            while up in kept:
                up -= 1
            if down - end <= end - up and counts[i] + down - end <= full[i] and counts[i + 1] >= down - end:
                counts[i], counts[i + 1] = counts[i] + down - end, counts[i + 1] - (down - end)
                end = down
            else:
                move = min(end - up, counts[i])
                counts[i], counts[i + 1] = counts[i] - move, counts[i + 1] + move
                end -= move
        if counts[i + 1] > full[i + 1] and i + 2 < len(counts):
            counts[i + 2] += counts[i + 1] - full[i + 1]
            counts[i + 1] = full[i + 1]
    return counts


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
