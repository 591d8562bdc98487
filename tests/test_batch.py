"""Batch stage on the embedded LocalCluster: many issues, each isolated (content errors);
unchanged issues skipped, edited ones rendered again. (Workers that raise or die, a real
scheduler: test_cluster.py; killed renders: test_atomic_write.py.)"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner

from layout.cli import main

from .conftest import MINIMAL, SAMPLE


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


def test_a_broken_issue_is_reported_and_the_good_ones_render(issues, tmp_path):
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
    assert report["jobs"] == 2 and report["scheduler"].startswith("tcp://127.0.0.1:")
    runs = [run for issue in report["issues"] for run in issue["page_runs"]]   # cached pages have none
    assert all(run["worker"].startswith("tcp://127.0.0.1:") and run["seconds"] > 0 for run in runs)
    bad = report["issues"][0]["findings"][0]
    assert (bad["key"], bad["line"], bad["message"]) == ("date", 15, "not a real date: '2026-02-30'")


def test_unchanged_issues_are_skipped(issues, tmp_path):
    shutil.rmtree(issues / "bad")
    out = tmp_path / "out"
    assert CliRunner().invoke(main, ["batch", str(issues), "-j", "1", "-o", str(out)]).exit_code == 0
    before = (out / "good-a.pdf").stat().st_mtime_ns
    again = CliRunner().invoke(main, ["batch", str(issues), "-o", str(out)])
    assert again.exit_code == 0 and "2 issues: 0 rendered, 2 unchanged, 0 failed" in again.output
    assert (out / "good-a.pdf").stat().st_mtime_ns == before


def test_an_issues_pages_are_laid_out_by_one_task_and_share_one_subset_of_each_font(issues, tmp_path):
    """The sample's 2 pages go to one page task, written by one WeasyPrint write: the issue's PDF
    carries one program of each font both pages use (one subset from the start: `combine` has
    none to merge)."""
    shutil.rmtree(issues / "bad")
    shutil.rmtree(issues / "good-b")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["batch", str(issues), "-j", "2", "-o", str(out),
                                       "--cache", str(tmp_path / "cache")])
    assert result.exit_code == 0, result.output
    report = json.loads((out / "batch-report.json").read_text(encoding="utf-8"))
    runs = report["issues"][0]["page_runs"]              # an empty page cache: both pages laid out
    assert [(run["number"], run["task_pages"]) for run in runs] == [(1, 2), (2, 2)]
    assert len({(run["pid"], run["seconds"]) for run in runs}) == 1
    programs: dict[str, set] = {}
    with pikepdf.open(out / "good-a.pdf") as pdf:
        for number, page in enumerate(pdf.pages, 1):
            for font in page.Resources.Font.values():
                descriptor = font.DescendantFonts[0].FontDescriptor
                program = next(descriptor[k] for k in ("/FontFile2", "/FontFile3") if k in descriptor)
                programs.setdefault(str(font.BaseFont).split("+")[1], set()).add((number, program.objgen))
    both = {name for name, uses in programs.items() if {n for n, _ in uses} == {1, 2}}
    assert {"Noto-Serif-CJK-SC", "Noto-Sans-CJK-SC-Bold", "LXGW-WenKai"} <= both
    assert all(len({objgen for _, objgen in programs[name]}) == 1 for name in both)


# --- re-rendering after an edit (workers that raise or die: test_cluster.py) ----------------

HEADLINES = {"a": "甲版头条", "z": "乙版头条"}


@pytest.fixture
def small_issues(tmp_path) -> Path:
    """Two one-page issues, each with its own headline."""
    folder = tmp_path / "small"
    for name in HEADLINES:
        (folder / name).mkdir(parents=True)
        (folder / name / "issue.yaml").write_text(MINIMAL.replace("标题", HEADLINES[name]), encoding="utf-8")
    return folder


def test_an_edited_issue_is_rendered_again(small_issues, tmp_path):
    out = tmp_path / "out"
    assert CliRunner().invoke(main, ["batch", str(small_issues), "-j", "1", "-o", str(out)]).exit_code == 0
    before = (out / "z.pdf").stat().st_mtime_ns
    yaml = small_issues / "a" / "issue.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("第二段正文。", "改过的第二段。"), encoding="utf-8")
    again = CliRunner().invoke(main, ["batch", str(small_issues), "-j", "1", "-o", str(out)])
    assert again.exit_code == 0 and "2 issues: 1 rendered, 1 unchanged, 0 failed" in again.output
    report = json.loads((out / "batch-report.json").read_text(encoding="utf-8"))
    assert [(i["slug"], i["status"]) for i in report["issues"]] == [("a", "rendered"), ("z", "unchanged")]
    assert "改过的第二段。" in pdf_text(out / "a.pdf")
    assert (out / "z.pdf").stat().st_mtime_ns == before


def pdf_text(path: Path) -> str:
    import pdfplumber
    with pdfplumber.open(path) as document:
        return "".join(page.extract_text() for page in document.pages)


# --- one page key for render and batch -------------------------------------------------------

def test_render_and_batch_share_the_page_cache(tmp_path, monkeypatch):
    """A page's key hashes each file its HTML names by content, not by place: the sample rendered
    by `render`, then batched with the same cache folder, lays out no page in the batch (whose
    workers name the files by their place in a store of their own)."""
    cache = tmp_path / "cache"
    monkeypatch.setattr("layout.pipeline.CACHE_DIR", cache)
    rendered = CliRunner().invoke(main, ["render", str(SAMPLE), "-o", str(tmp_path / "local")])
    assert rendered.exit_code == 0, rendered.output
    pages = sorted(path.name for path in (cache / "pages").glob("*.pdf"))
    assert len(pages) == 2
    result = CliRunner().invoke(main, ["batch", str(SAMPLE), "-j", "1", "-o", str(tmp_path / "out"),
                                       "--cache", str(cache)])
    assert result.exit_code == 0, result.output
    assert "1 issue: 1 rendered, 0 unchanged, 0 failed; 0 pages laid out in " in result.output
    assert sorted(path.name for path in (cache / "pages").glob("*.pdf")) == pages
    local, batched = tmp_path / "local" / f"{SAMPLE.name}.pdf", tmp_path / "out" / f"{SAMPLE.name}.pdf"
    with pikepdf.open(local) as one, pikepdf.open(batched) as other:
        assert one.docinfo["/LayoutIssueKey"] == other.docinfo["/LayoutIssueKey"]
    assert pdf_text(batched) == pdf_text(local)


def test_the_fork_server_starts_without_dask_in_the_client_with_the_environment_a_nanny_gives_workers():
    """`layout batch` starts the embedded cluster's fork server first: its imports and font
    warm-up run while the client imports Dask and reads the issues, not after. Workers fork with
    its environment, so it has the one Dask's nanny gives a worker (PYTHONHASHSEED...), which the
    nanny only sets later; but no MALLOC_TRIM_THRESHOLD_ (photos' pixel buffers would be mapped
    afresh each time)."""
    import os
    import subprocess
    import sys
    probe = ("import os, sys; from multiprocessing import forkserver; from layout.cluster import start_forkserver; "
             "start_forkserver(); print(forkserver._forkserver._forkserver_pid is not None, "
             "'distributed' in sys.modules, forkserver._forkserver._preload_modules); "
             "import multiprocessing, os\n"
             "if __name__ == '__main__':\n"
             "    with multiprocessing.get_context('forkserver').Pool(1) as pool:\n"
             "        print({k: pool.apply(os.getenv, (k,)) for k in ('MALLOC_TRIM_THRESHOLD_', 'PYTHONHASHSEED')})")
    clean = {k: v for k, v in os.environ.items() if k not in ("MALLOC_TRIM_THRESHOLD_", "PYTHONHASHSEED")}
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60,
                         env=clean).stdout.splitlines()
    assert out == ["True False ['distributed', 'layout.cluster_preload']",
                   "{'MALLOC_TRIM_THRESHOLD_': None, 'PYTHONHASHSEED': '6640'}"]


def test_the_workers_environment_is_the_one_a_dask_nanny_of_the_embedded_cluster_gives(monkeypatch):
    import dask
    from distributed import Nanny

    from layout.cluster import EMBEDDED_CONFIG, WORKER_ENVIRON
    for name in [*WORKER_ENVIRON, "MALLOC_TRIM_THRESHOLD_"]:
        monkeypatch.delenv(name, raising=False)
    with dask.config.set(EMBEDDED_CONFIG):
        assert Nanny("tcp://127.0.0.1:1").pre_spawn_env == WORKER_ENVIRON
    assert "MALLOC_TRIM_THRESHOLD_" in Nanny("tcp://127.0.0.1:1").pre_spawn_env     # Dask's own default
