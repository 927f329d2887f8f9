"""Replay a recorded topic through the real worker and compare what it enforced with a golden file.

To refresh the golden after an intended change of detectors or policy, run with MODWORKER_UPDATE_GOLDEN=1
and review the diff of tests/data/replay/*.golden.jsonl before committing it.
"""
from __future__ import annotations

import os
from pathlib import Path

import orjson

from tests.support import BOOTSTRAP, WorkerRun
from workers.commands.topic_io import run_replay

DATA = Path(__file__).resolve().parents[1] / "data" / "replay"
RECORDED = DATA / "messages.recorded.jsonl"
GOLDEN_ENF = DATA / "enforcements.golden.jsonl"
GOLDEN_DLQ = DATA / "deadletters.golden.jsonl"


def _enforcement_view(rec: dict) -> dict:
    value = dict(rec["value"])
    value.pop("decided_at")  # wall-clock time of the decision: the only field allowed to differ
    return {"key": rec["key"], "value": value}


def _deadletter_view(rec: dict) -> dict:
    v = rec["value"]
    return {"error_class": v["error_class"], "error": v["error"], "value_b64": v["value_b64"]}


def _lines(rows: list[dict]) -> str:
    return "".join(orjson.dumps(r, option=orjson.OPT_SORT_KEYS).decode() + "\n" for r in rows)


def test_replayed_recorded_topic_matches_golden(stack):
    n_records = sum(1 for line in RECORDED.read_bytes().splitlines() if line.strip())
    with WorkerRun("replay", partitions=2) as run:
        run_replay(str(RECORDED), run.input_topic, BOOTSTRAP, quiet=True)
        run.start_worker()
        run.wait_consumed(n_records, timeout=60)
        enforcements = sorted((_enforcement_view(r) for r in run.read(run.enforcement_topic)),
                              key=lambda r: r["value"]["event_id"])
        deadletters = sorted((_deadletter_view(r) for r in run.read(run.deadletter_topic)),
                             key=lambda r: r["value_b64"])
    if os.environ.get("MODWORKER_UPDATE_GOLDEN") == "1":
        GOLDEN_ENF.write_text(_lines(enforcements), encoding="utf-8")
        GOLDEN_DLQ.write_text(_lines(deadletters), encoding="utf-8")
    assert _lines(enforcements) == GOLDEN_ENF.read_text(encoding="utf-8")
    assert _lines(deadletters) == GOLDEN_DLQ.read_text(encoding="utf-8")
