"""The whole pipeline, stage after stage: issue folder -> PDF (and HTML, PNG proofs).

YAML -> model -> page plans -> prepared photos -> context -> HTML -> WeasyPrint document -> PDF.
Each stage lives in its own module; this one only strings them together for the commands.
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from .context import compose_context
from .errors import Finding, LayoutError, Severity
from .fonts import FONTS_DIR, resolve_fonts
from .html import render_html
from .images import ImageProblem, prepare_image
from .model import ISSUE_FILE, Issue, _label, load_issue
from .page import PagePlan, plan_issue
from .render import render_document, write_atomically, write_pdf
from .theme import load_theme

CACHE_DIR = Path(os.environ.get("LAYOUT_CACHE", Path.home() / ".cache" / "layout"))


@dataclass
class Rendered:
    """What a render produced: the plans, the HTML, the document, and the findings on the way."""

    issue: Issue
    plans: list[PagePlan]
    html: str
    document: object
    findings: list[Finding] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def page_count(self) -> int:
        return len(self.document.pages)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]


def prepare_photos(plans: list[PagePlan], cache: Path, ppi: int = 300) -> tuple[dict[str, str], list[Finding]]:
    """Crop and downsample every placed photo to its frame; map figure keys to file URLs."""
    urls, findings = {}, []
    for plan in plans:
        for figure in [*plan.photos, *(f for m in plan.modules for f in m.figures)]:
            try:
                prepared = prepare_image(figure.source, placed_width=figure.image.w,
                                         placed_height=figure.image.h, target_ppi=ppi, cache_dir=cache,
                                         focus=figure.focus, region=figure.region)
            except ImageProblem as exc:
                findings.append(Finding(str(exc), key=f"{figure.key}.image", kind="image"))
                continue
            urls[figure.key] = prepared.path.resolve().as_uri()
    return urls, findings


def render_issue(folder: Path, cache: Path = CACHE_DIR) -> Rendered:
    """Load, validate, plan and lay out one issue folder as one document (nothing is written but
    the cache): what `layout check` inspects."""
    started = time.perf_counter()
    issue = load_issue(folder)
    theme = load_theme(issue.theme)
    fonts = resolve_fonts(theme)
    plans = plan_issue(issue, theme, fonts)
    findings = [*theme.findings, *(f for plan in plans for f in plan.findings), *glyph_errors(issue, fonts)]
    images, image_findings = prepare_photos(plans, cache / "images", theme.print.image_ppi)
    findings += image_findings
    html = render_html(compose_context(issue, theme, fonts, plans, images), theme)
    roots = [issue.folder, theme.folder, FONTS_DIR, cache, *{f.path.parent for f in fonts.values()}]
    document, render_findings = render_document(html, base_url=theme.folder, roots=roots,
                                                label=f"{issue.slug}.html")
    findings += render_findings
    return Rendered(issue, plans, html, document, _located(findings, issue), time.perf_counter() - started)


def glyph_errors(issue: Issue, fonts: dict) -> list[Finding]:
    """Located errors for the characters no installed face of their role has: a render stops
    on them rather than print a .notdef box (see `preflight.fonts`)."""
    from .preflight.fonts import missing_glyphs
    return missing_glyphs(issue.folder, str(_relative(issue.folder / "issue.yaml")), fonts)


def _located(findings: list[Finding], issue: Issue) -> list[Finding]:
    """Give layout and image findings the issue file and the line of their key."""
    from .source import load_source
    source = None
    out = []
    for f in findings:
        if f.key and not f.file:
            source = source or load_source(issue.folder / "issue.yaml")
            f = Finding(f.message, str(_relative(issue.folder / "issue.yaml")), source.line_of(f.key),
                        f.key, f.severity, f.kind)
        out.append(f)
    return out


def _relative(path: Path) -> Path:
    try:
        return path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return path


def write_outputs(rendered: Rendered, out_dir: Path, *, html: bool = False, name: str | None = None) -> list[Path]:
    """Write `<name>.pdf` (and `<name>.html`) of a document rendered whole into out_dir, each
    atomically (the commands write page by page: `pagerender`)."""
    stem = name or rendered.issue.slug
    written = []
    if html:
        path = out_dir / f"{stem}.html"
        write_atomically(path, lambda tmp: tmp.write_text(rendered.html, encoding="utf-8"))
        written.append(path)
    pdf = out_dir / f"{stem}.pdf"
    rendered.findings += write_pdf(rendered.document, pdf)
    written.append(pdf)
    return written


def render_to_files(folder: Path, out_dir: Path, *, html: bool = False, press: bool = False,
                    jobs: int | None = None, name: str | None = None, force: bool = False):
    """Render one issue into out_dir; return what was rendered and the files written.

    Its findings are those `layout check` reports (editorial slips, glyph coverage, photo
    resolution) besides the render's own. The print version is refused while any of them is an
    error, unless `force`."""
    from .pagerender import render_issue_files
    if not press:   # screen version: page by page, in parallel, through the page cache
        rendered, written = render_issue_files(folder, out_dir, html=html, jobs=jobs, cache_dir=CACHE_DIR,
                                               name=name)
        rendered.findings = with_preflight(rendered.findings, rendered.issue, rendered.plans)
        return rendered, written
    rendered, written = render_issue_files(folder, out_dir, html=html, jobs=jobs, cache_dir=CACHE_DIR, name=name,
                                           press=True, approve=lambda composed: _approved_for_press(composed, force))
    rendered.findings = sorted(rendered.findings, key=_in_file_order)
    return rendered, written


def _approved_for_press(composed, force: bool) -> list[Finding]:
    """The print version's findings with check's; refused (before any page is laid out) while
    any is an error, unless `force`."""
    findings = with_preflight(composed.findings, composed.issue, composed.plans)
    errors = [f for f in findings if f.severity is Severity.ERROR]
    if errors and not force:
        count = f"{len(errors)} error" + ("" if len(errors) == 1 else "s")
        refusal = Finding(f"the print PDF is not written while errors remain ({count}); fix them, "
                          "or write it anyway with --force", file=_label(composed.issue.folder / ISSUE_FILE))
        raise LayoutError(errors + [refusal])
    return findings


def preflight_findings(issue: Issue, plans: list[PagePlan]) -> list[Finding]:
    """What `layout check` finds besides the render: slips in the text, characters no font has,
    and photos at their placed size."""
    from .preflight.fonts import check_fonts
    from .preflight.images import check_images
    from .preflight.lint import check_text
    from .source import load_source
    theme = load_theme(issue.theme)
    source = load_source(issue.folder / ISSUE_FILE, label=_label(issue.folder / ISSUE_FILE))
    return (check_text(source) + check_fonts(source, resolve_fonts(theme))
            + check_images(plans, source, issue.folder, theme.print.image_ppi))


def with_preflight(findings: list[Finding], issue: Issue, plans: list[PagePlan]) -> list[Finding]:
    """A render's findings and check's, each once, in the order of the issue file."""
    found = preflight_findings(issue, plans)
    seen = {(f.key, f.message) for f in found}
    merged = [f for f in findings if (f.key, f.message) not in seen] + found
    return sorted(merged, key=_in_file_order)


def _in_file_order(finding: Finding) -> tuple:
    return finding.file, finding.line or 0, finding.key


def output_names(folders: list[Path], *, by: str = "folder", suffix: str = ".pdf") -> dict[Path, str]:
    """The name of each issue's output files (by its folder's name, or by its path); two issues
    that would write the same file are refused before anything is written."""
    names: dict[Path, str] = {}
    owners: dict[str, Path] = {}
    clashes = []
    for folder in folders:
        if folder.resolve() in names:
            continue
        name = path_name(folder) if by == "path" else folder.resolve().name
        if name in owners:
            clashes.append(Finding(f"would write {name}{suffix} over the PDF of {owners[name]}; rename one "
                                   "of the folders, or name the files by path (--name-by path)", file=str(folder)))
        owners.setdefault(name, folder)
        names[folder.resolve()] = name
    if clashes:
        raise LayoutError(clashes)
    return names


def path_name(folder: Path) -> str:
    """A name made of the folder's path from the working folder: `a/issue` -> `a-issue`."""
    path = folder.resolve()
    try:
        parts = path.relative_to(Path.cwd().resolve()).parts
    except ValueError:
        parts = path.parts[1:]
    return "-".join(parts) or path.name
