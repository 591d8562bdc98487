"""Batch stage: `batch.ReadAhead`, how `run_batch` plans each issue as soon as it is read while
the next is read (the issues' reading with the cluster: test_batch_inprocess.py)."""
from __future__ import annotations

import contextlib
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from layout.batch import ReadAhead


def test_the_caller_takes_each_item_while_the_next_is_still_being_produced():
    taken_first, waited = threading.Event(), []

    def items():
        yield "甲"
        waited.append(taken_first.wait(20))      # not produced before the caller has the first
        yield "乙"
    taken = []
    with ThreadPoolExecutor(1) as pool:
        for item in ReadAhead(items(), pool):
            taken.append(item)
            taken_first.set()
    assert taken == ["甲", "乙"] and waited == [True]


def test_what_the_production_raises_reaches_the_caller_after_the_items_before_it():
    def items():
        yield "甲"
        raise OSError("issue.yaml unreadable")
    taken = []
    with ThreadPoolExecutor(1) as pool, pytest.raises(OSError, match="issue.yaml unreadable"):
        for item in ReadAhead(items(), pool):
            taken.append(item)
    assert taken == ["甲"]


def counted(produced: list, release: threading.Event):
    """0, 1, 2, ... each noted in `produced`, the next only once `release` is set."""
    for n in range(1000):
        produced.append(n)
        yield n
        release.wait(20)


def test_stopped_it_produces_no_more_than_the_item_in_hand():
    produced, release = [], threading.Event()
    with ThreadPoolExecutor(1) as pool:
        reading = ReadAhead(counted(produced, release), pool)
        assert next(iter(reading)) == 0
        reading.stop()
        release.set()
    assert produced == [0, 1]                    # 1 was in hand when it was stopped, and not given


def test_stopped_before_anything_is_taken_it_ends_too():
    produced, release = [], threading.Event()
    with ThreadPoolExecutor(1) as pool:
        reading = ReadAhead(counted(produced, release), pool)
        reading.stop()
        release.set()
    assert produced in ([0], [0, 1])             # the first, and the one in hand when it was stopped
    assert reading.production.exception() is None


def test_a_batch_that_ends_before_taking_an_issue_stops_the_reading(tmp_path, monkeypatch):
    """The scheduler cannot be reached: the reading stops after the issue in hand, not once every
    issue is read (the batch waits for its reader before it reports)."""
    from layout import batch, cluster_run
    from layout.cluster import ClusterUnreachable
    folders = [tmp_path / name for name in ("a", "b", "c", "d")]
    read, in_hand, stopped, real_stop = [], threading.Event(), threading.Event(), ReadAhead.stop

    def stop(self):
        real_stop(self)
        stopped.set()

    def read_one(folder, name, blobs, by_reference):
        read.append(name)
        if name == "b":                          # the issue in hand when the batch ends
            in_hand.set()
            stopped.wait(5)
        return name

    @contextlib.contextmanager
    def unreachable(jobs, scheduler):
        in_hand.wait(20)
        raise ClusterUnreachable(f"cannot reach the Dask scheduler at {scheduler}")
        yield
    monkeypatch.setattr(ReadAhead, "stop", stop)
    monkeypatch.setattr(cluster_run, "_read", read_one)
    monkeypatch.setattr(batch, "connect", unreachable)
    with pytest.raises(ClusterUnreachable, match="tcp://127.0.0.1:1"):
        batch.run_batch(folders, tmp_path / "out", scheduler="tcp://127.0.0.1:1",
                        names={folder.resolve(): folder.name for folder in folders})
    assert read == ["a", "b"] and not (tmp_path / "out").exists()
