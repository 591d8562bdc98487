"""`layout import`: Word manuscripts, built here with python-docx (their pictures with Pillow, their
text boxes, tracked changes and hostile parts written as XML), filed into issue.yaml as stories
that render; the editor's comments kept; every trap refused or reported with its exact message."""
from __future__ import annotations

import difflib
import io
import os
import shutil
import struct
import zipfile
import zlib
from pathlib import Path

import docx
import pdfplumber
import pytest
from click.testing import CliRunner
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.shared import Cm
from PIL import Image

from layout.cli import main
from layout.model import load_issue

from .conftest import SAMPLE

NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
      'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
      'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
      'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
      'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
      'xmlns:v="urn:schemas-microsoft-com:vml"')
SIDEBAR = "链接：平顺县全年签约项目56个"
#: a text box as Word writes it: DrawingML for new readers, the same box in VML for old ones
TEXT_BOX = (
    f'<w:r {NS}><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor>'
    '<wp:docPr id="9" name="文本框 9"/><a:graphic><a:graphicData '
    'uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp><wps:txbx>'
    f'<w:txbxContent><w:p><w:r><w:t>{SIDEBAR}</w:t></w:r></w:p></w:txbxContent></wps:txbx>'
    '<wps:bodyPr/></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>'
    '<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r>'
    f'<w:t>{SIDEBAR}</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>'
    '</mc:AlternateContent></w:r>')
ISSUE = """\
paper: 示例日报
title: 测试特刊  # 编辑：标题待定
date: 2026-02-10
pages:
  - section: 要闻
    # 头版：两会稿件
    stories: []
"""
WARNINGS = [
    "稿件.docx: warning: table 1 (after paragraph 10): a table cannot be set in a story: its text is "
    "imported row by row as body paragraphs (2 rows, cells separated by a full-width space): check them",
    f"稿件.docx: warning: paragraph 11: text in a text box ('{SIDEBAR}') is imported as body text "
    "after this paragraph: check where it belongs",
]


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def picture(kind: str = "JPEG", size=(2400, 1600), colour=(90, 120, 150)) -> io.BytesIO:
    data = io.BytesIO()
    Image.new("RGB", size, colour).save(data, kind)
    data.seek(0)
    return data


def bold_lead(document, lead: str, text: str):
    paragraph = document.add_paragraph("\u3000\u3000")        # the reporter's indent
    paragraph.add_run(lead).bold = True
    paragraph.add_run(text)
    return paragraph


def manuscript(path: Path, headline: str = "平顺项目建设跑出加速度", extra: str = "全年接待游客355.89万人次。") -> Path:
    """A reporter's manuscript: 引题 by its marker, headline in the Title style, 副题 in a style
    of that name, byline, bold lead-ins, two pictures with 图说 and credits, a table, a text box."""
    document = docx.Document()
    document.styles.add_style("副题", WD_STYLE_TYPE.PARAGRAPH)
    document.add_paragraph("引题：聚焦2026长治两会")
    document.add_paragraph(headline, style="Title")
    document.add_paragraph("全年签约项目56个 总投资79亿元", style="副题")
    document.add_paragraph("本报记者 张三 通讯员 李四")
    bold_lead(document, "项目攻坚跑出“加速度”。", "全年签约项目56个、总投资79亿元，续建项目全面复工。")
    document.add_picture(picture("JPEG"), width=Cm(12))
    document.add_paragraph("西沟展览馆正式对外开放。本报记者 张三 摄")
    document.add_paragraph("新建项目开工率达94.9%，项目建设质效同步提升。")
    document.add_picture(picture("PNG", colour=(150, 90, 60)), width=Cm(12))
    document.add_paragraph("正来制药GMP易地技改项目试产成功（李四 摄）").alignment = WD_ALIGN_PARAGRAPH.CENTER
    table = document.add_table(rows=2, cols=2)
    for r, row in enumerate([("指标", "数值"), ("签约项目", "56个")]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.add_paragraph("特色产业绽放新光彩。")._p.append(parse_xml(TEXT_BOX))
    document.add_paragraph("文旅融合", style="Heading 2")
    document.add_paragraph(extra)
    document.save(path)
    return path


def small(path: Path, *paragraphs: str, build=None) -> Path:
    """A short manuscript: a headline, then `paragraphs`; `build(document)` adds more."""
    document = docx.Document()
    document.add_paragraph("短稿标题", style="Title")
    for text in paragraphs:
        document.add_paragraph(text)
    if build:
        build(document)
    document.save(path)
    return path


@pytest.fixture
def issue(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "x"
    folder.mkdir()
    (folder / "issue.yaml").write_text(ISSUE, encoding="utf-8")
    return folder


STORY = """\
      - kicker: 聚焦2026长治两会
        headline: 平顺项目建设跑出加速度  # source: 稿件.docx
        subhead: 全年签约项目56个 总投资79亿元
        byline: 本报记者 张三 通讯员 李四
        body: |
          **项目攻坚跑出“加速度”。**全年签约项目56个、总投资79亿元，续建项目全面复工。

          新建项目开工率达94.9%，项目建设质效同步提升。

          指标　数值

          签约项目　56个

          特色产业绽放新光彩。

          链接：平顺县全年签约项目56个

          **文旅融合**

          全年接待游客355.89万人次。
        figures:
          - image: images/稿件-1.jpg
            caption: 西沟展览馆正式对外开放。
            credit: 本报记者 张三 摄
          - image: images/稿件-2.png
            caption: 正来制药GMP易地技改项目试产成功
            credit: 李四 摄
"""


def test_a_manuscript_becomes_a_story_that_renders(issue, tmp_path):
    result = run("import", manuscript(tmp_path / "稿件.docx"), "--into", issue)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == WARNINGS + [
        "x/issue.yaml:8: pages[0].stories[0]: '平顺项目建设跑出加速度' added from 稿件.docx "
        "(8 paragraphs, 2 figures)",
        "wrote x/images/稿件-1.jpg", "wrote x/images/稿件-2.png", "wrote x/issue.yaml"]
    written = (issue / "issue.yaml").read_text(encoding="utf-8")
    assert written == ISSUE.replace("    stories: []\n", "    stories:\n" + STORY)   # comments kept
    with Image.open(issue / "images" / "稿件-1.jpg") as first, Image.open(issue / "images" / "稿件-2.png") as second:
        assert (first.format, first.size, second.format, second.size) == ("JPEG", (2400, 1600), "PNG", (2400, 1600))
    story = load_issue(issue).pages[0].stories[0]
    assert [(p.lead, p.text[:6]) for p in story.paragraphs][:2] == [("项目攻坚跑出“加速度”。", "全年签约项目"), ("", "新建项目开工")]
    rendered = run("render", issue, "-o", tmp_path / "out")
    assert rendered.exit_code == 0, rendered.output
    assert "WeasyPrint" not in rendered.output and "error" not in rendered.output
    with pdfplumber.open(tmp_path / "out" / "x.pdf") as pdf:
        text = "".join(pdf.pages[0].extract_text().split())
    for printed in ("平顺项目建设跑出加速度", "本报记者张三通讯员李四", "西沟展览馆正式对外开放。", "李四摄", "链接："):
        assert printed in text


def test_reimporting_replaces_the_story_and_keeps_the_editors_additions(issue, tmp_path):
    path = manuscript(tmp_path / "稿件.docx")
    assert run("import", path, "--into", issue).exit_code == 0
    edited = (issue / "issue.yaml").read_text(encoding="utf-8").replace(
        "        body: |", "        figure_span: 2   # 编辑：图放两栏\n        body: |")
    (issue / "issue.yaml").write_text(edited, encoding="utf-8")
    manuscript(path, extra="全年接待游客360万人次。")                  # the reporter's second version
    result = run("import", path, "--into", issue)
    assert "x/issue.yaml:8: pages[0].stories[0]: '平顺项目建设跑出加速度' replaced by 稿件.docx " \
           "(8 paragraphs, 2 figures)" in result.output.splitlines()
    written = (issue / "issue.yaml").read_text(encoding="utf-8")
    assert written == edited.replace("355.89万", "360万")
    assert written.count("headline:") == 1


def test_a_story_whose_marker_comment_was_deleted_is_found_by_its_headline(issue, tmp_path):
    path = manuscript(tmp_path / "稿件.docx")
    run("import", path, "--into", issue)
    unmarked = (issue / "issue.yaml").read_text(encoding="utf-8").replace("  # source: 稿件.docx", "")
    (issue / "issue.yaml").write_text(unmarked, encoding="utf-8")
    renamed = manuscript(tmp_path / "稿件-改.docx", extra="全年接待游客360万人次。")
    result = run("import", renamed, "--into", issue)
    assert "'平顺项目建设跑出加速度' replaced by 稿件-改.docx" in result.output
    written = (issue / "issue.yaml").read_text(encoding="utf-8")
    assert written.count("headline:") == 1 and "# source: 稿件-改.docx" in written
    assert "images/稿件-改-1.jpg" in written


def test_page_chooses_where_a_new_story_goes(issue, tmp_path):
    result = run("import", small(tmp_path / "短稿.docx", "正文。"), "--into", issue, "--page", "2")
    assert result.exit_code == 0, result.output
    assert load_issue(issue).pages[1].stories[0].headline == "短稿标题"
    too_far = run("import", small(tmp_path / "另稿.docx", "正文。"), "--into", issue, "--page", "4")
    assert (too_far.exit_code, too_far.output) == (
        1, "x/issue.yaml: --page 4: the issue has 2 pages; give 1 to 3 (3 adds a page)\n")


def test_a_caption_can_come_from_the_alt_text(issue, tmp_path):
    def build(document):
        document.add_picture(picture())
        document.inline_shapes[0]._inline.docPr.set("descr", "平顺县城全景 王五 摄")
        document.add_paragraph("这一段是正文，不是图说，因为图片有替代文字。")

    run("import", small(tmp_path / "短稿.docx", "第一段。", build=build), "--into", issue)
    story = load_issue(issue).pages[0].stories[0]
    assert [(f.caption, f.credit) for f in story.figures] == [("平顺县城全景", "王五 摄")]
    assert [p.text for p in story.paragraphs] == ["第一段。", "这一段是正文，不是图说，因为图片有替代文字。"]


# -- traps: each one located, with its exact message; nothing is written on an error -----------

def tracked(document):
    paragraph = document.add_paragraph("全年签约项目")
    paragraph._p.append(parse_xml(f'<w:ins {NS} w:id="1" w:author="张三" w:date="2026-02-01T00:00:00Z">'
                                  '<w:r><w:t>56个</w:t></w:r></w:ins>'))
    paragraph._p.append(parse_xml(f'<w:del {NS} w:id="2" w:author="张三" w:date="2026-02-01T00:00:00Z">'
                                  '<w:r><w:delText>48个</w:delText></w:r></w:del>'))


def gif_picture(document):
    document.add_picture(picture("GIF", size=(400, 300)))
    document.add_paragraph("图为动图")


def huge_picture(document):
    """A PNG whose header says 8000 × 8000 pixels (64 megapixels): only the header is made."""
    data = bytearray(picture("PNG", size=(8, 8)).getvalue())
    data[16:24] = struct.pack(">II", 8000, 8000)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    document.add_picture(io.BytesIO(bytes(data)), width=Cm(5), height=Cm(5))
    document.add_paragraph("图为巨图")


def linked_picture(document):
    document.part.relate_to("http://example.com/x.png", RT.IMAGE, is_external=True)


TRAPS = {
    "tracked": (tracked, "稿件.docx: error: paragraph 3: tracked changes not accepted (inserted '56个', "
                         "deleted '48个'); accept or reject the changes first"),
    "gif": (gif_picture, "稿件.docx: error: paragraph 3: picture 1 (image1.gif): unsupported image format "
                         "GIF: use JPEG, PNG, TIFF or WebP"),
    "huge": (huge_picture, "稿件.docx: error: paragraph 3: picture 1 (image1.png): image is too large to "
                           "open safely: 8000x8000 pixels (limit 60 megapixels)"),
    "linked": (linked_picture, "稿件.docx: error: refused: /word/document.xml links to 'http://example.com/x.png' "
               "outside the document (image, rId9); a manuscript must carry its pictures and objects inside it"),
}


@pytest.mark.parametrize("trap", TRAPS)
def test_a_trap_is_a_located_error_and_nothing_is_written(issue, tmp_path, trap):
    build, message = TRAPS[trap]
    result = run("import", small(tmp_path / "稿件.docx", "正文第一段。", build=build), "--into", issue)
    assert (result.exit_code, result.output.splitlines()) == (1, [message])
    assert (issue / "issue.yaml").read_text(encoding="utf-8") == ISSUE and not (issue / "images").exists()


COMMENT = "稿件.docx: warning: paragraph 3: comment by 李编辑 is not imported: '请核实数字'; settle it before printing"


def test_a_comment_is_a_warning_and_the_story_is_filed(issue, tmp_path):
    def build(document):
        paragraph = document.add_paragraph("全年签约项目56个。")
        document.add_comment(paragraph.runs, text="请核实数字", author="李编辑")

    result = run("import", small(tmp_path / "稿件.docx", "正文。", build=build), "--into", issue)
    assert result.exit_code == 0
    assert result.output.splitlines()[0] == COMMENT
    assert [p.text for p in load_issue(issue).pages[0].stories[0].paragraphs] == ["正文。", "全年签约项目56个。"]


NOT_DOCX = [
    "旧稿.doc: error: a Word 97-2003 document (.doc) cannot be read; save as .docx (in Word or WPS: 另存为 .docx)",
    "加密.docx: error: not a .docx inside: a Word 97-2003 document or a password-protected one; "
    "open it in Word or WPS and save as .docx (without a password)",
    "空稿.docx: error: the manuscript is empty: none of its paragraphs holds text"]


def test_files_that_are_not_a_docx_are_refused(issue, tmp_path):
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    (tmp_path / "旧稿.doc").write_bytes(ole)
    (tmp_path / "加密.docx").write_bytes(ole)
    empty = docx.Document()
    empty.add_paragraph("\u3000\u3000")
    empty.save(tmp_path / "空稿.docx")
    result = run("import", "旧稿.doc", "加密.docx", "空稿.docx", "--into", issue)
    assert (result.exit_code, result.output.splitlines()) == (1, NOT_DOCX)
    assert (issue / "issue.yaml").read_text(encoding="utf-8") == ISSUE


def test_a_zip_bomb_is_refused_before_it_is_unpacked(issue, tmp_path):
    path = small(tmp_path / "稿件.docx", "正文。")
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as package:
        package.writestr("word/media/bomb.bin", bytes(50 * 2**20))            # 50 MB of zeros
    packed = zipfile.ZipFile(path).getinfo("word/media/bomb.bin").compress_size
    result = run("import", path, "--into", issue)
    assert (result.exit_code, result.output.splitlines()) == (1, [
        f"稿件.docx: error: refused as a zip bomb: 'word/media/bomb.bin' would unpack to 52,428,800 bytes "
        f"from {packed:,} ({52428800 // packed:,} to 1; at most 100 to 1)"])


def test_an_entity_bomb_in_the_document_xml_is_refused(issue, tmp_path):
    path = small(tmp_path / "稿件.docx", "正文。")
    entities = "".join(f'<!ENTITY {b} "{("&" + a + ";") * 10}">' for a, b in zip("abcdefg", "bcdefgh"))
    with zipfile.ZipFile(path) as package:
        members = [(info, package.read(info)) for info in package.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for info, data in members:
            if info.filename == "word/document.xml":
                head, rest = data.split(b"?>", 1)
                dtd = f'<!DOCTYPE w:document [<!ENTITY a "AAAAAAAAAA">{entities}]>'.encode()
                data = head + b"?>" + dtd + rest.replace("正文。".encode(), b"&h;")
            package.writestr(info, data)
    result = run("import", path, "--into", issue)
    assert result.exit_code == 1
    assert result.output.startswith("稿件.docx: error: cannot be read as a .docx (XMLSyntaxError: ")


def test_a_manuscript_of_a_headline_only_has_no_body(issue, tmp_path):
    result = run("import", small(tmp_path / "稿件.docx", "本报记者 张三"), "--into", issue)
    assert (result.exit_code, result.output) == (
        1, "稿件.docx: error: no body text: every paragraph went to the headline set, the byline or a caption\n")


def test_importing_into_the_sample_adds_the_story_and_changes_nothing_else(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "sample"
    shutil.copytree(SAMPLE, folder)
    before = (folder / "issue.yaml").read_text(encoding="utf-8")
    result = run("import", small(tmp_path / "短稿.docx", "第一段。", "第二段。"), "--into", folder, "--page", "1")
    assert result.exit_code == 0, result.output
    after = (folder / "issue.yaml").read_text(encoding="utf-8")
    added = [line for line in difflib.ndiff(before.splitlines(), after.splitlines()) if line[:1] in "+-"]
    assert added == ["+       - headline: 短稿标题  # source: 短稿.docx", "+         body: |",
                     "+           第一段。", "+ ", "+           第二段。"]
    assert load_issue(folder).pages[0].stories[-1].headline == "短稿标题"


def test_the_readme_shows_the_messages_as_the_tool_prints_them():
    readme = (SAMPLE.parents[1] / "README.md").read_text(encoding="utf-8")
    start = readme.index("Errors and\nwarnings name the file")
    shown = readme[start:].split("```\n")[1].splitlines()
    printed = {message for _, message in TRAPS.values()} | set(WARNINGS) | {COMMENT} | set(NOT_DOCX)
    assert shown and [line for line in shown if line not in printed] == []


def test_the_headline_set_by_other_styles_and_markers(issue, tmp_path):
    document = docx.Document()
    document.styles.add_style("引题", WD_STYLE_TYPE.PARAGRAPH)
    document.add_paragraph("聚焦两会", style="引题")
    document.add_paragraph("奋进平顺", style="Heading 1")
    document.add_paragraph("副题：平顺县经济社会\n高质量发展步履坚定")
    document.add_paragraph("本报记者近日走访了项目工地。")            # a sentence, not a byline
    document.save(tmp_path / "稿件.docx")
    assert run("import", tmp_path / "稿件.docx", "--into", issue).exit_code == 0
    story = load_issue(issue).pages[0].stories[0]
    assert (story.kicker, story.headline, story.subhead, story.byline, story.body) == (
        "聚焦两会", "奋进平顺", "平顺县经济社会 高质量发展步履坚定", "", "本报记者近日走访了项目工地。\n")


def test_without_a_title_or_heading_the_first_paragraph_is_the_headline(issue, tmp_path):
    document = docx.Document()
    document.add_paragraph("\u3000\u3000平顺项目建设提速")
    document.add_paragraph("记者 王五")
    document.add_paragraph("通讯员 赵六")
    document.add_paragraph("正文。")
    document.add_paragraph("记者手记")                                # a crosshead, not a byline
    document.save(tmp_path / "稿件.docx")
    result = run("import", tmp_path / "稿件.docx", "--into", issue)
    assert result.output.splitlines()[0] == (
        "稿件.docx: warning: paragraph 1: no paragraph in the Title style or a heading style: the first "
        "paragraph '平顺项目建设提速' is taken as the headline")
    story = load_issue(issue).pages[0].stories[0]
    assert (story.headline, story.byline, story.body) == ("平顺项目建设提速", "记者 王五 通讯员 赵六", "正文。\n\n记者手记\n")


def test_text_that_python_docx_passes_over_is_imported(issue, tmp_path):
    """Runs inside a hyperlink and paragraphs inside a content control (w:sdt)."""
    def build(document):
        paragraph = document.add_paragraph("详见")
        paragraph._p.append(parse_xml(f'<w:hyperlink {NS} xmlns:r="http://schemas.openxmlformats.org/'
                                      'officeDocument/2006/relationships" r:id="rId99">'
                                      '<w:r><w:t>平顺县政府网站</w:t></w:r></w:hyperlink>'))
        document.element.body.insert(-1, parse_xml(
            f'<w:sdt {NS}><w:sdtContent><w:p><w:r><w:t>控件里的一段。</w:t></w:r></w:p></w:sdtContent></w:sdt>'))

    assert run("import", small(tmp_path / "稿件.docx", "正文。", build=build), "--into", issue).exit_code == 0
    assert [p.text for p in load_issue(issue).pages[0].stories[0].paragraphs] == [
        "正文。", "详见平顺县政府网站", "控件里的一段。"]


def test_a_picture_without_caption_or_alt_text_is_an_error(issue, tmp_path):
    def build(document):
        document.add_picture(picture())

    result = run("import", small(tmp_path / "稿件.docx", "正文。", build=build), "--into", issue)
    assert (result.exit_code, result.output) == (1, (
        "稿件.docx: error: paragraph 3: picture 1 (image1.jpg) has no caption: write its 图说 in the paragraph "
        "right under it, or give the picture alt text\n"))


def test_line_ends_and_byte_order_mark_of_the_issue_file_are_kept(issue, tmp_path):
    (issue / "issue.yaml").write_bytes(b"\xef\xbb\xbf" + ISSUE.replace("\n", "\r\n").encode("utf-8"))
    assert run("import", small(tmp_path / "稿件.docx", "正文。"), "--into", issue).exit_code == 0
    written = (issue / "issue.yaml").read_bytes()
    assert written.startswith(b"\xef\xbb\xbfpaper: ") and written.count(b"\n") == written.count(b"\r\n")
    assert "      - headline: 短稿标题  # source: 稿件.docx\r\n" in written.decode("utf-8-sig")


def test_usage(issue, tmp_path):
    assert run("import", "--help").exit_code == 0
    assert run("import", small(tmp_path / "稿件.docx", "正文。")).exit_code == 2          # no --into
    missing = run("import", "无稿.docx", "--into", issue)
    assert (missing.exit_code, missing.output) == (1, "无稿.docx: error: file not found\n")
    twice = run("import", "稿件.docx", "稿件.docx", "--into", issue)
    assert (twice.exit_code, twice.output) == (
        1, "稿件.docx: error: would file the same story as '稿件.docx' (both named '稿件'); rename one of them\n")


def test_lines_the_round_trip_would_write_otherwise_are_a_warning(issue, tmp_path):
    (issue / "issue.yaml").write_text(ISSUE.replace("paper: 示例日报", "paper:   示例日报"), encoding="utf-8")
    result = run("import", small(tmp_path / "稿件.docx", "正文。"), "--into", issue)
    assert result.output.splitlines()[0] == (
        "x/issue.yaml: warning: 1 line that the import does not change will be written otherwise (spacing "
        "made regular by the YAML round trip); compare with your copy")
    assert (issue / "issue.yaml").read_text(encoding="utf-8").startswith("paper: 示例日报\n")


def test_a_named_pipe_is_refused_without_waiting(issue, tmp_path):
    os.mkfifo(tmp_path / "管道.docx")
    result = run("import", "管道.docx", "--into", issue)
    assert (result.exit_code, result.output) == (1, "管道.docx: error: not a regular file but a named pipe (FIFO)\n")


def test_an_invisible_character_the_issue_file_refuses_is_refused_in_the_manuscript(issue, tmp_path):
    result = run("import", small(tmp_path / "稿件.docx", "正文\u202e反向。"), "--into", issue)
    assert (result.exit_code, result.output) == (1, (
        "稿件.docx: error: paragraph 2: contains the invisible character U+202E RIGHT-TO-LEFT OVERRIDE, "
        "which changes the order in which the text around it is shown; delete it\n"))
    assert (issue / "issue.yaml").read_text(encoding="utf-8") == ISSUE
