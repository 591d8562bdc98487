"""Preflight, layout and report: plan findings, WeasyPrint warnings, page count; the report's
text and JSON forms, exit codes and the `layout check` command. The sample is checked once."""
from __future__ import annotations

import json
import re
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from layout.cli import main
from layout.errors import Finding, Severity
from layout.pipeline import Rendered
from layout.preflight import Report, check_issue
from layout.preflight.layout import check_layout

from .conftest import MINIMAL, SAMPLE

SAMPLE_FINDINGS = [
    "issues/2026-changzhi-lianghui/issue.yaml:36: warning: pages[0].stories[0].body: Latin word "
    "'and' inside a Chinese sentence; translate or delete it",
    "issues/2026-changzhi-lianghui/issue.yaml:50: warning: pages[0].stories[1].body: '“' is not "
    "closed by '”' in this paragraph",
    "issues/2026-changzhi-lianghui/issue.yaml:80: warning: pages[1].stories[1].body: doubled word "
    "'检查检查'; delete one '检查' unless it is meant",
    "issues/2026-changzhi-lianghui/issue.yaml:84: note: pages[1].stories[1].body: '₁' (U+2081) is "
    "not in the body font Noto Serif CJK SC; it prints in the fallback font Noto Serif",
    "issues/2026-changzhi-lianghui/issue.yaml:84: note: pages[1].stories[1].body: '₀' (U+2080) is "
    "not in the body font Noto Serif CJK SC; it prints in the fallback font Noto Serif",
    "issues/2026-changzhi-lianghui/issue.yaml:100: note: pages[1].photos[4].image: "
    "'images/standin-09-feiwen.jpg' is stored turned (EXIF orientation 6): printed upright",
]


@pytest.fixture(scope="module")
def sample_report():
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(SAMPLE.parents[1])
        return check_issue(SAMPLE.relative_to(SAMPLE.parents[1]))


def test_sample_report_lists_the_seed_slips_and_nothing_false(sample_report):
    lines = [line for f, line in zip(sample_report.sorted(), sample_report.lines())
             if f.kind != "layout"]
    assert lines == SAMPLE_FINDINGS
    assert sample_report.pages == 2


def test_sample_has_no_weasyprint_warnings_and_no_errors(sample_report):
    assert [str(f) for f in sample_report.findings if f.kind == "render"] == []
    assert sample_report.count(Severity.ERROR) == 0
    assert sample_report.exit_code() == 0
    assert sample_report.exit_code(strict=True) == 1


def test_sample_json_report(sample_report):
    data = json.loads(sample_report.as_json())
    assert data["summary"]["pages"] == 2
    assert data["summary"]["errors"] == 0
    slip = next(f for f in data["findings"] if f["line"] == 80)
    assert slip == {"severity": "warning", "kind": "text",
                    "file": "issues/2026-changzhi-lianghui/issue.yaml", "line": 80,
                    "key": "pages[1].stories[1].body",
                    "message": "doubled word '检查检查'; delete one '检查' unless it is meant"}


def fake_rendered(findings, planned=2, laid_out=2) -> Rendered:
    document = SimpleNamespace(pages=[None] * laid_out)
    return Rendered(None, [None] * planned, "", document, findings)


def test_weasyprint_warnings_and_plan_findings_are_reported():
    ignored = Finding("WeasyPrint: Ignored `text-spacing: x` at 3:1, unknown property.",
                      file="x.html", severity=Severity.WARNING, kind="render")
    overset = Finding("overset by 4 lines: '标题' does not fit on page 1", "x/issue.yaml", 7,
                      "pages[0].stories[0]")
    findings = check_layout(fake_rendered([ignored, overset]), "x/issue.yaml")
    assert findings[0] == ignored
    assert (findings[1].kind, findings[1].severity, findings[1].message) == (
        "layout", Severity.ERROR, "overset by 4 lines: '标题' does not fit on page 1")


def test_more_pages_than_planned_is_an_error():
    findings = check_layout(fake_rendered([], planned=2, laid_out=3), "x/issue.yaml")
    assert [str(f) for f in findings] == [
        "x/issue.yaml: WeasyPrint laid out 3 pages for 2 planned pages: something overflows its page"]


def test_an_overset_story_fails_the_check(write_issue):
    body = "\n\n".join(["这是一段很长的正文，用来把版面挤满。" * 30] * 40)
    folder = write_issue(MINIMAL.replace("第一段正文。", body.replace("\n", "\n          ")))
    report = check_issue(folder)
    overset = [f for f in report.findings if f.kind == "layout" and f.severity is Severity.ERROR]
    assert overset and re.fullmatch(r"overset by \d+ lines: '标题' does not fit on page 1",
                                    overset[0].message)
    assert report.exit_code() == 1


def test_report_text_and_exit_codes():
    report = Report("x/issue.yaml", [
        Finding("a warning", "x/issue.yaml", 9, "pages[0]", Severity.WARNING, "text"),
        Finding("a note", "x/issue.yaml", 3, "paper", Severity.INFO, "font")], pages=1)
    assert report.lines() == ["x/issue.yaml:3: note: paper: a note",
                              "x/issue.yaml:9: warning: pages[0]: a warning",
                              "x/issue.yaml: 1 page; 0 errors, 1 warning, 1 note"]
    assert (report.exit_code(), report.exit_code(strict=True)) == (0, 1)


def test_check_command_json_and_strict(write_issue):
    folder = write_issue(MINIMAL.replace("第一段正文。", "第一段正文 and 更多。"))
    runner = CliRunner()
    result = runner.invoke(main, ["check", str(folder), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [(f["severity"], f["kind"], f["line"], f["message"]) for f in data["findings"]
            if f["kind"] != "layout"] == [
        ("warning", "text", 9, "Latin word 'and' inside a Chinese sentence; translate or delete it")]
    strict = runner.invoke(main, ["check", str(folder), "--strict"])
    assert strict.exit_code == 1
    assert "x/issue.yaml:9: warning: pages[0].stories[0].body: Latin word 'and'" in strict.output
