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
garbage frozen with a batch is still collected, a bounded while later). Deciding an event makes no cyclic
garbage (a test checks a scan's batches), so that is a safety net: a full collection walks the whole heap, the
engine's tables included (about 0.2 s), and once every 64 batches of 512 lines it cost 4 us a line; once every
1,024 it costs 0.25 us.

The youngest generation is also collected less often: every 50,000 net allocations of tracked objects instead
of CPython's 700. Deciding one event makes and drops a few hundred container objects (findings, spans, lists),
so the default ran a young collection every two or three events, each walking everything made since. In
`modworker scan` over 50,000 dev lines that was 2,257 collections and about 8% of the CPU time; at 50,000 it
is 217 (most of them the batch freezer's own) and about 3.7% (measured with `gc.callbacks`, session 9). Cyclic garbage is still collected, a
bounded number of allocations later; a young collection then walks at most a few megabytes.
"""
from __future__ import annotations

import gc


YOUNG_THRESHOLD = 50_000  # net allocations between two collections of the youngest generation


def freeze_static_heap() -> None:
    """Call once, after the engine is built and before the first event (worker, scan, eval)."""
    gc.collect()  # garbage of the start-up itself goes first, so that it is not frozen with the rest
    gc.freeze()
    gc.set_threshold(YOUNG_THRESHOLD, *gc.get_threshold()[1:])


class BatchFreezer:
    """For a loop whose batches leave long-lived objects behind (scan's counters): `after_batch()` freezes
    them; every `full_every` batches everything is unfrozen, collected once and frozen again."""

    def __init__(self, full_every: int = 1024) -> None:
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
