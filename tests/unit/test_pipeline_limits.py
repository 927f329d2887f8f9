"""Input size limit before parsing, and the full text carried only when asked for."""
from __future__ import annotations

import asyncio

import orjson
from prometheus_client import CollectorRegistry

from workers.core.engine import Engine
from workers.core.policy import load_policy
from workers.core.memory_store import InMemoryCounters
from workers.metrics import Metrics
from workers.pipeline import BatchProcessor, RawRecord
from workers.settings import DEFAULT_POLICY

POLICY = load_policy(DEFAULT_POLICY)
SCAM = "帮发朋友圈广告，一条10元，日结，加微信 limit_test88"


def _run(records, **kw):
    enforced, dead = [], []

    async def to(sink, key, value):
        sink.append(orjson.loads(value))

    proc = BatchProcessor(Engine(POLICY), InMemoryCounters(POLICY), lambda k, v, p: to(enforced, k, v),
                          lambda k, v, p: to(dead, k, v), Metrics(CollectorRegistry()), **kw)
    result = asyncio.run(proc.process(records))
    return result, enforced, dead


def _record(text: str, offset: int = 0) -> RawRecord:
    value = orjson.dumps({"event_id": f"lim-{offset}", "account_id": "a", "surface": "group",
                          "conversation_id": "g", "text": text, "sent_at": "2026-11-28T10:00:00Z"})
    return RawRecord(value, "in", 0, offset)


def test_records_over_the_size_limit_are_dead_lettered_before_parsing():
    result, enforced, dead = _run([_record(SCAM + "x" * 2000, 0), _record(SCAM, 1)], max_record_bytes=1024)
    assert (result.decided, result.deadlettered) == (1, 1)
    assert dead[0]["error_class"] == "TooLarge" and dead[0]["offset"] == 0
    assert [e["event_id"] for e in enforced] == ["lim-1"]


def test_text_travels_only_when_include_text_is_set():
    _, hashed_only, _ = _run([_record(SCAM)])
    _, with_text, _ = _run([_record(SCAM)], include_text=True)
    assert hashed_only[0]["text"] is None and len(hashed_only[0]["text_sha256"]) == 64
    assert with_text[0]["text"] == SCAM
