"""Preflight stage, editorial lint: lint_text on hand-made sentences, the seed and generated text."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from layout.errors import Severity
from layout.lint import SLIP_KINDS, Slip, lint_slip_severity, lint_text

from .conftest import SEED  # noqa: E402


def slips(text: str) -> list[tuple[str, str, str]]:
    """(kind, offending text, message) for each slip."""
    return [(s.kind, text[s.offset:s.offset + s.length], s.message) for s in lint_text(text)]


# --- half-width punctuation --------------------------------------------------------------

@pytest.mark.parametrize("text, mark, full", [
    ("今天,明天", ",", "，"), ("记者:王明", ":", "："), ("东区;西区", ";", "；"),
    ("好!", "!", "！"), ("为什么 ?", "?", "？"),
])
def test_half_width_punct(text, mark, full):
    assert slips(text) == [("half-width-punct", mark,
                            f"half-width '{mark}' inside Chinese text; use '{full}'")]


def test_half_width_brackets_around_latin_next_to_han():
    assert [kind_and_text[:2] for kind_and_text in slips("正来制药(GMP)项目")] == [
        ("half-width-punct", "("), ("half-width-punct", ")")]


@pytest.mark.parametrize("text", [
    "增长3.8个百分点", "比例为1:2", "f(x), g(y)", "访问 http://example.com 查看", "Hello, world!",
])
def test_half_width_punct_in_latin_context_is_fine(text):
    assert slips(text) == []


# --- balance -----------------------------------------------------------------------------

def test_unclosed_quote():
    text = "他说：“走吧。"
    assert lint_text(text) == [
        Slip(3, 1, "unbalanced", "'“' is not closed by '”' in this paragraph")]


def test_closing_without_opening():
    assert slips("走吧》。") == [("unbalanced", "》", "'》' has no matching '《'")]


def test_mis_nested_marks():
    assert slips("“甲（乙”丙）") == [
        ("unbalanced", "（", "'（' is not closed before '”'"),
        ("unbalanced", "）", "'）' has no matching '（'"),
    ]


def test_balance_is_checked_per_paragraph():
    text = "“第一段\n\n第二段”"
    assert slips(text) == [
        ("unbalanced", "“", "'“' is not closed by '”' in this paragraph"),
        ("unbalanced", "”", "'”' has no matching '“'"),
    ]
    assert lint_text(text)[1].offset == len(text) - 1


def test_balanced_marks_are_fine():
    assert slips("《人民日报》报道：“他说‘好’（见【附表】）。”「甲『乙』」") == []


def test_apostrophe_is_not_a_quote():
    assert slips("据China’s Daily报道") == []


# --- doubled words -----------------------------------------------------------------------

def test_doubled_word():
    assert slips("检查检查结果互认") == [
        ("doubled", "检查检查", "doubled word '检查检查'; delete one '检查' unless it is meant")]


@pytest.mark.parametrize("text, unit", [("研究研究", "研究"), ("高质量高质量发展", "高质量"),
                                        ("乡村振兴乡村振兴", "乡村振兴")])
def test_doubled_units_of_two_to_four(text, unit):
    assert [(kind, found) for kind, found, _ in slips(text)] == [("doubled", unit * 2)]


@pytest.mark.parametrize("text", ["常常", "人人都说", "天天向上", "看看", "干干净净", "哈哈哈哈",
                                  "一步一步走", "检查，检查", "一个一个地"])
def test_reduplication_is_fine(text):
    assert slips(text) == []


# --- stray Latin -------------------------------------------------------------------------

def test_stray_latin_word():
    assert slips("二十大精神 and 二十届") == [
        ("stray-latin", "and", "Latin word 'and' inside a Chinese sentence; translate or delete it")]


@pytest.mark.parametrize("text", ["正来制药GMP易地", "夸克AI讲古建", "100MW光伏", "每km运价",
                                  "购买iPhone手机", "PM₁₀平均浓度", "the end", "他说 ok"])
def test_names_units_and_latin_context_are_fine(text):
    assert slips(text) == []


# --- digits ------------------------------------------------------------------------------

def test_full_width_digits():
    assert slips("２０２５年") == [("mixed-digits", "２０２５", "full-width digits '２０２５'; use '2025'")]


def test_mixed_digits():
    assert slips("２０２５年投资79亿元") == [
        ("mixed-digits", "２０２５",
         "full-width digits '２０２５' (the text also has half-width digits); use '2025'")]


# --- severity ----------------------------------------------------------------------------

def test_every_kind_is_a_warning():
    assert {lint_slip_severity(kind) for kind in SLIP_KINDS} == {Severity.WARNING}
    with pytest.raises(ValueError):
        lint_slip_severity("typo")


# --- the seed ----------------------------------------------------------------------------

@pytest.mark.skipif(not SEED.is_file(), reason="seed issue text not available")
def test_seed_slips_are_all_real():
    text = SEED.read_text(encoding="utf-8")
    found = [(s.kind, text[s.offset - 4:s.offset + s.length + 4]) for s in lint_text(text)]
    assert found == [
        ("unbalanced", "范县”，“上党中药"),  # the quote is never closed
        ("stray-latin", "大精神 and 二十届"),
        ("doubled", "准发力，检查检查结果互认"),
    ]


# --- generated text ----------------------------------------------------------------------

HAN_CHARS = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
SENTENCE = st.lists(HAN_CHARS, min_size=1, max_size=12, unique=True).map("".join)
PLAIN_PUNCT = st.sampled_from("，。、；：？！")
WRAPPERS = st.sampled_from(["{}", "“{}”", "（{}）", "《{}》", "「{}」", "【{}】", "‘{}’"])


@st.composite
def clean_chinese(draw) -> str:
    """Han sentences (no character repeated within one) with full-width punctuation."""
    parts = []
    for sentence in draw(st.lists(SENTENCE, min_size=1, max_size=8)):
        parts.append(draw(WRAPPERS).format(sentence) + draw(PLAIN_PUNCT))
    return "".join(parts)


@settings(max_examples=300)
@given(st.text())
def test_lint_never_crashes_and_offsets_are_in_the_text(text):
    for slip in lint_text(text):
        assert 0 <= slip.offset and slip.length >= 1
        assert slip.offset + slip.length <= len(text)
        assert slip.kind in SLIP_KINDS


@settings(max_examples=200)
@given(st.text(alphabet="检查研究，, ：:“”（）()《》and GMP ２3\n", max_size=40))
def test_lint_on_dense_slips(text):
    for slip in lint_text(text):
        assert 0 <= slip.offset < slip.offset + slip.length <= len(text)


@settings(max_examples=300)
@given(clean_chinese())
def test_clean_chinese_has_no_slip(text):
    assert lint_text(text) == []
