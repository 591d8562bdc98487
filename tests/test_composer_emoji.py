"""Emoji in the composer (layout decisions: line composition): each cluster is measured in the
face Pango 1.50 draws it in. Pango sets an emoji run (emoji.py: ⚽ 🈶, ☝, ♥️ 1️⃣, 👍🏽 🇨🇳, ZWJ
sequences) in the colour emoji face even where the body face has the character, and a text
run in the CSS's faces, which do not name the emoji face (⚽︎, ♥, 1⃣, a lone 🇨 in BabelStone
Han). Checked against the font of every glyph in a rendered PDF, and the column's right edge."""
from __future__ import annotations

import logging
from functools import lru_cache

import pdfplumber
import pytest
from fontTools.ttLib import TTFont

from layout.composer import COMPOSER_CSS, Run, compose_paragraph, paragraph_html
from layout.composer import emoji
from layout.composer.emoji import emoji_mask
from layout.composer.metrics import advance_em, emoji_face, face_runs, text_order
from layout.fonts import fallback_roles, resolve_fonts
from layout.page.typeset import Typesetter
from layout.theme import load_theme

SIZE = 9.0
WIDTH = 13 * SIZE
#: the 26 emoji-presentation characters Noto Serif CJK SC also has, and two it lacks
BODY_FACE_EMOJI = "⚽⚾🆎🆑🆒🆓🆔🆕🆖🆗🆘🆙🆚🈁🈚🈯🈲🈳🈴🈵🈶🈸🈹🈺🉐🉑" + "⌚🀄"
FAMILY = "👨\u200d👩\u200d👧"
#: clusters whose face Pango chooses by its emoji scanner, one of each kind
CLUSTERS = [*BODY_FACE_EMOJI, "⚽\ufe0e", "🈶\ufe0e", "♥\ufe0f", "©\ufe0f", "☀\ufe0f", "1\ufe0f",
            "#\ufe0f", "1\ufe0f\u20e3", "#\ufe0f\u20e3", "☝", "✌", "👍🏽", "🇨🇳", FAMILY, "🇨", "1\u20e3",
            "♥", "©", "☀", "↔", "⏏", "☺", "❤", "#", "2026"]


@pytest.fixture(autouse=True)
def cold_categories(monkeypatch):
    """Each test reads the scanner's categories afresh (emoji.category caches them per
    character): what it asserts is what category computes, not what an earlier test left."""
    monkeypatch.setattr(emoji, "_categories", {})


@pytest.mark.parametrize("text,mask", [
    ("⚽", "E"), ("⚽\ufe0e", "tt"), ("⚽\ufe0f", "EE"),       # Emoji_Presentation; VS15 makes it text
    ("♥", "t"), ("♥\ufe0f", "EE"), ("©\ufe0f", "EE"),         # text presentation unless VS16
    ("☝", "E"), ("☝🏽", "EE"),                                # a modifier base is emoji alone
    ("1", "t"), ("1\ufe0f", "EE"), ("1\ufe0f\u20e3", "EEE"), ("1\u20e3", "tt"),   # keycaps
    ("🇨🇳", "EE"), ("🇨", "t"), (FAMILY, "EEEEE"), ("⚽\u200d", "Et"),
    ("汉⚽汉2026#", "tEtttttt"), ("🏴\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F", "EEEEEEE"),
])
def test_pango_emoji_runs(text, mask):
    assert "".join("E" if m else "t" for m in emoji_mask(text)) == mask


TAG_G, TAG_B, TAG_TERM = "\U000E0067", "\U000E0062", "\U000E007F"
HEART_ON_FIRE = "\u2764\ufe0f\u200d\U0001f525"           # ❤️‍🔥
WOMAN_TECHNOLOGIST = "\U0001f469\U0001f3fd\u200d\U0001f4bb"  # 👩🏽‍💻


@pytest.mark.parametrize("text,mask", [
    ("⚽\ufe0e⚽", "ttE"), ("\ufe0e⚽⚽", "tEE"),              # VS15 makes only its base text
    ("🏴", "E"), ("🏴" + TAG_TERM, "Et"), ("🏴" + TAG_G + TAG_TERM, "EEE"),   # the black flag
    ("🏴" + TAG_G + TAG_B, "Ett"), ("🏴" + TAG_G + "a", "Ett"),   # tags without their end
    ("🏴a" + TAG_TERM, "Ett"), ("a" + TAG_G + TAG_TERM, "ttt"),  # no flag, or a gap
    ("汉🏴" + TAG_G + TAG_B + TAG_TERM, "tEEEE"),                # a tag sequence after text
    (HEART_ON_FIRE, "EEEE"), (WOMAN_TECHNOLOGIST, "EEEE"),      # ZWJ of VS16 / modifier elements
    ("汉" + FAMILY, "tEEEEE"), ("\U0001f468\u200d\U0001f469\u200da", "EEEtt"),  # a ZWJ to text
    ("\U0001f468\u200d\u2764\ufe0f", "EEEE"), ("\u2764\ufe0f汉\u200d\U0001f525", "EEttE"),
])
def test_emoji_runs_of_tag_and_zwj_sequences(text, mask):
    """A tag sequence is an emoji run only from the black flag through its cancel tag; a ZWJ
    sequence runs over elements that are emoji (with U+FE0F or a skin tone) and stops at text."""
    assert "".join("E" if m else "t" for m in emoji_mask(text)) == mask


@pytest.mark.parametrize("char,cat", [
    ("a", emoji.OTHER), ("Z", emoji.OTHER), ("汉", emoji.OTHER), ("\u00e9", emoji.OTHER),
    ("\U000E0030", emoji.TAG), ("\U000E0039", emoji.TAG), ("\U000E0061", emoji.TAG),
    ("\U000E007A", emoji.TAG), ("\U000E002F", emoji.OTHER), ("\U000E003A", emoji.OTHER),
    ("\U000E0060", emoji.OTHER), ("\U000E007B", emoji.OTHER), (TAG_TERM, emoji.TAG_TERM),
    ("\U0001f3f4", emoji.TAG_BASE), ("#", emoji.KEYCAP_BASE), ("7", emoji.KEYCAP_BASE),
    ("☝", emoji.MODIFIER_BASE), ("\U0001f3fd", emoji.MODIFIER), ("🇨", emoji.REGIONAL),
    ("⚽", emoji.PRESENTATION), ("♥", emoji.TEXT), ("\u200d", emoji.ZWJ), ("\ufe0e", emoji.VS15),
    ("\ufe0f", emoji.VS16), ("\u20e3", emoji.KEYCAP), ("\u20e0", emoji.CIRCLE_BACKSLASH),
])
def test_the_scanners_categories(char, cat):
    """pango-emoji.c's categories: the specific characters, the tag digits and letters
    (U+E0030-E0039, U+E0061-E007A; the tags either side are nothing), then the emoji
    properties in order; a Latin letter or a Han character is none of them."""
    assert emoji.category(char) == cat


@lru_cache(maxsize=None)
def theme_chains():
    theme = load_theme()
    fonts = resolve_fonts(theme)
    return fonts, Typesetter.for_theme(theme, fonts).faces


@lru_cache(maxsize=None)
def pdf_name(face) -> str:
    """The font name WeasyPrint writes into the PDF: the family, spaces as hyphens."""
    name = TTFont(face.path, fontNumber=face.index, lazy=True)["name"]
    return (name.getDebugName(16) or name.getDebugName(1)).replace(" ", "-")


def test_emoji_the_body_face_has_are_measured_in_the_emoji_face():
    _, chains = theme_chains()
    body = chains["body"]
    emoji = emoji_face(body)
    assert pdf_name(emoji) == "Noto-Color-Emoji"
    assert text_order(body)[-1] == emoji and text_order(body)[:3] == body[:3]
    for char in BODY_FACE_EMOJI:
        assert [face for face, _ in face_runs(char, body)] == [emoji], char
        assert advance_em(char, body) == pytest.approx(advance_em(char, (emoji,)))
        assert advance_em(char, body) > 1.2                  # the colour glyph, not 1 em
    assert advance_em("⚽\ufe0e", body) == pytest.approx(1.0)   # text presentation: the body face


def faces_of(cluster: str, chain) -> list[str]:
    """The PDF font names the composer measured a cluster in, in order (consecutive ones once)."""
    names = [pdf_name(face) for face, _ in face_runs(cluster, chain)]
    return [n for k, n in enumerate(names) if k == 0 or names[k - 1] != n]


def render_clusters(tmp_path, caplog):
    fonts, chains = theme_chains()
    families = [fonts["body"].family] + [fonts[r].family for r in fallback_roles(fonts) if r != "fallback_emoji"]
    text = "汉" + "汉".join(CLUSTERS) + "汉"
    para = compose_paragraph([Run(text, chains["body"])], width=WIDTH, size=SIZE)
    css = ", ".join(f'"{f}"' for f in families)
    html = f"""<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><style>
@page {{ size: 300pt 800pt; margin: 40pt; }}
body {{ margin: 0; font-family: {css}; font-size: {SIZE}pt; line-height: 1.6; }}
p {{ margin: 0; width: {WIDTH}pt; }}
{COMPOSER_CSS}</style></head><body><p class="cz-p">{paragraph_html(para)}</p></body></html>"""
    import weasyprint
    caplog.set_level(logging.WARNING, logger="weasyprint")
    weasyprint.HTML(string=html).write_pdf(tmp_path / "emoji.pdf")
    assert not [r for r in caplog.records if r.name.startswith("weasyprint")]
    with pdfplumber.open(tmp_path / "emoji.pdf") as pdf:
        return para, chains["body"], [c for c in pdf.pages[0].chars if not c["text"].isspace()]


def test_each_cluster_is_drawn_in_the_face_it_was_measured_in_and_lines_stay_flush(tmp_path, caplog):
    para, chain, chars = render_clusters(tmp_path, caplog)
    drawn, cluster = [], None          # the fonts of the glyphs between two 汉
    for c in chars:
        if c["text"] == "汉":
            if cluster is not None:
                drawn.append(cluster)
            cluster = []
        elif not cluster or cluster[-1] != c["fontname"].split("+")[-1]:
            cluster.append(c["fontname"].split("+")[-1])
    assert len(drawn) == len(CLUSTERS)
    for text, fonts in zip(CLUSTERS, drawn):
        assert fonts == faces_of(text, chain), text
    assert {"Noto-Color-Emoji", "Noto-Serif-CJK-SC", "BabelStone-Han"} <= {f for d in drawn for f in d}
    # each line ends at the column's right edge (the last one before it), never past it
    lines, line = [], []
    for c in chars:
        if line and c["x0"] < line[-1]["x0"] - 0.1:
            lines.append(line)
            line = []
        line.append(c)
    lines.append(line)
    assert len(lines) == len(para.lines)
    right = 40.0 + WIDTH
    for k, line in enumerate(lines):
        end = max(c["x1"] for c in line)
        assert end <= right + 0.01, (k, "".join(c["text"] for c in line), end)
        if k < len(lines) - 1:
            assert end >= right - 0.5 * SIZE, (k, "".join(c["text"] for c in line), end)
