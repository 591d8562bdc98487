"""`layout proof --since`: the 改样 proof, with change bars beside exactly the lines that changed
since an earlier proof (by number or by its PDF) and a 校样 stamp on every page."""
from __future__ import annotations

import logging
import shutil

import pdfplumber
import pikepdf
import pytest
from click.testing import CliRunner

from layout.cli import main
from layout.setlines import SetLine, compare, fingerprint
from layout.theme import load_theme

from .conftest import SAMPLE

RED = (0.902, 0.0, 0.071)
MARGIN = load_theme("newspaper").grid.margin_side      # the sample's side margin, pt
CAPTION = ("caption: 夸克AI讲古建", "caption: 夸克AI讲解古建筑")
SENTENCE = ("时代的华章总是在接续奋斗中书写", "时代的华章总在接续奋斗中书写")


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def rounds(tmp_path_factory):
    """The sample proofed (proof 1), a caption and a body sentence edited, then proofed --since 1
    (proof 2) and --since the first proof's PDF (proof 3)."""
    root = tmp_path_factory.mktemp("since")
    logged = Logged()
    logging.getLogger("weasyprint").addHandler(logged)
    issue = root / "issue"
    shutil.copytree(SAMPLE, issue)
    first = run("proof", issue, "-o", root / "one", "--dpi", "18")
    assert first.exit_code == 0, first.output
    yaml = issue / "issue.yaml"
    text = yaml.read_text(encoding="utf-8")
    assert text.count(CAPTION[0]) == 1 and text.count(SENTENCE[0]) == 1
    yaml.write_text(text.replace(*CAPTION).replace(*SENTENCE), encoding="utf-8")
    by_number = run("proof", issue, "-o", root / "two", "--dpi", "18", "--since", "1")
    by_pdf = run("proof", issue, "-o", root / "three", "--dpi", "18", "--since", root / "one" / "issue.pdf")
    logging.getLogger("weasyprint").removeHandler(logged)
    assert logged.records == []          # the overlay (laid out here) draws without a WeasyPrint warning
    return root, first, by_number, by_pdf


class Logged(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.records = []

    def emit(self, record):
        self.records.append(record.getMessage())


def glyph_lines(pdf_path) -> list[list[dict]]:
    """Each page's lines of glyphs: glyphs on one baseline, split where a gap wider than a glyph
    (a gutter) parts them; each with its text, left edge and vertical extent."""
    pages = []
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:
            rows: dict[float, list[dict]] = {}
            for char in page.chars:
                if char["text"].strip():
                    rows.setdefault(round(char["matrix"][5], 1), []).append(char)
            lines = []
            for row in rows.values():
                row.sort(key=lambda c: c["x0"])
                for char in row:
                    if lines and lines[-1]["row"] is row and char["x0"] - lines[-1]["x1"] < char["size"]:
                        lines[-1].update(text=lines[-1]["text"] + char["text"], x1=char["x1"])
                    else:
                        lines.append({"row": row, "text": char["text"], "x0": char["x0"], "x1": char["x1"],
                                      "top": char["top"], "bottom": char["bottom"]})
            pages.append([{k: v for k, v in line.items() if k != "row"} for line in lines])
    return pages


def red_rects(pdf_path) -> list[list[dict]]:
    with pdfplumber.open(pdf_path) as pdf:
        return [[r for r in page.rects if tuple(round(c, 3) for c in r["non_stroking_color"] or ()) == RED]
                for page in pdf.pages], [float(page.width) for page in pdf.pages]


def changed_lines(old_pdf, new_pdf) -> list[list[dict]]:
    """The new proof's lines whose text the old proof does not have, page by page."""
    old = [line["text"] for page in glyph_lines(old_pdf) for line in page]
    return [[line for line in page if line["text"] not in old] for page in glyph_lines(new_pdf)]


def beside(bar: dict, line: dict) -> bool:
    middle = (line["top"] + line["bottom"]) / 2
    return bar["top"] <= middle <= bar["bottom"] and bar["bottom"] - bar["top"] < 2 * (line["bottom"] - line["top"])


@pytest.mark.parametrize("which", ["number", "pdf"])
def test_change_bars_sit_beside_exactly_the_changed_lines_in_the_margin(rounds, which):
    root, _, by_number, by_pdf = rounds
    result, out = (by_number, root / "two") if which == "number" else (by_pdf, root / "three")
    assert result.exit_code == 0, result.output
    assert "WeasyPrint" not in result.output
    changed = changed_lines(root / "one" / "issue.pdf", out / "issue.pdf")
    texts = sorted(line["text"] for page in changed for line in page)
    assert texts == sorted(["行中铺展，时代的华章总在接", "续奋斗中书写。", "夸克AI讲解古建筑"]), texts
    every = glyph_lines(out / "issue-proof.pdf")
    rects, widths = red_rects(out / "issue-proof.pdf")
    for number, (page_rects, width, lines) in enumerate(zip(rects, widths, changed)):
        bars = [r for r in page_rects if r["x1"] < MARGIN - 5 or r["x0"] > width - MARGIN + 5]
        ticks = [r for r in page_rects
                 if r["x1"] - r["x0"] < 2 and MARGIN - 5 < r["x0"] < width - MARGIN + 5]
        assert len(bars) == len(lines) and len(ticks) == len(lines), (number, bars, ticks)
        for line in lines:      # a bar in the nearer margin at its height, a tick just before it
            left = line["x0"] + line["x1"] < width
            assert [b for b in bars if beside(b, line) and (b["x1"] < MARGIN) == left], line
            assert [t for t in ticks if beside(t, line) and line["x0"] - 24 <= t["x1"] <= line["x0"]], line
        unchanged = [line for line in every[number] if line not in lines and not line["text"].startswith("校样")]
        for tick in ticks:      # and no tick beside a line that did not change
            assert not [u for u in unchanged if beside(tick, u) and u["x0"] - 24 <= tick["x1"] <= u["x0"]]


def test_the_proof_is_stamped_and_numbered_and_the_plain_pdf_is_not(rounds):
    root, first, by_number, by_pdf = rounds
    assert "proof 1 kept (第1次校样); mark a later proof's changes with --since 1" in first.output
    assert f"wrote {root / 'two' / 'issue-proof.pdf'} (校样 第2次 against 第1次: 3 changes marked, 0 cuts)" in (
        by_number.output)
    assert "(校样 第3次 against issue.pdf: 3 changes marked, 0 cuts)" in by_pdf.output
    for out, stamp in (("two", "校样第2次"), ("three", "校样第3次")):
        with pdfplumber.open(root / out / "issue-proof.pdf") as pdf:
            for page in pdf.pages:
                text = "".join(c["text"] for c in page.chars if c["top"] < MARGIN).replace(" ", "")
                assert stamp in text and ("对照第1次" in text if out == "two" else "对照issue.pdf" in text)
                assert "改动3处" in text
        with pdfplumber.open(root / out / "issue.pdf") as pdf:
            assert "校样" not in "".join(c["text"] for page in pdf.pages for c in page.chars)
    assert sorted(p.name for p in (root / "two").iterdir()) == [
        "issue-p1.png", "issue-p2.png", "issue-proof.pdf", "issue.pdf"]


def test_an_unknown_proof_or_another_issues_pdf_is_refused_before_anything_is_written(rounds):
    root, *_ = rounds
    issue = root / "issue"
    result = run("proof", issue, "-o", root / "four", "--since", "9")
    assert (result.exit_code, result.output) == (2, f"error: --since 9: {issue} has no proof 9 (proofs kept: 1-3)\n")
    other = root / "other.pdf"
    with pikepdf.open(root / "one" / "issue.pdf") as pdf:
        pdf.docinfo["/Title"] = "示例日报 · 另一期特刊"
        pdf.save(other)
    result = run("proof", issue, "-o", root / "four", "--since", other)
    assert result.exit_code == 2
    assert result.output == (f"error: --since {other}: a PDF of another issue ('示例日报 · 另一期特刊', "
                             "not '示例日报 · 2026长治两会特刊·平顺篇')\n")
    (root / "junk.pdf").write_bytes(b"not a pdf")
    result = run("proof", issue, "-o", root / "four", "--since", root / "junk.pdf")
    assert result.exit_code == 2 and result.output.startswith(f"error: --since {root / 'junk.pdf'}: not a PDF")
    assert not (root / "four").exists()


def test_lines_taken_out_are_marked_where_they_were_and_a_new_photo_is_changed():
    def line(y, text, photo=False):
        return SetLine(1, 50.0, y, 100.0, 13.5, text, photo)
    old = [line(0, "甲"), line(13.5, "乙"), line(27, "丙"), line(40.5, "丁"), line(100, "photo a", True)]
    new = [line(0, "甲"), line(13.5, "丙"), line(27, "戊"), line(100, "photo b", True)]
    marks = compare(fingerprint(old), new)
    assert [m.text for m in marks.changed] == ["戊", "photo b"]
    assert [(m.y, m.h) for m in marks.deleted] == [(13.5, 0.0)]       # 乙 went: before 丙
    assert compare(fingerprint(new), new).changed == []


def test_a_print_pdfs_lines_are_measured_from_its_trimmed_page(rounds):
    """A print PDF's media box holds bleed and marks around the trimmed page (its origin below
    and left of 0): its lines are where the screen PDF has them."""
    from layout.setlines import pdf_lines
    root, *_ = rounds
    screen, printed = root / "one" / "issue.pdf", root / "bled.pdf"
    with pikepdf.open(screen) as pdf:
        for page in pdf.pages:
            x0, y0, x1, y1 = (float(v) for v in page.mediabox)
            page.TrimBox = pikepdf.Array([x0, y0, x1, y1])
            page.MediaBox = pikepdf.Array([x0 - 36.85, y0 - 36.85, x1 + 36.85, y1 + 36.85])
        pdf.save(printed)
    bled, flat = pdf_lines(printed), pdf_lines(screen)
    assert [(line.page, line.text) for line in bled] == [(line.page, line.text) for line in flat]
    for a, b in zip(bled, flat):
        assert [a.x, a.y, a.w, a.h] == pytest.approx([b.x, b.y, b.w, b.h], abs=0.02)
