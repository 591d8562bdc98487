"""Stage 1 (continued): text as written, in one form.

Issue files are read as NFC (canonically equivalent spellings, such as `é` typed as e + U+0301,
become one; the composer, the fonts and the PDF's text layer then see one spelling), and the
invisible characters that change the order or the visibility of the text around them are
refused with their place: a right-to-left override prints a headline backwards while the file
looks right in an editor.  Tabs become spaces (`source`).

Invisible characters that only join or separate (ZWJ inside emoji sequences, ZWNJ, variation
selectors, zero-width space, word joiner, soft hyphen, U+FEFF) are kept: they change nothing a
reader could be misled by, and an emoji sequence needs ZWJ.
"""
from __future__ import annotations

import re
import unicodedata

#: Refused invisible characters, by range, with what they do.
_ORDER = "changes the order in which the text around it is shown"
_ARRANGE = "changes how the text around it is arranged"
_HIDE = "hides or moves the text around it"
REFUSED = (
    (0x061C, 0x061C, _ORDER), (0x200E, 0x200F, _ORDER), (0x202A, 0x202E, _ORDER),
    (0x2066, 0x2069, _ORDER),                       # bidi marks, embeddings, overrides, isolates
    (0x206A, 0x206F, _ARRANGE),                     # deprecated: swapping, shaping, digit shapes
    (0xFFF9, 0xFFFB, _HIDE),                        # interlinear annotation
    (0x13430, 0x1345F, _ARRANGE), (0x1BCA0, 0x1BCA3, _ARRANGE), (0x1D173, 0x1D17A, _ARRANGE),
    (0xE0000, 0xE007F, _HIDE),                      # tags, except inside an emoji flag (below)
)
_REFUSED = re.compile("[" + "".join(f"\\U{lo:08X}-\\U{hi:08X}" for lo, hi, _ in REFUSED) + "]")
#: A subdivision flag such as 🏴󠁧󠁢󠁳󠁣󠁴󠁿: a black flag, tag letters, a cancel tag.
EMOJI_TAG_SEQUENCE = re.compile("\U0001F3F4[\U000E0020-\U000E007E]+\U000E007F")


#: Unicode's Default_Ignorable_Code_Point (DerivedCoreProperties.txt): characters a renderer
#: shows as nothing when no font has them (HarfBuzz and Pango do), so no font needs them.
_IGNORABLE = re.compile(
    "[\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u202A-\u202E"
    "\u2060-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0\uFFF0-\uFFF8\U0001BCA0-\U0001BCA3"
    "\U0001D173-\U0001D17A\U000E0000-\U000E0FFF]")


def ignorable(char: str) -> bool:
    """Whether `char` is default-ignorable: invisible unless a font draws it."""
    return _IGNORABLE.match(char) is not None


def normalise(text: str) -> str:
    """The text in Unicode Normalization Form C."""
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def describe(char: str) -> str:
    """`U+202E RIGHT-TO-LEFT OVERRIDE`: a character named by code point and Unicode name."""
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f" {name}" if name else "")


def refused_characters(text: str) -> list[tuple[int, str]]:
    """(offset, message) for every refused invisible character in `text`."""
    allowed = {i for m in EMOJI_TAG_SEQUENCE.finditer(text) for i in range(m.start(), m.end())}
    found = []
    for match in _REFUSED.finditer(text):
        if match.start() in allowed:
            continue
        code = ord(match.group())
        effect = next(effect for lo, hi, effect in REFUSED if lo <= code <= hi)
        found.append((match.start(), f"contains the invisible character {describe(match.group())}, "
                                     f"which {effect}; delete it"))
    return found
