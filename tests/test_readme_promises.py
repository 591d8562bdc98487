"""What the README promises, checked against the tool: where fonts and themes come from, the
fonts/ folder, the screen PDF's title and subject, one severity vocabulary, jumps that are
reported, one overset figure, and the README's own examples printed as the tool prints them."""
from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import textwrap
from functools import cache
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner
from fontTools.ttLib import TTFont

import layout.theme
from layout.cli import main
from layout.errors import LayoutError, Severity
from layout.context import compose_context
from layout.fonts import FontFile, resolve_fonts
from layout.model import load_issue
from layout.page import plan_issue
from layout.pagerender.compose import environment_for
from layout.preflight import check_issue
from layout.preflight.faces import check_faces
from layout.theme import FontRole, load_theme

from .conftest import MINIMAL, ROOT, SAMPLE

README = (ROOT / "README.md").read_text(encoding="utf-8")
THEME = load_theme()
FONTS = resolve_fonts(THEME)


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def readme_block(after: str) -> list[str]:
    """The lines of the README's first fenced block after the text `after`."""
    start = README.index(after)
    block = re.search(r"```\n(.*?)```", README[start:], re.S)
    return block.group(1).splitlines()


# -- fonts and themes: where they are found -------------------------------------------------

def test_fonts_and_themes_come_from_the_repository_or_the_variables(tmp_path):
    code = "import layout.theme as t; print(t.FONTS_DIR); print(t.TEMPLATES_DIR)"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    env.pop("LAYOUT_FONTS", None), env.pop("LAYOUT_TEMPLATES", None)
    default = subprocess.run([sys.executable, "-c", code], env=env, cwd=tmp_path, check=True,
                             capture_output=True, text=True).stdout.split()
    assert default == [str(ROOT / "fonts"), str(ROOT / "templates")]    # not the working folder
    env.update(LAYOUT_FONTS="/srv/fonts", LAYOUT_TEMPLATES="/srv/themes")
    chosen = subprocess.run([sys.executable, "-c", code], env=env, cwd=tmp_path, check=True,
                            capture_output=True, text=True).stdout.split()
    assert chosen == ["/srv/fonts", "/srv/themes"]
    for name in ("LAYOUT_FONTS", "LAYOUT_TEMPLATES"):
        assert f"`{name}=" in README


def test_the_repository_keeps_a_fonts_folder_that_says_what_goes_in_it():
    tracked = subprocess.run(["git", "ls-files", "fonts"], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout.split()
    assert "fonts/README.md" in tracked
    note = (ROOT / "fonts" / "README.md").read_text(encoding="utf-8")
    assert "方正书宋" in note and ".ttf" in note and ".otf" in note and ".ttc" in note
    assert "family" in note and "LAYOUT_FONTS" in note
    assert resolve_fonts(THEME) == FONTS        # the note is not taken for a font


def test_a_missing_font_without_a_package_is_still_a_sentence(tmp_path):
    theme = THEME.__class__(**{**THEME.__dict__, "fonts": {
        **THEME.fonts, "body": FontRole("body", "FZShuSong-Z01", 400, "")}})
    with pytest.raises(LayoutError) as caught:
        resolve_fonts(theme, fonts_dir=tmp_path)
    assert [f.message for f in caught.value.findings] == [
        f"font for role 'body' not found: family 'FZShuSong-Z01'; install it on this machine "
        f"or put the font file in {tmp_path}/"]


def test_the_readme_font_error_is_the_tools(tmp_path):
    theme = THEME.__class__(**{**THEME.__dict__, "fonts": {
        **THEME.fonts, "caption": FontRole("caption", "LXGW WenKai X", 400, "fonts-lxgw-wenkai")}})
    with pytest.raises(LayoutError) as caught:
        resolve_fonts(theme, fonts_dir=layout.theme.ROOT / "fonts")
    example = readme_block("A family that is not found")
    printed = str(caught.value).replace(str(layout.theme.ROOT), "/srv/layout")
    assert example == [printed.replace("LXGW WenKai X", "LXGW WenKai")]


def test_css_asks_for_the_resolved_weight_and_the_file_from_fonts(tmp_path):
    regular = FontFile("FZXiaoBiaoSong-B05", tmp_path / "xbs.ttf", dropped_in=True)
    fonts = {**FONTS, "headline": regular, "banner": regular}
    context = compose_context(load_issue(SAMPLE), THEME, fonts, [], {})
    assert context["weights"]["headline"] == 400 and context["weights"]["lead"] == 700
    assert context["fonts"]["headline"] == "FZXiaoBiaoSong-B05 LayoutFonts"
    assert context["fonts"]["body"] == "Noto Serif CJK SC"
    assert [(f.family, f.path) for f in context["font_faces"]] == [
        ("FZXiaoBiaoSong-B05 LayoutFonts", tmp_path / "xbs.ttf")]
    css = environment_for(THEME).get_template("page.css.j2").render(context)
    assert '.headline { font-family: "FZXiaoBiaoSong-B05 LayoutFonts", "Noto Serif", "HanaMinB", "BabelStone Han"; font-weight: 400;' in css


def embedded_fonts(pdf_path: Path) -> dict[str, str]:
    """PDF font name -> the PostScript name inside the embedded font program."""
    out = {}
    with pikepdf.open(pdf_path) as pdf:
        for page in pdf.pages:
            for font in page.Resources.Font.values():
                descriptor = (font.DescendantFonts[0] if "/DescendantFonts" in font else font).FontDescriptor
                program = descriptor.get("/FontFile2") or descriptor.get("/FontFile3")
                name = TTFont(io.BytesIO(program.read_bytes()))["name"].getDebugName(6)
                out[str(font.BaseFont).split("+", 1)[1]] = name
    return out


def test_a_face_from_fonts_is_printed_even_when_its_family_is_installed(write_issue, tmp_path):
    fonts = tmp_path / "newsroom-fonts"
    fonts.mkdir()
    face = TTFont("/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf")
    for record in face["name"].names:
        if record.nameID == 6:
            record.string = "NewsroomSerif-Regular"
    face.save(fonts / "newsroom-serif.ttf")            # family 'Noto Serif', as installed
    folder = write_issue(MINIMAL.replace("第一段正文。", "细颗粒物PM₁₀浓度下降。"))
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "LAYOUT_FONTS": str(fonts),
           "LAYOUT_CACHE": str(tmp_path / "cache")}
    done = subprocess.run([sys.executable, "-m", "layout.cli", "render", str(folder), "-o", "out"],
                          env=env, capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert embedded_fonts(tmp_path / "out" / "x.pdf")["Noto-Serif-LayoutFonts"] == "NewsroomSerif-Regular"


def test_check_refuses_a_role_set_from_a_later_face_of_a_collection(tmp_path):
    face = FontFile("FZShuSong-Z01", tmp_path / "fz.ttc", index=2, dropped_in=True)
    assert [str(f) for f in check_faces(THEME, {**FONTS, "body": face})] == [
        f"{THEME.label}:25: fonts.body: 'FZShuSong-Z01' is face 3 of the collection fz.ttc, but the "
        f"page renderer prints a collection's first face only: save this face as a file of its own "
        f"in {tmp_path}/ (see fonts/README.md)"]
    assert check_faces(THEME, FONTS) == []


# -- the screen PDF's document information ---------------------------------------------------

def test_the_screen_pdf_has_the_title_and_subject_of_the_print_pdf(write_issue, tmp_path):
    folder = write_issue(MINIMAL)
    assert run("render", folder, "-o", tmp_path / "screen").exit_code == 0
    assert run("render", "--print", folder, "-o", tmp_path / "print").exit_code == 0
    found = {}
    for name, file in (("screen", "x.pdf"), ("print", "x-print.pdf")):
        with pikepdf.open(tmp_path / name / file) as pdf:
            meta = pdf.open_metadata()
            found[name] = (str(pdf.docinfo["/Title"]), str(pdf.docinfo["/Subject"]),
                           meta["dc:title"], meta["dc:description"])
    assert found["screen"] == found["print"] == ("示例日报 · 测试特刊", "测试特刊",
                                                 "示例日报 · 测试特刊", "测试特刊")


# -- one severity vocabulary ------------------------------------------------------------------

def test_check_says_note_in_text_and_json(write_issue):
    folder = write_issue(MINIMAL.replace("第一段正文。", "细颗粒物PM₁₀浓度下降。"))
    text = run("check", folder)
    data = json.loads(run("check", folder, "--json").output)
    assert text.exit_code == 0
    severities = [line.split(": ")[1] for line in text.output.splitlines()[:-1]]
    assert severities.count("note") == 2                        # the two subscripts
    assert [f["severity"] for f in data["findings"]] == severities
    assert set(severities) <= {"error", "warning", "note"}
    assert text.output.splitlines()[-1].endswith(", 2 notes")
    assert data["summary"]["notes"] == 2
    assert Severity("info") is Severity.NOTE        # page caches written before say "info"


# -- overset, copyfit and jumps: one figure ----------------------------------------------------

LONG = ("发展是第一要务，产业是根本支撑，项目是核心载体。平顺县牢牢扭住产业发展“牛鼻子”，"
        "深入开展“重大项目建设年”活动，坚持“招大引强、招新引优”与“本土培育、提档升级”双向发力，"
        "持续延链补链强链，推动特优农业、新型工业、文旅康养三大产业协同并进。")


def long_issue(paragraphs: int, fit: str = "") -> str:
    body = textwrap.indent("\n\n".join([LONG] * paragraphs), " " * 10)
    fit_line = f"fit: {fit}\n" if fit else ""
    return (f"paper: 示例日报\ntitle: 测试\ndate: 2026-02-10\n{fit_line}pages:\n  - section: 要闻\n"
            f"    stories:\n      - headline: 长文\n        body: |\n{body}\n")


def plans_of(folder: Path):
    return plan_issue(load_issue(folder), THEME, FONTS)


@cache
def just_over() -> int:
    """The fewest LONG paragraphs that overset the eight-column story."""
    lines_per_paragraph = 10
    low = THEME.grid.columns * THEME.grid.lines // lines_per_paragraph - 10
    return next(n for n in range(low, low + 40) if _overset(n))


def _overset(paragraphs: int) -> int:
    folder = Path(f"long-{paragraphs}")
    folder.mkdir(exist_ok=True)
    (folder / "issue.yaml").write_text(long_issue(paragraphs), encoding="utf-8")
    found = [f.message for p in plans_of(folder) for f in p.findings if "overset by" in f.message]
    return int(re.search(r"overset by (\d+) line", found[0]).group(1)) if found else 0


def test_copyfit_quotes_the_overset_figure(write_issue):
    folder = write_issue("paper: x\n")
    count = just_over()
    over = _overset(count)
    assert 0 < over < THEME.grid.columns            # less than one line in each of 8 columns
    (folder / "issue.yaml").write_text(long_issue(count, "copyfit"), encoding="utf-8")
    plans = plans_of(folder)
    pitch = plans[0].line_pitch
    assert [str(f) for p in plans for f in p.findings] == [
        f"pages[0]: copyfit: line pitch 13.5 pt -> {pitch:g} pt so that '长文' (overset by "
        f"{over} line{'s' if over > 1 else ''}) fits"]


def test_a_jump_is_noted_and_a_nearly_empty_jump_page_is_a_warning(write_issue):
    folder = write_issue("paper: x\n")
    count = just_over()
    over = _overset(count)
    (folder / "issue.yaml").write_text(long_issue(count, "jump"), encoding="utf-8")
    plans = plans_of(folder)
    assert [p.number for p in plans] == [1, 2]
    continued = sum(c.lines for c in plans[1].modules[0].columns)
    assert continued == over + 1                    # the 下转 line takes one line of page 1
    assert [str(f) for p in plans for f in p.findings] == [
        f"pages[0].stories[0]: '长文' jumps from page 1 to page 2 (下转第2版): {continued} lines "
        "continue there",
        f"pages[0].stories[0]: page 2 was added for a jump and holds only {continued} lines of '长文': "
        f"cut {over} line{'s' if over > 1 else ''} (its overset on page 1), or use fit: copyfit, "
        "to do without page 2"]


def test_check_mentions_the_jump(write_issue):
    folder = write_issue("paper: x\n")
    count = just_over() + 30
    (folder / "issue.yaml").write_text(long_issue(count, "jump"), encoding="utf-8")
    report = check_issue(folder)
    jumps = [line for line in report.lines() if "jump" in line]
    assert len(jumps) == 1 and re.fullmatch(
        r"x/issue.yaml:8: note: pages\[0\]\.stories\[0\]: '长文' jumps from page 1 to page 2 "
        r"\(下转第2版\): \d+ lines continue there", jumps[0]), jumps
    assert report.pages == 2 and report.count(Severity.ERROR) == 0


# -- the README's examples, as the tool prints them ---------------------------------------------

def test_the_readme_check_example_is_the_samples_report(monkeypatch):
    monkeypatch.chdir(SAMPLE.parents[1])
    report = check_issue(SAMPLE.relative_to(SAMPLE.parents[1]))
    assert readme_block("`layout check ISSUE_DIR` lays the issue out") == report.lines()
