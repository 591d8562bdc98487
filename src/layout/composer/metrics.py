"""Layout decisions: line composition -- measuring glyph advances with HarfBuzz.

Measures text the way WeasyPrint 70 / Pango shapes it: same font files, OpenType language
'ZHS' (zh-CN) and script hani for CJK, HarfBuzz default features, `halt` for squeezed marks.
Pango shapes a Latin-script run (a token holding a letter, e.g. "PM2.5", "GMP") with a non-
Chinese language, which selects different digit glyphs; tokens of digits alone ("15.8%") stay
in the Chinese run. What Pango sets as emoji (emoji.py: ⚽, ♥️, 1️⃣, 👍🏽) is measured in the
chain's colour emoji face first, even where an earlier face has the character, and any other
text in the chain's other faces first (the CSS does not name the emoji face), as Pango draws
them. Fonts, faces and advances are cached per process.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import NamedTuple

import regex
import uharfbuzz as hb

from .classes import is_latin_script
from .emoji import emoji_mask


_HANGUL = regex.compile(r"\p{Hangul}")


class FontFace(NamedTuple):
    """One face in a .ttf/.otf/.ttc file (index selects the face in a collection)."""

    path: str
    index: int = 0


@lru_cache(maxsize=64)
def _hb_font(face: FontFace) -> tuple[hb.Font, int]:
    blob = hb.Blob.from_file_path(face.path)
    hb_face = hb.Face(blob, face.index)
    return hb.Font(hb_face), hb_face.upem


class _Table(dict):
    """key -> fill(key), computed on first use: a per-face-chain cache whose lookups hash only
    the key (an item's text), not the face chain."""

    __slots__ = ("fill",)

    def __init__(self, fill):
        super().__init__()
        self.fill = fill

    def __missing__(self, key):
        value = self[key] = self.fill(key)
        return value


_tables: dict[tuple, _Table] = {}


def _table(kind: str, faces: tuple[FontFace, ...], fill) -> _Table:
    table = _tables.get((kind, faces))
    if table is None:
        table = _tables[(kind, faces)] = _Table(fill)
    return table


def _first_face(char: str, faces: tuple[FontFace, ...]) -> FontFace | None:
    cp = ord(char)
    for face in faces:
        font, _ = _hb_font(face)
        if font.get_nominal_glyph(cp) is not None:
            return face
    return None


def face_table(faces: tuple[FontFace, ...]) -> dict[str, FontFace | None]:
    """character -> face_for(character, faces), as a dict."""
    return _table("face", faces, lambda char: _first_face(char, faces))


def vertical_extents(face: FontFace) -> tuple[float, float]:
    """Ascent and descent in em, as HarfBuzz reports them (and Pango uses them for line boxes)."""
    font, upem = _hb_font(face)
    extents = font.get_font_extents("ltr")
    return extents.ascender / upem, -extents.descender / upem


def face_for(char: str, faces: tuple[FontFace, ...]) -> FontFace | None:
    """The first face (primary, then fallbacks) that maps the character, or None."""
    return face_table(faces)[char]


def advance_table(faces: tuple[FontFace, ...], feature: str | None = None) -> dict[str, float]:
    """item text -> advance_em(text, faces, feature), as a dict (the composer's hot path)."""
    return _table(f"advance {feature}", faces, lambda text: advance_em(text, faces, feature))


def measure_ideographs(texts, faces: tuple[FontFace, ...]) -> None:
    """Fill advance_table(faces) for the single ideographs (U+4E00-9FFF) among texts in one
    HarfBuzz call per face instead of one per character: Han characters are shaped without
    context (no kerning or contextual forms between them in CJK faces; a unit test checks
    every ideograph of the body face), so their advances in a run are their advances alone."""
    table = advance_table(faces)
    chars = face_table(faces)
    by_face: dict[FontFace, list[str]] = {}
    for text in texts:
        if len(text) == 1 and "\u4e00" <= text <= "\u9fff" and text not in table:
            by_face.setdefault(chars[text] or faces[0], []).append(text)
    for face, group in by_face.items():
        group = list(dict.fromkeys(group))
        buf = _shaped(face, "".join(group), False, None)
        if [g.cluster for g in buf.glyph_infos] != list(range(len(group))):
            continue  # not one glyph per character: leave them to advance_em, one by one
        upem = _hb_font(face)[1]
        for char, pos in zip(group, buf.glyph_positions):
            table[char] = pos.x_advance / upem


def clear_caches() -> None:
    """Forget every measurement (fonts stay open): the next composition starts cold."""
    _tables.clear()
    for cached in (advance_em, feature_neutral, halt_trims_right):
        cached.cache_clear()


def _shaped(face: FontFace, text: str, latin: bool, feature: str | None) -> hb.Buffer:
    """A HarfBuzz buffer holding text shaped as Pango would."""
    font, _ = _hb_font(face)
    buf = hb.Buffer()
    buf.add_str(text)
    buf.direction = "ltr"
    if _HANGUL.search(text):
        buf.script, buf.language = "Hang", "ko"   # Pango's script run: jamo compose to a syllable
    elif latin:
        buf.script, buf.language = "Latn", "en"
    else:
        buf.script, buf.language = "Hani", "zh-CN"
    hb.shape(font, buf, {feature: True} if feature else {})
    return buf


def _shape(face: FontFace, text: str, latin: bool, feature: str | None) -> float:
    """Advance of text in em, shaped as Pango would."""
    buf = _shaped(face, text, latin, feature)
    return sum(p.x_advance for p in buf.glyph_positions) / _hb_font(face)[1]


def _joins_previous(ch: str) -> bool:
    """A default-ignorable character (ZWJ, ZWNJ, a variation selector, an emoji tag): shaped in
    the face of the character before it, as Pango does, so that an emoji ZWJ sequence or an
    ideographic variation sequence stays one run (and one glyph)."""
    value = _joiners.get(ch)
    if value is None:
        cp = ord(ch)
        value = _joiners[ch] = unicodedata.category(ch) == "Cf" or 0xFE00 <= cp <= 0xFE0F \
            or 0xE0100 <= cp <= 0xE01EF
    return value


_joiners: dict[str, bool] = {}


@lru_cache(maxsize=64)
def emoji_face(faces: tuple[FontFace, ...]) -> FontFace | None:
    """The chain's colour emoji face (the first with colour glyphs: bitmaps, layers or SVG),
    where Pango sets an emoji run; None when the chain has none."""
    for face in faces:
        hb_face = _hb_font(face)[0].face
        if hb_face.has_color_png or hb_face.has_color_layers or hb_face.has_color_paint or \
                hb_face.has_color_svg:
            return face
    return None


def _maps(face: FontFace, char: str) -> bool:
    return _hb_font(face)[0].get_nominal_glyph(ord(char)) is not None


@lru_cache(maxsize=64)
def text_order(faces: tuple[FontFace, ...]) -> tuple[FontFace, ...]:
    """The faces a text run is set in, in Pango's order: the chain without its emoji face,
    which the CSS does not name (Pango finds it by itself), then the emoji face last."""
    emoji = emoji_face(faces)
    if emoji is None:
        return faces
    return tuple(f for f in faces if f != emoji) + (emoji,)


def face_runs(text: str, faces: tuple[FontFace, ...]):
    """(face, part) pairs: the text cut where the face that maps its characters changes. As
    Pango sets them: a character in an emoji run (emoji.py) in the chain's emoji face when it
    has it, any other in the first face of text_order(faces) that has it."""
    start, cur = 0, None
    chars = face_table(text_order(faces))
    emoji = emoji_face(faces)
    in_emoji = emoji_mask(text) if emoji is not None else ()
    for i, ch in enumerate(text):
        if cur is not None and _joins_previous(ch):
            face = cur
        elif in_emoji and in_emoji[i] and _maps(emoji, ch):
            face = emoji
        else:
            face = chars[ch] or faces[0]
        if cur is not None and face != cur:
            yield cur, text[start:i]
            start = i
        cur = face
    if cur is not None:
        yield cur, text[start:]


@lru_cache(maxsize=200_000)
def feature_neutral(text: str, faces: tuple[FontFace, ...], feature: str) -> bool:
    """Whether switching `feature` on leaves text exactly as it is: same glyphs, advances and
    offsets (a Han character inside a `halt` span, say)."""
    latin = is_latin_script(text)
    for face, part in face_runs(text, faces):
        plain, featured = _shaped(face, part, latin, None), _shaped(face, part, latin, feature)
        if [g.codepoint for g in plain.glyph_infos] != [g.codepoint for g in featured.glyph_infos]:
            return False
        if [(p.x_advance, p.x_offset, p.y_offset) for p in plain.glyph_positions] != \
                [(p.x_advance, p.x_offset, p.y_offset) for p in featured.glyph_positions]:
            return False
    return True


@lru_cache(maxsize=200_000)
def advance_em(text: str, faces: tuple[FontFace, ...], feature: str | None = None) -> float:
    """Advance of an item in em; each character measured in the first face that has it,
    with one OpenType feature switched on ("halt" for squeezed marks, "fwid" for ——).

    Characters no face maps are measured with the primary face's .notdef glyph.
    """
    latin = is_latin_script(text)
    return sum(_shape(face, part, latin, feature) for face, part in face_runs(text, faces))


def missing_chars(text: str, faces: tuple[FontFace, ...]) -> set[str]:
    """Characters of text (other than whitespace, controls and default-ignorable characters
    such as ZWJ and variation selectors, which are never drawn) that no face maps."""
    chars = face_table(faces)
    return {c for c in set(text) if chars[c] is None and not c.isspace() and ord(c) >= 0x20
            and not _joins_previous(c)}


@lru_cache(maxsize=10_000)
def halt_trims_right(text: str, faces: tuple[FontFace, ...]) -> bool:
    """Whether setting the mark half-width with `halt` only takes blank space off its right
    side (same glyph and offsets, and all ink left of the narrower advance): then at a line end
    the full-width mark may overhang the column edge by the difference and look just the same."""
    latin = is_latin_script(text)
    for face, part in face_runs(text, faces):
        font, _ = _hb_font(face)
        plain, featured = _shaped(face, part, latin, None), _shaped(face, part, latin, "halt")
        if [g.codepoint for g in plain.glyph_infos] != [g.codepoint for g in featured.glyph_infos]:
            return False
        for g, p, f in zip(plain.glyph_infos, plain.glyph_positions, featured.glyph_positions):
            extents = font.get_glyph_extents(g.codepoint)
            if (p.x_offset, p.y_offset) != (f.x_offset, f.y_offset) or extents is None or \
                    p.x_offset + extents.x_bearing + extents.width > f.x_advance:
                return False
    return True
