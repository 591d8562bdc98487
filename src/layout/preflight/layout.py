"""Preflight stage: what page layout and WeasyPrint noticed: overset stories, underset pages,
ignored CSS and other WeasyPrint warnings, and the page count."""
from __future__ import annotations

from ..errors import Finding
from ..pipeline import Rendered


def check_layout(rendered: Rendered, label: str) -> list[Finding]:
    """Plan and render findings (already located), plus the page count checked against the plan."""
    findings = [f if f.kind != "content" else _as_layout(f) for f in rendered.findings]
    planned, laid_out = len(rendered.plans), rendered.page_count
    if laid_out != planned:
        findings.append(Finding(
            f"WeasyPrint laid out {laid_out} pages for {planned} planned pages: "
            "something overflows its page", label, kind="layout"))
    return findings


def _as_layout(finding: Finding) -> Finding:
    """Plan findings carry the default kind: in the report they are layout findings."""
    return Finding(finding.message, finding.file, finding.line, finding.key, finding.severity,
                   "layout")

