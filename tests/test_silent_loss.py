"""No silent loss: every photo and every issue is in the output or named in a located error, and
render prints what check calls an error (issue 11, items 1-3 and 12)."""
from __future__ import annotations

import json

import pdfplumber
from click.testing import CliRunner

from layout.cli import main
from layout.fonts import resolve_fonts
from layout.model import load_issue
from layout.page import plan_issue
from layout.page.figures import group_arrangements
from layout.theme import load_theme

from .conftest import MINIMAL, photo

THEME = load_theme()


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def photo_group(folder, count: int, size=(1200, 800)) -> str:
    for i in range(count):
        photo(folder / "images" / f"{i}.jpg", size=size, colour=(6 * i, 120, 150))
    return "    photos:\n" + "".join(f"      - image: images/{i}.jpg\n        caption: 图{i}\n" for i in range(count))


def test_more_than_16_photos_are_arranged_in_more_rows():
    assert group_arrangements(16) == [[4, 4, 4, 4]]
    assert group_arrangements(17) == [[4, 4, 3, 3, 3]]
    assert group_arrangements(0) == []


def test_a_page_of_17_photos_prints_all_17(write_issue, tmp_path):
    folder = write_issue(MINIMAL)
    (folder / "issue.yaml").write_text(MINIMAL + photo_group(folder, 17), encoding="utf-8")
    plans = plan_issue(load_issue(folder), THEME, resolve_fonts(THEME))
    assert [f.key for f in plans[0].photos] == [f"pages[0].photos[{i}]" for i in range(17)]
    assert len({(round(f.image.x), round(f.image.y)) for f in plans[0].photos}) == 17   # 17 frames
    assert max(f.caption.box.bottom for f in plans[0].photos) <= THEME.grid.type_height
    result = run("render", folder, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "WeasyPrint" not in result.output
    with pdfplumber.open(tmp_path / "out" / "x.pdf") as pdf:
        assert len(pdf.pages[0].images) == 17


def test_a_photo_group_taller_than_the_page_is_a_located_error(write_issue, tmp_path):
    folder = write_issue(MINIMAL)
    (folder / "issue.yaml").write_text(MINIMAL + photo_group(folder, 40, size=(60, 40)), encoding="utf-8")
    result = run("render", folder, "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "x/issue.yaml:7: pages[0].stories[0]: overset by 2 lines: '标题' does not fit on page 1",
        "x/issue.yaml:12: pages[0].photos: the photo group (40 photos in 10 rows) runs 7 lines below "
        "the type area of page 1; move photos to another page",
    ]
    assert not (tmp_path / "out" / "x.pdf").exists()


def two_issues_named_issue(tmp_path):
    for parent in ("a", "b"):
        (tmp_path / parent / "issue").mkdir(parents=True)
        (tmp_path / parent / "issue" / "issue.yaml").write_text(MINIMAL, encoding="utf-8")


CLASH = ("b/issue: would write issue.pdf over the PDF of a/issue; rename one of the folders, "
         "or name the files by path (--name-by path)")


def test_two_issues_of_one_name_are_refused_before_anything_is_written(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    two_issues_named_issue(tmp_path)
    for command in ("render", "batch"):
        result = run(command, "a/issue", "b/issue", "-o", "out")
        assert (result.exit_code, result.output.splitlines()) == (1, [CLASH])
        assert not (tmp_path / "out").exists()
    printed = run("render", "--print", "a/issue", "b/issue", "-o", "out")
    assert printed.output.splitlines() == [CLASH.replace("issue.pdf", "issue-print.pdf")]


def test_name_by_path_writes_one_pdf_per_issue(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LAYOUT_CACHE", str(tmp_path / "cache"))
    two_issues_named_issue(tmp_path)
    result = run("render", "a/issue", "b/issue", "-o", "out", "--name-by", "path")
    assert result.exit_code == 0, result.output
    assert [line.split(" (")[0] for line in result.output.splitlines() if line.startswith("wrote")] == [
        "wrote out/a-issue.pdf", "wrote out/b-issue.pdf"]
    batch = run("batch", "a", "b", "-o", "out2", "--name-by", "path", "-j", "1")
    assert batch.exit_code == 0, batch.output
    assert sorted(p.name for p in (tmp_path / "out2").iterdir()) == ["a-issue.pdf", "b-issue.pdf", "batch-report.json"]


def test_batch_reports_folders_that_look_like_issues_but_cannot_be_read(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LAYOUT_CACHE", str(tmp_path / "cache"))
    for name, file in (("good", "issue.yaml"), ("yml", "issue.yml"), ("upper", "Issue.yaml")):
        (tmp_path / "issues" / name).mkdir(parents=True)
        (tmp_path / "issues" / name / file).write_text(MINIMAL, encoding="utf-8")
    (tmp_path / "issues" / "dangling").mkdir()
    (tmp_path / "issues" / "dangling" / "issue.yaml").symlink_to("../gone.yaml")
    (tmp_path / "issues" / "photos-only").mkdir()          # no issue file at all: not an issue
    result = run("batch", "issues", "-o", "out", "-j", "1")
    assert result.exit_code == 1
    for line in ("issues/dangling/issue.yaml: issue.yaml is a link to '../gone.yaml', which does not exist",
                 "issues/upper/Issue.yaml: an issue file must be named issue.yaml: rename 'Issue.yaml'",
                 "issues/yml/issue.yml: an issue file must be named issue.yaml: rename 'issue.yml'",
                 "batch: 4 issues: 1 rendered, 0 unchanged, 3 failed; 1 page laid out in "):
        assert line in result.output
    report = json.loads((tmp_path / "out" / "batch-report.json").read_text(encoding="utf-8"))
    assert [(i["slug"], i["status"]) for i in report["issues"]] == [
        ("dangling", "failed"), ("good", "rendered"), ("upper", "failed"), ("yml", "failed")]


SMALL_PHOTOS = MINIMAL + """\
    photos:
      - image: images/dot.png
        caption: 图一
      - image: images/small.jpg
        caption: 图二
"""
DOT = ("x/issue.yaml:13: error: pages[0].photos[0].image: 'images/dot.png' is 1 × 1 pixels: 0 ppi at its "
       "placed size 352 × 213 mm (target 300 ppi); below 150 ppi it prints blurred: use a larger photo")
SMALL = ("x/issue.yaml:15: error: pages[0].photos[1].image: 'images/small.jpg' is 400 × 300 pixels: 29 ppi "
         "at its placed size 352 × 213 mm (target 300 ppi); below 150 ppi it prints blurred: use a larger photo")


def test_render_prints_the_errors_check_finds_and_print_refuses_them(write_issue, tmp_path):
    folder = write_issue(SMALL_PHOTOS)
    photo(folder / "images" / "dot.png", size=(1, 1))
    photo(folder / "images" / "small.jpg", size=(400, 300))
    out = tmp_path / "out"
    check = run("check", folder)
    assert [line for line in check.output.splitlines() if ": error: " in line] == [DOT, SMALL]
    screen = run("render", folder, "-o", out)
    assert screen.exit_code == 1                      # the screen PDF is written, the errors printed
    assert screen.output.splitlines()[:2] == [DOT, SMALL]
    assert screen.output.splitlines()[2].startswith(f"wrote {out / 'x.pdf'} (1 page, ")
    press = run("render", "--print", folder, "-o", out)
    assert press.exit_code == 1
    assert press.output.splitlines() == [
        DOT.replace("error: ", ""), SMALL.replace("error: ", ""),
        "x/issue.yaml: the print PDF is not written while errors remain (2 errors); fix them, "
        "or write it anyway with --force"]
    assert not (out / "x-print.pdf").exists()
    forced = run("render", "--print", "--force", folder, "-o", out)
    assert forced.exit_code == 0
    assert forced.output.splitlines()[:2] == [DOT, SMALL]
    assert (out / "x-print.pdf").read_bytes().startswith(b"%PDF-")
    assert "WeasyPrint" not in screen.output + forced.output
