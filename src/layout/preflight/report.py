"""Preflight stage: the report, its text and JSON forms, and the exit code."""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from ..errors import Finding, Severity

ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.NOTE: 2}


@dataclass
class Report:
    """Every finding of one preflight, plus the page count (None when layout did not run)."""

    issue: str
    findings: list[Finding] = field(default_factory=list)
    pages: int | None = None

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)

    def exit_code(self, strict: bool = False) -> int:
        """0 when clean, 1 on errors (and on warnings with `strict`)."""
        failing = self.count(Severity.ERROR) + (self.count(Severity.WARNING) if strict else 0)
        return 1 if failing else 0

    def sorted(self) -> list[Finding]:
        """By file and line, in the order an editor reads the issue file."""
        return sorted(self.findings, key=lambda f: (f.file, f.line or 0, f.key, ORDER[f.severity]))

    def summary(self) -> dict:
        return {"pages": self.pages, "errors": self.count(Severity.ERROR),
                "warnings": self.count(Severity.WARNING), "notes": self.count(Severity.NOTE)}

    def as_json(self) -> str:
        data = {"issue": self.issue, "findings": [f.as_dict() for f in self.sorted()],
                "summary": self.summary()}
        return json.dumps(data, ensure_ascii=False, indent=2)

    def lines(self) -> list[str]:
        """The report as text: one line per finding, then the summary line."""
        return [format_finding(f) for f in self.sorted()] + [self.summary_line()]

    def summary_line(self) -> str:
        s = self.summary()
        pages = f"{_plural(s['pages'], 'page')}; " if s["pages"] is not None else ""
        return (f"{self.issue}: {pages}{_plural(s['errors'], 'error')}, "
                f"{_plural(s['warnings'], 'warning')}, {_plural(s['notes'], 'note')}")


def format_finding(finding: Finding) -> str:
    """`file:line: severity: key: message`, the way compilers print diagnostics."""
    place = finding.file + (f":{finding.line}" if finding.line is not None else "")
    parts = [p for p in (place, finding.severity.value, finding.key) if p]
    return ": ".join(parts + [finding.message])


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")
