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
