"""Redis stopped and restarted during a run, with a REAL Redis of the test's own (another port, so the
shared Redis on 6379 that other tests use is never touched), through the real worker process.

pause:   consumption waits while Redis is down (modworker_counters_paused = 1); nothing of the waiting batch
         is decided or committed (a worker killed while paused leaves it to the next one), and after the
         restart every event is decided, not degraded, with working counters (the scripts are reloaded).
degrade: events are decided text-only, marked degraded (modworker_degraded = 1), none is skipped; after
         the restart decisions are whole again.
"""
from __future__ import annotations

import asyncio
import logging
import os
import signal
import subprocess
import time
from collections import defaultdict
from datetime import datetime, timedelta, timezone

import orjson
import pytest
import redis.asyncio as aioredis

from schemas.models import MessageEvent
from tests.support import ROOT, WorkerRun, free_port, produce
from workers.adapters.redis_counters import RedisCounters
from workers.commands.scan import scan_lines
from workers.commands.topic_io import read_topic
from workers.core.engine import Engine
from workers.core.policy import load_policy
from workers.core.memory_store import InMemoryCounters
from workers.core.signals import Observation
from workers.settings import DEFAULT_POLICY

POLICY = load_policy(DEFAULT_POLICY)
STACK = str(ROOT / "ops" / "stack")
START = datetime(2026, 11, 28, 12, 0, tzinfo=timezone.utc)
TEXTS = [
    "招聘宝妈学生党，帮发朋友圈一条10元，日结不拖欠，加我微信 {h}",
    "在家就能做💰 点赞关注一单3元，刷单返利本金+佣金秒返，私聊",
    "兼职转发广告，转发一条赚5元，日结，有意者加V：{h}",
    "新人任务：垫付下单，返双倍佣金，名额有限，加微信 {h}",
    "周末回家吃饭吗？妈妈包了饺子",
    "明天的 meeting 改到下午三点了",
    "今天跑了10公里，感觉不错",
    "楼下面馆招服务员一名，月薪4500，包吃，有意者到店面谈",
]


def _events(tag: str, n: int, offset_s: int) -> list[dict]:
    """n events of n accounts (no counter fires among them: decisions depend on the text alone)."""
    return [{"event_id": f"{tag}-{i:03d}", "account_id": f"{tag}-acct-{i:03d}", "surface": "group",
             "conversation_id": f"g-{i % 7}", "text": TEXTS[i % len(TEXTS)].format(h=f"{tag}_id{i:03d}x"),
             "sent_at": (START + timedelta(seconds=offset_s + i)).isoformat()} for i in range(n)]


def _burst(tag: str, n: int, offset_s: int) -> list[dict]:
    return [{"event_id": f"{tag}-{i:03d}", "account_id": f"{tag}-acct", "surface": "group",
             "conversation_id": "g-burst", "text": f"第{i}条", "sent_at": (START + timedelta(seconds=offset_s + 2 * i)).isoformat()}
            for i in range(n)]


def _expected(events: list[dict]) -> set[str]:
    """Event ids decided other than allow, offline, on an empty counter store (as a restarted Redis is)."""
    out = scan_lines((orjson.dumps(e) for e in events), POLICY)
    return {o["event_id"] for o in map(orjson.loads, out) if o["action"] != "allow"}


def _text_only(events: list[dict]) -> set[str]:
    engine = Engine(POLICY)
    return {e["event_id"] for e in events if engine.decide_text_only(MessageEvent.model_validate(e)).action != "allow"}


def _enforced(run: WorkerRun) -> dict[str, list[dict]]:
    seen: dict[str, list[dict]] = defaultdict(list)
    for line in read_topic(run.enforcement_topic, run.bootstrap, None, 1.0):
        v = orjson.loads(line)["value"]
        seen[v["event_id"]].append(v)
    return seen


def _wait_enforced(run: WorkerRun, ids: set[str], timeout: float = 60) -> dict[str, list[dict]]:
    deadline = time.monotonic() + timeout
    while True:
        seen = _enforced(run)
        if ids <= set(seen):
            return seen
        if time.monotonic() > deadline:
            raise TimeoutError(f"{len(ids - set(seen))} enforcements missing, e.g. {sorted(ids - set(seen))[:5]}")
        time.sleep(0.5)


def _wait_metric(run: WorkerRun, name: str, value: float, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while run.metric(name) != value:
        if time.monotonic() > deadline:
            raise TimeoutError(f"{name} = {run.metric(name)}, expected {value}")
        time.sleep(0.2)


class OwnRedis:
    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.env = dict(os.environ, REDIS_PORT=str(self.port))

    def _stack(self, action: str) -> None:
        subprocess.run([STACK, action, "redis"], env=self.env, check=True, capture_output=True, timeout=60)

    def up(self) -> None:
        self._stack("up")

    def down(self) -> None:
        self._stack("down")


@pytest.fixture
def own_redis(stack):
    r = OwnRedis()
    r.up()
    try:
        yield r
    finally:
        r.down()


def test_pause_waits_for_redis_and_loses_nothing(own_redis):
    a, b, c = _events("pa", 12, 0), _events("pb", 40, 100), _burst("pc", 25, 300)
    with WorkerRun("outage-pause", partitions=2, redis_url=own_redis.url, redis_outage="pause") as run:
        run.start_worker()
        produce(run.input_topic, a)
        _wait_enforced(run, _expected(a))

        own_redis.down()
        produce(run.input_topic, b)
        _wait_metric(run, "modworker_counters_paused", 1)
        assert run.metric("modworker_redis_errors_total") >= 1
        time.sleep(3)
        assert not {e["event_id"] for e in b} & set(_enforced(run)), "decided while paused"

        # a worker killed while paused acked nothing of the waiting batch: the next one gets it again
        first = run.procs[0][0]
        os.kill(first.pid, signal.SIGKILL)
        first.wait()
        run.start_worker()
        _wait_metric(run, "modworker_counters_paused", 1, timeout=60)

        own_redis.up()  # empty: no counts, no scripts (NOSCRIPT)
        produce(run.input_topic, c)
        expected_b, expected_c = _expected(b), _expected(c)
        seen = _wait_enforced(run, expected_b | expected_c, timeout=90)
        _wait_metric(run, "modworker_counters_paused", 0)
        log = run.procs[1][2].read_text()

    assert expected_b and {e["event_id"] for e in b} & set(seen) == expected_b
    assert {e["event_id"] for e in c} & set(seen) == expected_c
    assert any("behavior.burst" in v[0]["labels"] for k, v in seen.items() if k in expected_c)
    assert not [k for k, v in seen.items() if any(x["degraded"] for x in v)]
    assert all(len({x["enforcement_id"] for x in v}) == 1 for v in seen.values())
    assert "counters unavailable" in log and "counters available again" in log


def test_degrade_decides_text_only_marked_degraded_and_recovers(own_redis):
    a, b, c = _events("da", 12, 0), _events("db", 40, 100), _burst("dc", 25, 300)
    with WorkerRun("outage-degrade", partitions=2, redis_url=own_redis.url, redis_outage="degrade") as run:
        run.start_worker()
        produce(run.input_topic, a)
        _wait_enforced(run, _expected(a))

        own_redis.down()
        produce(run.input_topic, b)
        run.wait_consumed(len(a) + len(b))
        seen = _wait_enforced(run, _text_only(b))
        assert run.metric("modworker_degraded") == 1
        assert run.metric("modworker_degraded_decisions_total") == len(b)
        assert run.metric("modworker_decisions_total") == len(a) + len(b)  # every event decided, none skipped

        own_redis.up()
        time.sleep(1.5)  # the next batch after retry_seconds asks Redis again
        produce(run.input_topic, c)
        run.wait_consumed(len(a) + len(b) + len(c))
        expected_c = _expected(c)
        seen = _wait_enforced(run, expected_c)
        _wait_metric(run, "modworker_degraded", 0)
        log = run.procs[0][2].read_text()

    b_ids, c_ids = {e["event_id"] for e in b}, {e["event_id"] for e in c}
    assert {k for k in seen if k in b_ids} == _text_only(b)
    assert all(v[0]["degraded"] for k, v in seen.items() if k in b_ids)
    assert not [k for k, v in seen.items() if k in c_ids and v[0]["degraded"]]
    assert {k for k in seen if k in c_ids} == expected_c and expected_c
    assert any("behavior.burst" in seen[k][0]["labels"] for k in expected_c)
    assert "deciding text-only, marked degraded" in log and "counters available again" in log
    assert "Redis lost the counter scripts" in log  # NOSCRIPT after the restart: loaded again


def test_scripts_lost_by_redis_are_loaded_again(own_redis, caplog):
    async def run() -> tuple[list, list]:
        client = aioredis.Redis.from_url(own_redis.url)
        store = RedisCounters(client, POLICY, "mwtest:noscript:")
        batch = [Observation("a", "group", "g", START.timestamp() + i, f"e{i}", bands=("b",)) for i in range(5)]
        first = await store.observe(batch[:3])
        await client.script_flush()
        second = await store.observe(batch[3:])
        await client.aclose()
        return first + second, InMemoryCounters(POLICY).observe_sync(batch)

    with caplog.at_level(logging.WARNING, logger="modworker.counters"):
        got, expected = asyncio.run(run())
    assert got == expected
    assert "loading them again" in caplog.text
