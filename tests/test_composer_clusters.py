"""The composer (layout decisions: line composition) keeps grapheme clusters whole: a base and
its combining marks, emoji ZWJ and skin-tone sequences, regional-indicator flags, ideographic
variation sequences and Hangul syllables in jamo are never cut by a line break nor reordered.
Line-level tests on the composer's own lines, and a render read back from the PDF's text layer."""
from __future__ import annotations

import logging
import re
import sys
import unicodedata
from functools import lru_cache
from pathlib import Path

import pytest
import regex

from layout.composer import COMPOSER_CSS, Run, compose_paragraph, paragraph_html
from layout.composer.classes import split_items
from layout.composer.metrics import advance_em, missing_chars

sys.path.insert(0, str(Path(__file__).parent))
from test_composer_render import body_faces, fc_face, render  # noqa: E402

SIZE = 9.0
NAMES = unicodedata.normalize("NFD", "Nguyễn、Zoë、ñ、å")          # decomposed, as pasted
EMOJI = ["👩🏽\u200d💻", "👍🏿", "🇨🇳", "👨\u200d👩\u200d👧", "❤\ufe0f"]
IVS = "葛\U000E0100"                                                  # ideograph + variation selector
JAMO = "\u1100\u1161\u11a8"                                           # 각 in conjoining jamo


@lru_cache(maxsize=None)
def faces():
    return body_faces() + (fc_face("Noto Color Emoji"),)


def compose(text: str, width: float, **kw):
    return compose_paragraph([Run(text, faces())], width=width, size=SIZE, **kw)


def boundaries(text: str) -> set[int]:
    """Offsets (in code points) where one grapheme cluster ends and the next begins."""
    ends, at = {0}, 0
    for cluster in regex.findall(r"\X", text):
        at += len(cluster)
        ends.add(at)
    return ends


def mixed_text() -> str:
    parts = [f"记者{NAMES}报道，", *(f"大家{e}点赞" for e in EMOJI), f"姓{IVS}的人、{JAMO}字，",
             "Crème brûlée".replace("è", "e\u0300").replace("û", "u\u0302"), "与中文混排。"]
    return "".join(parts) * 3


def test_items_are_whole_clusters():
    items = [t for t, _ in split_items("记者" + NAMES)]
    assert items == ["记", "者", *unicodedata.normalize("NFD", "Nguyễn、Zoë、ñ、å").replace(
        "、", " 、 ").split(" ")]
    for cluster in [*EMOJI, IVS, JAMO]:
        assert [t for t, _ in split_items("汉" + cluster + "字")] == ["汉", cluster, "字"]


@pytest.mark.parametrize("width", [w / 2 for w in range(100, 400, 7)])
def test_lines_break_only_between_clusters(width):
    text = mixed_text()
    para = compose(text, width)
    assert "".join(line.text for line in para.lines) == text
    ends = boundaries(text)
    at = 0
    for line in para.lines:
        at += len(line.text)
        assert at in ends, (line.text, width)
    assert not para.missing


def test_overlong_word_breaks_between_clusters_only():
    word = unicodedata.normalize("NFD", "Ñandúñandúñandúñandúñandú")
    para = compose("汉" + word + "字", 40.0)
    ends = boundaries("汉" + word + "字")
    at = 0
    for line in para.lines:
        at += len(line.text)
        assert at in ends, line.text
    assert len(para.lines) > 2


def test_emoji_sequence_measured_as_one_glyph_and_joiners_never_missing():
    """The ZWJ is mapped by the CJK face, the emoji by the emoji face: the sequence is still
    shaped in one face, as Pango does, into one glyph one emoji wide."""
    one = advance_em("💻", faces())
    for sequence in EMOJI:
        assert advance_em(sequence, faces()) == pytest.approx(one)
    assert missing_chars("".join(EMOJI) + IVS, faces()) == set()
    assert missing_chars("👍🏿", body_faces()) == {"👍", "🏿"}   # no emoji face: named, not ZWJ


def _page(paragraphs: list[str], width: float) -> str:
    html = "".join(f'<p class="cz-p">{paragraph_html(compose(t, width))}</p>' for t in paragraphs)
    return f"""<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><style>
@page {{ size: 400pt 600pt; margin: 40pt; }}
body {{ margin: 0; font-family: "Noto Serif CJK SC", "Noto Serif", "Noto Color Emoji";
  font-size: {SIZE}pt; line-height: 1.6; }}
p {{ margin: 0; width: {width}pt; }}
{COMPOSER_CSS}</style></head><body>{html}</body></html>"""


def _layer(text: str) -> str:
    """Text as a PDF text layer gives it back: NFC, no whitespace, and no ideographic variation
    selector (the variant glyph's ToUnicode names only its ideograph)."""
    return unicodedata.normalize("NFC", re.sub(r"[\s\U000E0100-\U000E01EF]", "", text))


def test_rendered_text_layer_keeps_every_cluster_in_order(tmp_path, caplog):
    """Decomposed Nguyễn、Zoë、ñ、å, emoji sequences and flags come back from the PDF's text
    layer in order (NFC-equal), and every non-final line still ends at the column edge."""
    import pdfplumber
    caplog.set_level(logging.WARNING, logger="weasyprint")
    width = 13 * SIZE
    text = mixed_text()
    pdf = render(_page([text], width), tmp_path / "clusters.pdf")
    assert not [r for r in caplog.records if r.name.startswith("weasyprint")]
    with pdfplumber.open(pdf) as doc:
        chars = [c for page in doc.pages for c in page.chars]
    drawn = "".join(c["text"] for c in chars)               # content-stream (logical) order
    assert _layer(drawn) == _layer(text)
    assert unicodedata.normalize("NFC", "Nguyễn、Zoë、ñ、å") in unicodedata.normalize("NFC", drawn)
    lines = compose(text, width).lines
    rows = [[chars[0]]]                 # a new row where the pen goes back to the left edge
    for c in chars[1:]:
        if c["x0"] < rows[-1][-1]["x0"] - 4 * SIZE:
            rows.append([])
        rows[-1].append(c)
    assert [_layer("".join(c["text"] for c in r)) for r in rows] == [_layer(ln.text) for ln in lines]
    for r, line in zip(rows[:-1], lines[:-1]):
        end = max(c["x1"] for c in r if c["width"] > 0)
        assert abs(end - (40 + width)) <= 0.5 or line.text[-1] in "，。、；：" and \
            abs(end - (40 + width + SIZE / 2)) <= 0.5, (line.text, end)
