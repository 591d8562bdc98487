"""How the PDF and the report are put in place (pagerender/output.write_file and
render.write_atomically): into folders that do not exist yet, with the permissions any file
the user writes gets (0o666 less the umask), never leaving a partial or temporary file beside
the old one, on the O_TMPFILE path and on the temporary-file fallback. Written to kill the
mutants scripts/mutation found alive (docs/mutation.md)."""
from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

import pytest

from layout.pagerender import output
from layout.pagerender.output import write_file
from layout.render import write_atomically

NEW = b"%PDF-1.7 new edition\n"


@pytest.fixture(params=["O_TMPFILE", "temporary-file"])
def way(request, monkeypatch):
    """Both ways write_file writes: an unnamed file, or (other systems) a temporary file."""
    if request.param == "temporary-file":
        monkeypatch.delattr(os, "O_TMPFILE", raising=False)
    return request.param


@pytest.fixture
def umask():
    """Run with a given umask; restore the test runner's afterwards."""
    old = os.umask(0o022)
    os.umask(old)
    yield lambda mask: os.umask(mask)
    os.umask(old)


def test_write_file_makes_the_missing_folders(tmp_path, way):
    path = tmp_path / "out" / "2026" / "x.pdf"
    write_file(path, lambda stream: stream.write(NEW))
    assert path.read_bytes() == NEW
    assert sorted(p.name for p in path.parent.iterdir()) == ["x.pdf"]


@pytest.mark.parametrize("mask, mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_write_file_gives_the_pdf_the_permissions_of_any_new_file(tmp_path, way, umask, mask, mode):
    umask(mask)
    path = tmp_path / "x.pdf"
    write_file(path, lambda stream: stream.write(NEW))
    assert stat.S_IMODE(path.stat().st_mode) == mode
    (tmp_path / "plain.pdf").write_bytes(NEW)           # what open() gives under the same umask
    assert stat.S_IMODE((tmp_path / "plain.pdf").stat().st_mode) == mode


@pytest.mark.parametrize("mask, mode", [(0o022, 0o644), (0o077, 0o600)])
def test_write_atomically_gives_the_file_the_permissions_of_any_new_file(tmp_path, umask, mask, mode):
    umask(mask)
    path = tmp_path / "report" / "batch-report.json"
    write_atomically(path, lambda tmp: tmp.write_text("{}\n"))
    assert path.read_text() == "{}\n" and stat.S_IMODE(path.stat().st_mode) == mode
    assert sorted(p.name for p in path.parent.iterdir()) == ["batch-report.json"]


def test_write_atomically_writes_a_hidden_file_beside_the_target(tmp_path):
    """The partial file is in the target's own folder (a rename across file systems would not
    be atomic) and hidden while it is written."""
    path = tmp_path / "x.pdf"
    seen = []

    def write(tmp: Path):
        seen.append(tmp)
        assert tmp.exists() and tmp.read_bytes() == b""      # created empty, for this writer only
        tmp.write_bytes(NEW)
    write_atomically(path, write)
    assert seen[0].parent == path.parent and seen[0].name.startswith(".x.pdf.")
    assert path.read_bytes() == NEW and not seen[0].exists()


def test_a_failed_rename_leaves_the_old_pdf_and_no_linked_file(tmp_path, monkeypatch):
    path = tmp_path / "x.pdf"
    path.write_bytes(b"%PDF-1.7 old\n")

    def refuse(src, dst):
        assert Path(src).parent == path.parent and Path(src).read_bytes() == NEW   # complete, named
        raise OSError(30, "Read-only file system")
    monkeypatch.setattr(output.os, "replace", refuse)
    with pytest.raises(OSError, match="Read-only file system"):
        write_file(path, lambda stream: stream.write(NEW))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.pdf"]
    assert path.read_bytes() == b"%PDF-1.7 old\n"


def test_the_umask_is_left_as_it_was(tmp_path, umask, way):
    umask(0o027)
    write_file(tmp_path / "x.pdf", lambda stream: stream.write(NEW))
    assert output._umask() == 0o027 and os.umask(0o027) == 0o027


def test_write_pdf_writes_the_finished_document_with_its_options(tmp_path):
    """render.write_pdf (the --print path): WeasyPrint's options reach the PDF, `finish` works
    on the complete file, and the finished bytes are what lands at the path."""
    import pdfplumber
    import weasyprint
    from layout.render import write_pdf
    document = weasyprint.HTML(string="<p>新版特刊</p>").render()
    path = tmp_path / "out" / "x-print.pdf"
    finished = []

    def finish(tmp: Path):
        assert tmp.name == "x-print.pdf" and tmp.parent != path.parent
        finished.append(tmp.read_bytes())
        with open(tmp, "ab") as pdf:
            pdf.write(b"%finished\n")
        # what WeasyPrint says while the PDF is written (font subsetting) is located at the PDF
        logging.getLogger("weasyprint").warning("Failed to subset font")
    findings = write_pdf(document, path, finish=finish, pdf_version="1.4", uncompressed_pdf=True)
    assert [str(f) for f in findings] == [f"{path}: WeasyPrint: Failed to subset font"]
    data = path.read_bytes()
    assert data.startswith(b"%PDF-1.4") and b"/FlateDecode" not in data
    assert data == finished[0] + b"%finished\n"
    with pdfplumber.open(path) as pdf:
        assert pdf.pages[0].extract_text() == "新版特刊"
    assert sorted(p.name for p in path.parent.iterdir()) == ["x-print.pdf"]


def test_a_pdf_that_cannot_be_written_is_a_located_render_error(tmp_path):
    import weasyprint
    from layout.errors import LayoutError
    from layout.render import write_pdf
    document = weasyprint.HTML(string="<p>新版</p>").render()
    (tmp_path / "out").write_text("a file where the folder should be")
    with pytest.raises(LayoutError) as caught:
        write_pdf(document, tmp_path / "out" / "x.pdf")
    [finding] = caught.value.findings
    assert (finding.file, finding.kind) == (str(tmp_path / "out" / "x.pdf"), "render")
    assert finding.message == f"cannot write the PDF: [Errno 17] File exists: '{tmp_path / 'out'}'"


def test_the_writers_own_error_reaches_the_caller_even_when_it_removed_the_file(tmp_path):
    path = tmp_path / "x.pdf"
    path.write_bytes(b"%PDF-1.7 old\n")

    def write(tmp: Path):
        tmp.unlink()
        raise ValueError("bad data")
    with pytest.raises(ValueError, match="bad data"):
        write_atomically(path, write)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.pdf"]
    assert path.read_bytes() == b"%PDF-1.7 old\n"
