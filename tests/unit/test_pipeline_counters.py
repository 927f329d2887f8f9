"""BatchProcessor and the counter store: readings into decisions, and the two answers to an outage.

(The same with a real Redis stopped and restarted under a real worker: tests/integration/test_redis_outage.py.)
"""
from __future__ import annotations

import asyncio
import logging

import orjson
from prometheus_client import CollectorRegistry

from workers.core.engine import Engine
from workers.core.policy import load_policy
from workers.core.memory_store import InMemoryCounters
from workers.errors import CountersUnavailable
from workers.metrics import Metrics
from workers.pipeline import BatchProcessor, RawRecord
from workers.settings import DEFAULT_POLICY

POLICY = load_policy(DEFAULT_POLICY)


class FlakyStore:
    """The in-memory store behind a switch: while `down`, every call fails like an unreachable Redis."""

    def __init__(self) -> None:
        self.inner = InMemoryCounters(POLICY)
        self.down = False
        self.calls = 0

    async def observe(self, batch):
        self.calls += 1
        if self.down:
            raise CountersUnavailable("ConnectionError: connection refused")
        return await self.inner.observe(batch)


def _records(n: int, start: int = 0, account: str = "burst") -> list[RawRecord]:
    return [RawRecord(orjson.dumps({"event_id": f"e{start + i}", "account_id": account, "surface": "group",
                                    "conversation_id": "g", "text": f"第{i}条",
                                    "sent_at": f"2026-11-28T10:00:{(start + i) % 60:02d}Z"}), "t", 0, start + i)
            for i in range(n)]


def _processor(store, outage: str) -> tuple[BatchProcessor, list[dict], Metrics]:
    published: list[dict] = []

    async def publish(key: bytes, value: bytes, partition: int) -> None:
        published.append(orjson.loads(value))

    metrics = Metrics(CollectorRegistry())
    return BatchProcessor(Engine(POLICY), store, publish, publish, metrics, redis_outage=outage,
                          retry_seconds=0.05), published, metrics


def _value(metrics: Metrics, name: str) -> float:
    return metrics.registry.get_sample_value(name) or 0.0


def test_counter_findings_reach_the_decision():
    proc, published, _ = _processor(InMemoryCounters(POLICY), "pause")
    asyncio.run(proc.process(_records(POLICY.burst.limit + 2)))
    assert [p["event_id"] for p in published] == [f"e{POLICY.burst.limit}", f"e{POLICY.burst.limit + 1}"]
    assert all("behavior.burst" in p["labels"] and not p["degraded"] for p in published)


def test_pause_waits_until_the_store_answers_and_decides_everything_whole(caplog):
    store = FlakyStore()
    proc, published, metrics = _processor(store, "pause")

    async def scenario():
        store.down = True
        task = asyncio.create_task(proc.process(_records(POLICY.burst.limit + 2)))
        await asyncio.sleep(0.5)
        assert not task.done() and published == []  # held: nothing decided while Redis is down
        assert _value(metrics, "modworker_counters_paused") == 1
        store.down = False
        return await task

    with caplog.at_level(logging.WARNING, logger="modworker.pipeline"):
        result = asyncio.run(scenario())
    assert result.decided == POLICY.burst.limit + 2 and store.calls >= 3
    assert len(published) == 2 and not any(p["degraded"] for p in published)
    assert _value(metrics, "modworker_counters_paused") == 0
    assert _value(metrics, "modworker_redis_errors_total") == store.calls - 1
    assert "pausing consumption" in caplog.text and "counters available again" in caplog.text
    assert caplog.text.count("counters unavailable") == 1  # one line when it starts, not one per retry


def test_degrade_decides_text_only_marked_degraded_then_probes_again():
    store = FlakyStore()
    proc, published, metrics = _processor(store, "degrade")

    async def scenario():
        store.down = True
        first = await proc.process(_records(30))  # a burst, but no counters: only text (nothing) decides
        again = await proc.process(_records(5, start=30))  # within retry_seconds: Redis is not even asked
        calls_while_down = store.calls
        store.down = False
        await asyncio.sleep(0.1)
        back = await proc.process(_records(3, start=35, account="other"))
        return first, again, calls_while_down, back

    first, again, calls_while_down, back = asyncio.run(scenario())
    assert (first.decided, again.decided, back.decided) == (30, 5, 3)  # nothing skipped
    assert calls_while_down == 1
    assert published == []  # text-only: these chat lines are allowed
    assert _value(metrics, "modworker_degraded_decisions_total") == 35
    assert _value(metrics, "modworker_degraded") == 0  # back after the probe


def test_degraded_decisions_are_marked():
    store = FlakyStore()
    proc, published, _ = _processor(store, "degrade")
    store.down = True
    spam = RawRecord(orjson.dumps({"event_id": "s1", "account_id": "a", "surface": "moments", "text":
                                   "招聘宝妈学生党，帮发朋友圈一条10元，日结，加我微信 xiaomei_8899",
                                   "sent_at": "2026-11-28T10:00:00Z"}), "t", 0, 0)
    asyncio.run(proc.process([spam]))
    assert [p["degraded"] for p in published] == [True]
