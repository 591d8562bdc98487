"""Stage 4: the template context: plain values the Jinja2 templates paint, nothing to decide.

The page plans (stage 3) say where everything goes; the context adds the running-header data,
the grid, font families and colours, and the prepared photo files. Content stays text (templates
autoescape it); composed lines are markup the composer escaped itself.
"""
from __future__ import annotations

from markupsafe import Markup

from .composer import COMPOSER_CSS
from .fonts import FontFile
from .model import Issue
from .page import PagePlan
from .theme import Theme

WEEKDAYS = "一二三四五六日"


def date_text(issue: Issue) -> str:
    d = issue.date
    return f"{d.year}年{d.month}月{d.day}日 星期{WEEKDAYS[d.weekday()]}"


def css_colours(theme: Theme, press: bool) -> dict[str, dict]:
    """Each theme colour with `css`: its screen RGB, or `device-cmyk()` for the press."""
    out = {}
    for name, colour in theme.colours.items():
        cmyk = " ".join(f"{c:g}%" for c in colour["cmyk"])
        out[name] = {**colour, "css": f"device-cmyk({cmyk})" if press else colour["rgb"]}
    return out


def print_context(theme: Theme) -> dict:
    """What print.css.j2 needs: the output-intent profile and the media margin."""
    from .press import media_margin_mm
    return {"icc_profile": theme.print.icc_profile.resolve().as_uri(),
            "media_margin_mm": f"{media_margin_mm(theme.grid):g}"}


def compose_context(issue: Issue, theme: Theme, fonts: dict[str, FontFile], plans: list[PagePlan],
                    images: dict[str, str], *, press: bool = False) -> dict:
    """Everything the page templates need. `images` maps a figure key to its prepared file URL;
    `press` makes the print version (CMYK colours, output intent, bleed)."""
    return {
        "issue": {"paper": issue.paper, "title": issue.title, "label": issue.label,
                  "date": date_text(issue), "slug": issue.slug},
        "pages": plans,
        "images": images,
        "grid": theme.grid,
        "sizes": theme.sizes,
        "colours": css_colours(theme, press),
        "print": print_context(theme) if press else None,
        "fonts": {role: f.family for role, f in fonts.items()},
        "font_faces": [f for f in fonts.values() if f.dropped_in],
        "composer_css": Markup(COMPOSER_CSS),  # the composer's own stylesheet, not content
    }
