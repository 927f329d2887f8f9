"""The garbage collector in a process that decides many events with one engine.

Building an `Engine` creates large, long-lived structures: the text model (its vocabulary list and weight
table), the lexicons' tables, the normalizer's character tables (dicts and lists of 131,072 entries). None of
them ever becomes garbage, yet every full collection of CPython's cyclic garbage collector walks them all:
30-40 ms in a worker process, landing in whichever event is being decided when it triggers (a 100 KB crafted
message makes enough objects to trigger one or two). `gc.freeze()` moves every object alive at that moment
into a permanent generation the collector skips; objects made afterwards are collected as before.
"""
from __future__ import annotations

import gc


def freeze_static_heap() -> None:
    """Call once, after the engine is built and before the first event (worker, scan, eval)."""
    gc.collect()  # garbage of the start-up itself goes first, so that it is not frozen with the rest
    gc.freeze()
