"""Page render stage: combine one-page PDFs into the issue's PDF.

The first page's file is the base: its document information (title, subject, producer: what
the page's HTML says in `<title>` and `<meta name="description">`), its language and any output
intent carry over, and the document information is written as XMP metadata as well. Pages
follow in folio order; bookmarks and named anchors are rebuilt from the page records; fonts and
photos that several pages carry are kept once, and the font subsets of different chunks (each
chunk is written with its own subset of every font) become one subset of each font (`subsets`).
"""
from __future__ import annotations

import hashlib
from contextlib import ExitStack

from .cache import PageEntry
from .subsets import share_font_subsets

#: document information entries and the XMP fields that carry them (as in WeasyPrint's PDF/X)
XMP_FIELDS = {"/Title": "dc:title", "/Subject": "dc:description", "/Producer": "pdf:Producer"}


def combine_pages(entries: list[PageEntry], path, *, info: dict[str, str] | None = None) -> None:
    """Write the pages of `entries`, in order, to the PDF `path` (a path or a binary stream)."""
    import pikepdf
    with ExitStack() as stack:
        pdf = stack.enter_context(pikepdf.open(entries[0].pdf))
        for key in ("/Names", "/Outlines", "/PageLabels"):
            if key in pdf.Root:
                del pdf.Root[key]
        starts = [0]
        for entry in entries[1:]:
            starts.append(len(pdf.pages))
            source = stack.enter_context(pikepdf.open(entry.pdf))
            pdf.pages.extend(source.pages)
        share_resources(pdf)
        share_font_subsets(pdf)
        _add_anchors(pdf, entries, starts)
        _add_bookmarks(pdf, entries, starts)
        for name, value in (info or {}).items():
            pdf.docinfo[f"/{name}"] = value
        write_metadata(pdf)
        pdf.save(path, object_stream_mode=pikepdf.ObjectStreamMode.generate)


def write_metadata(pdf) -> None:
    """The document information (title, subject, producer) also as XMP metadata, as WeasyPrint
    writes it in the print PDF: readers that look only at XMP show the issue's title too."""
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        for name, field in XMP_FIELDS.items():
            if name in pdf.docinfo:
                meta[field] = str(pdf.docinfo[name])


def share_resources(pdf) -> None:
    """Point every page at one copy of each distinct font, image and colour profile (same
    dictionaries, bytes)."""
    seen: dict[str, object] = {}
    memo: dict[tuple, str] = {}
    for page in pdf.pages:
        _share_in(page.obj.get("/Resources"), seen, memo, depth=0)


def _share_in(resources, seen: dict, memo: dict, depth: int) -> None:
    import pikepdf
    if resources is None or depth > 4:
        return
    for kind in ("/Font", "/XObject", "/ColorSpace"):
        named = resources.get(kind)
        for name in list(named.keys()) if named is not None else []:
            item = named[name]
            if isinstance(item, pikepdf.Array):       # a colour space: [/ICCBased <profile>], ...
                for index, part in enumerate(list(item)):
                    if part.is_indirect:
                        item[index] = seen.setdefault(object_digest(part, memo), part)
            elif item.get("/Subtype") == pikepdf.Name.Form:
                _share_in(item.get("/Resources"), seen, memo, depth + 1)
            elif item.is_indirect:
                named[name] = seen.setdefault(object_digest(item, memo), item)


def object_digest(obj, memo: dict, depth: int = 0) -> str:
    """A digest of a PDF object and everything it refers to (streams by their raw bytes)."""
    import pikepdf
    if not isinstance(obj, pikepdf.Object):
        return repr(obj)
    key = obj.objgen if obj.is_indirect else None
    if key and key in memo:
        return memo[key]
    digest = hashlib.sha256()
    if depth > 12:
        digest.update(repr(key).encode())
    elif isinstance(obj, pikepdf.Stream):
        digest.update(b"stream" + obj.read_raw_bytes())
        digest.update(_dictionary_digest(obj.stream_dict, memo, depth).encode())
    elif isinstance(obj, pikepdf.Dictionary):
        digest.update(_dictionary_digest(obj, memo, depth).encode())
    elif isinstance(obj, pikepdf.Array):
        for item in obj:
            digest.update(object_digest(item, memo, depth + 1).encode())
    else:
        digest.update(repr(obj).encode())
    value = digest.hexdigest()
    if key:
        memo[key] = value
    return value


def _dictionary_digest(dictionary, memo: dict, depth: int) -> str:
    parts = [f"{name}={object_digest(dictionary[name], memo, depth + 1)}"
             for name in sorted(dictionary.keys()) if name not in ("/Length", "/Parent")]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def _add_anchors(pdf, entries: list[PageEntry], starts: list[int]) -> None:
    """Named destinations (element ids, e.g. `page-3`), as one sorted name tree."""
    import pikepdf
    names = sorted((name, start + index, x, y) for entry, start in zip(entries, starts)
                   for index, name, x, y in entry.anchors)
    if not names:
        return
    array = pikepdf.Array()
    for name, index, x, y in names:
        array.append(pikepdf.String(name))
        array.append(pikepdf.Array([pdf.pages[index].obj, pikepdf.Name.XYZ, x, y, 0]))
    pdf.Root.Names = pikepdf.Dictionary(Dests=pikepdf.Dictionary(Names=array))


def _add_bookmarks(pdf, entries: list[PageEntry], starts: list[int]) -> None:
    """The outline, nested by bookmark level across the whole issue."""
    from pikepdf import OutlineItem
    marks = [(start + index, level, label, x, y) for entry, start in zip(entries, starts)
             for index, level, label, x, y in entry.bookmarks]
    if not marks:
        return
    with pdf.open_outline() as outline:
        stack: list[tuple[int, list]] = [(0, outline.root)]
        for page, level, label, x, y in marks:
            item = OutlineItem(label, page, "XYZ", left=x, top=y)
            while len(stack) > 1 and stack[-1][0] >= level:
                stack.pop()
            stack[-1][1].append(item)
            stack.append((level, item.children))
