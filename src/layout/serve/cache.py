"""Proof stage for the live server: a bounded cache of rendered bytes (layers, page PNGs).

Least recently used entries go first once the entries' sizes add up to more than the budget, so
the server's memory depends on the budget and the page size, not on the number of pages.
"""
from __future__ import annotations

import threading
from collections import OrderedDict


class BoundedCache:
    """A thread-safe LRU mapping whose values' sizes (in bytes) stay within `budget`."""

    def __init__(self, budget: int):
        self.budget = budget
        self.used = 0
        self._entries: OrderedDict = OrderedDict()     # key -> (value, size)
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            if key not in self._entries:
                return None
            self._entries.move_to_end(key)
            return self._entries[key][0]

    def put(self, key, value, size: int) -> None:
        """Keep `value`, then drop the least recently used entries beyond the budget (an entry
        larger than the whole budget is not kept)."""
        with self._lock:
            if key in self._entries:
                self.used -= self._entries.pop(key)[1]
            self._entries[key] = (value, size)
            self.used += size
            while self.used > self.budget and self._entries:
                self.used -= self._entries.popitem(last=False)[1][1]

    def __contains__(self, key) -> bool:
        with self._lock:
            return key in self._entries

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)
