"""Preflight, glyph coverage: characters set in the fallback face, and characters no face has."""
from __future__ import annotations

import pytest

from layout.errors import Severity
from layout.fonts import resolve_fonts
from layout.preflight.fonts import check_fonts, role_spans
from layout.source import load_source
from layout.theme import load_theme

ISSUE = """\
paper: 示例日报
title: 测试特刊
date: 2026-02-10
pages:
  - section: 要闻
    stories:
      - headline: 标题{headline}
        body: |
          第一段正文。

          **引语{lead}**正文PM₁₀浓度下降。
"""


@pytest.fixture(scope="module")
def fonts():
    return resolve_fonts(load_theme())


def check(write_issue, fonts, headline="", lead=""):
    folder = write_issue(ISSUE.format(headline=headline, lead=lead))
    return check_fonts(load_source(folder / "issue.yaml", label="x/issue.yaml"), fonts)


def test_fallback_characters_are_notes_with_their_code_and_line(write_issue, fonts):
    findings = check(write_issue, fonts)
    assert [str(f) for f in findings] == [
        "x/issue.yaml:11: pages[0].stories[0].body: '₁' (U+2081) is not in the body font "
        "Noto Serif CJK SC; it prints in the fallback font Noto Serif",
        "x/issue.yaml:11: pages[0].stories[0].body: '₀' (U+2080) is not in the body font "
        "Noto Serif CJK SC; it prints in the fallback font Noto Serif",
    ]
    assert {(f.severity, f.kind) for f in findings} == {(Severity.INFO, "font")}


FALLBACKS = "Noto Serif, HanaMinB, Noto Color Emoji, BabelStone Han"


def test_rare_ideographs_and_emoji_print_in_the_fallback_faces(write_issue, fonts):
    findings = check(write_issue, fonts, headline="\U0002A6A5🇨🇳👨\u200d👩\u200d👧")
    assert [f.message for f in findings[:3]] == [
        "'𪚥' (U+2A6A5) is not in the headline font Noto Serif CJK SC; it prints in the fallback "
        "font HanaMinB",
        "'🇨🇳' (U+1F1E8 U+1F1F3) is not in the headline font Noto Serif CJK SC; it prints in the "
        "fallback font Noto Color Emoji",
        "'👨\u200d👩\u200d👧' (U+1F468 U+200D U+1F469 U+200D U+1F467) is not in the headline font "
        "Noto Serif CJK SC; it prints in the fallback font Noto Color Emoji"]


def test_a_character_no_face_has_is_an_error(write_issue, fonts):
    # U+30041, CJK Extension G: none of the installed faces has it (BabelStone Han 15.0.5 has
    # 3,045 of Extension G's 4,939 ideographs)
    findings = check(write_issue, fonts, headline="\U00030041")
    assert str(findings[0]) == (
        "x/issue.yaml:7: pages[0].stories[0].headline: '\U00030041' (U+30041) is in no font of "
        f"role 'headline' (Noto Serif CJK SC, {FALLBACKS}), so it cannot be printed: replace the "
        "character or add a font that has it")
    assert findings[0].severity is Severity.ERROR


def test_lead_ins_are_checked_in_the_lead_chain(write_issue, fonts):
    findings = check(write_issue, fonts, lead="\U00030041")
    assert findings[0].message == (
        "'\U00030041' (U+30041) is in no font of role 'lead' (Noto Sans CJK SC, Noto Serif CJK SC, "
        f"{FALLBACKS}), so it cannot be printed: replace the character or add a font that has it")
    assert findings[0].line == 11


def test_role_spans_split_lead_ins_from_body():
    text = "甲乙。\n\n**引语**正文"
    assert [(text[a:b], role) for a, b, role in role_spans(text, "body")] == [
        ("甲乙。\n\n", "body"), ("引语", "lead"), ("正文", "body")]
    assert role_spans("标题", "headline") == [(0, 2, "headline")]
