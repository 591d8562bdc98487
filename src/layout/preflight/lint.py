"""Preflight stage: editorial lint of every text field, located by line (see `layout.lint`)."""
from __future__ import annotations

from ..errors import Finding
from ..lint import lint_slip_severity, lint_text
from ..source import Source
from .texts import text_fields


def check_text(source: Source) -> list[Finding]:
    """One finding per slip: half-width punctuation, unbalanced marks, doubled words..."""
    findings = []
    for field in text_fields(source):
        for slip in lint_text(field.text):
            findings.append(Finding(slip.message, source.label,
                                    source.line_of_text(field.key, slip.offset), field.key,
                                    lint_slip_severity(slip.kind), "text"))
    return findings
