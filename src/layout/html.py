"""Stage 5: Jinja2 HTML from the template context.

Templates autoescape everything: a headline containing `<script>` or `{{ x }}` prints as text.
Content is only ever a value in the context, never part of a template's source.
"""
from __future__ import annotations

import jinja2
from markupsafe import Markup

from .theme import Theme


def template_environment(theme: Theme) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(theme.folder),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_html(context: dict, theme: Theme) -> str:
    """The complete HTML document (CSS inlined) handed to WeasyPrint."""
    env = template_environment(theme)
    css = env.get_template("page.css.j2").render(context)
    # the stylesheet is the theme's own (trusted) output, not content: mark it as such
    return env.get_template("issue.html.j2").render(context, css=Markup(css))
