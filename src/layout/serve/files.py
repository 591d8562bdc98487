"""Proof stage for the live server: the files a rebuild may read, checked without opening them.

Opening a FIFO blocks until a writer comes, and a device such as /dev/zero never ends, so the
watcher looks at every file under the folders a rebuild reads (the issue folder, the templates,
the fonts folder) with `stat`, which neither opens nor blocks, and refuses to rebuild while any of
them is not a regular file or a folder. Its message names the file; the last good proofs stay.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path

from ..errors import Finding

KINDS = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
         (stat.S_ISBLK, "a block device"))


def read_folders(issue_folder: Path) -> list[Path]:
    """The folders a rebuild reads from: the issue's, the templates and the fonts."""
    from .. import theme
    return [Path(issue_folder), theme.TEMPLATES_DIR, theme.FONTS_DIR]


def refused_files(folders: list[Path]) -> list[Finding]:
    """One error per file under `folders` that is not a regular file (symlinks followed)."""
    found = []
    for folder in folders:
        for path, mode in _entries(Path(folder)):
            kind = next((name for test, name in KINDS if test(mode)), None)
            if kind:
                found.append(Finding(f"{kind}, not a regular file; serve does not read it",
                                     file=_label(path), kind="content"))
    return found


def _entries(folder: Path, depth: int = 8):
    """(path, mode) of everything under `folder`; symlinked folders are not entered (no loops)."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        try:
            mode = os.stat(entry.path).st_mode      # follows a symlink: /dev/zero behind a link too
        except OSError:
            continue                                  # dangling: loading the issue reports it
        if stat.S_ISDIR(mode):
            if depth and not entry.is_symlink():
                yield from _entries(Path(entry.path), depth - 1)
        else:
            yield Path(entry.path), mode


def _label(path: Path) -> str:
    """The path as the editor knows it (a symlink is named, not its target)."""
    try:
        return str((path.parent.resolve() / path.name).relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
