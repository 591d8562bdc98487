"""Preflight stage: font files from fonts/ that the page renderer cannot print as resolved.

A font collection (`.ttc`, `.otc`) holds several faces. The layout measures the face a role
resolves to, but WeasyPrint's `@font-face` loads a collection's first face only: a role that
resolves to a later face (the SC face of a CJK collection, the bold face of a family) would be
printed in another face. Such a role is an error; fonts/README.md says how to split the file.
"""
from __future__ import annotations

from ..errors import Finding
from ..fonts import FontFile
from ..source import load_source
from ..theme import Theme


def check_faces(theme: Theme, fonts: dict[str, FontFile]) -> list[Finding]:
    """An error for every role resolved to a face after the first of a collection in fonts/."""
    source = None
    findings = []
    for role, font in fonts.items():
        if not font.dropped_in or font.index == 0:
            continue
        source = source or load_source(theme.folder / "theme.yaml", label=theme.label)
        key = f"fonts.{role}"
        findings.append(Finding(
            f"'{font.family}' is face {font.index + 1} of the collection {font.path.name}, but the "
            f"page renderer prints a collection's first face only: save this face as a file of "
            f"its own in {font.path.parent}/ (see fonts/README.md)",
            file=theme.label, line=source.line_of(key), key=key, kind="font"))
    return findings
