"""The whole pipeline, stage after stage: issue folder -> PDF (and HTML, PNG proofs).

YAML -> model -> context -> HTML -> WeasyPrint document -> PDF. Each stage lives in its own
module; this one only strings them together for the commands.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from .context import compose_context
from .errors import Finding, LayoutError
from .fonts import FONTS_DIR, resolve_fonts
from .html import render_html
from .model import Issue, load_issue
from .render import render_document, write_atomically, write_pdf
from .theme import load_theme


@dataclass
class Rendered:
    """What a render produced: the document, its HTML, and the findings on the way."""

    issue: Issue
    html: str
    document: object
    findings: list[Finding] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def page_count(self) -> int:
        return len(self.document.pages)


def build_html(issue: Issue) -> tuple[str, list]:
    theme = load_theme(issue.theme)
    fonts = resolve_fonts(theme)
    context = compose_context(issue, theme, fonts)
    return render_html(context, theme), [issue.folder, theme.folder, FONTS_DIR,
                                         *{f.path.parent for f in fonts.values()}]


def render_issue(folder: Path) -> Rendered:
    """Load, validate, compose and lay out one issue folder (nothing is written)."""
    started = time.perf_counter()
    issue = load_issue(folder)
    theme = load_theme(issue.theme)
    html, roots = build_html(issue)
    document, findings = render_document(html, base_url=theme.folder, roots=roots,
                                         label=f"{issue.slug}.html")
    return Rendered(issue, html, document, findings, time.perf_counter() - started)


def write_outputs(rendered: Rendered, out_dir: Path, *, html: bool = False) -> list[Path]:
    """Write `<slug>.pdf` (and `<slug>.html`) into out_dir, each atomically."""
    slug = rendered.issue.slug
    written = []
    if html:
        path = out_dir / f"{slug}.html"
        write_atomically(path, lambda tmp: tmp.write_text(rendered.html, encoding="utf-8"))
        written.append(path)
    pdf = out_dir / f"{slug}.pdf"
    rendered.findings += write_pdf(rendered.document, pdf)
    written.append(pdf)
    return written


def render_to_files(folder: Path, out_dir: Path, *, html: bool = False) -> tuple[Rendered, list[Path]]:
    rendered = render_issue(folder)
    errors = [f for f in rendered.findings if f.severity.value == "error"]
    if errors:
        raise LayoutError(errors)
    return rendered, write_outputs(rendered, out_dir, html=html)
