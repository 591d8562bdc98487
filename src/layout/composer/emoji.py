"""Layout decisions: line composition -- which characters Pango sets as emoji.

Pango 1.50 cuts a text into emoji runs and text runs (pango-emoji.c, after Chromium's emoji
presentation scanner, emoji_presentation_scanner.rl) and sets an emoji run in the family
"emoji" -- fontconfig's colour emoji font -- whatever the CSS names and whichever of its faces
has the character (itemize.c). So ⚽ 🈶 🆗, which Noto Serif CJK SC has too, print in Noto
Color Emoji, 1.24 em wide, not in the body face's 1 em. An emoji run is one of:

* a character with Emoji_Presentation (⚽ 🈶), an Emoji_Modifier_Base even of text
  presentation (☝ ✌), or the black flag 🏴;
* an emoji character (Emoji, including # * and the digits) followed by U+FE0F (♥️ ©️ 1️),
  or by U+20E0; a keycap (1️⃣); a modifier sequence (👍🏽); a flag (🇨🇳); a tag sequence (🏴
  + tags); a ZWJ sequence of any of these (👨‍👩‍👧);

unless it is followed by U+FE0E, which asks for text presentation (⚽︎). Everything else is a
text run, set in the CSS's faces in order: ♥ © # and 2026 stay in the body face. The scanner
takes the longest match at each position, a text-presentation sequence first on a tie.

The properties are read with `regex` (Unicode's current emoji data); Pango 1.50.12 carries
Emoji 15.0's. They differ only for characters added since, which no CJK or Latin face has.
"""
from __future__ import annotations

import regex

OTHER, TEXT, PRESENTATION, MODIFIER_BASE, MODIFIER, REGIONAL, KEYCAP_BASE, KEYCAP, \
    CIRCLE_BACKSLASH, ZWJ, VS15, VS16, TAG_BASE, TAG, TAG_TERM = range(15)
ANY_EMOJI = frozenset({TEXT, PRESENTATION, KEYCAP_BASE, MODIFIER_BASE, TAG_BASE})

_SPECIFIC = {"\u20e3": KEYCAP, "\u20e0": CIRCLE_BACKSLASH, "\u200d": ZWJ, "\ufe0e": VS15,
             "\ufe0f": VS16, "\U0001f3f4": TAG_BASE, "\U000e007f": TAG_TERM, "#": KEYCAP_BASE,
             "*": KEYCAP_BASE, " ": OTHER, **dict.fromkeys("0123456789", KEYCAP_BASE)}
_PROPERTIES = [(regex.compile(r"\p{Emoji_Modifier_Base}"), MODIFIER_BASE),
               (regex.compile(r"\p{Emoji_Modifier}"), MODIFIER),
               (regex.compile(r"[\U0001F1E6-\U0001F1FF]"), REGIONAL),
               (regex.compile(r"\p{Emoji_Presentation}"), PRESENTATION),
               (regex.compile(r"\p{Emoji}"), TEXT)]
#: what may start or join an emoji run: a text without any of these has none
_MAYBE = regex.compile(r"[\p{Emoji}\u20e0\u20e3\ufe0e\ufe0f\u200d\U000e0020-\U000e007f]")
_categories: dict[str, int] = {}


def category(char: str) -> int:
    """The scanner's category of a character (pango-emoji.c's order: specific characters,
    then modifier base, modifier, regional indicator, Emoji_Presentation, Emoji)."""
    value = _categories.get(char)
    if value is None:
        value = _SPECIFIC.get(char)
        if value is None:
            if "a" <= char.lower() <= "z":
                value = OTHER
            elif "\U000e0030" <= char <= "\U000e0039" or "\U000e0061" <= char <= "\U000e007a":
                value = TAG
            else:
                value = next((cat for pattern, cat in _PROPERTIES if pattern.match(char)), OTHER)
        _categories[char] = value
    return value


def emoji_mask(text: str) -> list[bool]:
    """For each character of text: whether Pango sets it in an emoji run."""
    n = len(text)
    mask = [False] * n
    if not _MAYBE.search(text):
        return mask
    cats = [category(c) for c in text]
    p = 0
    while p < n:
        as_text = 2 if cats[p] in ANY_EMOJI and p + 1 < n and cats[p + 1] == VS15 else 0
        length = _emoji_length(cats, p)
        if length > as_text:
            mask[p:p + length] = [True] * length
            p += length
        else:
            p += max(as_text, 1)
    return mask


def _emoji_length(cats: list[int], p: int) -> int:
    """Length of the longest emoji sequence starting at p (0: none)."""
    n, c = len(cats), cats[p]
    after = cats[p + 1] if p + 1 < n else None
    best = 1 if c in (PRESENTATION, TAG_BASE, MODIFIER_BASE) else 0
    if (c in ANY_EMOJI and after in (VS16, CIRCLE_BACKSLASH)) or \
            (c == MODIFIER_BASE and after == MODIFIER) or (c == REGIONAL == after):
        best = 2
    if c == KEYCAP_BASE and after == VS16 and p + 2 < n and cats[p + 2] == KEYCAP:
        best = 3
    if c == TAG_BASE:
        q = p + 1
        while q < n and cats[q] == TAG:
            q += 1
        if q > p + 1 and q < n and cats[q] == TAG_TERM:
            best = max(best, q + 1 - p)
    first = end = _zwj_element(cats, p)
    while first and end < n and cats[end] == ZWJ and _zwj_element(cats, end + 1):
        end = _zwj_element(cats, end + 1)
    return max(best, end - p) if end > first else best


def _zwj_element(cats: list[int], p: int) -> int:
    """End of the ZWJ-sequence element at p (an emoji, with U+FE0F or a modifier), or 0."""
    if p >= len(cats) or cats[p] not in ANY_EMOJI:
        return 0
    after = cats[p + 1] if p + 1 < len(cats) else None
    if after == VS16 or (cats[p] == MODIFIER_BASE and after == MODIFIER):
        return p + 2
    return p + 1
