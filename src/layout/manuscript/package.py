"""Stage "import", first step: open a reporter's .docx safely, or say why it cannot be opened.

A manuscript comes from outside the newsroom's control: it is read once (a regular file, at most
`MAX_PACKED` bytes: `files.read_capped`, so a named pipe cannot hang the import) and checked as
a zip before python-docx reads any of it. Refused, each with a sentence the editor can act on:
- a file that is not a .docx inside: a Word 97-2003 .doc, a WPS .wps, a password-protected
  document (all three are OLE2 compound files), an RTF file, another kind of zip;
- a zip bomb: more than `MAX_ENTRIES` members, more than `MAX_UNPACKED` bytes in all, or a member
  that unpacks to more than `MAX_RATIO` times its packed size (Word's own styles.xml reaches
  about 30 to 1; a zip bomb 1000 to 1). Python's zipfile never unpacks more than a member's
  declared size, so the declared sizes bound what reading can cost;
- an external relationship (`TargetMode="External"`): a linked picture, template or object that
  a reader would fetch from a file or an address outside the document. Hyperlinks are external
  too but nothing fetches them: their text is imported, their address is not.
"""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
from docx.document import Document

from ..errors import Finding, LayoutError
from ..files import FileProblem, read_capped

MAX_PACKED = 256 * 2**20
MAX_ENTRIES = 10_000
MAX_UNPACKED = 256 * 2**20
MAX_RATIO = 100
RATIO_FLOOR = 2**20        # members smaller than this unpacked are never counted as bombs
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
SAVE_AS = "open it in Word or WPS and save as .docx"


def open_package(path: Path, label: str) -> Document:
    """The python-docx Document of `path`, once it is known to be a safe .docx."""
    try:
        data = read_capped(path, MAX_PACKED, what="the manuscript")
    except FileProblem as problem:
        raise _refused(label, problem.message) from None
    _refuse_other_formats(data, path.suffix.lower(), label)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        _refuse_zip_bomb(package, label)
        if "word/document.xml" not in package.namelist():
            raise _refused(label, f"not a Word document (it holds no word/document.xml); {SAVE_AS}")
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - python-docx raises many kinds on a damaged package
        raise _refused(label, f"cannot be read as a .docx ({exc.__class__.__name__}: {exc}); "
                              f"{SAVE_AS}") from None
    _refuse_external_relationships(document, label)
    return document


def _refused(label: str, message: str) -> LayoutError:
    return LayoutError(Finding(message, file=label))


def _refuse_other_formats(data: bytes, suffix: str, label: str) -> None:
    if data.startswith(OLE2):
        if suffix == ".docx":
            raise _refused(label, "not a .docx inside: a Word 97-2003 document or a password-protected "
                                  f"one; {SAVE_AS} (without a password)")
        kind = "a WPS document (.wps)" if suffix == ".wps" else "a Word 97-2003 document (.doc)"
        raise _refused(label, f"{kind} cannot be read; save as .docx (in Word or WPS: 另存为 .docx)")
    if data.startswith(b"{\\rtf"):
        raise _refused(label, f"an RTF document cannot be read; {SAVE_AS}")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise _refused(label, f"not a .docx (Word) file; {SAVE_AS}")


def _refuse_zip_bomb(package: zipfile.ZipFile, label: str) -> None:
    members = package.infolist()
    if len(members) > MAX_ENTRIES:
        raise _refused(label, f"refused: {len(members):,} files packed inside, at most {MAX_ENTRIES:,} "
                              "are accepted (a zip bomb?)")
    for member in members:
        packed = max(member.compress_size, 1)
        if member.file_size > RATIO_FLOOR and member.file_size / packed > MAX_RATIO:
            raise _refused(label, f"refused as a zip bomb: '{member.filename}' would unpack to "
                                  f"{member.file_size:,} bytes from {member.compress_size:,} "
                                  f"({member.file_size // packed:,} to 1; at most {MAX_RATIO} to 1)")
    unpacked = sum(member.file_size for member in members)
    if unpacked > MAX_UNPACKED:
        raise _refused(label, f"refused as a zip bomb: it would unpack to {unpacked:,} bytes; "
                              f"at most {MAX_UNPACKED:,} are accepted")


def _refuse_external_relationships(document: Document, label: str) -> None:
    package = document.part.package
    sources, seen = [package], set()
    while sources:
        source = sources.pop()
        for rel in source.rels.values():
            if rel.is_external:
                if rel.reltype != HYPERLINK:
                    kind = rel.reltype.rsplit("/", 1)[-1]
                    where = getattr(source, "partname", "/")
                    raise _refused(label, f"refused: {where} links to '{rel.target_ref}' outside the "
                                          f"document ({kind}, {rel.rId}); a manuscript must carry its "
                                          "pictures and objects inside it")
            elif rel.target_part.partname not in seen:
                seen.add(rel.target_part.partname)
                sources.append(rel.target_part)
