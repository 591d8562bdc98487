"""Preflight stage, editorial lint: the slips a copy editor flags in Chinese story text.

`lint_text` reads one story body and returns `Slip`s with offsets into that text:

- `half-width-punct`: , : ; ( ) ! ? next to a Han character (ignoring spaces).  Between Latin
  letters or digits ("3.8", "1:2", "f(x)") they are left alone.
- `unbalanced`: “” ‘’ （） 《》 「」 『』 【】 〈〉 〔〕 not closed, closed without opening, or closed
  out of order, checked per paragraph (paragraphs are separated by blank lines).  A ’ between
  Latin letters is an apostrophe, not a quote.
- `doubled`: the same 2-4 Han characters twice in a row (检查检查).  Reduplication is not a slip:
  AA (常常), AABB (干干净净), a unit that is itself AA (哈哈哈哈) and 一X一X (一步一步).  ABAB
  verbs (研究研究) are colloquial and rare in news copy, so they are flagged.
- `stray-latin`: a lower-case Latin word with Han on both sides (精神 and 二十届).  Words with
  capitals (GMP, AI, iPhone) and units (km, kg) are names, not slips.
- `mixed-digits`: full-width digits (２０２５); the message says when the text also has
  half-width ones.

Every slip is a preflight warning (`lint_slip_severity`): lint is advice to the desk and is
sometimes wrong, so it never stops a proof; `--strict` makes it fail.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from layout.errors import Severity

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3007\U00020000-\U0003134f"
_HAN_CHAR = re.compile(f"[{HAN}]")

FULL_WIDTH_FOR = {",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "!": "！", "?": "？"}
PAIRS = {"“": "”", "‘": "’", "（": "）", "《": "》", "「": "」", "『": "』", "【": "】",
         "〈": "〉", "〔": "〕"}
_CLOSERS = {close: open_ for open_, close in PAIRS.items()}
UNITS = frozenset({
    "km", "m", "cm", "mm", "nm", "g", "kg", "mg", "t", "l", "ml", "s", "ms", "h", "min",
    "kw", "kwh", "mw", "mwh", "gw", "gwh", "w", "v", "kv", "hz", "khz", "mhz", "ghz", "db",
    "mah", "pa", "kpa", "mpa", "ppm", "km²", "m²", "m³",
})
SLIP_KINDS = ("half-width-punct", "unbalanced", "doubled", "stray-latin", "mixed-digits")

_SPACES = " \t\u3000"
_DOUBLED = re.compile(f"([{HAN}]{{2,4}}?)\\1")
_LATIN_WORD = re.compile(r"[A-Za-z]+(?:['’-][A-Za-z]+)*")
_FULL_WIDTH_DIGITS = re.compile("[０-９]+")
_HALF_WIDTH_DIGIT = re.compile("[0-9]")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\u3000]*\n")


@dataclass(frozen=True)
class Slip:
    """One editorial slip: `text[offset:offset + length]` is the offending text."""

    offset: int
    length: int
    kind: str
    message: str


def lint_slip_severity(kind: str) -> Severity:
    """Severity of a slip kind in the preflight report (all editorial slips are warnings)."""
    if kind not in SLIP_KINDS:
        raise ValueError(f"unknown slip kind {kind!r}")
    return Severity.WARNING


def lint_text(text: str) -> list[Slip]:
    """All slips in one story body, in text order."""
    slips = (check_half_width_punct(text) + check_balance(text) + check_doubled(text)
             + check_stray_latin(text) + check_digits(text))
    return sorted(slips, key=lambda slip: (slip.offset, slip.kind))


def _is_han(char: str) -> bool:
    return bool(char) and _HAN_CHAR.fullmatch(char) is not None


def _neighbours(text: str, start: int, end: int) -> tuple[str, str]:
    """The nearest characters before `start` and from `end` on, skipping spaces."""
    while start > 0 and text[start - 1] in _SPACES:
        start -= 1
    while end < len(text) and text[end] in _SPACES:
        end += 1
    return text[start - 1:start] if start else "", text[end:end + 1]


def check_half_width_punct(text: str) -> list[Slip]:
    """Half-width , : ; ( ) ! ? with a Han character on either side."""
    slips = []
    for offset, char in enumerate(text):
        if char not in FULL_WIDTH_FOR:
            continue
        before, after = _neighbours(text, offset, offset + 1)
        if _is_han(before) or _is_han(after):
            message = f"half-width '{char}' inside Chinese text; use '{FULL_WIDTH_FOR[char]}'"
            slips.append(Slip(offset, 1, "half-width-punct", message))
    return slips


def _paragraphs(text: str) -> list[tuple[int, str]]:
    """(offset, paragraph) for each blank-line-separated paragraph."""
    starts = [0] + [m.end() for m in _PARAGRAPH_BREAK.finditer(text)]
    ends = [m.start() for m in _PARAGRAPH_BREAK.finditer(text)] + [len(text)]
    return [(start, text[start:end]) for start, end in zip(starts, ends)]


def _is_apostrophe(text: str, offset: int) -> bool:
    before, after = text[offset - 1:offset], text[offset + 1:offset + 2]
    return text[offset] == "’" and before.isascii() and before.isalpha() and \
        (not after or (after.isascii() and after.isalpha()) or after in _SPACES)


def _balance_paragraph(text: str, base: int) -> list[Slip]:
    slips, stack = [], []  # stack of (offset, opening mark)
    for offset, char in enumerate(text):
        if char in PAIRS:
            stack.append((offset, char))
        elif char in _CLOSERS and not _is_apostrophe(text, offset):
            opener = _CLOSERS[char]
            if not any(mark == opener for _, mark in stack):
                message = f"'{char}' has no matching '{opener}'"
                slips.append(Slip(base + offset, 1, "unbalanced", message))
                continue
            while stack[-1][1] != opener:
                inner, mark = stack.pop()
                message = f"'{mark}' is not closed before '{char}'"
                slips.append(Slip(base + inner, 1, "unbalanced", message))
            stack.pop()
    for offset, mark in stack:
        message = f"'{mark}' is not closed by '{PAIRS[mark]}' in this paragraph"
        slips.append(Slip(base + offset, 1, "unbalanced", message))
    return slips


def check_balance(text: str) -> list[Slip]:
    """Quotation marks and brackets that do not pair up within their paragraph."""
    slips = []
    for base, paragraph in _paragraphs(text):
        slips.extend(_balance_paragraph(paragraph, base))
    return slips


def _is_reduplication(unit: str) -> bool:
    """Units whose repetition is grammar, not a slip: 哈哈哈哈, 一步一步."""
    return len(set(unit)) == 1 or (len(unit) == 2 and unit[0] == "一")


def check_doubled(text: str) -> list[Slip]:
    """The same 2-4 Han characters twice in a row."""
    slips = []
    for match in _DOUBLED.finditer(text):
        unit = match.group(1)
        if _is_reduplication(unit):
            continue
        message = f"doubled word '{match.group()}'; delete one '{unit}' unless it is meant"
        slips.append(Slip(match.start(), len(match.group()), "doubled", message))
    return slips


def check_stray_latin(text: str) -> list[Slip]:
    """Lower-case Latin words standing between Han characters."""
    slips = []
    for match in _LATIN_WORD.finditer(text):
        word = match.group()
        if not word.islower() or word.lower() in UNITS:
            continue
        before, after = _neighbours(text, match.start(), match.end())
        if _is_han(before) and _is_han(after):
            message = f"Latin word '{word}' inside a Chinese sentence; translate or delete it"
            slips.append(Slip(match.start(), len(word), "stray-latin", message))
    return slips


def check_digits(text: str) -> list[Slip]:
    """Full-width digits, which Chinese news copy writes half-width."""
    mixed = _HALF_WIDTH_DIGIT.search(text) is not None
    slips = []
    for match in _FULL_WIDTH_DIGITS.finditer(text):
        digits = match.group()
        half = digits.translate({0xFF10 + i: ord("0") + i for i in range(10)})
        also = " (the text also has half-width digits)" if mixed else ""
        message = f"full-width digits '{digits}'{also}; use '{half}'"
        slips.append(Slip(match.start(), len(digits), "mixed-digits", message))
    return slips
