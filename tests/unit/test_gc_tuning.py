"""The engine's long-lived tables are frozen out of the garbage collector once built (workers/gc_tuning.py)."""
from __future__ import annotations

import gc
import weakref
from pathlib import Path

import orjson

from workers.commands.scan import scan_lines
from workers.core.policy import load_policy
from workers.gc_tuning import YOUNG_THRESHOLD, BatchFreezer, freeze_static_heap
from workers.settings import DEFAULT_POLICY

DEV_EVENTS = Path(__file__).resolve().parents[1] / "data/corpus/dev.events.jsonl"


def test_freezing_keeps_live_objects_out_of_collections_and_collects_new_garbage():
    gc.unfreeze()
    table = {i: [i] for i in range(1000)}  # a long-lived table, like the model's
    freeze_static_heap()
    assert gc.get_freeze_count() >= len(table)
    cycle: list = []
    cycle.append(cycle)  # garbage made afterwards is still collected
    del cycle
    assert gc.collect() >= 1
    gc.unfreeze()


def test_scan_freezes_once_its_engine_is_built():
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    line = orjson.dumps({"event_id": "e1", "account_id": "a", "surface": "direct", "conversation_id": "c",
                         "text": "hi", "sent_at": "2026-11-28T00:00:00Z"})
    out = list(scan_lines([line], load_policy(DEFAULT_POLICY)))
    assert len(out) == 1 and gc.get_freeze_count() > 10_000  # the engine's tables and everything before them
    gc.unfreeze()


def test_young_collections_are_rarer_but_cyclic_garbage_is_still_collected_on_its_own():
    before = gc.get_threshold()
    gc.unfreeze()
    try:
        freeze_static_heap()
        assert gc.get_threshold()[0] == YOUNG_THRESHOLD
        assert gc.get_threshold()[1:] == before[1:]  # the older generations keep their settings
        first = _Node()
        alive = weakref.ref(first)
        del first
        assert alive() is not None  # a cycle: reference counting alone does not free it
        for _ in range(2 * YOUNG_THRESHOLD):  # allocations, with no explicit gc.collect()
            _Node()
        assert alive() is None
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()


class _Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the cyclic collector frees it


def test_batch_freezer_freezes_survivors_and_collects_frozen_garbage_at_the_next_full_collection():
    gc.unfreeze()
    freezer = BatchFreezer(full_every=3)
    node = _Node()
    alive = weakref.ref(node)
    freezer.after_batch()  # batch 1: the node survives it and is frozen
    frozen = gc.get_freeze_count()
    assert frozen > 0
    del node  # now garbage, but frozen: ordinary collections skip it
    gc.collect()
    assert alive() is not None
    freezer.after_batch()  # batch 2
    assert alive() is not None and gc.get_freeze_count() >= frozen
    freezer.after_batch()  # batch 3: the full collection frees it
    assert alive() is None
    gc.unfreeze()


def test_scan_freezes_what_each_batch_leaves_behind(monkeypatch):
    from workers.commands import scan

    batches = []
    monkeypatch.setattr(scan.BatchFreezer, "after_batch", lambda self: batches.append(gc.get_freeze_count()))
    monkeypatch.setattr(scan, "CHUNK", 2)
    lines = [orjson.dumps({"event_id": f"e{i}", "account_id": "a", "surface": "direct", "conversation_id": "c",
                           "text": "hi", "sent_at": "2026-11-28T00:00:00Z"}) for i in range(5)]
    out = list(scan_lines(lines, load_policy(DEFAULT_POLICY)))
    assert len(out) == 5 and len(batches) == 2  # after each full batch of 2; the last, partial one ends the scan
    gc.unfreeze()


def test_a_scan_batch_leaves_no_cyclic_garbage_to_freeze(monkeypatch):
    """What a batch drops is freed by reference counting: the batch freezer freezes no garbage (a compiled
    function with nested helpers made a cycle of five objects per event, 2,600 a batch, all frozen)."""
    from workers.commands import scan

    garbage = []
    monkeypatch.setattr(scan.BatchFreezer, "after_batch", lambda self: garbage.append(gc.collect(1)))
    monkeypatch.setattr(scan, "CHUNK", 200)
    dev = [line for line in (DEV_EVENTS).read_bytes().splitlines() if line.strip()][:600]
    out = list(scan_lines(dev, load_policy(DEFAULT_POLICY)))
    assert len(out) == 600 and len(garbage) == 3
    assert garbage == [0, 0, 0]
    gc.unfreeze()
