"""Batch stage, photos on a cluster: each photo prepared for its frame once a cluster, by a task.

A plan task that finds photos of its pages not yet prepared in its cache (`photo_orders`) hands
them back as orders, with the issue kept planned on its worker. The client submits one
`photo_task` a photo and frame, its Dask key `photo-<cache key>`: the key of the prepared file's
cache entry (`images.entry_key`: the source's SHA-256, the frame, the resolution, focus and
region), so that issues sharing a photo (county editions of one special) share its task, whichever
workers plan them, and no worker waits on another's lock; then the issue's compose task, which
depends on those photo tasks, writes the pages' HTML with them (`prepared_urls`).

A photo task copies the source into its worker's store from the issue's input task
(`input-<sha256>`) and prepares it into its worker's cache (`images.prepare_image`). The composing
worker finds it there when both share the cache (the embedded cluster, or `--cache` on shared
storage), else writes the bytes it is given. A photo task never raises: a photo it could not
prepare is prepared by the compose task itself, which then reports a problem with the issue's own
file name, as `layout render` does.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

#: Dask priority of photo and compose tasks: before the plans and pages queued with them (priority 0)
PRIORITY = 10

#: in this process: photo tasks run, by Dask key, and ordered photos that a compose task prepared
#: itself, by file name (the tests read them on the workers)
TASKS_RUN: Counter = Counter()
PREPARED_BY_COMPOSE: Counter = Counter()


@dataclass(frozen=True)
class PhotoOrder:
    """A photo to prepare for a frame (width x height pt, rounded to 2 places)."""

    key: str                         # photo_key(...)
    sha: str                         # the source's SHA-256: its input task is input-<sha>
    width: float
    height: float
    ppi: int
    focus: tuple | None = None
    region: tuple | None = None


def photo_key(sha: str, width: float, height: float, ppi: int, focus=None, region=None) -> str:
    """The Dask key of the photo of hash `sha` prepared for a frame of width x height pt: its
    cache entry's key (`images.entry_key`)."""
    from .images import entry_key
    return "photo-" + entry_key(sha, (width, height), ppi, True, focus, region)


def _order_for(figure, ppi: int) -> PhotoOrder | None:
    """The order for a placed figure's photo (None when its file cannot be read: the compose
    task reports why)."""
    from .pagerender.keys import file_digest
    try:
        sha = file_digest(figure.source)
    except OSError:
        return None
    if sha == "missing":
        return None
    width, height = round(figure.image.w, 2), round(figure.image.h, 2)
    return PhotoOrder(photo_key(sha, width, height, ppi, figure.focus, figure.region), sha, width, height, ppi,
                      figure.focus, figure.region)


def photo_orders(plans, cache: Path, ppi: int) -> list[PhotoOrder]:
    """The photos of the plans that `cache` (the `images` cache folder) lacks, each once."""
    from .images import cached_entry
    from .pagerender.compose import figures_of
    orders = {}
    for figure in figures_of(plans):
        order = _order_for(figure, ppi)
        if order is not None and cached_entry(order.key.removeprefix("photo-"), cache) is None:
            orders.setdefault(order.key, order)
    return list(orders.values())


def photo_task(data, order: PhotoOrder, cache_dir: str | None, by_reference: bool) -> dict:
    """Prepare the ordered photo, whose bytes (or `LocalFile`) are `data`, into this worker's
    cache: its file name, its record and the prepared bytes (`by_reference`: a `LocalFile`), or
    the problem that stopped it."""
    from .cluster import _cache
    from .cluster_inputs import payload, put_blob
    from .images import prepare_image
    TASKS_RUN[order.key] += 1
    cache = _cache(cache_dir) / "images"
    try:
        prepared = prepare_image(put_blob(order.sha, data), placed_width=order.width, placed_height=order.height,
                                 target_ppi=order.ppi, cache_dir=cache, focus=order.focus, region=order.region)
        return {"name": prepared.path.name, "jpeg": payload(prepared.path, by_reference),
                "record": prepared.path.with_suffix(".json").read_bytes()}
    except Exception as exc:  # noqa: BLE001 - the compose task prepares it and says what is wrong
        return {"problem": f"{exc.__class__.__name__}: {exc}"}


def prepared_urls(plans, cache: Path, ppi: int, photos: dict[str, dict]):
    """`compose.prepare_photos` for the plans, given the results of their photo tasks (`photos`,
    by Dask key): each photo from its task's result; the others (in the cache already, or a
    task that could not prepare its photo, or a file that cannot be read) through
    `prepare_figures`, which finds those in the cache and prepares the rest here."""
    from .pagerender.compose import figures_of, prepare_figures
    urls, left = {}, []
    for figure in figures_of(plans):
        order = _order_for(figure, ppi)
        result = photos.get(order.key) if order is not None else None
        url = None
        if result is not None:
            try:
                url = _placed(result, cache)
            except OSError:                  # this worker's cache cannot take it: prepared below
                url = None
            if url is None:
                PREPARED_BY_COMPOSE[figure.source.name] += 1
        if url is None:
            left.append(figure)
        else:
            urls[figure.key] = url
    more, findings = prepare_figures(left, cache, ppi)
    return {**urls, **more}, findings


def _placed(result: dict, cache: Path) -> str | None:
    """The URL of the prepared photo of a photo task's `result` in this worker's cache (written
    there from its bytes, the record last as `prepare_image` writes it, unless the cache, shared,
    has it already); None for a problem."""
    from .cluster_inputs import LocalFile
    from .render import write_atomically
    if "problem" in result:
        return None
    jpeg = cache / result["name"]
    if not jpeg.is_file():
        data = result["jpeg"]
        if isinstance(data, LocalFile):         # on this machine, in another cache
            data = Path(data.path).read_bytes()
        write_atomically(jpeg, lambda temporary: temporary.write_bytes(data))
        write_atomically(jpeg.with_suffix(".json"), lambda temporary: temporary.write_bytes(result["record"]))
    return jpeg.resolve().as_uri()
