"""Stage "import": a reporter's Word manuscript (.docx) read into the data of one story.

`read_manuscript(path)` opens the .docx safely (`package`), walks its paragraphs, tables and text
boxes (`blocks`), maps them to a headline set, byline, body and figures (`story`, `pictures`) and
returns a `Manuscript`: the story and every located finding (`稿件.docx: paragraph 3: ...`).
A manuscript with error findings must not be filed; `issuefile` writes the others into
`issue.yaml`.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Finding, LayoutError, Severity
from .blocks import read_units
from .package import open_package
from .story import Story, clean, compose_story

__all__ = ["Manuscript", "read_manuscript", "slug_of"]


@dataclass
class Manuscript:
    """A manuscript read: its file, the story it gives and what was found on the way."""

    path: Path
    label: str
    story: Story
    findings: list[Finding] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return slug_of(self.path.name)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]


def read_manuscript(path: Path, label: str | None = None) -> Manuscript:
    """Read `path`; a file that cannot be opened safely raises LayoutError, anything else found
    (tracked changes, a picture the renderer refuses, a comment...) is in `.findings`."""
    label = label or str(path)
    document = open_package(Path(path), label)
    findings: list[Finding] = []
    units = read_units(document, label, findings)
    if not any(clean(unit.text) for unit in units) and not any(
            unit.element is not None and unit.element.xpath(".//w:drawing") for unit in units):
        raise LayoutError(Finding("the manuscript is empty: none of its paragraphs holds text", file=label))
    story = compose_story(units, document, label, findings)
    if not story.paragraphs:
        findings.append(Finding("no body text: every paragraph went to the headline set, the byline "
                                "or a caption", file=label))
    return Manuscript(Path(path), label, story, findings)


def slug_of(name: str) -> str:
    """The manuscript's name as used in image names: its stem, lower case, runs of anything but
    letters, digits and '-' turned into one '-' (`平顺 两会稿.docx` -> `平顺-两会稿`)."""
    stem = unicodedata.normalize("NFKC", Path(name).stem).lower()
    slug = re.sub(r"[^\w-]+|_+", "-", stem).strip("-")
    return re.sub(r"-{2,}", "-", slug) or "manuscript"
