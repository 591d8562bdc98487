"""Batch stage: `batch.ReadAhead`, how `run_batch` plans each issue as soon as it is read while
the next is read (the issues' reading with the cluster: test_batch_inprocess.py)."""
from __future__ import annotations

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


def test_stopped_it_produces_no_more_than_the_item_in_hand():
    produced, release = [], threading.Event()

    def items():
        for n in range(1000):
            produced.append(n)
            yield n
            release.wait(20)
    with ThreadPoolExecutor(1) as pool:
        reading = ReadAhead(items(), pool)
        assert next(iter(reading)) == 0
        reading.stop()
        release.set()
    assert produced == [0, 1]                    # 1 was in hand when it was stopped, and not given


def test_stopped_before_anything_is_taken_it_ends_too():
    produced, release = [], threading.Event()

    def items():
        for n in range(1000):
            produced.append(n)
            yield n
            release.wait(20)
    with ThreadPoolExecutor(1) as pool:
        reading = ReadAhead(items(), pool)
        reading.stop()
        release.set()
    assert produced in ([0], [0, 1])             # the first, and the one in hand when it was stopped
    assert reading.production.exception() is None
