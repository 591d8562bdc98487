"""Stage "import": a .docx document as a list of text units, each with its place in the manuscript.

A unit is what an editor sees as one paragraph: a paragraph of the body ("paragraph 3"), a row of
a table ("table 1, row 2") or a paragraph inside a text box ("text box in paragraph 7"). Body
paragraphs are numbered in document order, empty ones included (as Word shows them with its
formatting marks); block content controls (`w:sdt`) are looked into, not skipped.

python-docx reads paragraphs, runs, styles and parts; what it passes over is read here from the
XML so that no text is lost on the way: runs inside hyperlinks, content controls and fields,
and the paragraphs of text boxes (of a `mc:AlternateContent`, only its `mc:Choice`: its
`mc:Fallback` repeats the same text box for older readers).

Traps found on the way are located findings (`稿件.docx: paragraph 3: ...`):
- tracked changes not accepted (`w:ins`, `w:del`, `w:moveFrom`, `w:moveTo`): an error, since a
  deletion must never reach print;
- comments, footnotes and embedded objects (charts, SmartArt, OLE): warnings, as they are not
  imported;
- the invisible characters an issue file may not hold (a right-to-left override...): errors.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Iterator

from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import nsmap
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml import etree

from ..errors import Finding, Severity, plural
from ..text import describe, refused_characters

NS = {**nsmap, "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
      "v": "urn:schemas-microsoft-com:vml", "o": "urn:schemas-microsoft-com:office:office"}
W = "{%s}" % NS["w"]
MC_FALLBACK = "{%s}Fallback" % NS["mc"]
CHANGES = etree.XPath(".//w:ins | .//w:del | .//w:moveFrom | .//w:moveTo", namespaces=NS)
COMMENTS = etree.XPath(".//w:commentReference/@w:id", namespaces=NS)
NOTES = etree.XPath(".//w:footnoteReference | .//w:endnoteReference", namespaces=NS)
OBJECTS = etree.XPath(".//w:object | .//a:graphicData[not(pic:pic) and not(.//w:txbxContent)]",
                      namespaces=NS)
CHANGED_TEXT = etree.XPath(".//w:t/text() | .//w:delText/text()", namespaces=NS)
CHANGE_WORDS = {"ins": "inserted", "del": "deleted", "moveFrom": "moved away", "moveTo": "moved here"}


@dataclass
class Unit:
    """One paragraph-like piece of the manuscript: its place, style and runs (text, bold)."""

    place: str
    origin: str                       # "paragraph", "table" or "text box"
    style: str = ""
    centred: bool = False
    runs: list[tuple[str, bool]] = field(default_factory=list)
    element: etree._Element | None = None

    @property
    def text(self) -> str:
        return "".join(text for text, _ in self.runs)


def read_units(document: Document, label: str, findings: list[Finding]) -> list[Unit]:
    """Every unit of the document's body in order; traps go to `findings`."""
    units: list[Unit] = []
    comments = {str(c.comment_id): c for c in document.comments}
    paragraphs = tables = 0
    for element in _blocks(document.element.body):
        if element.tag == W + "p":
            paragraphs += 1
            place = f"paragraph {paragraphs}"
            paragraph = Paragraph(element, document._body)
            units.append(_unit(paragraph, place, "paragraph"))
            boxes = _text_boxes(paragraph, place)
            if boxes:
                findings.append(Finding(
                    f"text in a text box ('{_short(boxes[0].text)}') is imported as body text after "
                    "this paragraph: check where it belongs", file=label, key=place, severity=Severity.WARNING))
            units += boxes
        else:
            tables += 1
            place = f"table {tables}" + (f" (after paragraph {paragraphs})" if paragraphs else "")
            rows = _table_rows(element, document, f"table {tables}")
            if any(row.text.strip() for row in rows):
                findings.append(Finding(
                    "a table cannot be set in a story: its text is imported row by row as body paragraphs "
                    f"({plural(len(rows), 'row')}, cells separated by a full-width space): check them",
                    file=label, key=place, severity=Severity.WARNING))
            units += rows
        _traps(element, place, label, comments, findings)
    for unit in units:
        _refuse_invisible(unit, label, findings)
    return units


def _refuse_invisible(unit: Unit, label: str, findings: list[Finding]) -> None:
    """The invisible characters the issue file refuses (`text.refused_characters`, control
    characters) are errors here, located in the manuscript, before the issue file is written."""
    refused = refused_characters(unit.text)
    control = next((c for c in unit.text if unicodedata.category(c) == "Cc" and c not in "\t\n\r"), None)
    if refused:
        findings.append(Finding(refused[0][1], file=label, key=unit.place))
    elif control is not None:
        findings.append(Finding(f"contains the invisible character {describe(control)}, a control "
                                "character; delete it", file=label, key=unit.place))


def _blocks(parent) -> Iterator[etree._Element]:
    """Body paragraphs and tables in order, looking into content controls and custom XML."""
    for child in parent.iterchildren():
        if child.tag in (W + "p", W + "tbl"):
            yield child
        elif child.tag not in (W + "sectPr", MC_FALLBACK) and isinstance(child.tag, str):
            yield from _blocks(child)


def _unit(paragraph: Paragraph, place: str, origin: str) -> Unit:
    style = paragraph.style.name if paragraph.style is not None else ""
    alignment = paragraph.alignment
    if alignment is None and paragraph.style is not None:
        alignment = paragraph.style.paragraph_format.alignment
    runs = [(run.text, _bold(run, paragraph)) for run in (Run(r, paragraph) for r in _own_runs(paragraph._p))]
    return Unit(place, origin, style or "", alignment == WD_ALIGN_PARAGRAPH.CENTER, runs, paragraph._p)


def _own_runs(p) -> Iterator[etree._Element]:
    """The runs of paragraph `p` itself: not those of a text box or a fallback inside it."""
    for run in p.iter(W + "r"):
        if _owner(run) is p:
            yield run


def _owner(element) -> etree._Element | None:
    """The paragraph that holds `element`, or None when a `mc:Fallback` comes first."""
    parent = element.getparent()
    while parent is not None and parent.tag != W + "p":
        if parent.tag == MC_FALLBACK:
            return None
        parent = parent.getparent()
    return parent


def _bold(run: Run, paragraph: Paragraph) -> bool:
    """Bold as Word shows it: the run's own setting, else its character style's, else the
    paragraph style's (each following its base styles)."""
    if run.bold is not None:
        return run.bold
    for style in (run.style, paragraph.style):
        while style is not None:
            if style.font.bold is not None:
                return style.font.bold
            style = style.base_style
    return False


def _text_boxes(paragraph: Paragraph, place: str) -> list[Unit]:
    units = []
    for box in paragraph._p.iter(W + "txbxContent"):
        if _owner(box) is not paragraph._p:
            continue
        for inner in box.iterchildren(W + "p"):
            units.append(_unit(Paragraph(inner, paragraph._parent), f"text box in {place}", "text box"))
    return [unit for unit in units if unit.text.strip()]


def _table_rows(table, document: Document, place: str) -> list[Unit]:
    """One unit per row: its cells' texts (each cell once, merged or not) joined by U+3000."""
    units = []
    for number, row in enumerate(table.iterchildren(W + "tr"), 1):
        cells = []
        for cell in row.iterchildren(W + "tc"):
            texts = [_unit(Paragraph(p, document._body), place, "table").text.strip()
                     for p in cell.iter(W + "p") if not _in_fallback(p, cell)]
            cells.append("".join(t for t in texts if t))
        units.append(Unit(f"{place}, row {number}", "table", runs=[("\u3000".join(c for c in cells if c), False)],
                          element=row))
    return units


def _in_fallback(element, within) -> bool:
    parent = element.getparent()
    while parent is not None and parent is not within:
        if parent.tag == MC_FALLBACK:
            return True
        parent = parent.getparent()
    return False


def _traps(element, place: str, label: str, comments: dict, findings: list[Finding]) -> None:
    changes = CHANGES(element)
    if changes:
        findings.append(Finding(f"tracked changes not accepted ({_changes(changes)}); "
                                "accept or reject the changes first", file=label, key=place))
    for comment_id in COMMENTS(element):
        comment = comments.get(comment_id)
        who = f" by {comment.author}" if comment is not None and comment.author else ""
        said = f": '{_short(comment.text)}'" if comment is not None and comment.text.strip() else ""
        findings.append(Finding(f"comment{who} is not imported{said}; settle it before printing",
                                file=label, key=place, severity=Severity.WARNING))
    if NOTES(element):
        findings.append(Finding("a footnote or endnote is not imported; move its text into the body",
                                file=label, key=place, severity=Severity.WARNING))
    if OBJECTS(element):
        findings.append(Finding("an embedded object (a chart, SmartArt or OLE object) is not imported; "
                                "paste it as a picture", file=label, key=place, severity=Severity.WARNING))


def _changes(changes: list) -> str:
    parts = []
    for change in changes[:3]:
        kind = CHANGE_WORDS[etree.QName(change).localname]
        text = "".join(CHANGED_TEXT(change))
        parts.append(f"{kind} '{_short(text)}'" if text.strip() else f"{kind} a paragraph mark")
    more = len(changes) - 3
    return ", ".join(parts) + (f" and {more} more" if more > 0 else "")


def _short(text: str, limit: int = 20) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"
