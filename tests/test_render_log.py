"""WeasyPrint's log while a document is laid out (render.captured_weasyprint_log): its warnings
become located findings, a .notdef glyph is an error, information is not a
finding, and nothing is collected outside the block. Written to kill the mutants
scripts/mutation found alive (docs/mutation.md)."""
from __future__ import annotations

import logging

from layout.errors import Severity
from layout.render import captured_weasyprint_log


def test_warnings_of_both_loggers_become_findings_and_notdef_an_error():
    with captured_weasyprint_log() as log:
        logging.getLogger("weasyprint").warning("Ignored `foo: bar` at 3:5, unknown property.")
        logging.getLogger("weasyprint").error(".notdef glyph drawn for U+2A6A5")
        logging.getLogger("weasyprint").info("Step 4 - Creating layout - Page 1")
        logging.getLogger("weasyprint.progress").debug("laying out")
    findings = log.findings("issues/x/page 2")
    assert [(str(f), f.severity, f.kind) for f in findings] == [
        ("issues/x/page 2: WeasyPrint: Ignored `foo: bar` at 3:5, unknown property.",
         Severity.WARNING, "render"),
        ("issues/x/page 2: WeasyPrint: .notdef glyph drawn for U+2A6A5", Severity.ERROR, "render"),
    ]


def test_nothing_is_collected_after_the_block():
    with captured_weasyprint_log() as log:
        pass
    logging.getLogger("weasyprint").warning("later")
    logging.getLogger("weasyprint.progress").warning("later")
    assert log.findings("x") == []
    assert not any(type(h).__name__ == "WeasyLog" for name in ("weasyprint", "weasyprint.progress")
                   for h in logging.getLogger(name).handlers)


def test_the_whole_document_renderer_locates_its_findings(tmp_path):
    """render.render_document: WeasyPrint's warnings and each refused file are findings of the
    label it is given, of kind "render" (check --json and the batch report show both)."""
    from layout.render import render_document
    (tmp_path / "issue").mkdir()
    html = ('<p style="colour: red">新版</p>'
            f'<img src="{(tmp_path / "elsewhere.png").as_uri()}" alt="">')
    document, findings = render_document(html, base_url=tmp_path / "issue",
                                         roots=[tmp_path / "issue"], label="issues/x/issue.yaml")
    assert len(document.pages) == 1
    url = (tmp_path / "elsewhere.png").as_uri()
    assert sorted((f.file, f.kind, f.message) for f in findings) == sorted([
        ("issues/x/issue.yaml", "render", "WeasyPrint: Ignored `colour: red` at 1:1, unknown property."),
        ("issues/x/issue.yaml", "render", f"WeasyPrint: Failed to load image at '{url}': ValueError: "
                                          f"refused '{url}': outside the issue folder, templates and fonts"),
        ("issues/x/issue.yaml", "render", f"refused to load '{url}': rendering reads only the issue "
                                          "folder, the templates and the fonts"),
    ])


def test_a_web_address_is_refused_even_when_its_path_names_an_allowed_file(tmp_path):
    """http://host/<issue folder>/photo.png is not the issue's photo: only file: URLs are
    resolved against the allowed folders."""
    from PIL import Image
    from layout.render import render_document
    issue = tmp_path / "issue"
    issue.mkdir()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(issue / "photo.png")
    url = f"http://127.0.0.1:9{issue / 'photo.png'}"
    document, findings = render_document(f'<img src="{url}" alt="">', base_url=issue,
                                         roots=[issue], label="issues/x/issue.yaml")
    assert f"refused to load '{url}': rendering reads only the issue folder, the templates and " \
           "the fonts" in [f.message for f in findings]
