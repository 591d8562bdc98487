"""Page render stage: writing the issue PDF so that a killed process leaves nothing behind.

The file is written as an unnamed file in the output folder (Linux `O_TMPFILE`): if the process
is killed while writing, even by SIGKILL, no partial or temporary file remains and the previous
PDF is untouched. Only when the data is complete is it given a name and renamed over the old
file. Elsewhere it falls back to `render.write_atomically` (a temporary file, then a rename).
"""
from __future__ import annotations

import os
from pathlib import Path

from ..render import write_atomically


def write_file(path: Path, write) -> None:
    """Call `write(binary_stream)`, then put the complete data at `path` in one rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path.parent, os.O_TMPFILE | os.O_WRONLY, 0o666 & ~_umask())
    except (AttributeError, OSError):
        write_atomically(path, lambda tmp: _write_path(tmp, write))
        return
    with os.fdopen(fd, "wb") as stream:
        write(stream)
        stream.flush()
        named = path.parent / f".{path.name}.{os.getpid()}.link"
        _link(fd, named)
    try:
        os.replace(named, path)
    except BaseException:
        named.unlink(missing_ok=True)
        raise


def _link(fd: int, named: Path) -> None:
    """Give the unnamed file `fd` the name `named` (linkat through /proc, following the link)."""
    proc = os.open("/proc/self/fd", os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.link(str(fd), named, src_dir_fd=proc, follow_symlinks=True)
    finally:
        os.close(proc)


def _write_path(tmp: Path, write) -> None:
    with open(tmp, "wb") as stream:
        write(stream)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
