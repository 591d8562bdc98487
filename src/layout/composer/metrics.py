"""Layout decisions: line composition -- measuring glyph advances with HarfBuzz.

Measures text the way WeasyPrint 70 / Pango shapes it: same font files, OpenType language
'ZHS' (zh-CN) and script hani for CJK, HarfBuzz default features, `halt` for squeezed marks.
Pango shapes a Latin-script run (a token holding a letter, e.g. "PM2.5", "GMP") with a non-
Chinese language, which selects different digit glyphs; tokens of digits alone ("15.8%") stay
in the Chinese run. Fonts, faces and advances are cached per process.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import uharfbuzz as hb

from .classes import is_latin_script


@dataclass(frozen=True)
class FontFace:
    """One face in a .ttf/.otf/.ttc file (index selects the face in a collection)."""

    path: str
    index: int = 0


@lru_cache(maxsize=64)
def _hb_font(face: FontFace) -> tuple[hb.Font, int]:
    blob = hb.Blob.from_file_path(face.path)
    hb_face = hb.Face(blob, face.index)
    return hb.Font(hb_face), hb_face.upem


@lru_cache(maxsize=200_000)
def face_for(char: str, faces: tuple[FontFace, ...]) -> FontFace | None:
    """The first face (primary, then fallbacks) that maps the character, or None."""
    cp = ord(char)
    for face in faces:
        font, _ = _hb_font(face)
        if font.get_nominal_glyph(cp) is not None:
            return face
    return None


def _shape(face: FontFace, text: str, latin: bool, feature: str | None) -> float:
    """Advance of text in em, shaped as Pango would."""
    font, upem = _hb_font(face)
    buf = hb.Buffer()
    buf.add_str(text)
    buf.direction = "ltr"
    if latin:
        buf.script, buf.language = "Latn", "en"
    else:
        buf.script, buf.language = "Hani", "zh-CN"
    hb.shape(font, buf, {feature: True} if feature else {})
    return sum(p.x_advance for p in buf.glyph_positions) / upem


@lru_cache(maxsize=200_000)
def advance_em(text: str, faces: tuple[FontFace, ...], feature: str | None = None) -> float:
    """Advance of an item in em; each character measured in the first face that has it,
    with one OpenType feature switched on ("halt" for squeezed marks, "fwid" for ——).

    Characters no face maps are measured with the primary face's .notdef glyph.
    """
    latin = is_latin_script(text)
    total, start, cur = 0.0, 0, None
    for i, ch in enumerate(text):
        face = face_for(ch, faces) or faces[0]
        if cur is not None and face != cur:
            total += _shape(cur, text[start:i], latin, feature)
            start = i
        cur = face
    if cur is not None:
        total += _shape(cur, text[start:], latin, feature)
    return total


def missing_chars(text: str, faces: tuple[FontFace, ...]) -> set[str]:
    """Characters of text (other than whitespace/controls) that no face maps."""
    return {c for c in set(text) if not c.isspace() and ord(c) >= 0x20 and face_for(c, faces) is None}
