"""Comparing `reissue batch` reports: the fields that say when, where and how fast are dropped."""

from __future__ import annotations

TIMING = frozenset({"seconds", "build_seconds", "startup_seconds", "prepare_seconds", "started", "worker",
                    "pages_per_second", "outroot"})


def without_timing(rep, also: frozenset | set = frozenset()):
    """``rep`` (a report, or any part of it) without the timing fields and the ``also`` fields, at
    every level."""
    drop = TIMING | also
    if isinstance(rep, dict):
        return {k: without_timing(v, also) for k, v in rep.items() if k not in drop}
    if isinstance(rep, list):
        return [without_timing(v, also) for v in rep]
    return rep
