"""Page render stage, worker side: lay out pages as their own WeasyPrint documents.

A chunk is a run of pages handed to one worker. Each page is laid out as a separate document
(its running header and folio come from its own plan), the chunk's pages are written as one PDF
(fonts are subset once per chunk, not once per page), and that PDF is split into one-page PDFs
for the page cache.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Finding
from ..overflow import banner_findings
from ..render import captured_weasyprint_log, restricted_fetcher
from .cache import PageCache, PageEntry

PX_TO_PT = 0.75
CATALOG_KEYS = ("/Lang", "/Metadata", "/OutputIntents", "/MarkInfo", "/ViewerPreferences")


@dataclass
class PageJob:
    """One page to render: its key, complete HTML and where its files may come from."""

    key: str
    number: int
    html: str
    label: str
    base_url: Path
    roots: list[Path]
    options: dict = field(default_factory=dict)


def render_chunk(jobs: list[PageJob], cache_dir: Path) -> list[PageEntry]:
    """Render `jobs` (one chunk) into the page cache; return their entries."""
    from weasyprint.text.fonts import FontConfiguration
    font_config = FontConfiguration()
    laid_out = [layout_page(job, font_config) for job in jobs]
    documents = [document for document, _ in laid_out]
    pages = [page for document in documents for page in document.pages]
    with captured_weasyprint_log() as log:
        data = documents[0].copy(pages).write_pdf(**jobs[0].options)
    written = log.findings(jobs[0].label)
    cache = PageCache(cache_dir)
    entries, start = [], 0
    for job, (document, findings) in zip(jobs, laid_out):
        count = len(document.pages)
        pdf_bytes = split_pages(data, start, count)
        entries.append(cache.put(job.key, pdf_bytes, bookmarks=bookmarks_of(document),
                                 anchors=anchors_of(document), findings=findings + written))
        start, written = start + count, []
    return entries


def layout_page(job: PageJob, font_config) -> tuple[object, list[Finding]]:
    """Lay out one page's HTML; return the document and WeasyPrint's warnings."""
    import weasyprint
    fetcher = restricted_fetcher(job.roots)
    with captured_weasyprint_log() as log:
        document = weasyprint.HTML(string=job.html, base_url=job.base_url.as_uri() + "/",
                                   url_fetcher=fetcher).render(font_config=font_config)
    findings = log.findings(job.label) + banner_findings(document)
    findings += [Finding(f"refused to load '{url}': rendering reads only the issue folder, "
                         "the templates and the fonts", file=job.label, kind="render") for url in fetcher.refused]
    return document, findings


def bookmarks_of(document) -> list[list]:
    """[page index, level, label, x, y] of every bookmark, in PDF points."""
    return [[index, level, label, x * PX_TO_PT, (page.height - y) * PX_TO_PT]
            for index, page in enumerate(document.pages)
            for level, label, (x, y), _state in page.bookmarks]


def anchors_of(document) -> list[list]:
    """[page index, name, x, y] of every named anchor (element id), in PDF points."""
    return [[index, name, x * PX_TO_PT, (page.height - y) * PX_TO_PT]
            for index, page in enumerate(document.pages)
            for name, (x, y, *_corner) in page.anchors.items()]


def split_pages(data: bytes, start: int, count: int) -> bytes:
    """Pages start..start+count of the PDF `data` as a PDF of their own."""
    import pikepdf
    with pikepdf.open(io.BytesIO(data)) as source, pikepdf.new() as part:
        part.pages.extend(source.pages[start:start + count])
        for page in part.pages:     # WeasyPrint shares one resource dictionary among all pages
            page.remove_unreferenced_resources()
        part.docinfo = _copy(part, source, source.docinfo)
        for key in CATALOG_KEYS:
            if key in source.Root:
                part.Root[key] = _copy(part, source, source.Root[key])
        out = io.BytesIO()
        part.save(out)
        return out.getvalue()


def _copy(pdf, source, obj):
    """`obj` from the PDF `source`, copied into `pdf`: what it refers to as well (a direct array or
    dictionary, the PDF/X output intents, is copied as an object of its own)."""
    import pikepdf
    if not obj.is_indirect and isinstance(obj, (pikepdf.Array, pikepdf.Dictionary)):
        obj = source.make_indirect(obj)
    return pdf.copy_foreign(obj) if obj.is_indirect else obj
