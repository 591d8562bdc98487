"""Proof stage for the live server: the memory of the processes that render proofs.

Laying out a page with WeasyPrint reads each font file it uses whole (Noto Serif CJK: 26 MB)
while it writes the PDF, and glibc keeps freed memory for later, so a worker would rest near its
peak. Here: workers take turns writing, give memory back after each task, and collect their
garbage without walking the libraries they were forked with.
"""
from __future__ import annotations

import contextlib
import ctypes
import functools
import gc
import multiprocessing
import os

WRITING = multiprocessing.get_context("fork").Lock()     # made before the workers are forked
_FROZEN: int | None = None        # the worker process whose start-up objects are frozen


def freeze_what_the_worker_started_with() -> None:
    """In a worker: the objects it was forked with (the imported libraries: 83,000) are left out
    of garbage collections, so collecting a task's garbage takes 0 ms, not 70 ms. The proof
    server's own process is left alone (its collections are Python's usual ones)."""
    global _FROZEN
    if _FROZEN != os.getpid() and multiprocessing.parent_process() is not None:
        gc.collect()
        gc.freeze()
        _FROZEN = os.getpid()


@contextlib.contextmanager
def turn_to_write():
    """Workers write their PDFs one at a time: writing holds every font file used whole (the
    three faces of a page: 70 MB, 140 MB of memory with their subsets) while laying out does not.
    A worker that waited a minute (the holder died) writes anyway."""
    turn = WRITING.acquire(timeout=60)
    try:
        yield
    finally:
        if turn:
            WRITING.release()


def in_frozen_worker() -> bool:
    return _FROZEN == os.getpid()


def give_back_memory(collect: bool = False) -> None:
    """Return freed memory to the system (after a garbage collection if `collect`). glibc keeps
    freed heap pages, so a process that laid out a page (fonts of 15-26 MB are read whole) would
    otherwise stay near its peak: a worker rests at 80-95 MB instead of 195-265 MB."""
    if collect:
        gc.collect()
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)


@functools.cache
def _libc():
    try:
        libc = ctypes.CDLL(None)
        return libc if hasattr(libc, "malloc_trim") else None
    except OSError:
        return None
