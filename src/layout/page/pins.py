"""Layout decisions: editors' pins, `at: [column, line]` on a story.

A pin puts the top-left corner of the story's module at basic column `column` and line `line`
of the page's grid, both counted from 1 at the type area's top-left corner (the banner's lines
count: under a banner the first module starts on line banner_lines + 2). The other modules are
composed around it by the same search (search.py keeps only the partitions that put it there).
A pin no composition can keep is a located error saying why, never a silent move; the page is
then composed without it, so the rest can still be proofed.
"""
from __future__ import annotations

from typing import Callable

from ..errors import Finding, Severity
from ..model import Page
from ..theme import Grid
from .search import Composition
from .variants import Variants

Pins = dict[str, tuple[int | None, int | None]]     # item key -> (column, row) from 0


def page_pins(page: Page, key: str, grid: Grid, top: int) -> tuple[Pins, list[Finding]]:
    """The page's pins as (column, row under the banner) from 0, by story key, and an error for
    each pin off the grid or on the banner (those are left out)."""
    pins, findings = {}, []
    for s, story in enumerate(page.stories):
        if story.at is None:
            continue
        column, line = story.at
        why = _off_grid(column, line, grid, top, story.span)
        if why:
            findings.append(_finding(f"{key}.stories[{s}]", column, line, why))
        else:
            pins[f"{key}.stories[{s}]"] = (column - 1, line - 1 - top)
    return pins, findings


def _off_grid(column: int, line: int, grid: Grid, top: int, span: int) -> str:
    if column > grid.columns:
        return f"the grid has {grid.columns} basic columns"
    if span and column + span - 1 > grid.columns:
        return f"with span {span} it would run past column {grid.columns}"
    if line > grid.lines:
        return f"the page has {grid.lines} lines"
    if line <= top:
        return f"lines 1-{top} hold the banner; modules start on line {top + 1} or below"
    return ""


def unkept_pin_findings(pins: Pins, items: list[Variants], top: int, columns: int,
                        compose: Callable[[Pins], Composition | None]) -> list[Finding]:
    """Why each pin fails, once the page composes without its pins: `compose(pins)` composes
    the page keeping only the pins given; pins are tried in order, each with those kept."""
    findings, kept = [], {}
    by_key = {item.key: item for item in items}
    for key, pin in pins.items():
        if compose({**kept, key: pin}) is not None:
            kept[key] = pin
            continue
        why = _why(key, pin, by_key[key], top, columns, compose, kept)
        findings.append(_finding(key, pin[0] + 1, pin[1] + 1 + top, why))
    return findings


def _why(key: str, pin: tuple[int, int], item: Variants, top: int, columns: int, compose,
         kept: Pins) -> str:
    column, row = pin
    if kept and compose({key: pin}) is not None:
        return f"it cannot be kept together with the pin of {', '.join(k + '.at' for k in kept)}"
    if item.rank == 0:
        return f"the lead (头条) opens the page at its top left, column 1, line {top + 1}"
    narrowest = min((s for s in item.spans if item.table(s)), default=0)
    if narrowest and column + narrowest > columns:
        return (f"its narrowest module is {narrowest} columns wide; from column {column + 1} "
                f"it would run past column {columns}")
    if compose({key: (column, None)}) is None:
        return ("no module of it can start at that column: the stories before it in reading "
                "order cannot fill the columns to its left without holes")
    if compose({key: (None, row)}) is None:
        return ("no tier of modules can start on that line: the modules above it, in whole "
                "lines of their stories and a line between tiers, cannot end just above it")
    return "it can start at that column, and on that line, but not at both at once"


def pinned_white(pins: Pins, unkept: list[Finding], composition: Composition, key: str) -> list[Finding]:
    """A warning when the pins kept leave white at the foot of modules (a module shorter than
    the others of its tier, so that a pinned one can start lower)."""
    if not pins or unkept or not composition.white:
        return []
    return [Finding(f"the pins ({', '.join(k + '.at' for k in pins)}) leave {composition.white} empty "
                    f"column-lines at the foot of modules; move or remove them to close the gap",
                    key=key, severity=Severity.WARNING, kind="layout")]


def _finding(key: str, column: int, line: int, why: str) -> Finding:
    return Finding(f"no composition puts this story at column {column}, line {line}: {why}",
                   key=f"{key}.at", kind="layout")
