"""Batch stage: many issues, each isolated; a killed render leaves no partial PDF."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner

from layout.cli import main

from .conftest import SAMPLE


@pytest.fixture
def issues(tmp_path) -> Path:
    """Two good copies of the sample and one with an impossible date."""
    folder = tmp_path / "issues"
    for name in ("good-a", "bad", "good-b"):
        shutil.copytree(SAMPLE, folder / name)
    yaml = folder / "bad" / "issue.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("date: 2026-02-10", "date: 2026-02-30"),
                    encoding="utf-8")
    return folder


def test_a_broken_issue_is_reported_and_the_good_ones_render(issues, tmp_path, monkeypatch):
    monkeypatch.setenv("LAYOUT_CACHE", str(tmp_path / "cache"))
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["batch", str(issues), "-j", "2", "-o", str(out)])
    assert result.exit_code == 1
    assert f"{issues / 'bad' / 'issue.yaml'}:15: date: not a real date: '2026-02-30'" in result.output
    assert "3 issues: 2 rendered, 0 unchanged, 1 failed" in result.output
    assert sorted(p.name for p in out.iterdir()) == ["batch-report.json", "good-a.pdf", "good-b.pdf"]
    for name in ("good-a", "good-b"):
        with pikepdf.open(out / f"{name}.pdf") as pdf:
            assert len(pdf.pages) == 2
    report = json.loads((out / "batch-report.json").read_text(encoding="utf-8"))
    assert [(i["slug"], i["status"]) for i in report["issues"]] == [
        ("bad", "failed"), ("good-a", "rendered"), ("good-b", "rendered")]
    bad = report["issues"][0]["findings"][0]
    assert (bad["key"], bad["line"], bad["message"]) == ("date", 15, "not a real date: '2026-02-30'")


def test_unchanged_issues_are_skipped(issues, tmp_path, monkeypatch):
    monkeypatch.setenv("LAYOUT_CACHE", str(tmp_path / "cache"))
    shutil.rmtree(issues / "bad")
    out = tmp_path / "out"
    assert CliRunner().invoke(main, ["batch", str(issues), "-j", "1", "-o", str(out)]).exit_code == 0
    before = (out / "good-a.pdf").stat().st_mtime_ns
    again = CliRunner().invoke(main, ["batch", str(issues), "-o", str(out)])
    assert again.exit_code == 0 and "2 issues: 0 rendered, 2 unchanged, 0 failed" in again.output
    assert (out / "good-a.pdf").stat().st_mtime_ns == before


@pytest.mark.parametrize("delay", [1.5, 4.0])
def test_killing_a_render_leaves_the_old_pdf_and_no_temporary_files(tmp_path, delay):
    issue = tmp_path / "2026-changzhi-lianghui"
    shutil.copytree(SAMPLE, issue)
    out = tmp_path / "out"
    out.mkdir()
    old = out / f"{issue.name}.pdf"
    old.write_bytes(b"%PDF-1.7 the previous edition\n")
    env = {**os.environ, "LAYOUT_CACHE": str(tmp_path / f"cache-{delay}")}
    process = subprocess.Popen([sys.executable, "-m", "layout.cli", "render", str(issue), "-o", str(out)],
                               env=env, start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(delay)
    assert process.poll() is None, "the render finished before it could be killed"
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert [p.name for p in out.iterdir()] == [old.name]
    assert old.read_bytes() == b"%PDF-1.7 the previous edition\n"
