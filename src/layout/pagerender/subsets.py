"""Page render stage: one subset of each font in a PDF combined from chunks.

Each chunk of pages is written by WeasyPrint on its own, so each embeds its own subset of every
font it uses. WeasyPrint's subsets keep the original font's glyph ids (a glyph's CID is its GID
in the original font, `CIDToGIDMap /Identity`), so the subsets of one font can be replaced by one
subset of the original font over the union of the glyphs the pages use, without touching a
page's content stream. Here, for every font (`/BaseFont`, WeasyPrint's name for one font
description) embedded more than once:

- the original face is found among the faces of its family (fontconfig, and the dropped-in
  `fonts/`) and accepted only if every glyph each subset uses has the same extents in it;
- it is subset once with HarfBuzz, as WeasyPrint does (glyph ids kept, hinting dropped, the
  same tables dropped), and every copy's font descriptor points at that one program;
- when the copies agree on the width and the text of every glyph they share (WeasyPrint gives a
  glyph the same width at any size), they become one font dictionary, with the union of their
  widths (`/W`) and Unicode maps (`/ToUnicode`, the first page's text for a glyph first).

A font whose face is not found, or that WeasyPrint wrote in another form (a custom encoding for
missing glyphs, a Type 3 bitmap font), is left as it was: correct, only larger.
"""
from __future__ import annotations

import functools
import re
import subprocess
import zlib
from pathlib import Path

DROPPED_TABLES = ("BASE", "DSIG", "EBDT", "EBLC", "EBSC", "GPOS", "GSUB", "JSTF", "LTSH", "PCLT", "SVG ")
FONT_FILES = ("/FontFile2", "/FontFile3")
BFCHAR = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>")


def share_font_subsets(pdf) -> None:
    """Give every font embedded more than once in `pdf` one subset (see the module docstring)."""
    for members in _fonts_by_name(pdf).values():
        if all(_mergeable(font) for font in members) and len({_program(font).objgen for font in members}) > 1:
            _merge(pdf, members)


def _fonts_by_name(pdf) -> dict[str, list]:
    """Distinct Type 0 font dictionaries of the pages' resources, by `/BaseFont`."""
    found: dict[str, dict] = {}
    for page in pdf.pages:
        fonts = page.obj.get("/Resources", {}).get("/Font")
        for name in list(fonts.keys()) if fonts is not None else []:
            font = fonts[name]
            if font.get("/Subtype") == "/Type0" and font.is_indirect:
                found.setdefault(str(font.BaseFont), {})[font.objgen] = font
    return {name: list(members.values()) for name, members in found.items()}


def _descendant(font):
    return font.DescendantFonts[0]


def _program(font):
    descriptor = _descendant(font).FontDescriptor
    return next(descriptor[key] for key in FONT_FILES if key in descriptor)


def _mergeable(font) -> bool:
    """Written as WeasyPrint writes a subset vector font: Identity-H, CIDs = GIDs, one program."""
    descendant = _descendant(font)
    descriptor = descendant.get("/FontDescriptor")
    return (font.get("/Encoding") == "/Identity-H" and descendant.get("/CIDToGIDMap") == "/Identity"
            and descriptor is not None and sum(key in descriptor for key in FONT_FILES) == 1
            and "/ToUnicode" in font)


def _merge(pdf, members: list) -> None:
    import pikepdf
    widths = [glyph_widths(_descendant(font).W) for font in members]
    used = set().union(*widths)
    if not used:
        return
    descriptor = _descendant(members[0]).FontDescriptor
    face = original_face(str(descriptor.get("/FontFamily", "")),
                         [(_program(font).read_bytes(), set(w)) for font, w in zip(members, widths)])
    if face is None:
        return
    data = subset_face(face, used)
    key = next(key for key in FONT_FILES if key in descriptor)
    program = pdf.make_stream(zlib.compress(data), Filter=pikepdf.Name.FlateDecode)
    if key == "/FontFile3":
        program.Subtype = pikepdf.Name.OpenType     # CFF in an OpenType wrapper, as WeasyPrint embeds it
    else:
        program.Length1 = len(data)
    for font in members:
        _descendant(font).FontDescriptor[key] = program
    maps = [unicode_map(font.ToUnicode.read_bytes()) for font in members]
    if _agree(widths) and _agree(maps):
        _one_dictionary(pdf, members, widths, maps)


def _agree(tables: list[dict]) -> bool:
    merged: dict = {}
    for table in tables:
        for key, value in table.items():
            if merged.setdefault(key, value) != value:
                return False
    return True


def _one_dictionary(pdf, members: list, widths: list[dict], maps: list[dict]) -> None:
    """The first copy, with every copy's widths and Unicode map; the pages point at it."""
    import pikepdf
    first = members[0]
    merged_widths = {gid: w for table in widths for gid, w in table.items()}
    merged_map: dict[int, bytes] = {}
    for table in maps:
        for gid, text in table.items():
            merged_map.setdefault(gid, text)
    descendant = _descendant(first)
    descendant.W = widths_array(merged_widths)
    descriptor = descendant.FontDescriptor
    descriptor.FontBBox[2] = _number(max(merged_widths.values(), default=0))
    fixed = len(merged_widths) > 1 and len(set(merged_widths.values())) == 1     # as WeasyPrint sets it
    descriptor.Flags = (int(descriptor.Flags) & ~1) | int(fixed)
    first.ToUnicode = pdf.make_stream(zlib.compress(unicode_cmap(merged_map)), Filter=pikepdf.Name.FlateDecode)
    others = {font.objgen for font in members[1:]}
    for page in pdf.pages:
        fonts = page.obj.get("/Resources", {}).get("/Font")
        for name in list(fonts.keys()) if fonts is not None else []:
            if fonts[name].is_indirect and fonts[name].objgen in others:
                fonts[name] = first


# --- the PDF's tables -------------------------------------------------------------------------

def glyph_widths(array) -> dict[int, float]:
    """`{gid: width}` from a CID font's `/W` array (both of its forms)."""
    import pikepdf
    items, out, index = list(array), {}, 0
    while index < len(items):
        start = int(items[index])
        if isinstance(items[index + 1], pikepdf.Array):
            out.update((start + k, float(w)) for k, w in enumerate(items[index + 1]))
            index += 2
        else:
            out.update((gid, float(items[index + 2])) for gid in range(start, int(items[index + 1]) + 1))
            index += 3
    return out


def widths_array(widths: dict[int, float]):
    """A `/W` array, runs of consecutive glyph ids as WeasyPrint writes them."""
    import pikepdf
    array, run, previous = pikepdf.Array(), None, None
    for gid in sorted(widths):
        if run is None or gid != previous + 1:
            run = pikepdf.Array()
            array.extend([gid, run])
        run.append(_number(widths[gid]))
        previous = gid
    return array


def _number(value: float):
    return int(value) if float(value).is_integer() else value


def unicode_map(cmap: bytes) -> dict[int, bytes]:
    """`{gid: UTF-16BE hex}` from the `bfchar` entries WeasyPrint writes in a ToUnicode CMap."""
    body = b" ".join(re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S))
    return {int(gid, 16): text.lower() for gid, text in BFCHAR.findall(body)}


def unicode_cmap(mapping: dict[int, bytes]) -> bytes:
    """A ToUnicode CMap in WeasyPrint's form (`bfchar` blocks of at most 100 glyphs)."""
    lines = [b"/CIDInit /ProcSet findresource begin", b"12 dict begin", b"begincmap", b"/CIDSystemInfo",
             b"<< /Registry (Adobe)", b"/Ordering (UCS)", b"/Supplement 0", b">> def",
             b"/CMapName /Adobe-Identity-UCS def", b"/CMapType 2 def", b"1 begincodespacerange",
             b"<0000> <ffff>", b"endcodespacerange"]
    items = sorted(mapping.items())
    for start in range(0, len(items), 100):
        block = items[start:start + 100]
        lines.append(f"{len(block)} beginbfchar".encode())
        lines += [b"<%04x> <%s>" % (gid, text) for gid, text in block]
        lines.append(b"endbfchar")
    lines += [b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end"]
    return b"\n".join(lines)


# --- the original face ------------------------------------------------------------------------

def original_face(family: str, subsets: list[tuple[bytes, set[int]]]):
    """The installed face (a uharfbuzz Face) whose glyphs every subset's used glyphs are."""
    import uharfbuzz as hb
    fonts = [(hb.Font(hb.Face(data)), used) for data, used in subsets]
    for path, index in family_faces(family):
        face = _face(path, index)
        original = hb.Font(face)
        if all(gid < face.glyph_count and original.get_glyph_extents(gid) == font.get_glyph_extents(gid)
               for font, used in fonts for gid in used):
            return face
    return None


@functools.lru_cache(maxsize=32)
def _face(path: str, index: int):
    import uharfbuzz as hb
    return hb.Face(hb.Blob.from_file_path(path), index)


@functools.lru_cache(maxsize=64)
def family_faces(family: str) -> tuple[tuple[str, int], ...]:
    """(file, face index) of every face of `family`: the dropped-in fonts first, then fontconfig's."""
    from ..fonts import dropped_in_fonts
    faces = [(str(font.path), font.index) for font in dropped_in_fonts() if font.family == family]
    if family:
        try:
            listed = subprocess.run(["fc-list", "--format", "%{file}\\n%{index}\\n", family],
                                    capture_output=True, text=True, timeout=30).stdout.split("\n")
        except (OSError, subprocess.SubprocessError):
            listed = []
        faces += [(path, int(index)) for path, index in zip(listed[::2], listed[1::2]) if path and index.isdigit()]
    return tuple(dict.fromkeys(faces))


def subset_face(face, glyphs: set[int]) -> bytes:
    """The face subset to `glyphs` as WeasyPrint subsets it: glyph ids kept, charstrings
    desubroutinised, hinting and the layout tables dropped."""
    import uharfbuzz as hb
    flags = hb.SubsetFlags.PASSTHROUGH_UNRECOGNIZED | hb.SubsetFlags.DESUBROUTINIZE
    first = _subset(face, sorted(glyphs), flags | hb.SubsetFlags.RETAIN_GIDS)
    return _subset(first, range(max(glyphs) + 1), flags | hb.SubsetFlags.NO_HINTING).blob.data


def _subset(face, glyphs, flags):
    import uharfbuzz as hb
    wanted = hb.SubsetInput()
    wanted.glyph_set.update(glyphs)
    wanted.flags = flags
    drop = wanted.sets(hb.SubsetInputSets.DROP_TABLE_TAG)
    drop.update(int.from_bytes(tag.encode("ascii"), "big") for tag in DROPPED_TABLES)
    return hb.subset(face, wanted)
