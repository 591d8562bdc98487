"""Layout decisions: editors' layout hints the page cannot honour, as located errors.

A hint is never changed silently: a `span` or a 破栏 `measure` wider than the grid or too narrow
for the story's figures, or a page that cannot be composed as a mosaic with its hinted spans,
measures and pins (the page is then stacked in bands, which ignores them), is an error at the
hint's key. Pins the mosaic cannot keep are explained in pins.py.
"""
from __future__ import annotations

from ..errors import Finding
from ..model import Page
from ..theme import Grid


def usable_span(story, grid: Grid) -> int:
    """The story's `span` hint if the grid can honour it, else 0 (reported by span_findings)."""
    return story.span if 1 <= story.span <= grid.columns else 0


def usable_measure(story, grid: Grid) -> tuple[int, int] | None:
    """The story's 破栏 measure (basic, text columns) if the grid is that wide, else None."""
    measure = story.columns_measure
    return measure if measure and measure[0] <= grid.columns else None


def span_findings(page: Page, key: str, grid: Grid) -> list[Finding]:
    out = []
    for s, story in enumerate(page.stories):
        if story.span and not usable_span(story, grid):
            out.append(Finding(f"span {story.span} cannot be honoured: the grid has {grid.columns} basic columns",
                               key=f"{key}.stories[{s}].span", kind="layout"))
        if story.columns_measure and not usable_measure(story, grid):
            out.append(Finding(f"measure {story.measure} cannot be honoured: the grid has {grid.columns} "
                               f"basic columns", key=f"{key}.stories[{s}].measure", kind="layout"))
    return out


def banded_findings(page: Page, key: str, grid: Grid, top: int) -> list[Finding]:
    """Errors for the measures and pins of a page stacked in bands (each story across the page
    in basic columns, one under the other), which cannot keep them."""
    why = "the page's modules cannot be composed in its type area (it is stacked in bands)"
    out = []
    for s, story in enumerate(page.stories):
        if usable_measure(story, grid) or story.wide_intro:
            out.append(Finding(f"measure {story.measure} cannot be honoured: {why}; change or remove it",
                               key=f"{key}.stories[{s}].measure", kind="layout"))
        if story.at and story.at[0] <= grid.columns and top < story.at[1] <= grid.lines:
            out.append(Finding(f"no composition puts this story at column {story.at[0]}, line "
                               f"{story.at[1]}: {why}", key=f"{key}.stories[{s}].at", kind="layout"))
    return out


def unkept_span_findings(page: Page, key: str, grid: Grid) -> list[Finding]:
    """Errors for every usable span hint of a page that could not be composed with them."""
    return [Finding(f"span {story.span} cannot be honoured: the page's modules cannot be composed "
                    f"with this story {story.span} columns wide (no story may be wider than the "
                    f"lead, and the modules must fill the page without holes); change or remove it",
                    key=f"{key}.stories[{s}].span", kind="layout")
            for s, story in enumerate(page.stories) if usable_span(story, grid)]
