"""Batch stage, photos on a cluster: each photo prepared for its frame once a cluster, by a task.

A plan task needs its pages' photos prepared (cropped and downsampled to their frames) before it
can write their HTML. On a Dask worker it asks the cluster for them (`photos_on_cluster`): one
`photo_task` a photo and frame, its Dask key `photo-<hash>` made of what the prepared file
depends on (the source's SHA-256, the frame, the resolution, focus and region), so that issues
sharing a photo (county editions of one special) share its task, whichever workers plan them, and
no worker waits on another's lock. The plan task leaves its worker's thread while the photos are
made (Dask's `worker_client` secedes), so its own worker prepares photos too; photo tasks go
before plans and pages (`PRIORITY`).

A photo task copies the source into its worker's store from the issue's input task
(`input-<sha256>`) and prepares it into its worker's cache (`images.prepare_image`). The planning
worker finds it there when both share the cache (the embedded cluster, or `--cache` on shared
storage), else writes the bytes it gets back. A photo whose task fails, or that is not a printable
photo, is prepared by the plan task itself, which then reports it with the issue's own file name.
Outside a Dask worker, photos are prepared in the process (`compose.prepare_photos`).
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

#: Dask priority of photo tasks: before the plans and pages queued with them (priority 0)
PRIORITY = 10

#: in this process: photo tasks run, by Dask key, and photos a plan task prepared itself, by
#: file name (the tests read them on the workers)
TASKS_RUN: Counter = Counter()
PREPARED_BY_PLANS: Counter = Counter()


def photo_key(sha: str, width: float, height: float, ppi: int, focus=None, region=None) -> str:
    """The Dask key of the photo of hash `sha` prepared for a frame of width x height pt: its
    cache entry's key (`images.entry_key`)."""
    from .images import entry_key
    return "photo-" + entry_key(sha, (width, height), ppi, True, focus, region)


def photo_task(data, sha: str, width: float, height: float, ppi: int, focus, region,
               cache_dir: str | None, by_reference: bool) -> dict:
    """Prepare the photo whose bytes (or `LocalFile`) are `data` into this worker's cache: its
    file name, its record and the prepared bytes (`by_reference`: a `LocalFile`), or the problem
    that stops it."""
    from .cluster_inputs import payload, put_blob
    from .images import ImageProblem, prepare_image
    from .pagerender.keys import env_cache_dir
    cache = (Path(cache_dir) if cache_dir else env_cache_dir()).resolve() / "images"
    TASKS_RUN[photo_key(sha, width, height, ppi, focus, region)] += 1
    try:
        prepared = prepare_image(put_blob(sha, data), placed_width=width, placed_height=height,
                                 target_ppi=ppi, cache_dir=cache, focus=focus, region=region)
    except ImageProblem as exc:
        return {"problem": str(exc)}
    record = prepared.path.with_suffix(".json")
    return {"name": prepared.path.name, "jpeg": payload(prepared.path, by_reference),
            "record": record.read_bytes()}


def photos_on_cluster(cache_dir: str | None, by_reference: bool):
    """A `prepare` for `compose_issue` that prepares through photo tasks when run in a Dask
    worker, else in this process."""
    def prepare(plans, cache: Path, ppi: int = 300):
        from .pagerender.compose import prepare_photos
        try:
            from distributed import get_worker
            get_worker()
        except (ImportError, ValueError):
            return prepare_photos(plans, cache, ppi)
        return _through_tasks(plans, cache, ppi, cache_dir, by_reference)
    return prepare


def _through_tasks(plans, cache: Path, ppi: int, cache_dir: str | None, by_reference: bool):
    from .images import cached_entry
    from .pagerender.compose import figures_of, prepare_figures
    from .pagerender.keys import file_digest
    orders: dict[str, tuple] = {}
    urls, left = {}, []              # left: prepared here, a problem reported with the file name
    for figure in figures_of(plans):
        width, height = round(figure.image.w, 2), round(figure.image.h, 2)
        try:
            sha = file_digest(figure.source)
        except OSError:
            left.append(figure)
            continue
        key = photo_key(sha, width, height, ppi, figure.focus, figure.region)
        made = cached_entry(key.removeprefix("photo-"), cache)
        if made is not None:                 # prepared before, here or by another worker sharing the cache
            urls[figure.key] = made.path.resolve().as_uri()
            continue
        orders.setdefault(key, (sha, width, height, figure.focus, figure.region, []))[5].append(figure)
    if orders:
        urls.update(_from_tasks(orders, ppi, cache, cache_dir, by_reference, left))
    PREPARED_BY_PLANS.update(figure.source.name for figure in left)
    more, findings = prepare_figures(left, cache, ppi)
    return {**urls, **more}, findings


def _from_tasks(orders: dict, ppi: int, cache: Path, cache_dir: str | None, by_reference: bool,
                left: list) -> dict[str, str]:
    """Figure key -> URL of the photos of `orders` (Dask key -> the photo, its frame and its
    figures), prepared by photo tasks while this task leaves its worker's thread; the figures of
    a photo whose task failed are added to `left`."""
    from distributed import Future, worker_client

    from . import theme as themes
    urls = {}
    ours = themes.TEMPLATES_DIR, themes.FONTS_DIR     # other tasks install theirs while this one is out
    with worker_client() as client:
        futures = {key: client.submit(photo_task, Future(f"input-{sha}", client), sha, width, height, ppi, focus,
                                      region, cache_dir, by_reference, key=key, priority=PRIORITY)
                   for key, (sha, width, height, focus, region, _) in orders.items()}
        for key, future in futures.items():
            try:
                url = _placed(future.result(), cache)
            except Exception:  # noqa: BLE001 - a lost or failed task: prepared here instead
                url = None
            for figure in orders[key][5]:
                if url is None:
                    left.append(figure)
                else:
                    urls[figure.key] = url
    themes.TEMPLATES_DIR, themes.FONTS_DIR = ours       # back in the worker's thread: alone again
    return urls


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
