"""Atomic writes: a render that fails or is killed while writing the PDF leaves the previous PDF
byte for byte and no temporary file. Failures are injected at a known point inside the write
(an exception, or SIGKILL once the child has written part of the file), never after a delay."""
from __future__ import annotations

import io
import os
import selectors
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from layout.cli import main
from layout.errors import LayoutError
from layout.pagerender import issue as paged
from layout.pagerender.output import write_file
from layout.render import write_atomically, write_pdf, write_quietly

from .conftest import MINIMAL

OLD = b"%PDF-1.7 the previous edition\n"


@pytest.fixture
def edition(write_issue, tmp_path) -> tuple[Path, Path]:
    """A small issue folder `x` and OUT holding last edition's `x.pdf`."""
    folder = write_issue(MINIMAL)
    out = tmp_path / "out"
    out.mkdir()
    (out / "x.pdf").write_bytes(OLD)
    return folder, out


def assert_old_edition_only(out: Path) -> None:
    assert sorted(p.name for p in out.iterdir()) == ["x.pdf"]
    assert (out / "x.pdf").read_bytes() == OLD


def half_then(exc: BaseException):
    """A combine_pages that writes the first half of the real PDF, then raises `exc`."""
    real = paged.combine_pages

    def combine(entries, stream, **options):
        whole = io.BytesIO()
        real(entries, whole, **options)
        stream.write(whole.getvalue()[: len(whole.getvalue()) // 2])
        stream.flush()
        raise exc
    return combine


def test_a_write_that_fails_halfway_leaves_the_old_pdf(edition, monkeypatch):
    folder, out = edition
    monkeypatch.setattr(paged, "combine_pages", half_then(OSError(28, "No space left on device")))
    result = CliRunner().invoke(main, ["render", str(folder), "-o", str(out)])
    assert result.exit_code == 1
    assert f"{out / 'x.pdf'}: cannot write the PDF: [Errno 28] No space left on device" in result.output
    assert_old_edition_only(out)


def test_an_unexpected_error_while_writing_leaves_the_old_pdf(edition, monkeypatch):
    folder, out = edition
    monkeypatch.setattr(paged, "combine_pages", half_then(RuntimeError("pikepdf gave up")))
    result = CliRunner().invoke(main, ["render", str(folder), "-o", str(out)])
    assert result.exit_code == 1 and "error: RuntimeError: pikepdf gave up" in result.output
    assert_old_edition_only(out)


@pytest.mark.parametrize("unnamed", [True, False], ids=["O_TMPFILE", "temporary-file"])
def test_write_file_keeps_the_old_file_when_the_writer_raises(tmp_path, monkeypatch, unnamed):
    if not unnamed:
        monkeypatch.delattr(os, "O_TMPFILE", raising=False)    # the fallback of other systems
    path = tmp_path / "x.pdf"
    path.write_bytes(OLD)

    def write(stream):
        stream.write(b"%PDF-1.7 half of the new")
        raise KeyboardInterrupt
    with pytest.raises(KeyboardInterrupt):
        write_file(path, write)
    assert_old_edition_only(tmp_path)
    write_file(path, lambda stream: stream.write(b"%PDF-1.7 new\n"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.pdf"]
    assert path.read_bytes() == b"%PDF-1.7 new\n"


def test_write_atomically_keeps_the_old_file_when_the_writer_raises(tmp_path):
    path = tmp_path / "x.pdf"
    path.write_bytes(OLD)

    def write(tmp: Path):
        tmp.write_bytes(b"%PDF-1.7 half")
        raise ValueError("bad data")
    with pytest.raises(ValueError, match="bad data"):
        write_atomically(path, write)
    assert_old_edition_only(tmp_path)


def test_the_print_pdf_is_kept_when_finishing_fails(tmp_path):
    """`render --print` writes through render.write_pdf, whose finishing step (PDF/X) may fail."""
    import weasyprint
    document = weasyprint.HTML(string="<p>新版</p>").render()
    path = tmp_path / "x.pdf"
    path.write_bytes(OLD)

    def finish(tmp: Path):
        assert tmp.read_bytes().startswith(b"%PDF-") and tmp.parent != path.parent   # written, not in OUT
        raise ValueError("no output intent")
    with pytest.raises(LayoutError) as caught:
        write_pdf(document, path, finish=finish)
    assert [str(f) for f in caught.value.findings] == [f"{path}: cannot write the PDF: no output intent"]
    assert_old_edition_only(tmp_path)


#: runs `layout render ISSUE -o OUT` with combine_pages writing half the PDF, then telling the
#: parent how many bytes it wrote (one line on stdout) and waiting on stdin to be killed
CHILD = textwrap.dedent("""
    import io, os, sys
    from layout.pagerender import issue as paged
    real = paged.combine_pages

    def combine(entries, stream, **options):
        whole = io.BytesIO()
        real(entries, whole, **options)
        half = whole.getvalue()[: len(whole.getvalue()) // 2]
        stream.write(half)
        stream.flush()
        os.fsync(stream.fileno())
        print(len(half), flush=True)
        sys.stdin.read()

    paged.combine_pages = combine
    from layout.cli import main
    main(["render", sys.argv[1], "-o", sys.argv[2]])
""")


#: runs `layout render --print ISSUE -o OUT`, stopping inside the PDF/X finishing step, once
#: WeasyPrint has written the new PDF
PRINT_CHILD = textwrap.dedent("""
    import os, sys
    from layout import press
    real = press.finish_for_press

    def finish(path, *args):
        real(path, *args)
        print(os.path.getsize(path), flush=True)
        sys.stdin.read()

    press.finish_for_press = finish
    from layout.cli import main
    main(["render", "--print", sys.argv[1], "-o", sys.argv[2]])
""")


@pytest.mark.parametrize("child_code", [CHILD, PRINT_CHILD], ids=["render", "render --print"])
def test_sigkill_while_writing_leaves_the_old_pdf_and_no_temporary_file(edition, child_code):
    folder, out = edition
    child = subprocess.Popen([sys.executable, "-c", child_code, str(folder), str(out)], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        written = int(_line_from(child, timeout=120))
        assert written > 1000 and child.poll() is None     # killed in the middle of the write
        os.killpg(child.pid, signal.SIGKILL)
        assert child.wait(timeout=30) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
        child.stdin.close()
        child.stdout.close()
        child.stderr.close()
    assert_old_edition_only(out)


def _line_from(child: subprocess.Popen, timeout: float) -> str:
    """The child's first line on stdout; fails (with its stderr) if it ends or stays silent."""
    with selectors.DefaultSelector() as selector:
        selector.register(child.stdout, selectors.EVENT_READ)
        ready = selector.select(timeout)
    line = child.stdout.readline().decode() if ready else ""
    if not line.strip():
        child.kill()
        pytest.fail(f"the child never reached the write: {child.stderr.read().decode()[-2000:]}")
    return line


def test_a_memory_of_the_cache_is_written_whole_or_not_at_all(tmp_path):
    write_quietly(tmp_path / "memo" / "inspections.json", '{"version": 2}')
    assert (tmp_path / "memo" / "inspections.json").read_text(encoding="utf-8") == '{"version": 2}'
    (tmp_path / "file").write_text("not a folder")
    write_quietly(tmp_path / "file" / "digests.json", "{}")      # cannot be written: no error, no file
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file", "memo"]
    assert [p.name for p in (tmp_path / "memo").iterdir()] == ["inspections.json"]   # no temporary left
