"""Proof stage: a proof's set lines, and what changed between two proofs line by line (改样).

A proof is read as its set lines, in the order they are set (page by page, story by story,
column by column), each with its rectangle on its page (pt from the page's top-left corner), and
its photos, each known by a digest of the picture:

- from a page plan (`plan_lines`): body lines on the line grid of their column, captions, jump
  lines, headline sets (centred in their blocks, 1.25 × size a line), banners; photos by the
  digest of their file and crop. Used by `layout serve` and `layout proof --since VERSION`.
- from a PDF (`pdf_lines`): pdfplumber's glyphs grouped into lines (a glyph on the same
  baseline just after the last continues the line); photos by the digest of their image data.
  Used by `layout proof --since OLD.pdf`.

A proof version keeps only digests of its lines (`fingerprint`). `compare` diffs the old lines
with the new by their text (difflib, as `diff` compares files line by line): the new lines that
differ are changed, and where old lines were taken out a deletion is marked on the new proof; a
new photo whose digest the old proof has not is changed.
"""
from __future__ import annotations

import dataclasses
import difflib
import functools
import hashlib
import html
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from .page.story import HEADLINE_LEADING     # line-height of headline sets (kicker, headline, rubric, title)

TAG = re.compile(r"<[^>]*>")
SPACE = re.compile(r"\s+")
ON_THE_GRID = ("caption", "jump")     # roles whose lines lie on the body's line grid


@dataclass(frozen=True)
class SetLine:
    """One line of a proof (or one photo) and its rectangle on its page, in pt."""

    page: int
    x: float
    y: float
    w: float
    h: float
    text: str                  # the line's characters, spaces removed; a photo: "photo " + digest
    photo: bool = False

    @property
    def digest(self) -> str:
        return digest(self.text)


@dataclass
class Marks:
    """What changed on the new proof: its changed lines and photos, and where lines were taken out
    (a zero-height rectangle at the place in the new proof's lines)."""

    changed: list[SetLine] = field(default_factory=list)
    deleted: list[SetLine] = field(default_factory=list)

    def on_page(self, number: int) -> tuple[list[SetLine], list[SetLine]]:
        return ([line for line in self.changed if line.page == number],
                [line for line in self.deleted if line.page == number])


def digest(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def fingerprint(lines: list[SetLine]) -> dict[str, list[str]]:
    """What a proof version keeps of its lines: their digests, in order, and its photos'."""
    return {"lines": [line.digest for line in lines if not line.photo],
            "photos": [line.digest for line in lines if line.photo]}


def compare(old: dict[str, list[str]], new: list[SetLine]) -> Marks:
    """The changes from the proof `old` (a fingerprint) to the lines `new`."""
    marks = Marks()
    texts = [line for line in new if not line.photo]
    matcher = difflib.SequenceMatcher(None, old.get("lines", []), [line.digest for line in texts], autojunk=False)
    for op, _, _, j1, j2 in matcher.get_opcodes():
        if op in ("replace", "insert"):
            marks.changed += texts[j1:j2]
        elif op == "delete":
            marks.deleted.append(_gap(texts, j1))
    kept = list(old.get("photos", []))
    for line in (line for line in new if line.photo):
        if line.digest in kept:
            kept.remove(line.digest)
        else:
            marks.changed.append(line)
    return marks


def _gap(lines: list[SetLine], index: int) -> SetLine:
    """Where old lines were taken out before new line `index`: the top of that line, or the foot
    of the line before it when it is the last of its page or of the proof."""
    after = lines[index] if index < len(lines) else None
    before = lines[index - 1] if index > 0 else None
    if after is not None and (before is None or before.page != after.page or after.y >= before.y):
        return SetLine(after.page, after.x, after.y, after.w, 0.0, "")
    if before is not None:
        return SetLine(before.page, before.x, before.y + before.h, before.w, 0.0, "")
    return SetLine(1, 0.0, 0.0, 0.0, 0.0, "")


def line_text(markup: str) -> str:
    """The characters of a line of composed HTML, spaces removed."""
    return SPACE.sub("", html.unescape(TAG.sub("", markup)))


def html_lines(markup: str) -> list[str]:
    """The lines of a composed block (joined by <br> or by newlines), as texts."""
    return [line_text(part) for part in re.split(r"<br\s*/?>|\n", str(markup))]


# -- from a page plan ----------------------------------------------------------------------------

def plan_lines(plans, grid, folder: Path | None = None) -> list[SetLine]:
    """Every set line and photo of the planned pages, in the order they are set."""
    origin = (grid.margin_side, grid.margin_top)
    out: list[SetLine] = []
    for plan in plans:
        page = _Page(plan.number, origin, plan.line_pitch or grid.line_pitch, out)
        if plan.banner and plan.banner_box is not None:
            text = "".join(str(plan.banner.get(k) or "") for k in ("kicker", "title", "slogan", "label"))
            page.box(plan.banner_box, SPACE.sub("", text))
        for figure in plan.photos:
            page.figure(figure, folder)
        for block in plan.texts:
            page.block(block)
        for module in plan.modules:
            for block in module.headline_set:
                page.block(block)
            for figure in module.figures:
                page.figure(figure, folder)
            for column in module.columns:
                page.column(column)
            if module.jump is not None:
                page.block(module.jump)
    return out


@dataclass
class _Page:
    number: int
    origin: tuple[float, float]
    pitch: float
    out: list[SetLine]

    def box(self, box, text: str, photo: bool = False) -> None:
        self.out.append(SetLine(self.number, round(self.origin[0] + box.x, 2), round(self.origin[1] + box.y, 2),
                                round(box.w, 2), round(box.h, 2), text, photo))

    def lines(self, x: float, y: float, w: float, texts: list[str], height: float) -> None:
        for index, text in enumerate(texts):
            self.box(_Box(x, y + index * height, w, height), text)

    def column(self, column) -> None:
        y = column.box.y
        for fragment in column.fragments:
            texts = html_lines(fragment.html)[:fragment.lines]
            self.lines(column.box.x, y, column.box.w, texts, self.pitch)
            y += fragment.lines * self.pitch

    def block(self, block) -> None:
        texts = [t for t in html_lines(block.html) if t] or [""]
        box = block.box
        if any(role in ON_THE_GRID for role in block.role.split()):
            self.lines(box.x, box.y, box.w, texts, self.pitch)     # (shift lowers glyphs within their slot)
            return
        height = HEADLINE_LEADING * (block.size or self.pitch)
        top = box.y + (box.h - height * len(texts)) / 2
        self.lines(box.x, top, box.w, texts, height)

    def figure(self, figure, folder: Path | None) -> None:
        self.box(figure.image, f"photo {_picture(figure, folder)}", photo=True)
        self.block(figure.caption)


@dataclass(frozen=True)
class _Box:
    x: float
    y: float
    w: float
    h: float


def _picture(figure, folder: Path | None) -> str:
    """A photo's identity: its picture's digest and the editor's crop."""
    path = Path(figure.source)
    if folder is not None and not path.is_absolute():
        path = folder / path
    return f"{_file_digest(path)} {figure.focus} {figure.region}"


def _file_digest(path: Path) -> str:
    try:
        info = os.stat(path)
    except OSError:
        return str(path)
    return _digest_of(str(path), info.st_size, info.st_mtime_ns)


@functools.lru_cache(maxsize=1024)
def _digest_of(path: str, size: int, mtime: int) -> str:
    """The file's digest (kept by path, size and time: a save re-reads only the photos it touched)."""
    h = hashlib.blake2b(digest_size=12)
    try:
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
    except OSError:
        return path
    return h.hexdigest()


# -- from a PDF ----------------------------------------------------------------------------------

def pdf_lines(path: Path) -> list[SetLine]:
    """Every line of glyphs and every image of a PDF, page by page, in the order they are drawn."""
    import pdfplumber
    out: list[SetLine] = []
    with pdfplumber.open(str(path)) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            dx, dy = _trim_offset(page)
            found = _glyph_lines(number, page.chars) + [_image(number, image) for image in page.images]
            out += [dataclasses.replace(line, x=round(line.x - dx, 2), y=round(line.y - dy, 2)) for line in found]
            page.close()
    return out


def _trim_offset(page) -> tuple[float, float]:
    """Where the trimmed page's top-left corner is in pdfplumber's coordinates (a print PDF's
    media box holds bleed and marks around it): lines are measured from the trimmed page's corner,
    as the plan measures them. pdfplumber gives x in user space, and `top` from the top of its
    `bbox` (the media box, whose top it puts at `bbox[1]`)."""
    from pdfminer.pdftypes import resolve1
    try:
        media = [float(resolve1(v)) for v in resolve1(page.page_obj.attrs["MediaBox"])]
        trim = [float(resolve1(v)) for v in resolve1(page.page_obj.attrs.get("TrimBox", media))]
    except (KeyError, TypeError, ValueError):
        return 0.0, 0.0
    return trim[0], float(page.bbox[1]) + media[3] - trim[3]


def _glyph_lines(number: int, chars: list[dict]) -> list[SetLine]:
    """Glyphs in drawing order grouped into lines: a glyph continues the line when it sits on the
    same baseline and starts near where the last one ended: not an em back (compressed
    punctuation overlaps the next glyph by up to half an em), not across a gutter (an em)."""
    lines, current = [], None
    for char in chars:
        if not char["text"].strip():
            continue
        base, size = char["matrix"][5], char["size"] or 1.0
        if (current is not None and abs(base - current["base"]) < 0.3 * size
                and current["x1"] - 0.9 * size <= char["x0"] <= current["x1"] + 0.8 * size):
            current["text"] += char["text"]
            current["x1"] = max(current["x1"], char["x1"])
            current["top"], current["bottom"] = min(current["top"], char["top"]), max(current["bottom"], char["bottom"])
            continue
        current = {"base": base, "text": char["text"], "x0": char["x0"], "x1": char["x1"],
                   "top": char["top"], "bottom": char["bottom"]}
        lines.append(current)
    return [SetLine(number, round(c["x0"], 2), round(c["top"], 2), round(c["x1"] - c["x0"], 2),
                    round(c["bottom"] - c["top"], 2), SPACE.sub("", c["text"])) for c in lines]


def _image(number: int, image: dict) -> SetLine:
    stream = image.get("stream")
    try:
        data = stream.get_rawdata() if stream is not None else b""
    except Exception:  # noqa: BLE001 - an image that cannot be read is known by its place only
        data = b""
    name = hashlib.blake2b(data or repr((image["x0"], image["top"])).encode(), digest_size=12).hexdigest()
    return SetLine(number, round(image["x0"], 2), round(image["top"], 2), round(image["x1"] - image["x0"], 2),
                   round(image["bottom"] - image["top"], 2), f"photo {name}", photo=True)
