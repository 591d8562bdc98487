"""Page render stage: one issue, page by page, into one PDF.

The issue is planned as a whole (stage 3), then every page gets its own complete HTML (its plan
alone: the running header's 第N版 comes from the plan) and a key (`keys.page_key`). Pages whose
key is in the page cache are reused; the others are rendered in chunks across the worker pool.
The cached one-page PDFs are then combined into `<slug>.pdf`, written atomically.

The print version (`render --print`) goes the same way with print as options: each page's HTML
is the print version's (CMYK colours, output intent, bleed), its pages are written as PDF/X-4
(so keyed apart from the screen pages by their HTML and their write options), and the combined
file is finished for press (`press.finish_for_press`) before it is put in place as
`<slug>-print.pdf`.
"""
from __future__ import annotations

import functools
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..context import compose_context
from ..errors import Finding, LayoutError, Severity
from .. import theme as themes
from ..fonts import resolve_fonts
from ..html import render_html
from ..model import Issue, load_issue
from ..page import PagePlan, plan_issue
from ..render import write_atomically
from ..theme import load_theme
from .cache import PageCache, PageEntry
from .chunk import PageJob, render_chunk
from .combine import combine_pages
from .output import write_file
from .compose import page_htmls, prepare_photos
from .keys import env_cache_dir, issue_key, page_key
from .pool import RenderPool, chunks, peak_rss_mb

ISSUE_KEY = "/LayoutIssueKey"
PRINT_SUFFIX = "-print"     # the print PDF is <slug>-print.pdf: never overwritten by the screen PDF
PRINT_OPTIONS = {"pdf_variant": "pdf/x-4"}


@dataclass
class ComposedIssue:
    """An issue planned and turned into one HTML document per page, each with its key."""

    issue: Issue
    plans: list[PagePlan]
    jobs: list[PageJob]
    findings: list[Finding]
    whole_html: object = None        # callable giving the whole issue's HTML (for --html)
    font_files: list[Path] = field(default_factory=list)   # the theme's roles' font files (in page keys)
    press_theme: object = None       # the theme, for the print version (render --print)

    @property
    def key(self) -> str:
        return issue_key([job.key for job in self.jobs])


@dataclass
class PagedRender:
    """What rendering an issue page by page did."""

    issue: Issue
    plans: list[PagePlan]
    findings: list[Finding] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    page_count: int = 0
    rendered_pages: int = 0           # laid out now; the others came from the page cache
    skipped: bool = False             # the PDF in OUT was already this issue's
    seconds: float = 0.0
    worker_rss_mb: dict[int, float] = field(default_factory=dict)
    whole_html: object = None         # callable: the whole issue's HTML, as one document

    @property
    def html(self) -> str:
        return self.whole_html()

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]


@dataclass
class PlannedIssue:
    """An issue loaded, checked and planned: what its photos are prepared for."""

    issue: Issue
    theme: object
    fonts: dict
    plans: list[PagePlan]


def plan_pages(folder: Path) -> PlannedIssue:
    """Load, check and plan the issue in `folder`. Raises LayoutError."""
    issue = load_issue(folder)
    theme = load_theme(issue.theme)
    fonts = resolve_fonts(theme)
    return PlannedIssue(issue, theme, fonts, plan_issue(issue, theme, fonts))


def compose_issue(folder: Path, cache_dir: Path, *, press: bool = False) -> ComposedIssue:
    """Load, check, plan and prepare photos; one PageJob per page (`press`: of the print version).
    Raises LayoutError."""
    planned = plan_pages(folder)
    images, image_findings = prepare_photos(planned.plans, cache_dir / "images", planned.theme.print.image_ppi)
    return compose_planned(planned, cache_dir, images, image_findings, press=press)


def compose_planned(planned: PlannedIssue, cache_dir: Path, images: dict[str, str], image_findings: list[Finding],
                    *, press: bool = False) -> ComposedIssue:
    """One PageJob per page of a planned issue whose photos are prepared (`images`: figure key ->
    URL; `image_findings`: the problems of those that could not be). Raises LayoutError."""
    from ..pipeline import _located, glyph_errors
    issue, theme, fonts, plans = planned.issue, planned.theme, planned.fonts, planned.plans
    findings = [*theme.findings,
                *_located([f for plan in plans for f in plan.findings] + image_findings, issue)]
    findings += glyph_errors(issue, fonts)
    if any(f.severity is Severity.ERROR for f in findings):
        raise LayoutError([f for f in findings if f.severity is Severity.ERROR])
    roots = [issue.folder, theme.folder, themes.FONTS_DIR, cache_dir, *{f.path.parent for f in fonts.values()}]
    roots += [theme.print.icc_profile.resolve().parent] if press else []
    font_files = [f.path for f in fonts.values()]
    options = dict(PRINT_OPTIONS) if press else {}
    jobs = [PageJob(page_key(html, fonts=font_files, options=options), plan.number, html,
                    f"{issue.slug}.html#page-{plan.number}", theme.folder, roots, options)
            for plan, html in zip(plans, page_htmls(issue, theme, fonts, plans, images, press=press))]
    whole = lambda: render_html(compose_context(issue, theme, fonts, plans, images, press=press), theme)  # noqa: E731
    return ComposedIssue(issue, plans, jobs, findings, whole, font_files, theme if press else None)


def render_pages(jobs: list[PageJob], cache: PageCache, pool: RenderPool) -> tuple[list[PageEntry], int, dict]:
    """Entries for every job, in order: cached ones reused, the rest rendered in chunks."""
    entries = {job.key: cache.get(job.key) for job in jobs}
    missing = list({job.key: job for job in jobs if entries[job.key] is None}.values())
    peaks: dict[int, float] = {}
    for rendered, pid, peak in pool.map(_render_chunk, [(part, cache.folder) for part in chunks(missing, pool.workers)]):
        entries.update((entry.key, entry) for entry in rendered)
        peaks[pid] = max(peak, peaks.get(pid, 0.0))
    return [entries[job.key] for job in jobs], len(missing), peaks


def _render_chunk(jobs: list[PageJob], cache_dir: Path) -> tuple[list[PageEntry], int, float]:
    return render_chunk(jobs, cache_dir), os.getpid(), peak_rss_mb()


def write_issue(folder: Path, out_dir: Path, *, pool: RenderPool | None = None, cache_dir: Path | None = None,
                html: bool = False, skip_unchanged: bool = False, name: str | None = None,
                press: bool = False, approve=None) -> PagedRender:
    """Render `folder` page by page to `out_dir/<name>.pdf` (name: the slug unless given; `press`:
    the print version, `<name>-print.pdf`), and with `html` each page's HTML as WeasyPrint gets
    it, `<name>-p<N>.html`. `approve(composed)`, called before any page is laid out, returns the
    findings to report (or raises LayoutError to write nothing). Raises LayoutError."""
    started = time.perf_counter()
    cache_dir = Path(cache_dir or env_cache_dir())
    composed = compose_issue(folder, cache_dir, press=press)
    findings = approve(composed) if approve is not None else composed.findings
    result = PagedRender(composed.issue, composed.plans, list(findings), page_count=len(composed.jobs),
                         whole_html=functools.cache(composed.whole_html))
    pdf = Path(out_dir) / f"{name or composed.issue.slug}{PRINT_SUFFIX if press else ''}.pdf"
    if html:
        for job in composed.jobs:
            path = pdf.with_name(f"{pdf.stem}-p{job.number}.html")
            write_atomically(path, lambda tmp, text=job.html: tmp.write_text(text, encoding="utf-8"))
            result.written.append(path)
    if skip_unchanged and written_key(pdf) == composed.key:
        result.skipped = True
    else:
        _render_and_combine(composed, pdf, pool or RenderPool(1), PageCache(cache_dir / "pages"), result)
    result.written.append(pdf)
    result.seconds = time.perf_counter() - started
    return result


def _render_and_combine(composed: ComposedIssue, pdf: Path, pool: RenderPool, cache: PageCache,
                        result: PagedRender) -> None:
    entries, result.rendered_pages, result.worker_rss_mb = render_pages(composed.jobs, cache, pool)
    from ..pipeline import _located
    laid_out = _located([f for entry in entries for f in entry.findings], composed.issue)
    result.findings += laid_out
    if any(f.severity is Severity.ERROR for f in laid_out):      # (check's errors were approved: --force)
        raise LayoutError([f for f in laid_out if f.severity is Severity.ERROR])
    info = {ISSUE_KEY[1:]: composed.key}
    try:
        write_file(pdf, lambda stream: _combine(entries, stream, info, composed.press_theme))
    except (OSError, ValueError) as exc:
        raise LayoutError(Finding(f"cannot write the PDF: {exc}", file=str(pdf), kind="render")) from None
    result.page_count = sum(1 for entry in entries for _ in [entry])


def _combine(entries: list[PageEntry], stream, info: dict, press_theme) -> None:
    """Combine the pages into `stream`; the print version is finished for press first, in a
    private temporary folder (never in OUT)."""
    if press_theme is None:
        combine_pages(entries, stream, info=info)
        return
    from .. import press
    with tempfile.TemporaryDirectory(prefix="layout-pdf-") as folder:
        path = Path(folder) / "print.pdf"
        combine_pages(entries, path, info=info)
        press.finish_for_press(path, press_theme.grid, press_theme.print.icc_profile)
        with open(path, "rb") as made:
            shutil.copyfileobj(made, stream)


def written_key(pdf: Path) -> str | None:
    """The issue key recorded in a PDF this stage wrote, if any."""
    import pikepdf
    try:
        with pikepdf.open(pdf) as document:
            value = document.docinfo.get(ISSUE_KEY)
            return str(value) if value is not None else None
    except (OSError, pikepdf.PdfError):
        return None


def render_issue_files(folder: Path, out_dir: Path, *, html: bool = False, jobs: int | None = None,
                       cache_dir: Path | None = None, name: str | None = None, press: bool = False,
                       approve=None) -> tuple[PagedRender, list[Path]]:
    """`pipeline.render_to_files`: page by page across `jobs` workers (see `write_issue`)."""
    with RenderPool(jobs or os.cpu_count() or 1) as pool:
        result = write_issue(folder, out_dir, pool=pool, cache_dir=cache_dir, html=html, name=name, press=press,
                             approve=approve)
    return result, result.written
