"""Preflight, editorial lint: every text field linted, each slip located by file, line and key."""
from __future__ import annotations

from layout.errors import Severity
from layout.preflight.lint import check_text
from layout.source import load_source

from .conftest import MINIMAL, SAMPLE


def lines_of(findings):
    return [f"{f.line}: {f.key}: {f.message}" for f in findings]


def test_the_sample_slips_are_found_with_their_lines():
    source = load_source(SAMPLE / "issue.yaml", label="issue.yaml")
    findings = check_text(source)
    assert lines_of(findings) == [
        "36: pages[0].stories[0].body: Latin word 'and' inside a Chinese sentence; translate or delete it",
        "50: pages[0].stories[1].body: '“' is not closed by '”' in this paragraph",
        "80: pages[1].stories[1].body: doubled word '检查检查'; delete one '检查' unless it is meant",
    ]
    assert {(f.severity, f.kind, f.file) for f in findings} == {(Severity.WARNING, "text", "issue.yaml")}


def test_clean_text_has_no_findings(write_issue):
    assert check_text(load_source(write_issue(MINIMAL) / "issue.yaml")) == []


def test_every_text_field_is_linted(write_issue):
    folder = write_issue("""\
        paper: 示例日报
        title: 测试特刊
        date: 2026-02-10
        pages:
          - section: 要闻,今日
            banner:
              title: 两会(特刊)
            stories:
              - headline: 标题
                subhead: 会议召开于２０２６年
                body: |
                  第一段正文。

                  第二段研究研究正文，共3项。
                figures:
                  - image: a.jpg
                    caption: 图片说明 and 更多
        """)
    findings = check_text(load_source(folder / "issue.yaml", label="x/issue.yaml"))
    assert lines_of(findings) == [
        "5: pages[0].section: half-width ',' inside Chinese text; use '，'",
        "7: pages[0].banner.title: half-width '(' inside Chinese text; use '（'",
        "7: pages[0].banner.title: half-width ')' inside Chinese text; use '）'",
        "10: pages[0].stories[0].subhead: full-width digits '２０２６'; use '2026'",
        "14: pages[0].stories[0].body: doubled word '研究研究'; delete one '研究' unless it is meant",
        "17: pages[0].stories[0].figures[0].caption: Latin word 'and' inside a Chinese sentence; "
        "translate or delete it",
    ]
