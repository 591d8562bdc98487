"""Proof stage for the live server: rebuild the proofs when the issue, theme or fonts change."""
from __future__ import annotations

import threading
from pathlib import Path

from .proofs import ProofBook

IGNORED_SUFFIXES = (".part", ".swp", ".swx", ".tmp", "~")


def relevant(change, path: str) -> bool:
    """Saved files only: not editors' swap files, hidden files or our own temporary files."""
    name = Path(path).name
    return not name.startswith((".", "#")) and not name.endswith(IGNORED_SUFFIXES)


def watched_paths(book: ProofBook) -> list[Path]:
    from ..theme import FONTS_DIR, load_theme
    paths = [book.folder]
    try:
        from ..model import load_issue
        paths.append(load_theme(load_issue(book.folder).theme).folder)
    except Exception:  # noqa: BLE001 - a broken issue still gets watched; the default theme too
        paths.append(load_theme().folder)
    if FONTS_DIR.is_dir():
        paths.append(FONTS_DIR)
    return paths


def watch(book: ProofBook, stop: threading.Event, on_build=None) -> None:
    """Rebuild `book` after every change until `stop` is set."""
    import watchfiles
    for _changes in watchfiles.watch(*watched_paths(book), watch_filter=relevant, debounce=30, step=10,
                                     stop_event=stop, rust_timeout=200, yield_on_timeout=False):
        build = book.rebuild()
        if on_build:
            on_build(book, build)
