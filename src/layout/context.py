"""Stage 4: the template context: plain values the Jinja2 templates paint, nothing to decide.

The context carries the content (always as text: templates autoescape it), the grid, the font
families of each role and the colours. Image sources are `file:` URLs inside the issue folder.
"""
from __future__ import annotations

from pathlib import Path

from .fonts import FontFile
from .model import Figure, Issue, Page, Story
from .theme import Theme

WEEKDAYS = "一二三四五六日"


def date_text(issue: Issue) -> str:
    d = issue.date
    return f"{d.year}年{d.month}月{d.day}日 星期{WEEKDAYS[d.weekday()]}"


def compose_context(issue: Issue, theme: Theme, fonts: dict[str, FontFile]) -> dict:
    """Everything the page templates need, as plain values."""
    return {
        "issue": {"paper": issue.paper, "title": issue.title, "label": issue.label,
                  "date": date_text(issue), "slug": issue.slug},
        "pages": [_page(issue, page, number) for number, page in enumerate(issue.pages, 1)],
        "grid": theme.grid,
        "sizes": theme.sizes,
        "colours": theme.colours,
        "fonts": {role: f.family for role, f in fonts.items()},
        "font_faces": [f for f in fonts.values() if f.dropped_in],
    }


def _page(issue: Issue, page: Page, number: int) -> dict:
    return {
        "number": number,
        "section": page.section or issue.label,
        "editor": page.editor,
        "banner": page.banner.model_dump() if page.banner else None,
        "photos": [_figure(issue.folder, f) for f in page.photos],
        "stories": [_story(issue.folder, s, lead=(i == 0)) for i, s in enumerate(page.stories)],
    }


def _story(folder: Path, story: Story, lead: bool) -> dict:
    return {
        "lead": lead,
        "headline": story.headline, "kicker": story.kicker, "subhead": story.subhead,
        "byline": story.byline,
        "paragraphs": [{"lead": p.lead, "text": p.text} for p in story.paragraphs],
        "figures": [_figure(folder, f) for f in story.figures],
    }


def _figure(folder: Path, figure: Figure) -> dict:
    return {"src": (folder / figure.image).resolve().as_uri(), "caption": figure.caption,
            "credit": figure.credit}
