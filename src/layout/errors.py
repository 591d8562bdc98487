"""Located problems: content errors and preflight findings, reported as `file:line: key: message`.

Every stage reports problems in the editor's terms: which file, which line, which key of the
issue file, and what is wrong.  Errors are collected and raised together once per stage.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Severity(str, Enum):
    """How bad a finding is, in the words of the report: error, warning, note."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"
    INFO = "note"        # the former name of NOTE (an alias: the same member)

    @classmethod
    def _missing_(cls, value):
        """'info', the former value, read back from page caches written before: a note."""
        return cls.NOTE if value == "info" else None


@dataclass(frozen=True)
class Finding:
    """One located problem in the content, the theme or the output."""

    message: str
    file: str = ""
    line: int | None = None
    key: str = ""
    severity: Severity = Severity.ERROR
    kind: str = "content"

    def __str__(self) -> str:
        place = self.file
        if self.line is not None:
            place = f"{place}:{self.line}"
        parts = [p for p in (place, self.key) if p]
        return ": ".join(parts + [self.message])

    def as_dict(self) -> dict:
        return {
            "severity": self.severity.value, "kind": self.kind, "file": self.file,
            "line": self.line, "key": self.key, "message": self.message,
        }


class LayoutError(Exception):
    """A problem that stops a command: carries every finding collected so far."""

    def __init__(self, findings: list[Finding] | Finding | str):
        if isinstance(findings, str):
            findings = [Finding(findings)]
        elif isinstance(findings, Finding):
            findings = [findings]
        self.findings: list[Finding] = list(findings)
        super().__init__("\n".join(str(f) for f in self.findings))


@dataclass
class Collector:
    """Collects findings during a stage; `raise_if_errors()` stops the stage once."""

    findings: list[Finding] = field(default_factory=list)

    def add(self, message: str, *, file: str = "", line: int | None = None, key: str = "",
            severity: Severity = Severity.ERROR, kind: str = "content") -> None:
        self.findings.append(Finding(message, file, line, key, severity, kind))

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]

    def raise_if_errors(self) -> None:
        if self.errors:
            raise LayoutError(self.errors)


def plural(n: int, word: str) -> str:
    """`1 page`, `2 pages`: a count in words, for messages."""
    return f"{n} {word}" + ("" if n == 1 else "s")
