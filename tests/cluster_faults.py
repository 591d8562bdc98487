"""Preloaded (`dask worker --preload`) into the test cluster's workers: the page task of a page
whose headline is 丙版头条 raises, and that of 丁版头条 announces itself in
`$LAYOUT_TEST_GATE/started-<pid>` and waits for `$LAYOUT_TEST_GATE/release` (the test kills the
worker in between: a real event, no timer); that of 壬版头条 kills its own worker, on every try,
once `$LAYOUT_TEST_GATE/crash` exists (Dask blames every task the dead worker held, so the test
lets the other issues finish first). While `$LAYOUT_TEST_GATE/hold-plans` exists, a plan
task announces itself in `planning-<pid>` and waits (the test moves the issues away meanwhile).
While `$LAYOUT_TEST_GATE/photos-fail` exists, every photo task fails (it says why).
Tasks name `layout.cluster.page_task` and `plan_task`, so this module's replacements are what the
workers run."""
from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from layout import cluster, cluster_photos

#: the real task (this file may be imported twice in one process: nanny, then worker)
_real_page_task = cluster.__dict__.setdefault("_real_page_task", cluster.page_task)
_real_plan_task = cluster.__dict__.setdefault("_real_plan_task", cluster.plan_task)
_real_photo_task = cluster_photos.__dict__.setdefault("_real_photo_task", cluster_photos.photo_task)


def wait_for(path: Path) -> None:
    deadline = time.monotonic() + 60
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.02)


def plan_task(*args):
    gate = Path(os.environ["LAYOUT_TEST_GATE"])
    if (gate / "hold-plans").exists():
        (gate / f"planning-{os.getpid()}").write_text(str(os.getpid()))
        deadline = time.monotonic() + 60
        while (gate / "hold-plans").exists() and time.monotonic() < deadline:
            time.sleep(0.02)
    return _real_plan_task(*args)


def page_task(jobs, *args):
    html = "".join(job.html for job in jobs)
    if "壬版头条" in html:
        wait_for(Path(os.environ["LAYOUT_TEST_GATE"]) / "crash")
        os.kill(os.getpid(), signal.SIGKILL)
    if "丙版头条" in html:
        raise RuntimeError("pikepdf gave up")
    if "丁版头条" in html:
        gate = Path(os.environ["LAYOUT_TEST_GATE"])
        (gate / f"started-{os.getpid()}").write_text(str(os.getpid()))
        deadline = time.monotonic() + 60
        while not (gate / "release").exists() and time.monotonic() < deadline:
            time.sleep(0.02)
    return _real_page_task(jobs, *args)


def photo_task(data, order, *args):
    if (Path(os.environ["LAYOUT_TEST_GATE"]) / "photos-fail").exists():
        cluster_photos.TASKS_RUN[order.key] += 1
        return {"problem": "OSError: no space left on the photo desk's disk"}
    return _real_photo_task(data, order, *args)


cluster.page_task = page_task
cluster.plan_task = plan_task
photo_task.__module__, photo_task.__qualname__ = "layout.cluster_photos", "photo_task"   # submitted by a
cluster_photos.photo_task = photo_task                    # worker: the scheduler unpickles it, without this file
