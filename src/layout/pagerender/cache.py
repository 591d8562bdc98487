"""Page render stage: the per-page cache, `<cache>/pages/<key>.pdf` with `<key>.json`.

Each entry is a one-page PDF and a record of what the page needs when it is combined into the
issue (its bookmarks and named anchors in PDF coordinates) and the warnings WeasyPrint gave while
laying it out, so a cached page reports them again. The PDF is written first and the record last,
each atomically: an entry without its record is a miss. A hit touches the record: the cache is
trimmed by last use (`cache_limit`).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..cache_limit import touch
from ..errors import Finding, Severity
from ..render import write_atomically


@dataclass
class PageEntry:
    """One cached page: its one-page PDF and what combining it needs."""

    key: str
    pdf: Path
    bookmarks: list[list] = field(default_factory=list)   # [level, label, x, y] in PDF points
    anchors: list[list] = field(default_factory=list)     # [name, x, y] in PDF points
    findings: list[Finding] = field(default_factory=list)


class PageCache:
    """The folder of cached pages."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def pdf_path(self, key: str) -> Path:
        return self.folder / f"{key}.pdf"

    def get(self, key: str) -> PageEntry | None:
        pdf, record = self.pdf_path(key), self.folder / f"{key}.json"
        try:
            data = json.loads(record.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not pdf.is_file():
            return None
        touch(record)
        return PageEntry(key, pdf, data.get("bookmarks", []), data.get("anchors", []),
                         [_finding(f) for f in data.get("findings", [])])

    def put(self, key: str, pdf_bytes: bytes, *, bookmarks: list, anchors: list,
            findings: list[Finding]) -> PageEntry:
        pdf = self.pdf_path(key)
        write_atomically(pdf, lambda tmp: tmp.write_bytes(pdf_bytes))
        record = {"bookmarks": bookmarks, "anchors": anchors, "findings": [f.as_dict() for f in findings]}
        write_atomically(self.folder / f"{key}.json",
                         lambda tmp: tmp.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8"))
        return PageEntry(key, pdf, bookmarks, anchors, list(findings))


def _finding(data: dict) -> Finding:
    return Finding(data["message"], data.get("file", ""), data.get("line"), data.get("key", ""),
                   Severity(data.get("severity", "warning")), data.get("kind", "render"))
