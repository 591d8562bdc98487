"""Page render stage: one complete HTML document per page (stages 4-5 for a single page).

The same context and templates as the whole issue (`context.compose_context`, `html`), with the
page's plan alone, so the running header's 第N版 and section come from that plan. The template
environment is built once per theme; prepared photos are looked up once per source file state,
so a warm process (the proof server) re-composes an edited issue in milliseconds.
"""
from __future__ import annotations

from pathlib import Path

from markupsafe import Markup

from ..context import compose_context
from ..errors import Finding
from ..files import identity
from ..html import template_environment
from ..images import Busy, ImageProblem, prepare_image
from ..page import PagePlan

_PREPARED: dict[tuple, str] = {}


def page_html(env, context: dict, css: str | None = None) -> str:
    """The page's HTML document, as `html.render_html` makes it, from an existing environment.

    `css` is the theme's stylesheet when already rendered for this issue (it does not depend on
    the page)."""
    css = env.get_template("page.css.j2").render(context) if css is None else css
    return env.get_template("issue.html.j2").render(context, css=Markup(css))


def issue_css(env, context: dict) -> str:
    return env.get_template("page.css.j2").render(context)


_ENVIRONMENTS: dict[Path, object] = {}


def environment_for(theme):
    """The theme's template environment (templates reload when their files change)."""
    if theme.folder not in _ENVIRONMENTS:
        _ENVIRONMENTS[theme.folder] = template_environment(theme)
    return _ENVIRONMENTS[theme.folder]


def page_htmls(issue, theme, fonts, plans: list[PagePlan], images: dict[str, str], *,
               press: bool = False) -> list[str]:
    """One HTML document per page plan (`press`: the print version's)."""
    env = environment_for(theme)
    return [page_html(env, compose_context(issue, theme, fonts, [plan], images, press=press)) for plan in plans]


def prepare_photos(plans: list[PagePlan], cache: Path, ppi: int = 300) -> tuple[dict[str, str], list[Finding]]:
    """`pipeline.prepare_photos`, remembering each result per source file (its identity: a batch
    worker's hard links to one photo are one) and frame in this process.
    A photo that another process is preparing for the same frame now (an issue sharing it,
    rendered by another `layout render`, or by the old pool's workers of bench/bench_render.py; a
    batch's plan tasks have photo tasks instead: `cluster_photos`) is left for last: by then it
    is usually made."""
    return prepare_figures(figures_of(plans), cache, ppi)


def figures_of(plans: list[PagePlan]) -> list:
    """Every placed photo of the plans, page by page."""
    return [figure for plan in plans for figure in [*plan.photos, *(f for m in plan.modules for f in m.figures)]]


def prepare_figures(figures: list, cache: Path, ppi: int = 300) -> tuple[dict[str, str], list[Finding]]:
    """`prepare_photos` for these figures."""
    urls, findings, later = {}, [], []
    for figure in figures:
        if not _prepare(figure, urls, findings, ppi, cache, wait=False):
            later.append(figure)
    for figure in later:
        _prepare(figure, urls, findings, ppi, cache, wait=True)
    return urls, findings


def _prepare(figure, urls: dict[str, str], findings: list[Finding], ppi: int, cache: Path, wait: bool) -> bool:
    """Prepare one figure's photo into `urls` (or its problem into `findings`); False when
    `wait` is off and another process is preparing it."""
    try:
        urls[figure.key] = _prepared_url(figure.source, figure.image.w, figure.image.h, ppi, cache,
                                         figure.focus, figure.region, wait)
    except Busy:
        return False
    except ImageProblem as exc:
        findings.append(Finding(str(exc), key=f"{figure.key}.image", kind="image"))
    return True


def _prepared_url(source: Path, width: float, height: float, ppi: int, cache: Path,
                  focus=None, region=None, wait: bool = True) -> str:
    try:
        state = (identity(source), round(width, 2), round(height, 2), ppi, str(cache), focus, region)
    except OSError:
        state = None
    if state in _PREPARED and Path(_PREPARED[state][7:]).exists():
        return _PREPARED[state]
    prepared = prepare_image(source, placed_width=width, placed_height=height, target_ppi=ppi, cache_dir=cache,
                             focus=focus, region=region, wait=wait)
    url = prepared.path.resolve().as_uri()
    if state is not None:
        _PREPARED[state] = url
    return url
