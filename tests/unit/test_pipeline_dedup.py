"""Duplicate event ids through BatchProcessor: another record reusing an id is dead-lettered as
DuplicateEvent; the same record delivered again (crash, rebalance) is decided again, with the same id.

(The Redis store against the same contract: tests/integration/test_seen_store_contract.py; on the real
broker: tests/integration/test_bad_input.py.)
"""
from __future__ import annotations

import asyncio
import base64

import orjson
from prometheus_client import CollectorRegistry

from workers.core.dedup import InMemorySeen
from workers.core.engine import Engine
from workers.core.policy import load_policy
from workers.errors import CountersUnavailable
from workers.metrics import Metrics
from workers.pipeline import BatchProcessor, RawRecord
from workers.settings import DEFAULT_POLICY

POLICY = load_policy(DEFAULT_POLICY)
SCAM = "刷单返利，一单一结，垫付返双倍，加微信 dedup_test88"


def _record(event_id: str, offset: int, text: str = SCAM, partition: int = 0) -> RawRecord:
    value = orjson.dumps({"event_id": event_id, "account_id": f"a-{offset}", "surface": "group",
                          "conversation_id": "g", "text": text, "sent_at": "2026-11-28T10:00:00Z"})
    return RawRecord(value, "messages", partition, offset)


class Run:
    def __init__(self, seen) -> None:
        self.enforced: list[dict] = []
        self.dead: list[dict] = []
        self.metrics = Metrics(CollectorRegistry())

        async def enforce(key: bytes, value: bytes, partition: int) -> None:
            self.enforced.append(orjson.loads(value))

        async def deadletter(key: bytes, value: bytes, partition: int) -> None:
            self.dead.append(orjson.loads(value))

        self.proc = BatchProcessor(Engine(POLICY), None, enforce, deadletter, self.metrics, seen=seen,
                                   retry_seconds=0.01, redis_outage="degrade")

    def process(self, records):
        return asyncio.run(self.proc.process(records))


def test_a_second_record_with_the_same_id_is_dead_lettered_in_the_same_batch():
    run = Run(InMemorySeen())
    result = run.process([_record("e1", 0), _record("e2", 1), _record("e1", 2, text="晚安")])
    assert (result.decided, result.deadlettered) == (2, 1)
    assert [e["event_id"] for e in run.enforced] == ["e1", "e2"]
    (dead,) = run.dead
    assert dead["error_class"] == "DuplicateEvent" and dead["offset"] == 2
    assert orjson.loads(base64.b64decode(dead["value_b64"]))["text"] == "晚安"
    assert "messages:0:0" in dead["error"]  # names the record that used the id first
    assert run.metrics.registry.get_sample_value(
        "modworker_deadletters_total", {"error_class": "DuplicateEvent"}) == 1


def test_across_batches_and_partitions_too():
    run = Run(InMemorySeen())
    run.process([_record("e1", 0)])
    result = run.process([_record("e1", 7, partition=3)])
    assert (result.decided, result.deadlettered) == (0, 1)
    assert run.dead[0]["partition"] == 3


def test_the_same_record_redelivered_is_decided_again_with_the_same_enforcement_id():
    run = Run(InMemorySeen())
    run.process([_record("e1", 0), _record("e2", 1)])
    result = run.process([_record("e1", 0), _record("e2", 1)])  # after a crash: same offsets again
    assert (result.decided, result.deadlettered) == (2, 0)
    ids = [e["enforcement_id"] for e in run.enforced]
    assert len(ids) == 4 and len(set(ids)) == 2


def test_without_a_seen_store_ids_are_not_checked():
    run = Run(None)
    result = run.process([_record("e1", 0), _record("e1", 1)])
    assert (result.decided, result.deadlettered) == (2, 0)


class DownSeen:
    async def first_seen(self, items):
        raise CountersUnavailable("ConnectionError: connection refused")


def test_degrade_decides_without_the_check_when_redis_is_down():
    run = Run(DownSeen())
    result = run.process([_record("e1", 0), _record("e1", 1)])
    assert (result.decided, result.deadlettered) == (2, 0)
    assert run.metrics.registry.get_sample_value("modworker_redis_errors_total") == 1
