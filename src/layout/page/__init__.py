"""Stage 3: layout decisions for whole pages: grid modules, placement, line grid, overset.

A page is a grid of basic columns x body lines. Every element (banner, photo group, story
modules with their headline sets, body columns and figures) gets a rectangle on that grid before
WeasyPrint paints anything, so nothing can overflow or overlap unseen.
"""
from .plan import Box, ColumnBox, PagePlan, PlacedFigure, StoryModule, TextBlock
from .placement import plan_issue

__all__ = ["Box", "ColumnBox", "PagePlan", "PlacedFigure", "StoryModule", "TextBlock", "plan_issue"]
