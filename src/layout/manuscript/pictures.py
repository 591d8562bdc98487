"""Stage "import": the pictures pasted into a manuscript, checked as the renderer checks photos.

Each embedded picture (DrawingML `a:blip`, or VML `v:imagedata` in older files) is taken once:
the VML copy inside an `mc:Fallback` repeats the DrawingML one and is skipped. Its bytes are
checked by `images.inspect_image`, the renderer's own check, so a format the renderer refuses
(EMF, GIF, BMP...) or a picture over its pixel cap (a decompression bomb) is an error here, with
the renderer's words, before anything is written.

A picture's caption (图说) and credit come from text: `split_credit` cuts a "…摄" ending
(`（本报记者 张三 摄）`, `。张三 摄`) off a caption.
"""
from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from docx.document import Document
from lxml import etree

from ..images import ImageProblem, inspect_image
from ..text import normalise, refused_characters
from .blocks import NS, W, MC_FALLBACK, Unit

PICTURES = etree.XPath(".//a:blip[@r:embed] | .//v:imagedata[@r:id]", namespaces=NS)
EMBED = "{%s}embed" % NS["r"]
VML_ID = "{%s}id" % NS["r"]
FRAMES = ("{%s}inline" % NS["wp"], "{%s}anchor" % NS["wp"], "{%s}shape" % NS["v"])
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "TIFF": "tif", "WebP": "webp"}
FILE_NAME = re.compile(r"\.(jpe?g|png|gif|bmp|tiff?|webp|emf|wmf|heic)$", re.I)
AUTOMATIC = re.compile(r"自动生成|automatically generated", re.I)
CREDIT_START = re.compile(r"(?:^|(?<=[\s。！？；，、]))(?:新华社|本报)?(?:特约)?(?:记者|通讯员)")
MAX_CREDIT = 40
SHORT_CREDIT = 6           # "张三摄" with no space: a name and 摄, nothing more


@dataclass(frozen=True)
class Picture:
    """An embedded picture: its number in the manuscript, place, bytes, format and alt text."""

    number: int
    place: str
    name: str
    blob: bytes
    format: str
    alt: str

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.format]


def pictures_in(unit: Unit, document: Document, first: int, problems: list[tuple[str, str]]) -> list[Picture]:
    """The pictures of `unit`, numbered from `first`; a picture that cannot be printed adds
    (place, message) to `problems` instead."""
    found = []
    for number, (rid, alt) in enumerate(_references(unit.element), first):
        part = document.part.related_parts.get(rid)
        if part is None:
            problems.append((unit.place, f"picture {number} refers to '{rid}', which the document lacks"))
            continue
        name = Path(str(part.partname)).name
        try:
            kind = _check(part.blob, name)
        except ImageProblem as problem:
            problems.append((unit.place, f"picture {number} ({name}): {problem.message}"))
            continue
        refused = refused_characters(alt)
        if refused:
            problems.append((unit.place, f"picture {number} ({name}): its alt text {refused[0][1]}"))
            continue
        found.append(Picture(number, unit.place, name, part.blob, kind, alt))
    return found


def count_in(unit: Unit) -> int:
    return len(_references(unit.element))


def _references(element) -> list[tuple[str, str]]:
    """(relationship id, alt text) of every picture under `element` that is its own."""
    found = []
    for picture in PICTURES(element):
        if not _own(picture, element):
            continue
        rid = picture.get(EMBED) or picture.get(VML_ID)
        found.append((rid, _alt_text(picture)))
    return found


def _own(picture, element) -> bool:
    parent = picture.getparent()
    while parent is not None and parent is not element:
        if parent.tag in (MC_FALLBACK, W + "txbxContent"):
            return False
        parent = parent.getparent()
    return True


def _alt_text(picture) -> str:
    """The picture's alt text (description, else title), unless it is a file name or Office's
    automatic description."""
    frame = picture.getparent()
    while frame is not None and frame.tag not in FRAMES:
        frame = frame.getparent()
    if frame is None:
        return ""
    if frame.tag == FRAMES[2]:
        texts = [frame.get("alt", "")]
    else:
        properties = frame.find("wp:docPr", NS)
        texts = [] if properties is None else [properties.get("descr", ""), properties.get("title", "")]
    for text in texts:
        text = normalise(" ".join(text.split()))
        if text and not FILE_NAME.search(text) and not AUTOMATIC.search(text):
            return text
    return ""


def _check(blob: bytes, name: str) -> str:
    """The picture's format as the renderer names it; ImageProblem when it would refuse it."""
    with tempfile.TemporaryDirectory(prefix="layout-import-") as folder:
        path = Path(folder) / "picture"
        path.write_bytes(blob)
        return inspect_image(path).format


def split_credit(text: str) -> tuple[str, str]:
    """(caption, credit) of a 图说 that may end with a "…摄" credit; credit "" when it has none.

    The credit starts at a bracket (`（张三 摄）`), else at 记者/通讯员 (`本报记者 张三 摄`) after
    the last sentence's end, else after the last sentence's end, else at the last space."""
    text = text.strip()
    bracketed = re.search(r"[（(]\s*([^（()）]*摄)\s*[）)]$", text)
    if bracketed:
        return _checked(text, text[:bracketed.start()], bracketed.group(1))
    if not text.endswith("摄") or text.endswith("拍摄"):
        return text, ""
    tail_start = max(text.rfind(mark) for mark in "。！？；") + 1
    named = CREDIT_START.search(text, tail_start)
    if named:
        cut = named.start()
    elif tail_start:
        cut = tail_start
    else:
        spaced = re.search(r"\s(\S+(?:\s摄)?)$", text)
        cut = spaced.start(1) if spaced else 0
    if cut == 0 and len(text) > SHORT_CREDIT and not named:
        return text, ""
    return _checked(text, text[:cut], text[cut:])


def _checked(text: str, caption: str, credit: str) -> tuple[str, str]:
    credit = " ".join(credit.split())
    return (text, "") if len(credit) > MAX_CREDIT else (caption.strip(), credit)
