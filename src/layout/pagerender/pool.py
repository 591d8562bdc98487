"""Page render stage: warm worker processes.

Workers are forked after WeasyPrint, pikepdf and pypdfium2 are imported, so a worker starts in
milliseconds, not the second an import takes. With one worker everything runs in this process.
"""
from __future__ import annotations

import multiprocessing
import resource
from concurrent.futures import Future, ProcessPoolExecutor

PR_SET_PDEATHSIG = 1


def warm() -> None:
    """Import the heavy libraries once (before forking, and in each worker)."""
    import pikepdf  # noqa: F401
    import pypdfium2  # noqa: F401
    import weasyprint  # noqa: F401
    from weasyprint.text.fonts import FontConfiguration  # noqa: F401


def worker_start() -> None:
    """In each worker: warm up, and end with the parent (Linux: a parent death signal)."""
    warm()
    try:
        import ctypes
        import signal
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, int(signal.SIGTERM))
    except (OSError, AttributeError):
        pass


def peak_rss_mb() -> float:
    """Peak resident memory of this process, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class RenderPool:
    """`workers` warm processes; `map` runs one call per item, in order."""

    def __init__(self, workers: int = 1, *, always_fork: bool = False):
        """One worker runs calls in this process, unless `always_fork` (batch: every issue in a
        worker process, so that -j1 and -j2 isolate and measure issues alike)."""
        self.workers = max(1, int(workers))
        self.inline = self.workers == 1 and not always_fork
        self._executor: ProcessPoolExecutor | None = None

    def executor(self) -> ProcessPoolExecutor:
        if self._executor is None:
            warm()
            self._executor = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("fork"),
                                                 initializer=worker_start)
        return self._executor

    def start(self) -> None:
        """Fork the workers now (before this process starts any thread)."""
        if not self.inline:
            self.executor().submit(warm).result()

    def submit(self, fn, *args) -> Future:
        if self.inline:
            future: Future = Future()
            try:
                future.set_result(fn(*args))
            except Exception as exc:  # noqa: BLE001 - handed to the caller through the future
                future.set_exception(exc)
            return future
        return self.executor().submit(fn, *args)

    def map(self, fn, items: list[tuple]) -> list:
        if self.inline or len(items) <= 1:
            return [fn(*item) for item in items]
        return [future.result() for future in [self.submit(fn, *item) for item in items]]

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(cancel_futures=True)
            self._executor = None

    def __enter__(self) -> RenderPool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def chunks(items: list, parts: int) -> list[list]:
    """`items` cut into at most `parts` runs of nearly equal length, in order."""
    if not items:
        return []
    parts = max(1, min(parts, len(items)))
    size, extra = divmod(len(items), parts)
    out, start = [], 0
    for index in range(parts):
        end = start + size + (1 if index < extra else 0)
        out.append(items[start:end])
        start = end
    return out
