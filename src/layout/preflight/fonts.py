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

import regex

from ..composer import FontFace
from ..composer.metrics import face_for
from ..errors import Finding, Severity
from ..fonts import FontFile, fallback_roles
from ..model import LEAD_IN
from ..source import Source, load_source
from ..text import ignorable
from .texts import text_fields

GRAPHEME = regex.compile(r"\X")     # UAX #29 extended grapheme clusters, as the composer cuts
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
    """Characters set in a fallback face, and characters no face of their role has; an emoji
    sequence (👨‍👩‍👧, 👍🏽, 🇨🇳) set in one fallback face is one note."""
    findings, known = [], {}
    for field in text_fields(source):
        if field.role is None:
            continue
        seen: set[str] = set()
        for start, end, role in role_spans(field.text, field.role):
            for cluster in GRAPHEME.finditer(field.text, start, end):
                if cluster.group() in seen:
                    continue
                seen.add(cluster.group())
                if (cluster.group(), role) not in known:
                    known[cluster.group(), role] = _cluster_coverage(cluster.group(), role, fonts)
                line = source.line_of_text(field.key, cluster.start())
                findings += [Finding(message, source.label, line, field.key, severity, "font")
                             for message, severity in known[cluster.group(), role]]
    return findings


def missing_glyphs(folder: Path, label: str, fonts: dict[str, FontFile]) -> list[Finding]:
    """The errors of `check_fonts` for an issue folder: characters no installed face of their
    role has, which `render` refuses rather than print a .notdef box."""
    source = load_source(Path(folder) / "issue.yaml", label=label)
    return [f for f in check_fonts(source, fonts) if f.severity is Severity.ERROR]


def _face(char: str, faces: list[FontFile]) -> int | None:
    """Index in `faces` of the face that sets `char` (-1: needs none), or None: no face has it."""
    if char.isspace() or ord(char) < 0x20 or ignorable(char):
        return -1
    return next((i for i, face in enumerate(faces) if covers(face, char)), None)


def _cluster_coverage(cluster: str, role: str, fonts: dict[str, FontFile]
                      ) -> list[tuple[str, Severity]]:
    """(message, severity) for a grapheme cluster: an error for each character no face has, a
    note for the cluster when one fallback face sets it, else a note for each character."""
    faces = chain(role, fonts)
    found = {char: _face(char, faces) for char in cluster}
    if None not in found.values():
        fallbacks = {i for i in found.values() if i > 0}
        if not fallbacks:
            return []
        if len(fallbacks) == 1 and 0 not in found.values():
            return [_note(cluster, role, faces, fallbacks.pop())]
    return [_note(char, role, faces, i) if i is not None else _missing(char, role, faces)
            for char, i in found.items() if i is None or i > 0]


def _shown(text: str) -> str:
    return f"'{text}' ({' '.join(f'U+{ord(char):04X}' for char in text)})"


def _note(text: str, role: str, faces: list[FontFile], index: int) -> tuple[str, Severity]:
    return (f"{_shown(text)} is not in the {role} font {faces[0].family}; it prints in the "
            f"fallback font {faces[index].family}", Severity.INFO)


def _missing(char: str, role: str, faces: list[FontFile]) -> tuple[str, Severity]:
    families = ", ".join(f.family for f in faces)
    return (f"{_shown(char)} is in no font of role '{role}' ({families}), so it cannot be "
            "printed: replace the character or add a font that has it", Severity.ERROR)
