"""Proof stage for the live server: rebuild the proofs when the issue, theme or fonts change.

The watcher reads no file itself (watchfiles uses inotify), and a rebuild opens none that is not
a regular file (`files`), so a FIFO or a device in a watched folder cannot hang it."""
from __future__ import annotations

import threading
from pathlib import Path

from .files import read_folders
from .proofs import ProofBook

IGNORED_SUFFIXES = (".part", ".swp", ".swx", ".tmp", "~")


def relevant(change, path: str) -> bool:
    """Saved files only: not editors' swap files, hidden files or our own temporary files."""
    name = Path(path).name
    return not name.startswith((".", "#")) and not name.endswith(IGNORED_SUFFIXES)


def watched_paths(book: ProofBook) -> list[Path]:
    """The issue folder, the templates (every theme: the issue may switch) and the fonts."""
    return [path for path in read_folders(book.folder) if path.is_dir()]


def watch(book: ProofBook, stop: threading.Event, on_build=None, on_ready=None) -> None:
    """Rebuild `book` after every change until `stop` is set.

    Once the watcher runs, `book` is rebuilt once more (a save made while it started is not
    lost), then `on_ready()` is called."""
    import watchfiles
    ready = False
    for changes in watchfiles.watch(*watched_paths(book), watch_filter=relevant, debounce=30, step=10,
                                    stop_event=stop, rust_timeout=100, yield_on_timeout=True):
        if not changes and ready:
            continue
        build = book.rebuild()
        if on_build and (changes or build.rendered_layers):
            on_build(book, build)
        if not ready and on_ready:
            on_ready()
        ready = True
