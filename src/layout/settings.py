"""Theme stage: the values of a settings file (`theme.yaml`), read by key path and checked.

Every problem is collected with its file, line and key, the way issue files are reported:

    templates/newspaper/theme.yaml:13: grid.columns: expected a whole number, got 'eight'

and `raise_if_errors()` stops once with all of them.
"""
from __future__ import annotations

import math

from .errors import Collector, Severity
from .source import Source

MISSING = object()


class Settings:
    """Typed access to a parsed settings file; problems are collected, not raised one by one."""

    def __init__(self, source: Source):
        self.source = source
        self.collector = Collector()
        self._reported: set[tuple[str, Severity]] = set()

    def problem(self, key: str, message: str, severity: Severity = Severity.ERROR) -> None:
        if (key, severity) in self._reported:
            return
        self._reported.add((key, severity))
        self.collector.add(message, file=self.source.label, line=self.source.line_of(key), key=key,
                           severity=severity, kind="theme")

    def raise_if_errors(self) -> None:
        """Stop with every error, in the order of the file's lines."""
        self.collector.findings.sort(key=lambda f: f.line or 0)
        self.collector.raise_if_errors()

    def value(self, key: str, default=MISSING):
        """The raw value at `key` (text, list or mapping); `default`, or a problem, when absent."""
        value, path = self.source.data, ""
        for part in key.split("."):
            if value == "" and path:        # `print:` with nothing under it: nothing set
                value = {}
            if not isinstance(value, dict):
                self.problem(path, f"expected a mapping of keys, got {shown(value)}")
                return None
            path = f"{path}.{part}" if path else part
            value = value.get(part, MISSING)
            if value is MISSING:
                if default is MISSING:
                    self.problem(path, "required setting is missing")
                    return None
                return default
        return value

    def text(self, key: str, default=MISSING) -> str | None:
        value = self.value(key, default)
        if value is None or isinstance(value, str):
            return value
        self.problem(key, f"expected text, got {shown(value)}")
        return None

    def number(self, key: str, default=MISSING, *, whole: bool = False, least: float = 0,
               above: bool = True, most: float = math.inf) -> float | int | None:
        """A number at `key`: more than `least` (or at least `least`, with `above=False`)."""
        value = self.value(key, default)
        if value is None:
            return None
        number = parse_number(value, whole)
        kind = "a whole number" if whole else "a number"
        if number is None:
            self.problem(key, f"expected {kind}, got {shown(value)}")
        elif number <= least if above else number < least:
            bound = f"more than {least:g}" if above else f"{least:g} or more"
            self.problem(key, f"expected {kind} {bound}, got {shown(value)}")
        elif number > most:
            self.problem(key, f"expected {kind} of at most {most:g}, got {shown(value)}")
        else:
            return number
        return None


def parse_number(value, whole: bool = False) -> float | int | None:
    """A finite number written as text (YAML scalars stay text), or None."""
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        return None
    try:
        return int(str(value).strip()) if whole else _finite(float(str(value).strip()))
    except ValueError:
        return None


def _finite(number: float) -> float | None:
    return number if math.isfinite(number) else None


def shown(value) -> str:
    """A value as an editor wrote it: text quoted, lists and mappings in YAML's flow style."""
    if isinstance(value, str):
        return f"'{value}'"
    if isinstance(value, list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {v}" for k, v in value.items()) + "}"
    return repr(value)
