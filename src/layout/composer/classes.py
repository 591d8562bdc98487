"""Layout decisions: line composition -- character classes and kinsoku tables.

Splits a paragraph's text into *items*, the units the line breaker places: one Han character,
one full-width punctuation mark, one unbreakable token (a Latin word, a number with its
decimal point and %, a —— or …… group), or one space. It also says where a line may break
(clreq / GB/T 15834 mainland rules) and where a quarter-em Han–Latin space belongs.
"""
from __future__ import annotations

import unicodedata

#: closing marks and the like: never at the start of a line
NO_START = frozenset("，。、；：？！”’）》」』〉】〕〗〙〛…—·‧%‰℃°′″％"
                     ",.;:!?)]}、ー々〻ゝゞヽヾ")
#: opening marks: never at the end of a line
NO_END = frozenset("“‘（《「『〈【〔〖〘〚([{")
#: full-width marks that take one em, can be squeezed to half an em with `halt`
HALT_MARKS = frozenset("，。、；：？！”’）》」』〉】〕“‘（《「『〈【〔")
#: marks whose ink sits at the left of the em box (safe to squeeze at a line end)
CLOSING_MARKS = frozenset("，。、；：？！”’）》」』〉】〕")
OPENING_MARKS = frozenset("“‘（《「『〈【〔")
#: marks the line breaker may squeeze to half an em (？！ look Latin when squeezed)
SQUEEZABLE = frozenset("，。、；：”’）》」』〉】〕")
#: characters that repeat into one unbreakable group (—— and ……)
GROUPED = frozenset("—…")
#: characters that may sit inside a Latin/number token between word characters
CONNECTORS = frozenset(".,:/-'_&+·@")
#: characters that end a number token (15.8%, 3‰, 25℃)
TOKEN_SUFFIX = frozenset("%‰℃°′″％")
SPACES = frozenset(" \t\n\r\f")

HAN, PUNCT, WORD, SPACE = "han", "punct", "word", "space"


def is_cjk(ch: str) -> bool:
    """True for ideographs, kana, hangul, full-width forms: characters set on the em grid."""
    cp = ord(ch)
    if (0x3400 <= cp <= 0x4DBF or 0x4E00 <= cp <= 0x9FFF or 0xF900 <= cp <= 0xFAFF
            or 0x20000 <= cp <= 0x3FFFF or 0x3000 <= cp <= 0x30FF or 0xAC00 <= cp <= 0xD7AF):
        return True
    return unicodedata.east_asian_width(ch) in ("W", "F")


def is_word_char(ch: str) -> bool:
    """Letters, digits and marks of non-CJK scripts (Latin, Greek, sub/superscripts…)."""
    if ch.isascii():
        return ch.isalnum()
    if is_cjk(ch):
        return False
    cat = unicodedata.category(ch)
    return cat[0] in "LNM"


def has_autospace(text: str) -> bool:
    """A token that gets a quarter em next to Han: it holds a Latin letter or a digit."""
    return any(is_word_char(c) for c in text)


def is_latin_script(text: str) -> bool:
    """Whether Pango shapes the token as a Latin-script run (it holds a letter)."""
    return any(c.isalpha() for c in text)


_TOKEN, _DASH = "token", "dash"
_start_kind: dict[str, str] = {}   # character -> how an item starting with it is cut
_attaches: dict[str, bool] = {}    # character -> a combining mark or variation selector


def _kind_of(ch: str) -> str:
    kind = _start_kind.get(ch)
    if kind is None:
        if ch in SPACES:
            kind = SPACE
        elif ch == "—":
            kind = _DASH
        elif ch == "…":
            kind = HAN  # …… stays together: no line starts with …
        elif ch in HALT_MARKS:
            kind = PUNCT
        elif is_word_char(ch):
            kind = _TOKEN
        elif is_cjk(ch):
            kind = HAN
        else:
            kind = WORD
        _start_kind[ch] = kind
    return kind


_combinings: dict[str, bool] = {}


def _combining(ch: str) -> bool:
    value = _combinings.get(ch)
    if value is None:
        value = _combinings[ch] = unicodedata.category(ch) in ("Mn", "Me")
    return value


def _attached(ch: str) -> bool:
    attached = _attaches.get(ch)
    if attached is None:
        attached = _attaches[ch] = unicodedata.category(ch) in ("Mn", "Me") or _is_vs(ch)
    return attached


def split_items(text: str) -> list[tuple[str, str]]:
    """Split text into (item text, kind) pairs; kinds are HAN, PUNCT, WORD and SPACE."""
    items: list[tuple[str, str]] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        j = i + 1
        kind = _kind_of(ch)
        if kind is _DASH:
            while j < n and text[j] == ch:
                j += 1  # —— is one ligature glyph, two em wide, never split
            kind = HAN
        elif kind is _TOKEN:
            j = _token_end(text, i)
            kind = WORD
        while j < n and _attached(text[j]):
            j += 1  # combining marks and variation selectors stay with their base
        items.append((text[i:j], kind))
        i = j
    return items


def _is_vs(ch: str) -> bool:
    cp = ord(ch)
    return 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF


def _token_end(text: str, i: int) -> int:
    """End of the Latin word / number starting at i (15.8, 1,000, COVID-19, PM₁₀, 94.9%)."""
    n = len(text)
    j = i + 1
    while j < n:
        c = text[j]
        if is_word_char(c):
            j += 1
        elif c in CONNECTORS and j + 1 < n and is_word_char(text[j + 1]):
            j += 2
        else:
            break
    while j < n and text[j] in TOKEN_SUFFIX:
        j += 1
    return j


def may_break(before: str, before_kind: str, after: str, after_kind: str) -> bool:
    """Whether a line may end after item `before` and the next start with item `after`."""
    if after_kind == SPACE:
        return False
    if after[0] in NO_START or before[-1] in NO_END:
        return False
    return not _combining(after[0])


def needs_autospace(left_kind: str, left: str, right_kind: str, right: str) -> bool:
    """A quarter em goes between a Han character and a Latin/number token."""
    if left_kind == HAN and right_kind == WORD:
        return left[-1] not in GROUPED and has_autospace(right[0])
    if left_kind == WORD and right_kind == HAN:
        return right[0] not in GROUPED and (has_autospace(left[-1]) or left[-1] in TOKEN_SUFFIX)
    return False
