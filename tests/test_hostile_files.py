"""Hostile files: FIFOs, devices, links out of their folder, huge and damaged files.

Each is refused quickly with one located line, never a hang, a traceback or a flood of log.
"""
from __future__ import annotations

import os
import struct
import sys
import time

import pytest
from click.testing import CliRunner
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen
from PIL import Image

from layout.cli import main
from layout.errors import LayoutError
from layout.fonts import dropped_in_fonts, font_file_problems, resolve_fonts
from layout.images import ImageProblem, inspect_image, prepare_image
from layout.model import load_issue
from layout.source import MAX_SOURCE_BYTES
from layout.theme import load_theme

from .conftest import MINIMAL, photo


def problems(folder) -> list[str]:
    with pytest.raises(LayoutError) as caught:
        load_issue(folder)
    return [str(f) for f in caught.value.findings]


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


# --- issue.yaml ---------------------------------------------------------------------------

def test_issue_file_as_a_fifo_is_refused_at_once(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x").mkdir()
    os.mkfifo(tmp_path / "x" / "issue.yaml")
    started = time.monotonic()
    render, check = run("render", "x", "-o", tmp_path / "out"), run("check", "x")
    assert time.monotonic() - started < 10
    assert (render.exit_code, check.exit_code) == (1, 1)
    assert render.output == "x/issue.yaml: not a regular file but a named pipe (FIFO)\n"
    assert check.output.startswith("x/issue.yaml: error: not a regular file but a named pipe (FIFO)\n")
    assert not (tmp_path / "out" / "x.pdf").exists()


def test_issue_file_linked_to_a_device_or_out_of_its_folder_is_refused(write_issue, tmp_path):
    folder = write_issue(MINIMAL)
    (folder / "issue.yaml").unlink()
    (folder / "issue.yaml").symlink_to("/dev/zero")
    label = "x/issue.yaml"
    assert problems(folder) == [f"{label}: a link to '/dev/zero', outside its folder: copy the "
                                "file into the folder instead"]
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text(MINIMAL, encoding="utf-8")
    (folder / "issue.yaml").unlink()
    (folder / "issue.yaml").symlink_to(outside)
    assert problems(folder) == [f"{label}: a link to '{outside}', outside its folder: copy "
                                "the file into the folder instead"]


def test_a_link_inside_the_folder_is_followed(write_issue):
    folder = write_issue(MINIMAL)
    (folder / "issue.yaml").rename(folder / "draft.yaml")
    (folder / "issue.yaml").symlink_to("draft.yaml")
    assert load_issue(folder).pages[0].stories[0].headline == "标题"


def test_a_huge_issue_file_is_refused_after_the_cap_plus_one_byte(write_issue):
    folder = write_issue(MINIMAL)
    with open(folder / "issue.yaml", "r+b") as file:   # 20 GB, sparse: read whole, it would take minutes
        file.truncate(20_000_000_000)
    started = time.monotonic()
    assert problems(folder) == [
        f"x/issue.yaml: issue file is over {MAX_SOURCE_BYTES:,} bytes; at most {MAX_SOURCE_BYTES:,} "
        "are accepted"]
    assert time.monotonic() - started < 2


def test_yaml_nested_5000_deep_is_one_located_error(write_issue):
    folder = write_issue("paper: 示例日报\ntitle: 测试\npages: " + "[" * 5000 + "]" * 5000 + "\n")
    assert problems(folder) == ["x/issue.yaml:3: nested more than 32 levels deep; an issue file needs "
                                "6 at most"]


# --- photos ---------------------------------------------------------------------------------

FIGURE = MINIMAL + """\
        figures:
          - image: images/a.jpg
            caption: 图片说明
"""


def test_photo_as_a_fifo_or_device_link_is_refused(write_issue):
    folder = write_issue(FIGURE)
    (folder / "images").mkdir()
    os.mkfifo(folder / "images" / "a.jpg")
    assert problems(folder) == [
        "x/issue.yaml:13: pages[0].stories[0].figures[0].image: 'images/a.jpg': not a regular "
        "file but a named pipe (FIFO)"]
    with pytest.raises(ImageProblem, match="^not a regular file but a character device$"):
        inspect_image("/dev/zero")


def test_photo_linked_inside_the_folder_prints(write_issue, tmp_path):
    folder = write_issue(FIGURE)
    photo(folder / "images" / "real.jpg")
    (folder / "images" / "a.jpg").symlink_to("real.jpg")
    assert load_issue(folder).pages[0].stories[0].figures[0].image == "images/a.jpg"


def _ramp(mode: str, white: float, size=(256, 8)) -> Image.Image:
    """A left-to-right ramp from 0 to `white` in an image of `mode`."""
    im = Image.new(mode, size)
    step = white / (size[0] - 1)
    im.putdata([(x * step if mode == "F" else round(x * step)) for _ in range(size[1])
                for x in range(size[0])])
    return im


@pytest.mark.parametrize("mode, white", [("I;16", 65535), ("I", 2**31 - 1), ("F", 1.0),
                                         ("F", 255.0)])
def test_16_bit_32_bit_and_float_tiffs_print_by_their_real_range(tmp_path, mode, white):
    path = tmp_path / "ramp.tif"
    _ramp(mode, white).save(path)
    prepared = prepare_image(path, placed_width=256 * 0.24, placed_height=8 * 0.24,
                             target_ppi=300, cache_dir=tmp_path / "cache", crop=False)
    with Image.open(prepared.path) as im:
        row = [im.getpixel((x, 4)) for x in (0, 64, 128, 192, 255)]
    # JPEG at quality 70 moves a grey level by a step or two
    assert [round(v / 4) for v in row] == [round(v / 4) for v in (0, 64, 128, 191, 255)]


# --- fonts/ -----------------------------------------------------------------------------------

def _tiny_font(family: str = "Tiny Test"):
    fb = FontBuilder(1000, isTTF=True)
    names = [".notdef", "A"]
    fb.setupGlyphOrder(names)
    fb.setupCharacterMap({0x41: "A"})
    pen = TTGlyphPen(None)
    pen.moveTo((0, 0)), pen.lineTo((0, 500)), pen.lineTo((500, 500)), pen.closePath()
    fb.setupGlyf({name: pen.glyph() for name in names})
    fb.setupHorizontalMetrics({name: (600, 0) for name in names})
    fb.setupHorizontalHeader(ascent=800, descent=-200)
    fb.setupNameTable({"familyName": family, "styleName": "Regular"})
    fb.setupOS2()
    fb.setupPost()
    return fb.font


def _damage_name_table(path) -> None:
    """Say the name table holds 65,535 records (fontTools then logs one line per record)."""
    data = bytearray(path.read_bytes())
    for i in range(struct.unpack(">H", data[4:6])[0]):
        record = data[12 + 16 * i: 28 + 16 * i]
        if record[:4] == b"name":
            offset = struct.unpack(">I", record[8:12])[0]
            data[offset + 2: offset + 4] = struct.pack(">H", 65535)
    path.write_bytes(bytes(data))


def test_unusable_font_files_are_one_located_line_each(tmp_path, monkeypatch, capfd):
    monkeypatch.chdir(tmp_path)
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    _tiny_font().save(fonts / "good.ttf")
    no_os2 = _tiny_font("No OS2")
    del no_os2["OS/2"]
    no_os2.save(fonts / "no-os2.ttf")
    _tiny_font("Damaged").save(fonts / "damaged.ttf")
    _damage_name_table(fonts / "damaged.ttf")
    os.mkfifo(fonts / "pipe.ttf")
    (fonts / "outside.otf").symlink_to("/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf")
    started = time.monotonic()
    with pytest.raises(LayoutError) as caught:
        resolve_fonts(load_theme(), fonts)
    assert time.monotonic() - started < 10
    assert [str(f) for f in caught.value.findings] == [
        "fonts/damaged.ttf: not a usable font file: 'name' table stringOffset incorrect. "
        "Expected: 786426; Actual: 54",
        "fonts/no-os2.ttf: not a usable font file: it has no 'OS/2' table",
        "fonts/outside.otf: a link to '/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf', "
        "outside its folder: copy the file into the folder instead",
        "fonts/pipe.ttf: not a regular file but a named pipe (FIFO)",
    ]
    assert [f.family for f in dropped_in_fonts(fonts)] == ["Tiny Test"]
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")
    assert len(font_file_problems(fonts)) == 4


def test_a_file_problem_says_its_message_alone():
    from layout.files import FileProblem
    problem = FileProblem("not a regular file but a socket")
    assert (str(problem), problem.message) == ("not a regular file but a socket",) * 2


def test_a_regular_file_whose_read_fails_says_why(tmp_path, monkeypatch):
    """A disk error while reading (EIO), not only while opening, is a FileProblem that says so."""
    import io

    from layout import files

    class Failing(io.BytesIO):
        def read(self, size=-1):
            raise OSError(5, "Input/output error")
    monkeypatch.setattr(files, "open_regular", lambda path, folder=None: Failing())
    with pytest.raises(files.FileProblem) as caught:
        files.read_capped(tmp_path / "issue.yaml", 10)
    assert str(caught.value) == "cannot read the file: Input/output error"


def test_a_file_is_read_up_to_its_cap_and_refused_one_byte_over_having_read_that_byte_only(tmp_path, monkeypatch):
    import io

    from layout import files
    (tmp_path / "ten").write_bytes(b"0123456789")
    assert files.read_capped(tmp_path / "ten", 10, tmp_path, "issue file") == b"0123456789"
    read = []

    class Counted(io.BytesIO):
        def read(self, size=-1):
            read.append(len(data := super().read(size)))
            return data
    monkeypatch.setattr(files, "open_regular", lambda path, folder=None: Counted(path.read_bytes()))
    with pytest.raises(files.FileProblem) as caught:
        files.read_capped(tmp_path / "ten", 8, tmp_path, "issue file")
    assert caught.value.message == "issue file is over 8 bytes; at most 8 are accepted" and read == [9]


def test_a_path_that_cannot_be_resolved_says_why(tmp_path):
    """A name too long (the system's words), a loop of links (Python's)."""
    from layout.files import FileProblem, resolve_inside
    with pytest.raises(FileProblem) as caught:
        resolve_inside(tmp_path / ("长" * 200))
    assert caught.value.message == "cannot read the file: File name too long"
    (tmp_path / "a").symlink_to("b")
    (tmp_path / "b").symlink_to("a")
    with pytest.raises(OSError if sys.version_info >= (3, 13) else RuntimeError) as loop:
        (tmp_path / "a").resolve(strict=True)
    with pytest.raises(FileProblem) as caught:
        resolve_inside(tmp_path / "a")
    assert caught.value.message == f"cannot read the file: {getattr(loop.value, 'strerror', None) or loop.value}"
    assert caught.value.message.startswith(("cannot read the file: Symlink loop", "cannot read the file: Too many levels"))


def test_a_files_identity_is_its_device_inode_size_and_time_whatever_the_path(tmp_path):
    from layout.files import identity
    (tmp_path / "p.jpg").write_bytes(b"photo")
    os.link(tmp_path / "p.jpg", tmp_path / "q.jpg")
    status = os.stat(tmp_path / "p.jpg")
    found = identity(tmp_path / "p.jpg")
    assert (found.device, found.inode, found.size, found.mtime_ns, found.path) == (
        status.st_dev, status.st_ino, 5, status.st_mtime_ns, str(tmp_path / "p.jpg"))
    assert identity(tmp_path / "q.jpg") == found and identity(str(tmp_path / "q.jpg")).path == str(tmp_path / "q.jpg")
    os.utime(tmp_path / "q.jpg", ns=(status.st_atime_ns, status.st_mtime_ns + 1))
    assert identity(tmp_path / "p.jpg") != found


def test_a_regular_file_is_opened_blocking_and_one_that_cannot_be_opened_says_why(tmp_path, monkeypatch):
    from layout import files
    (tmp_path / "p.jpg").write_bytes(b"photo")
    with files.open_regular(tmp_path / "p.jpg", tmp_path) as opened:
        assert os.get_blocking(opened.fileno()) and opened.read() == b"photo"

    def refused(*args, **kwargs):
        raise PermissionError(13, "Permission denied")
    monkeypatch.setattr(files.os, "open", refused)
    with pytest.raises(files.FileProblem) as caught:
        files.open_regular(tmp_path / "p.jpg", tmp_path)
    monkeypatch.undo()
    assert caught.value.message == "cannot read the file: Permission denied"
