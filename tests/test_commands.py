"""The commands as a newcomer meets them: every content error in one run, located messages,
one catch-all line instead of a traceback, the files each command writes, and plain English."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from layout.cli import main
from layout.errors import LayoutError
from layout.model import load_issue
from layout.theme import TEMPLATES_DIR

from .conftest import MINIMAL, photo


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def problems(folder) -> list[str]:
    with pytest.raises(LayoutError) as caught:
        load_issue(folder)
    return [str(f) for f in caught.value.findings]


ALL_AT_ONCE = MINIMAL.replace("2026-02-10", "2026-02-30\ntheme: tabloid").replace(
    "    stories:", "    storys: []\n    stories:") + """\
        figures:
          - image: images/missing.jpg
            caption: 图一
          - image: "images/a\\0.jpg"
            caption: 图二
"""


def test_every_content_error_is_reported_in_one_run(write_issue):
    assert problems(write_issue(ALL_AT_ONCE)) == [
        "x/issue.yaml:3: date: not a real date: '2026-02-30'",
        f"x/issue.yaml:4: theme: unknown theme 'tabloid'; themes in {TEMPLATES_DIR}: newspaper",
        "x/issue.yaml:7: pages[0].storys: unknown key 'storys'; did you mean 'stories'?",
        "x/issue.yaml:15: pages[0].stories[0].figures[0].image: file 'images/missing.jpg' not found",
        "x/issue.yaml:17: pages[0].stories[0].figures[1].image: "
        "image path contains the invisible character U+0000; delete it",
    ]


def test_check_json_reports_a_nul_in_an_image_path_as_json(write_issue):
    result = run("check", "--json", write_issue(ALL_AT_ONCE))
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert [(f["line"], f["key"]) for f in report["findings"]][-1] == (17, "pages[0].stories[0].figures[1].image")
    assert report["summary"] == {"pages": None, "errors": 5, "warnings": 0, "notes": 0}


def test_unknown_theme_and_a_figure_span_wider_than_the_grid_are_located(write_issue):
    text = MINIMAL.replace("date: 2026-02-10", "date: 2026-02-10\ntheme: tabloid")
    assert [p.split(" themes in ")[0] for p in problems(write_issue(text))] == [
        "x/issue.yaml:4: theme: unknown theme 'tabloid';"]
    folder = write_issue(MINIMAL + "        figure_span: 12\n        figures:\n"
                         "          - image: a.jpg\n            caption: 图\n")
    photo(folder / "a.jpg")
    assert problems(folder) == [
        "x/issue.yaml:12: pages[0].stories[0].figure_span: figure_span 12 is too wide for the 8-column grid: "
        "with 1 figure, at most 7 (one column stays for the text)"]


def test_an_unexpected_failure_is_one_line_and_a_traceback_only_with_v(write_issue, monkeypatch):
    folder = write_issue(MINIMAL)

    def boom(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("layout.pipeline.render_to_files", boom)
    monkeypatch.setattr("layout.preflight.check_issue", boom)
    for command in ("render", "proof", "check"):
        result = run(command, folder)
        assert (result.exit_code, result.output) == (1, "error: RuntimeError: boom (run with -v for details)\n")
    verbose = run("-v", "render", folder)
    assert verbose.exit_code == 1
    assert "Traceback" in verbose.output and verbose.output.endswith("error: RuntimeError: boom\n")
    as_json = json.loads(run("check", "--json", folder).output)
    assert as_json["findings"] == [{"severity": "error", "kind": "internal", "file": "x/issue.yaml", "line": None,
                                    "key": "", "message": "RuntimeError: boom (run with -v for details)"}]


def test_an_output_folder_that_cannot_be_written_is_refused_first(write_issue, tmp_path):
    folder = write_issue(MINIMAL)
    (tmp_path / "file").write_text("")
    read_only = "/sys/kernel/layout-out"       # sysfs: not writable, not even by root
    for out, reason in ((tmp_path / "file" / "out", "Not a directory"), (read_only, "Permission denied")):
        for command in ("render", "batch", "proof"):
            result = run(command, folder, "-o", out)
            assert result.exit_code == 2
            assert result.output.splitlines()[-1] == (
                f"Error: Invalid value for '-o' / '--out': cannot write to '{out}': {reason}")


def test_proof_help_names_issue_dir():
    result = run("proof", "--help")
    assert "Usage: main proof [OPTIONS] ISSUE_DIR" in result.output and "FOLDER" not in result.output


TWO_PAGES = MINIMAL + """\
  - section: 第二版
    stories:
      - headline: 另一标题
        body: 检查检查正文。
"""


def test_html_is_what_each_page_was_given_and_every_file_written_is_named(write_issue, tmp_path):
    folder = write_issue(TWO_PAGES)
    out = tmp_path / "out"
    result = run("render", folder, "-o", out, "--html")
    assert result.exit_code == 0, result.output
    assert [line.split(" (")[0] for line in result.output.splitlines() if line.startswith("wrote")] == [
        f"wrote {out / 'x-p1.html'}", f"wrote {out / 'x-p2.html'}", f"wrote {out / 'x.pdf'}"]
    first, second = ((out / f"x-p{n}.html").read_text(encoding="utf-8") for n in (1, 2))
    assert "另一标题" not in first and "另一标题" in second
    assert "x/issue.yaml:15: warning: pages[1].stories[0].body: doubled word '检查检查'" in result.output
    assert "1 page" not in result.output and "(2 pages, " in result.output
    assert "WeasyPrint" not in result.output


def test_proof_leaves_the_print_pdf_alone(write_issue, tmp_path):
    folder = write_issue(MINIMAL)
    out = tmp_path / "out"
    press = run("render", "--print", folder, "-o", out)
    assert press.exit_code == 0, press.output
    assert press.output.splitlines()[-1].startswith(f"wrote {out / 'x-print.pdf'} (1 page, ")
    printed = (out / "x-print.pdf").read_bytes()
    proof = run("proof", folder, "-o", out, "--dpi", "20")
    assert [line.split(" (")[0] for line in proof.output.splitlines() if line.startswith("wrote")] == [
        f"wrote {out / 'x.pdf'}", f"wrote {out / 'x-p1.png'}"]
    assert (out / "x-print.pdf").read_bytes() == printed
    assert "WeasyPrint" not in press.output + proof.output
    assert sorted(p.name for p in out.iterdir()) == ["x-p1.png", "x-print.pdf", "x.pdf"]


def test_batch_report_holds_checks_findings_and_counts_in_english(write_issue, tmp_path, monkeypatch):
    monkeypatch.setenv("LAYOUT_CACHE", str(tmp_path / "cache"))
    folder = write_issue(TWO_PAGES)
    result = run("batch", folder, "-o", tmp_path / "out", "-j", "1")
    assert result.exit_code == 0, result.output
    assert "batch: 1 issue: 1 rendered, 0 unchanged, 0 failed; 2 pages laid out in " in result.output
    assert " s with 1 worker; wrote " in result.output
    report = json.loads((tmp_path / "out" / "batch-report.json").read_text(encoding="utf-8"))
    found = [(f["severity"], f["kind"], f["line"], f["message"]) for f in report["issues"][0]["findings"]]
    assert ("warning", "text", 15, "doubled word '检查检查'; delete one '检查' unless it is meant") in found
