"""The `layout` command: exit codes, files written (or not), literal markup, no network."""
from __future__ import annotations

import pdfplumber
from click.testing import CliRunner

from layout.cli import main
from layout.render import restricted_fetcher

from .conftest import MINIMAL, SAMPLE


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_help_everywhere():
    for args in ([], ["render"], ["proof"]):
        result = run(*args, "--help")
        assert result.exit_code == 0 and "Usage:" in result.output


def test_usage_errors_exit_2(tmp_path):
    assert run("render").exit_code == 2
    assert run("render", tmp_path / "missing").exit_code == 2
    assert run("proof", SAMPLE, "--dpi", "0").exit_code == 2


def test_content_errors_exit_1_and_write_no_pdf(write_issue, tmp_path):
    folder = write_issue(MINIMAL.replace("2026-02-10", "2026-02-30"))
    out = tmp_path / "out"
    result = run("render", folder, "-o", out)
    assert result.exit_code == 1
    assert "x/issue.yaml:3: date: not a real date: '2026-02-30'" in result.output
    assert not out.exists() or list(out.iterdir()) == []


def test_overset_is_an_error_of_render(write_issue, tmp_path):
    body = "\n\n".join(["发展是第一要务，产业是根本支撑，项目是核心载体。" * 6] * 200)
    text = MINIMAL.replace("body: |\n          第一段正文。\n\n          第二段正文。\n",
                           "body: |\n" + "\n".join("          " + line for line in body.split("\n")) + "\n")
    result = run("render", write_issue(text), "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert "x/issue.yaml:7: pages[0].stories[0]: overset by " in result.output
    assert not (tmp_path / "out" / "x.pdf").exists()


def test_markup_in_text_prints_literally(write_issue, tmp_path):
    text = MINIMAL.replace("headline: 标题", "headline: '<b>标题</b>{{ 7*7 }}'").replace(
        "第一段正文。", "正文<script>alert(1)</script>{% raw %}。")
    folder = write_issue(text)
    result = run("render", folder, "-o", tmp_path / "out", "--html")
    assert result.exit_code == 0, result.output
    html = (tmp_path / "out" / "x-p1.html").read_text(encoding="utf-8")
    assert "<script" not in html and "<b>" not in html and "&lt;" in html
    with pdfplumber.open(tmp_path / "out" / "x.pdf") as pdf:
        chars = "".join(c["text"] for page in pdf.pages for c in page.chars)
    assert "<b>标题</b>{{7*7}}" in chars.replace(" ", "")
    assert "<script>alert(1)</script>{%raw%}" in chars.replace(" ", "")


def test_render_and_proof_write_their_files(tmp_path):
    out = tmp_path / "out"
    result = run("proof", SAMPLE, "-o", out, "--dpi", "20")
    assert result.exit_code == 0, result.output
    slug = SAMPLE.name
    assert sorted(p.name for p in out.iterdir()) == [f"{slug}-p1.png", f"{slug}-p2.png", f"{slug}.pdf"]
    assert (out / f"{slug}.pdf").read_bytes().startswith(b"%PDF-")


def test_fetcher_refuses_the_network_and_files_outside_its_roots(tmp_path):
    fetcher = restricted_fetcher([tmp_path])
    inside = tmp_path / "a.txt"
    inside.write_text("ok")
    assert fetcher.fetch(inside.as_uri()).read() == b"ok"
    for url in ("https://example.com/x.png", "file:///etc/passwd", (tmp_path / ".." / "x").as_uri()):
        try:
            fetcher.fetch(url)
        except ValueError as exc:
            assert "refused" in str(exc)
        else:
            raise AssertionError(f"fetched {url}")
    assert len(fetcher.refused) == 3
