"""Layout decisions: editors' layout hints the page cannot honour, as located errors.

A hint is never changed silently: a `span` wider than the grid or too narrow for the story's
figures, or a page that cannot be composed as a mosaic with its hinted spans (the page is then
stacked in bands, which ignores them), is an error at the hint's key.
"""
from __future__ import annotations

from ..errors import Finding
from ..model import Page
from ..theme import Grid


def usable_span(story, grid: Grid) -> int:
    """The story's `span` hint if the grid can honour it, else 0 (reported by span_findings)."""
    return story.span if 1 <= story.span <= grid.columns else 0


def span_findings(page: Page, key: str, grid: Grid) -> list[Finding]:
    out = []
    for s, story in enumerate(page.stories):
        if story.span and not usable_span(story, grid):
            out.append(Finding(f"span {story.span} cannot be honoured: the grid has {grid.columns} basic columns",
                               key=f"{key}.stories[{s}].span", kind="layout"))
    return out


def unkept_span_findings(page: Page, key: str, grid: Grid) -> list[Finding]:
    """Errors for every usable span hint of a page that could not be composed with them."""
    return [Finding(f"span {story.span} cannot be honoured: the page's modules cannot be composed "
                    f"with this story {story.span} columns wide (no story may be wider than the "
                    f"lead, and the modules must fill the page without holes); change or remove it",
                    key=f"{key}.stories[{s}].span", kind="layout")
            for s, story in enumerate(page.stories) if usable_span(story, grid)]
