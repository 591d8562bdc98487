"""Preflight stage: glyph coverage: is every character of every text in its role's font?

A role's text is set in the role's face, then the theme's fallback faces (`fallback`,
`fallback_*`; a lead-in in the lead face, then the body face).  A character only a fallback face
has is a note (it prints in another design, e.g. the subscripts of PM₁₀, 𪚥 or an emoji); a
character no face has is an error naming it and its code point: `render` refuses it too
(`missing_glyphs`), so that it never prints as a .notdef box.  Invisible characters (ZWJ,
variation selectors...) need no glyph.  One finding per character and text field, at its first
line.
"""
from __future__ import annotations

import re
from pathlib import Path

from ..composer import FontFace
from ..composer.metrics import face_for
from ..errors import Finding, Severity
from ..fonts import FontFile, fallback_roles
from ..model import LEAD_IN
from ..source import Source, load_source
from ..text import ignorable
from .texts import text_fields

_PARAGRAPH_START = re.compile(r"(?:\A|\n[ \t\u3000]*\n)[ \t\u3000]*")


def covers(font: FontFile, char: str) -> bool:
    """Whether the face maps `char`: asked of HarfBuzz, through the composer's open fonts."""
    return face_for(char, (FontFace(str(font.path), font.index),)) is not None


def chain(role: str, fonts: dict[str, FontFile]) -> list[FontFile]:
    """The faces a role's text is set in, primary first (as the page typesetter does)."""
    faces = [fonts[role]] + ([fonts["body"]] if role == "lead" else [])
    return faces + [fonts[fallback] for fallback in fallback_roles(fonts)]


def role_spans(text: str, role: str) -> list[tuple[int, int, str]]:
    """(start, end, role) pieces of a text: a body's `**lead-ins**` are in the lead role."""
    if role != "body":
        return [(0, len(text), role)]
    spans, at = [], 0
    for start in _PARAGRAPH_START.finditer(text):
        match = LEAD_IN.match(text, start.end())
        if match:
            spans += [(at, match.start(), "body"), (match.start(1), match.end(1), "lead")]
            at = match.end()
    return spans + [(at, len(text), "body")]


def check_fonts(source: Source, fonts: dict[str, FontFile]) -> list[Finding]:
    """Characters set in a fallback face, and characters no face of their role has."""
    findings, known = [], {}
    for field in text_fields(source):
        if field.role is None:
            continue
        seen: set[str] = set()
        for start, end, role in role_spans(field.text, field.role):
            for offset in range(start, end):
                char = field.text[offset]
                if char in seen:
                    continue
                seen.add(char)
                if (char, role) not in known:
                    known[char, role] = _coverage(char, role, fonts)
                message, severity = known[char, role]
                if message:
                    findings.append(Finding(message, source.label,
                                            source.line_of_text(field.key, offset), field.key,
                                            severity, "font"))
    return findings


def missing_glyphs(folder: Path, label: str, fonts: dict[str, FontFile]) -> list[Finding]:
    """The errors of `check_fonts` for an issue folder: characters no installed face of their
    role has, which `render` refuses rather than print a .notdef box."""
    source = load_source(Path(folder) / "issue.yaml", label=label)
    return [f for f in check_fonts(source, fonts) if f.severity is Severity.ERROR]


def _coverage(char: str, role: str, fonts: dict[str, FontFile]) -> tuple[str, Severity]:
    if char.isspace() or ord(char) < 0x20 or ignorable(char):
        return "", Severity.INFO
    faces = chain(role, fonts)
    if covers(faces[0], char):
        return "", Severity.INFO
    shown = f"'{char}' (U+{ord(char):04X})"
    for face in faces[1:]:
        if covers(face, char):
            return (f"{shown} is not in the {role} font {faces[0].family}; it prints in the "
                    f"fallback font {face.family}", Severity.INFO)
    families = ", ".join(f.family for f in faces)
    return (f"{shown} is in no font of role '{role}' ({families}), so it cannot be printed: "
            "replace the character or add a font that has it", Severity.ERROR)
