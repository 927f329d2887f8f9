"""The garbage collector in a process that decides many events with one engine.

Building an `Engine` creates large, long-lived structures: the text model (its vocabulary list and weight
table), the lexicons' tables, the normalizer's character tables (dicts and lists of 131,072 entries). None of
them ever becomes garbage, yet every full collection of CPython's cyclic garbage collector walks them all:
30-40 ms in a worker process, landing in whichever event is being decided when it triggers (a 100 KB crafted
message makes enough objects to trigger one or two). `gc.freeze()` moves every object alive at that moment
into a permanent generation the collector skips; objects made afterwards are collected as before.

`modworker scan` also keeps what it makes: its in-memory counters and the event ids it has seen grow with
the file, and the collector walks them again and again (about 8% of a scan's time). `BatchFreezer` freezes
what survives each batch, and every `full_every` batches runs one full collection of everything (so cyclic
garbage that was alive-looking when frozen is still collected, a bounded while later).
"""
from __future__ import annotations

import gc


def freeze_static_heap() -> None:
    """Call once, after the engine is built and before the first event (worker, scan, eval)."""
    gc.collect()  # garbage of the start-up itself goes first, so that it is not frozen with the rest
    gc.freeze()


class BatchFreezer:
    """For a loop whose batches leave long-lived objects behind (scan's counters): `after_batch()` freezes
    them; every `full_every` batches everything is unfrozen, collected once and frozen again."""

    def __init__(self, full_every: int = 64) -> None:
        if full_every < 1:
            raise ValueError("full_every must be at least 1")
        self.full_every = full_every
        self._batches = 0

    def after_batch(self) -> None:
        self._batches += 1
        if self._batches % self.full_every == 0:
            gc.unfreeze()
            gc.collect()
        gc.freeze()
