"""Batch stage on Dask distributed: the cluster, and the tasks its workers run.

Without a scheduler address, `connect` starts an embedded LocalCluster of N single-threaded
worker processes on 127.0.0.1 (no dashboard unless bokeh is installed, and then on 127.0.0.1
only); with one, it joins that cluster. Either way the same tasks run:

* `plan_task`: load, check, plan and compose one issue (one `RemoteJob` per page, with its key);
* `cluster_photos.photo_task`: prepare one photo for its frame, for the plan tasks that found it
  missing from their cache (keyed by the prepared file's cache key, so issues sharing a photo
  share the task), then `compose_task` writes that issue's pages' HTML with them;
* `page_task`: render a few pages of one issue in one WeasyPrint write (the Dask key of a lone
  page is `page-<page key>`; a page shared by issues is rendered once, and pages already in the
  client's page cache are never submitted);

both from copies of their inputs in the worker's own store (`cluster_inputs`: the issue folder,
the theme and the dropped-in fonts travel as content-addressed bytes, each file once a batch),

and the client combines each issue's pages and writes its PDF (`batch`). A worker whose fonts
differ from the client's refuses both tasks (`FontRefused`, naming the family and the hashes):
it never sets an issue in a substitute face. A worker killed in the middle of a task is noticed
by the scheduler, which runs the task again on another worker.
"""
from __future__ import annotations

import functools
import importlib.util
import logging
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .errors import LayoutError

#: how long to wait for a scheduler before saying it cannot be reached
CONNECT_SECONDS = 5


class ClusterUnreachable(Exception):
    """The scheduler named by --scheduler did not answer."""


class PageKilledWorkers(Exception):
    """A page whose task killed its worker on every try (the message names the page)."""


class FontRefused(Exception):
    """This worker's font for a family is not the client's (raised in the worker)."""


@dataclass(frozen=True)
class ExpectedFont:
    """A font the client resolved for a theme role: the worker must resolve the same bytes."""

    role: object          # theme.FontRole
    family: str
    name: str             # the client's file name, for the message
    sha256: str


@contextmanager
def connect(jobs: int, scheduler: str | None = None):
    """A Dask client: of the cluster at `scheduler`, or of an embedded LocalCluster of `jobs`
    single-threaded worker processes on 127.0.0.1. Raises ClusterUnreachable."""
    from distributed import Client, LocalCluster
    if scheduler:
        try:
            client = Client(scheduler, timeout=CONNECT_SECONDS, set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise ClusterUnreachable(f"cannot reach the Dask scheduler at {scheduler} "
                                     f"within {CONNECT_SECONDS} s ({exc.__class__.__name__})") from None
        with client:
            yield client
        return
    import dask
    dashboard = importlib.util.find_spec("bokeh") is not None   # else no HTTP server at all
    warm_forkserver()
    with dask.config.set(EMBEDDED_CONFIG), \
            LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True, host="127.0.0.1",
                         scheduler_port=0, dashboard_address="127.0.0.1:0", silence_logs=logging.ERROR,
                         scheduler_kwargs={"dashboard": dashboard}, worker_dashboard_address=None,
                         preload=["layout.cluster_preload"]) as cluster, \
            Client(cluster, set_as_default=False) as client:
        yield client


#: Dask settings of the embedded cluster (its workers get them from their nannies). Its ticks
#: cost CPU for the whole batch: measured on an idle cluster of 2 workers, 0.30 s of CPU a worker
#: and 0.61 s in this process (scheduler, nannies) every 20 s with Dask's defaults, 0.055 s and
#: 0.12 s with these: the event loop's health check every 500 ms (not 20 ms), the system monitor
#: every 2 s (not 0.5 s), the nannies' memory check every 1 s (not 0.1 s); and no statistical
#: profiler sampling the running task's stack every 10 ms for a dashboard's profile page. And no
#: MALLOC_TRIM_THRESHOLD_ in a worker's environment (`WORKER_ENVIRON`).
EMBEDDED_CONFIG = {"distributed.admin.tick.interval": "500ms", "distributed.admin.system-monitor.interval": "2s",
                   "distributed.worker.memory.monitor-interval": "1s", "distributed.worker.profile.enabled": False,
                   "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}


def warm_forkserver() -> None:
    """Start the embedded cluster's workers (and those its nannies start again after a crash)
    from a fork server that has imported WeasyPrint and the page stages and loaded the fonts
    (`cluster_preload`) instead of spawning each cold: measured on 2 cores under load, the first
    tasks of 2 workers done 3.7-4.5 s after start instead of 6.5 s, and the cluster closed in
    0.1 s instead of 2 s. Workers fork from it with its environment, taken when it starts (once
    a process)."""
    import dask
    from distributed.utils import get_mp_context
    dask.config.set({"distributed.worker.multiprocessing-method": "forkserver"})
    get_mp_context()                 # Dask sets its own preload list the first time: ours replaces it
    start_forkserver()


#: what the fork server imports before it forks a worker
FORKSERVER_PRELOAD = ["distributed", "layout.cluster_preload"]

#: the environment Dask's nanny gives the worker process it starts (its defaults of
#: `distributed.nanny.pre-spawn-environ` and a fixed hash seed); workers fork with the fork
#: server's environment, so the fork server, started before any nanny, must have it already.
#: But not MALLOC_TRIM_THRESHOLD_ (`EMBEDDED_CONFIG` unsets it for the nanny too): set, glibc
#: keeps its mmap threshold at 128 kB, so every photo's pixel buffer is mapped and faulted in
#: afresh; the workers of a batch of 12 issues with no photo shared used 44.8 s of CPU with it,
#: 36.6 s without. A worker gives memory back after each task itself (`release_memory`).
WORKER_ENVIRON = {"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
                  "PYTHONHASHSEED": "6640"}


def start_forkserver() -> None:
    """Start the fork server now (if not yet), without importing Dask here: its imports and font
    warm-up (0.8 s of CPU) then run on the other core while this process imports its own stages
    and reads the issues' inputs, rather than after them. This process's environment gets the
    workers' (`WORKER_ENVIRON`, a variable already set is kept, as the nanny keeps it)."""
    import multiprocessing
    from multiprocessing import forkserver
    for name, value in WORKER_ENVIRON.items():
        if os.environ.get(name) in (None, "0" if name == "PYTHONHASHSEED" else None):
            os.environ[name] = value
    multiprocessing.get_context("forkserver").set_forkserver_preload(FORKSERVER_PRELOAD)
    forkserver.ensure_running()


def dashboard_of(client) -> str | None:
    """The dashboard's address, when the scheduler serves one (bokeh installed)."""
    try:
        served = client.scheduler_info().get("services", {}).get("dashboard")
        return client.dashboard_link if served and importlib.util.find_spec("bokeh") else None
    except Exception:  # noqa: BLE001 - only informative
        return None


def theme_fonts(name: str) -> list[ExpectedFont] | None:
    """The fonts this machine (the client) resolves for the theme `name`, which every worker
    must resolve alike; None when the theme cannot be read (the plan task then says why). The
    client learns an issue's theme from its `theme:` line alone (`_theme_name`): loading the
    issue would inspect every photo (0.6 s an issue)."""
    from .fonts import resolve_fonts
    from .pagerender.keys import file_digest
    try:
        theme = _theme(name)
        fonts = resolve_fonts(theme)
    except Exception:  # noqa: BLE001 - an unreadable theme: the plan task says why
        return None
    return [ExpectedFont(theme.fonts[role], font.family, font.path.name, file_digest(font.path))
            for role, font in fonts.items()]


def _theme_name(folder: Path) -> str:
    """The `theme:` of the issue's YAML (read with libyaml when PyYAML has it: the issue's own
    loader, which locates every key, is for its plan task)."""
    import yaml
    from .model import ISSUE_FILE
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load((folder / ISSUE_FILE).read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 - a safe loader
    return str(data.get("theme") or "") if isinstance(data, dict) else ""


@functools.lru_cache(maxsize=16)
def _theme(name: str):
    from .theme import load_theme
    return load_theme(name)


def check_fonts(expected: list[ExpectedFont] | None) -> None:
    """Raise FontRefused when this worker resolves a family to other bytes than the client."""
    from . import theme as themes
    for font in expected or []:
        mine = _resolved_digest(font.role, themes.FONTS_DIR)
        if mine[0] != font.sha256:
            raise FontRefused(
                f"worker {worker_name()} refuses to render: its font for family '{font.family}' "
                f"(role '{font.role.role}') is {mine[1]} sha256 {mine[0][:16]}, the client's is "
                f"{font.name} sha256 {font.sha256[:16]}; install the same font file on every worker")


@functools.lru_cache(maxsize=64)
def _resolved_digest(role, fonts_dir: Path) -> tuple[str, str]:
    from .fonts import resolve_role
    from .pagerender.keys import file_digest
    font = resolve_role(role, fonts_dir)
    return ("missing", "no file") if font is None else (file_digest(font.path), font.path.name)


def worker_name() -> str:
    """This worker's address (or the process id outside a Dask worker)."""
    try:
        from distributed import get_worker
        return get_worker().address
    except (ImportError, ValueError):
        return f"pid {os.getpid()}"


#: issues this worker planned whose photos are being prepared: plan id -> (PlannedIssue, trees);
#: their compose task, sent here, takes them back (elsewhere, after this worker died, it plans again)
_PLANNED: dict[str, tuple] = {}
PLANNED_KEPT = 16


@dataclass(frozen=True)
class _Trees:
    """An issue's inputs as copies in this worker's store, and how to show its findings."""

    issue: Path
    templates: Path
    fonts: Path
    shown: object


def _trees(inputs, blobs: dict) -> _Trees:
    from .cluster_inputs import materialise
    issue, templates, fonts_dir = (materialise(tree, blobs) for tree in (inputs.issue, inputs.theme, inputs.fonts))
    return _Trees(issue, templates, fonts_dir, shown_as({issue: inputs.shown["issue"], templates: inputs.shown["templates"],
                                                         fonts_dir: inputs.shown["fonts"]}))


def _cache(cache_dir: str | None) -> Path:
    from .pagerender.keys import env_cache_dir
    return (Path(cache_dir) if cache_dir else env_cache_dir()).resolve()


def plan_task(folder: str, cache_dir: str | None, fonts: list[ExpectedFont] | None, inputs, blobs: dict,
              by_reference: bool = False, plan_id: str | None = None) -> dict:
    """Plan and compose one issue from the copies of its inputs (`cluster_inputs`): its page jobs
    (`RemoteJob`s), findings (render's and check's) and the bytes of the prepared photos its pages
    name (`by_reference`: `LocalFile`s, for workers on this machine), or the located errors that
    stop it. Paths in findings are the client's. Given a `plan_id`, photos not yet prepared are
    not prepared here: the result is then their `photos` (`cluster_photos.PhotoOrder`s) and the
    planned issue waits on this worker for `compose_task(plan_id, ...)`."""
    from .cluster_inputs import installed
    from .cluster_photos import photo_orders
    from .pagerender.issue import plan_pages
    started = time.perf_counter()
    trees, cache = _trees(inputs, blobs), _cache(cache_dir)
    with installed(trees.templates, trees.fonts):
        check_fonts(fonts)
        try:
            planned = plan_pages(trees.issue)
        except LayoutError as exc:
            return {"errors": [trees.shown(f.as_dict()) for f in exc.findings], **_where(started)}
        orders = photo_orders(planned.plans, cache / "images", planned.theme.print.image_ppi) if plan_id else []
        if not orders:
            return _composed(planned, trees, cache, inputs, {}, by_reference, started)
    _PLANNED[plan_id] = planned, trees
    while len(_PLANNED) > PLANNED_KEPT:                   # composed elsewhere: forgotten here
        del _PLANNED[next(iter(_PLANNED))]
    return {"photos": orders, **_where(started)}


def compose_task(plan_id: str, folder: str, cache_dir: str | None, fonts: list[ExpectedFont] | None, inputs,
                 blobs: dict, by_reference: bool, photos: dict[str, dict]) -> dict:
    """`plan_task`'s result for the issue it planned as `plan_id`, its photos prepared by photo
    tasks (`photos`: their results by Dask key). On another worker than the planning one (it
    died, or was busy and the task was moved), or once the planning one has forgotten it (more
    than PLANNED_KEPT waiting), the issue is planned again here first."""
    from .cluster_inputs import installed
    from .pagerender.issue import plan_pages
    started = time.perf_counter()
    planned, trees = _PLANNED.pop(plan_id, (None, None))
    trees, cache = trees or _trees(inputs, blobs), _cache(cache_dir)
    with installed(trees.templates, trees.fonts):
        check_fonts(fonts)
        try:
            planned = planned or plan_pages(trees.issue)
        except LayoutError as exc:
            return {"errors": [trees.shown(f.as_dict()) for f in exc.findings], **_where(started)}
        return _composed(planned, trees, cache, inputs, photos, by_reference, started)


def _composed(planned, trees: _Trees, cache: Path, inputs, photos: dict, by_reference: bool, started: float) -> dict:
    """The planned issue's pages composed (its photos from `photos`, the cache, or prepared here),
    as `plan_task` returns them. Inside `installed`."""
    from .cluster_inputs import CACHE, INPUTS, payload, remote_job, store
    from .cluster_photos import prepared_urls
    from .pagerender.issue import compose_planned
    from .pagerender.keys import issue_key
    from .pipeline import with_preflight
    images, image_findings = prepared_urls(planned.plans, cache / "images", planned.theme.print.image_ppi, photos)
    try:
        composed = compose_planned(planned, cache, images, image_findings)
    except LayoutError as exc:
        return {"errors": [trees.shown(f.as_dict()) for f in exc.findings], **_where(started)}
    findings = with_preflight(composed.findings, composed.issue, composed.plans)
    mapping = [(store().resolve(), INPUTS), (cache, CACHE)]
    remote = [remote_job(job, mapping, trees.templates / inputs.theme_name, trees.fonts, composed.font_files)
              for job in composed.jobs]
    made = {sha: path for job, paths in remote for name, path in paths.items() if name.startswith(CACHE)
            for sha in [job.files[name]]}
    jobs = [job for job, _ in remote]
    return {"jobs": jobs, "slug": composed.issue.slug, "key": issue_key([job.key for job in jobs]),
            "findings": [trees.shown(f.as_dict()) for f in findings],
            "blobs": {sha: payload(path, by_reference) for sha, path in made.items()},
            **_where(started)}


def shown_as(folders: dict[Path, str]):
    """A function giving a finding (as a dict) the client's paths instead of this worker's (as
    absolute paths, or relative to the worker's working folder)."""
    import re
    from .pipeline import _relative
    forms = {str(form): client for folder, client in folders.items() for form in (folder, _relative(folder))}
    longest_first = sorted(forms, key=len, reverse=True)
    pattern = re.compile("|".join(rf"{re.escape(form)}(?=[/:\s'\"]|$)" for form in longest_first))

    def shown(finding: dict) -> dict:
        for key in ("file", "message"):
            if finding.get(key):
                finding[key] = pattern.sub(lambda match: forms[match.group(0)], finding[key])
        return finding
    return shown


def page_task(remotes: list, cache_dir: str | None, fonts: list[ExpectedFont] | None, blobs: dict,
              by_reference: bool = False) -> dict:
    """Render pages of one issue (into this worker's page cache) from the copies of the files they
    name, laid out one by one and written as one PDF (the fonts subset once a task, not once a
    page), then split; return each page's one-page PDF (`by_reference`, for a worker writing
    into the client's own page cache: none) and record, and this task's worker."""
    from .batch import release_memory
    from .cluster_inputs import installed, local_job
    from .pagerender.chunk import render_chunk
    from .pagerender.keys import env_cache_dir
    started = time.perf_counter()
    jobs, fonts_dirs = zip(*(local_job(remote, blobs) for remote in remotes))
    pages = (Path(cache_dir) if cache_dir else env_cache_dir()) / "pages"
    with installed(None, fonts_dirs[0]):
        check_fonts(fonts)
        entries = render_chunk(list(jobs), pages)
    result = {"pages": [{"key": entry.key, "pdf": None if by_reference else entry.pdf.read_bytes(),
                         "bookmarks": entry.bookmarks,
                         "anchors": entry.anchors, "findings": [f.as_dict() for f in entry.findings]}
                        for entry in entries], **_where(started)}
    release_memory()
    return result


def _where(started: float) -> dict:
    from .pagerender.pool import peak_rss_mb
    return {"worker": worker_name(), "pid": os.getpid(), "seconds": round(time.perf_counter() - started, 3),
            "peak_rss_mb": round(peak_rss_mb(), 1)}


def retried_keys(dask_scheduler, keys: list[str]) -> dict[str, int]:
    """On the scheduler: how often each of `keys` was taken off a worker before it finished (its
    worker died or left), from the transition log; work stealing does not count."""
    wanted, moved = set(keys), dict.fromkeys(keys, 0)
    for key, start, finish, _recommendations, stimulus, *_ in dask_scheduler.transition_log:
        if key in wanted and start == "processing" and finish not in ("memory", "erred") \
                and not str(stimulus).startswith("steal"):
            moved[key] += 1
    return {key: max(count, getattr(dask_scheduler.tasks.get(key), "suspicious", 0))
            for key, count in moved.items()}
