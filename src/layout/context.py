"""Stage 4: the template context: plain values the Jinja2 templates paint, nothing to decide.

The page plans (stage 3) say where everything goes; the context adds the running-header data,
the grid, font families and colours, and the prepared photo files. Content stays text (templates
autoescape it); composed lines are markup the composer escaped itself.
"""
from __future__ import annotations

from dataclasses import replace

from markupsafe import Markup

from .composer import COMPOSER_CSS
from .fonts import FontFile
from .furniture import running_head
from .model import Issue
from .page import PagePlan
from .theme import Theme

WEEKDAYS = "一二三四五六日"
DROPPED_IN = "LayoutFonts"      # suffix of the family name of a face from fonts/ in the CSS


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


def css_family(font: FontFile) -> str:
    """The family name the CSS asks for. A face from fonts/ is declared (@font-face) under a
    name of its own: WeasyPrint would otherwise print an installed font of the same family
    instead of the file the layout measured."""
    return f"{font.family} {DROPPED_IN}" if font.dropped_in else font.family


def compose_context(issue: Issue, theme: Theme, fonts: dict[str, FontFile], plans: list[PagePlan],
                    images: dict[str, str], *, press: bool = False) -> dict:
    """Everything the page templates need. `images` maps a figure key to its prepared file URL;
    `press` makes the print version (CMYK colours, output intent, bleed)."""
    return {
        "issue": {"paper": issue.paper, "title": issue.title, "label": issue.label,
                  "date": date_text(issue), "slug": issue.slug},
        "pages": plans,
        "heads": {plan.number: running_head(plan, issue.paper, date_text(issue), theme) for plan in plans},
        "head_style": theme.running_head,
        "images": images,
        "grid": theme.grid,
        "sizes": theme.sizes,
        "colours": css_colours(theme, press),
        "print": print_context(theme) if press else None,
        "fonts": {role: css_family(f) for role, f in fonts.items()},
        "weights": {role: 700 if f.bold else 400 for role, f in fonts.items()},
        "font_faces": list({(f.path, f.index, f.bold): replace(f, family=css_family(f))
                            for f in fonts.values() if f.dropped_in}.values()),
        "composer_css": Markup(COMPOSER_CSS),  # the composer's own stylesheet, not content
    }
