"""The corrector's remembered answers: one kind of bounded cache for every question it asks again.

The corrector asks the same questions of the same word forms over and over (its candidates, its
language-model numbers, its segmentations), so each answer is remembered. A batch of thousands of
documents must not grow these tables without bound: a ``Memo`` empties itself when it holds more
than its ``limit`` answers (recomputing an answer is cheap; tracking recency on every hit is not).
All of the corrector's memos are made in one place, ``Corrector.__init__`` (``engine.py``).
"""

from __future__ import annotations

LIMIT = 200_000  # answers a memo holds before it starts again


class Memo(dict):
    """A dict of remembered answers; ``put`` stores one, emptying the memo first when it is full.
    Reading is the plain dict's (``get``, ``in``, ``[]``): no cost on a hit."""

    __slots__ = ("limit",)

    def __init__(self, limit: int = LIMIT):
        super().__init__()
        self.limit = limit

    def put(self, key, value):
        """Remember ``value`` under ``key`` and return it."""
        if len(self) > self.limit:
            self.clear()
        self[key] = value
        return value

    def put_many(self, keys, values) -> None:
        """``put`` each of ``keys`` its value of ``values``, in order: the same memo after as that many puts (one
        dict update where no put of them would find the memo full)."""
        items = list(zip(keys, values))
        if len(self) + len(items) <= self.limit + 1:
            self.update(items)
        else:
            for key, value in items:
                self.put(key, value)
