"""The engine's long-lived tables are frozen out of the garbage collector once built (workers/gc_tuning.py)."""
from __future__ import annotations

import gc

import orjson

from workers.commands.scan import scan_lines
from workers.core.policy import load_policy
from workers.gc_tuning import freeze_static_heap
from workers.settings import DEFAULT_POLICY


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
