"""Layout decisions: line composition -- character classes and kinsoku tables.

Splits a paragraph's text into *items*, the units the line breaker places: one Han character,
one full-width punctuation mark, one unbreakable token (a Latin word, a number with its
decimal point and %, a —— or …… group), or one space. It also says where a line may break
(clreq / GB/T 15834 mainland rules) and where a quarter-em Han–Latin space belongs.
"""
from __future__ import annotations

import unicodedata

import regex

# Sources. GB/T 15834-2011《标点符号用法》 5.1 (horizontal setting): 5.1.1 。，、；：and 5.1.2
# ？！ never start a line; 5.1.3 the first half of quotes, brackets and book-title marks never ends
# a line, the second half never starts one; 5.1.4 破折号 (two em) and 5.1.5 省略号 (two em) are
# never cut between a line end and the next line start; 5.1.6 连接号 (short dash -, 一字线 —,
# wave ～) and 5.1.7 间隔号 · never start a line; 5.1.9 分隔号 / neither starts nor ends a
# line; 5.1.10 a full-width mark at a line end takes half an em.
# clreq (W3C Requirements for Chinese Text Layout, https://www.w3.org/TR/clreq/), anchors:
# #prohibition_rules_for_line_start_end -- this composer follows its "GB-style" level (basic
# rules plus / not at a line end); only its "strict" level also keeps —— and …… off a line
# start, which GB/T 15834 does not; #prohibition_rules_for_unbreakable_marks -- ⸺ or two U+2014
# and two U+2026 or U+22EF are one unit; digits stay with their prefix and suffix symbols;
# #procedures_for_inter-character_spacing_reduction -- what is squeezed, in which order.

#: never at the start of a line: GB/T 15834 5.1.1 (，。、；：), 5.1.2 (？！), 5.1.3 (closing quotes,
#: brackets, book-title marks ”’）》」』〉】〕〗〙〛), 5.1.6 (connectors: - – and the lone one-em —
#: ― ─ are handled by `no_line_start`; ～ 〜), 5.1.7 (间隔号 · ‧ ・), 5.1.9 (分隔号 / ／); clreq
#: #prohibition_rules_for_unbreakable_marks (unit suffixes stay with their digits: % ‰ ℃ ° ′ ″ ％);
#: Western closing punctuation ,.;:!?)]} (clreq basic level, as the Western marks it lists);
#: kana prolonged-sound and iteration marks ー々〻ゝゞヽヾ (JLREQ cl-09, cl-10: never at a line start)
NO_START = frozenset("，。、；：？！”’）》」』〉】〕〗〙〛"
                     "-–～〜·‧・/／%‰℃°′″％"
                     ",.;:!?)]}、ー々〻ゝゞヽヾ")
#: never at the end of a line: GB/T 15834 5.1.3 (opening quotes, brackets, book-title marks),
#: 5.1.9 (分隔号 / ／, clreq GB-style level); Western opening brackets ([{
NO_END = frozenset("“‘（《「『〈【〔〖〘〚([{/／")
#: full-width marks that take one em and can be set half-width with `halt` (GB/T 15834 5.1.10
#: at a line end; clreq #h-punctuation_adjustment_space: their ink sits on one side of the em)
HALT_MARKS = frozenset("，。、；：？！”’）》」』〉】〕“‘（《「『〈【〔")
#: marks whose ink sits at the left of the em box (safe to squeeze at a line end, GB/T 15834
#: 5.1.10; clreq #procedures_for_inter-character_spacing_reduction step 1)
CLOSING_MARKS = frozenset("，。、；：？！”’）》」』〉】〕")
#: opening marks, ink at the right (clreq #h-adjustment_of_adjacent_punctuation_marks: of two
#: adjacent opening marks the second gives up its blank half)
OPENING_MARKS = frozenset("“‘（《「『〈【〔")
#: marks the line breaker may squeeze to half an em inside a line (clreq
#: #procedures_for_inter-character_spacing_reduction: brackets and ，、； down to half an em, and
#: 。 among the sentence-end marks; ？！ are left full width, as styles may do, since half-width
#: they look Latin)
SQUEEZABLE = frozenset("，。、；：”’）》」』〉】〕")
#: dashes: two U+2014 make one 破折号 (GB/T 15834 5.1.4), as do two U+2015 (cp936's
#: mapping of the same GB 2312 code) or two U+2500 (pasted box-drawing lines); U+2E3A / U+2E3B
#: are a two- / three-em dash in one character (clreq #prohibition_rules_for_unbreakable_marks)
DASHES = frozenset("—―─⸺⸻")
#: one-em-per-character dashes: a lone one is a connector (一字线, GB/T 15834 5.1.6)
PAIRED_DASHES = frozenset("—―─")
#: ellipsis: two U+2026 or two U+22EF make one 省略号 (GB/T 15834 5.1.5; clreq
#: #prohibition_rules_for_unbreakable_marks); one alone is the one-em 3-dot form
ELLIPSES = frozenset("…⋯")
#: characters that repeat into unbreakable units (—— ⸺ …… ⋯⋯): a run of one of them is cut
#: into units (`_units`) that no break, forced or not, can cut (GB/T 15834 5.1.4, 5.1.5)
GROUPED = DASHES | ELLIPSES
#: characters that may sit inside a Latin/number token between word characters (clreq
#: #handling_western_text_in_chinese_text_using_proportional_western_fonts: a Western word is
#: not broken; #prohibition_rules_for_unbreakable_marks: nor a number)
CONNECTORS = frozenset(".,:/-'_&+·@")
#: characters that end a number token (15.8%, 3‰, 25℃): clreq
#: #prohibition_rules_for_unbreakable_marks, digits and their suffix symbols
TOKEN_SUFFIX = frozenset("%‰℃°′″％")
SPACES = frozenset(" \t\n\r\f")
#: a fixed blank em (the gap after a brief's run-in headline): a line neither ends with it (it
#: would read as a line one em short) nor starts with it (it would read as an indent)
IDEOGRAPHIC_SPACE = "\u3000"

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
#: one extended grapheme cluster (UAX #29): a base and its combining marks, an emoji ZWJ or
#: skin-tone sequence, a regional-indicator flag, a Hangul syllable in jamo, an ideograph and
#: its variation selector. The composer cuts text only between clusters.
_CLUSTER = regex.compile(r"\X")


def clusters(text: str) -> list[str]:
    """The text's grapheme clusters, in order."""
    return _CLUSTER.findall(text)


def cluster_count(text: str) -> int:
    """How many grapheme clusters (user-perceived characters) the text holds."""
    return len(text) if text.isascii() else len(_CLUSTER.findall(text))


def _kind_of(ch: str) -> str:
    kind = _start_kind.get(ch)
    if kind is None:
        if ch in SPACES:
            kind = SPACE
        elif ch in GROUPED:
            kind = _DASH
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


def split_items(text: str) -> list[tuple[str, str]]:
    """Split text into (item text, kind) pairs; kinds are HAN, PUNCT, WORD and SPACE. Every item
    is one or more whole grapheme clusters, classed by the cluster's first character."""
    cl = clusters(text)
    items: list[tuple[str, str]] = []
    i, n = 0, len(cl)
    while i < n:
        c = cl[i]
        j = i + 1
        kind = _kind_of(c[0])
        if kind is _DASH:
            while j < n and cl[j] == c:
                j += 1
            units = _units(c * (j - i)) if len(c) == 1 else cl[i:j]  # (a mark on a dash)
            items.extend((unit, HAN) for unit in units)
            i = j
            continue
        if kind is _TOKEN:
            j = _token_end(cl, i)
            kind = WORD
        items.append((c if j == i + 1 else "".join(cl[i:j]), kind))
        i = j
    return items


def _units(run: str) -> list[str]:
    """A run of one dash or ellipsis character cut into the units that are never split: two
    characters each (——, ……), the odd one staying with the last pair (———); each ⸺ and ⸻
    alone. A line may break between two units only when it must (clreq
    #prohibition_rules_for_unbreakable_marks allows it for multiples; see may_break)."""
    if run[0] not in PAIRED_DASHES and run[0] not in ELLIPSES:
        return list(run)
    if len(run) < 4:
        return [run]
    units = [run[k:k + 2] for k in range(0, len(run) - len(run) % 2, 2)]
    if len(run) % 2:
        units[-1] += run[-1]
    return units


def _token_end(cl: list[str], i: int) -> int:
    """End (in clusters) of the Latin word / number starting at cluster i (15.8, 1,000,
    COVID-19, PM₁₀, 94.9%, Nguyễn)."""
    n = len(cl)
    j = i + 1
    while j < n:
        c = cl[j]
        if is_word_char(c[0]):
            j += 1
        elif c in CONNECTORS and j + 1 < n and is_word_char(cl[j + 1][0]):
            j += 2
        else:
            break
    while j < n and cl[j] in TOKEN_SUFFIX:
        j += 1
    return j


def no_line_start(item: str) -> bool:
    """Whether the item may not start a line. —— ⸺ …… and a lone … may (GB/T 15834 forbids only
    cutting them, 5.1.4 and 5.1.5); a lone — ― ─ is a connector, which may not (5.1.6)."""
    first = item[0]
    if first in GROUPED:
        return first in PAIRED_DASHES and len(item) == 1
    return first in NO_START


def is_unit(item: str) -> bool:
    """A dash (set with fwid), an ellipsis of more than one character, or any other item of
    several characters but a Latin/number token (an emoji sequence, a base and its marks, an
    ideograph and its variation selector): painted in a box of its own, never letter-spaced
    inside (the spacing after it is a margin)."""
    return item[0] in DASHES or len(item) > 1


def may_break(before: str, before_kind: str, after: str, after_kind: str) -> bool:
    """Whether a line may end after item `before` and the next start with item `after`."""
    if after_kind == SPACE or IDEOGRAPHIC_SPACE in (after[0], before[-1]):
        return False
    if no_line_start(after) or last_base(before) in NO_END:
        return False
    # two units of one run (————) part only by a forced break
    return not (after[0] == before[-1] and after[0] in GROUPED)


def needs_autospace(left_kind: str, left: str, right_kind: str, right: str) -> bool:
    """A quarter em goes between a Han character and a Latin/number token."""
    if left_kind == HAN and right_kind == WORD:
        return left[-1] not in GROUPED and has_autospace(right[0])
    if left_kind == WORD and right_kind == HAN:
        last = last_base(left)
        return right[0] not in GROUPED and (has_autospace(last) or last in TOKEN_SUFFIX)
    return False


def last_base(item: str) -> str:
    """The base character of the item's last grapheme cluster: its last character less any
    combining mark, joiner or variation selector after it (❤️ -> ❤, Zoë -> e)."""
    k = len(item) - 1
    while k > 0 and _extends(item[k]):
        k -= 1
    return item[k]


def _extends(ch: str) -> bool:
    value = _extenders.get(ch)
    if value is None:
        cp = ord(ch)
        value = _extenders[ch] = unicodedata.category(ch) in ("Mn", "Me", "Cf") or \
            0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF or 0x1F3FB <= cp <= 0x1F3FF
    return value


_extenders: dict[str, bool] = {}
