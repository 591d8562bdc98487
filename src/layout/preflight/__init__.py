"""Preflight stage: `layout check`: the report a print desk reads before a page goes to press.

    report = check_issue(Path("issues/2026-changzhi-lianghui"))
    print("\\n".join(report.lines())); sys.exit(report.exit_code(strict=False))

Findings, each with a severity, `file:line`, key path and a message an editor acts on:

- `text` (lint.py): editorial slips in every text field (`layout.lint`), warnings;
- `font` (fonts.py): characters only the fallback face has (note) or no face has (error);
  (faces.py): a role resolved to a face of a collection in fonts/ that is not its first (error);
- `image` (images.py): effective resolution at the placed size, colour mode, EXIF orientation;
- `layout`, `render` (layout.py): overset stories, underset pages, jumps and nearly empty jump
  pages, a banner its theme cuts off, WeasyPrint warnings, pages;
- `theme`: problems in theme.yaml (errors, `layout.theme`), theme colours whose screen and
  print values differ (warnings, `layout.colours`);
- `content`: whatever stops the issue from loading (then only text lint runs besides).
"""
from __future__ import annotations

from pathlib import Path

from ..errors import Finding, LayoutError
from ..fonts import resolve_fonts
from ..model import ISSUE_FILE, _label
from ..source import load_source
from ..theme import load_theme
from .faces import check_faces
from .fonts import check_fonts
from .images import check_images
from .layout import check_layout
from .lint import check_text
from .report import Report, format_finding

__all__ = ["Report", "check_issue", "format_finding"]


def check_issue(folder: Path, cache: Path | None = None) -> Report:
    """Preflight one issue folder: load, lint, lay out, and check fonts and photos."""
    from ..pipeline import CACHE_DIR, render_issue
    folder = Path(folder)
    label = _label(folder / ISSUE_FILE)
    report = Report(label)
    try:
        source = load_source(folder / ISSUE_FILE, label=label)
    except LayoutError as exc:
        report.findings += exc.findings
        return report
    report.findings += check_text(source)
    try:
        rendered = render_issue(folder, cache or CACHE_DIR)
        theme = load_theme(rendered.issue.theme)
        fonts = resolve_fonts(theme)
    except LayoutError as exc:
        report.findings += exc.findings
        return report
    report.pages = rendered.page_count
    found = check_fonts(source, fonts) + check_faces(theme, fonts) + check_images(
        rendered.plans, source, folder, theme.print.image_ppi)
    report.findings += _new(check_layout(rendered, label), found) + found
    return report


def _new(findings: list[Finding], found: list[Finding]) -> list[Finding]:
    """Drop a render finding the font or image checks report too (same key and message)."""
    seen = {(f.key, f.message) for f in found}
    return [f for f in findings if (f.key, f.message) not in seen]
