"""Batch stage: what a worker process loads before its first task.

Importing WeasyPrint and the page stages and loading the theme's fonts once cost a fresh process
over a second; a worker should not pay that inside its first page. The embedded LocalCluster
forks its workers from a fork server that has imported this module (and warmed the fonts), so
they start warm; on a cluster, start each worker with `dask worker --preload
layout.cluster_preload` (the import runs as the worker starts, before it takes tasks).
"""
from __future__ import annotations

import gc
import logging

import weasyprint  # noqa: F401 - the point: imported once, before any task

from . import cluster, cluster_inputs, cluster_run  # noqa: F401
from .pagerender import chunk, combine, issue  # noqa: F401

WARM_HTML = ('<html lang="zh-Hans"><body style="font-family: \'{family}\'">'
             '<p>预热</p><p style="font-weight: bold">预热</p></body></html>')


def warm_fonts() -> None:
    """Lay out a line in each family of the default theme (fontconfig and Pango load the faces),
    and never fail: a worker whose fonts are missing says so in its first task."""
    try:
        from .theme import load_theme
        families = sorted({role.family for role in load_theme().fonts.values()})
        html = "".join(WARM_HTML.format(family=family) for family in families)
        weasyprint.HTML(string=html).render()
    except Exception:  # noqa: BLE001 - only a speed-up
        logging.getLogger(__name__).debug("font warm-up failed", exc_info=True)


warm_fonts()


def dask_setup(worker) -> None:  # noqa: ARG001 - Dask's preload hook
    """Once the worker is up, before its first task: move every object alive now (the modules,
    the fonts, Dask's worker) out of the garbage collector's way (`gc.freeze`), so that the
    collections a page's layout triggers, and the one after each task (`release_memory`), walk
    only the task's own objects."""
    gc.collect()
    gc.freeze()
