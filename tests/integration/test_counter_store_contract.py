"""ONE contract for both counter stores: the in-memory store (workers.core.signals) and Redis
(workers.adapters.redis_counters, the real Redis of the stack, a unique key prefix per test).

Every test of the contract runs against both and states the expected readings explicitly, so the two are
held to the same semantics, not only to each other; a randomized sequence then demands identical readings.
"""
from __future__ import annotations

import asyncio
import random
import uuid
from dataclasses import replace

import pytest
import redis.asyncio as aioredis
from redis.asyncio.connection import AbstractConnection

from tests.support import REDIS_URL
from workers.adapters.redis_counters import RedisCounters
from workers.core.fingerprint import NONE16
from workers.core.policy import load_policy
from workers.core.memory_store import InMemoryCounters
from workers.core.signals import Observation
from workers.settings import DEFAULT_POLICY

POLICY = load_policy(DEFAULT_POLICY)
T0 = 1_795_860_000.0  # 2026-11-28T08:00:00Z


class Store:
    """A counter store driven synchronously (its own event loop), with the key prefix it writes under."""

    def __init__(self, kind: str, policy=POLICY):
        self.kind = kind
        self.runner = asyncio.Runner()
        self.prefix = f"mwtest:contract:{uuid.uuid4().hex[:10]}:"
        if kind.startswith("redis"):
            # "redis": keys bucketed into hash tags (the default setting); "redis-per-key": {acct:ID} etc.
            self.client = aioredis.Redis.from_url(REDIS_URL)
            self.impl = RedisCounters(self.client, policy, self.prefix, buckets=0 if kind == "redis-per-key" else 64)
        else:
            self.impl = InMemoryCounters(policy)

    def observe(self, batch: list[Observation], size: int | None = None) -> list:
        size = size or max(1, len(batch))
        out = []
        for i in range(0, len(batch), size):
            out += self.runner.run(self.impl.observe(batch[i:i + size]))
        return out

    def keys(self) -> list[str]:
        async def scan():
            return sorted([k.decode() async for k in self.client.scan_iter(match=self.prefix + "*", count=1000)])
        return self.runner.run(scan())

    def close(self) -> None:
        if self.kind.startswith("redis"):
            async def cleanup():
                keys = [k async for k in self.client.scan_iter(match=self.prefix + "*", count=1000)]
                if keys:
                    await self.client.delete(*keys)
                await self.client.aclose()
            self.runner.run(cleanup())
        self.runner.close()


@pytest.fixture(params=["memory", "redis", "redis-per-key"])
def make_store(request):
    if request.param.startswith("redis"):
        request.getfixturevalue("stack")
    made: list[Store] = []

    def make(policy=POLICY) -> Store:
        made.append(Store(request.param, policy))
        return made[-1]

    yield make
    for s in made:
        s.close()


def at(seconds: float, eid: str, account: str = "a", surface: str = "group", conv: str | None = "g1",
       **over) -> Observation:
    return Observation(account, surface, conv, T0 + seconds, eid, **over)


# --- per account ---

def test_messages_slide_by_event_time(make_store):
    store = make_store()
    got = store.observe([at(s, f"e{s}") for s in (0, 30, 59, 60, 61, 119, 121, 3659, 3661)])
    assert [r.messages for r in got] == [1, 2, 3, 3, 4, 3, 2, 1, 2]
    assert [r.messages_hourly for r in got] == [1, 2, 3, 4, 5, 6, 7, 5, 4]  # (t - 3600 s, t]


def test_batching_does_not_change_readings(make_store):
    seq = [at(i * 1.5, f"e{i}", account=f"a{i % 3}", conv=f"g{i % 4}", content="c" * 16, bands=("b1",),
              handles=("wechat:abc",)) for i in range(40)]
    one, two = make_store(), make_store()
    assert one.observe(seq) == two.observe(seq, size=1)


def test_late_events_within_lateness_count_in_their_window(make_store):
    store = make_store()
    store.observe([at(s, f"e{s}") for s in (0, 10, 20, 100)])
    late = store.observe([at(15, "late")])[0]
    assert (late.messages, late.messages_hourly) == (3, 3)  # 0, 10 and itself: never what came after t
    assert store.observe([at(40, "after")])[0].messages == 5  # 0, 10, 15 (late), 20 and itself


def test_events_later_than_the_lateness_are_not_counted_once_their_window_is_gone(make_store):
    store = make_store()
    c = POLICY.counters
    w = c.campaign.window_seconds
    store.observe([at(1000, "x1", account="x", bands=("b",)), at(1000, "y1", account="y", bands=("b",))])
    # 1000 s late (> lateness): x and y are represented by their later time, so only itself
    assert store.observe([at(0, "z0", account="z", bands=("b",))])[0].campaign.accounts == 1
    # z's time 0 is now older than 1000 - window - lateness: dropped, not counted for later events
    assert 0 < 1000 - w - c.lateness_seconds
    assert store.observe([at(1000, "w1", account="w", bands=("b",))])[0].campaign.accounts == 3


def test_observing_the_same_events_again_counts_them_once(make_store):
    store = make_store()
    seq = [at(i, f"e{i}", bands=("b",), handles=("qq:12345",)) for i in range(5)]
    first = store.observe(seq)
    again = store.observe(seq)
    assert [r.messages for r in first] == [r.messages for r in again] == [1, 2, 3, 4, 5]
    assert [r.campaign.accounts for r in again] == [1] * 5


def test_distinct_groups_direct_conversations_and_repeats(make_store):
    store = make_store()
    seq = [at(i * 10, f"g{i}", conv=f"group{i % 4}") for i in range(8)]  # 4 groups
    seq += [at(100 + i, f"d{i}", surface="direct", conv=f"dm{i}") for i in range(3)]
    seq += [at(200 + i, f"r{i}", surface="moments", conv=None, content="f" * 16) for i in range(3)]
    seq += [at(700, "g-late-window", conv="group9")]  # 600 s window: only group9 and the groups after 100 s
    got = store.observe(seq)
    assert [r.groups for r in got[:8]] == [1, 2, 3, 4, 4, 4, 4, 4]
    assert [r.recipients for r in got[8:11]] == [1, 2, 3]
    assert [r.groups for r in got[8:11]] == [0, 0, 0]  # group counts are read on group events only
    assert [r.repeats for r in got[11:14]] == [1, 2, 3]
    assert got[14].groups == 1  # everything before 100 s is out of (700 - 600, 700]
    assert got[0].repeats == 0  # no content digest (text too short): no repeat count


def test_caps_on_kept_and_scanned_events(make_store):
    small = replace(POLICY, counters=replace(POLICY.counters, max_events_per_account=5, scan_limit=3))
    store = make_store(small)
    got = store.observe([at(i, f"e{i}", conv=f"g{i}", content="a" * 16) for i in range(8)])
    assert [r.messages for r in got] == [1, 2, 3, 4, 5, 5, 5, 5]  # the 5 newest are kept
    assert [r.groups for r in got] == [1, 2, 3, 3, 3, 3, 3, 3]  # the 3 newest are scanned
    assert [r.repeats for r in got] == [1, 2, 3, 3, 3, 3, 3, 3]


# --- across accounts ---

def test_distinct_accounts_per_campaign_band_and_handle(make_store):
    store = make_store()
    seq = [at(i * 20, f"c{i}", account=f"acct{i % 5}", bands=("b1", "b2") if i % 2 else ("b1",),
              handles=("wechat:promo_1",)) for i in range(10)]
    got = store.observe(seq)
    assert [r.campaign.accounts for r in got] == [1, 2, 3, 4, 5, 5, 5, 5, 5, 5]
    assert [r.campaign.key for r in got] == ["camp:b1"] * 10  # the band with the most accounts names it
    assert [r.handle.accounts for r in got] == [1, 2, 3, 4, 5, 5, 5, 5, 5, 5]
    assert got[0].handle.key == "handle:wechat:promo_1"


def test_an_out_of_order_event_counts_its_own_account(make_store):
    store = make_store()
    store.observe([at(300, "a2", account="a", bands=("b",)), at(290, "b1", account="b", bands=("b",))])
    r = store.observe([at(100, "a1", account="a", bands=("b",))])[0]
    assert r.campaign.accounts == 1  # a posts at 100 (itself); a and b are latest at 300 and 290 (after t)


def test_random_sequences_give_identical_readings_in_both_stores(stack):
    rnd = random.Random(42)
    seq = []
    for i in range(4000):
        surface = rnd.choice(["group", "group", "direct", "moments"])
        seq.append(at(i * 0.7 + rnd.choice([0, 0, 0, 0, -5, -120, -290, -400, -4000]), f"e{i % 3700}",
                      account=f"a{rnd.randrange(25)}", surface=surface,
                      conv=None if surface == "moments" else f"c{rnd.randrange(30)}",
                      content=rnd.choice([NONE16, "a" * 16, "b" * 16]),
                      bands=tuple(rnd.sample(["b1", "b2", "b3", "b4", "b5", "b6"], rnd.randrange(4))),
                      handles=tuple(rnd.sample(["wechat:a_1", "qq:12345", "phone:+8613800000000"],
                                               rnd.randrange(3)))))
    small = replace(POLICY, counters=replace(POLICY.counters, max_events_per_account=150, scan_limit=40))
    for policy, kind in ((POLICY, "redis"), (POLICY, "redis-per-key"), (small, "redis")):
        memory, red = Store("memory", policy), Store(kind, policy)
        try:
            sizes = [rnd.choice([1, 7, 100, 500]) for _ in range(len(seq))]
            a, b, i = [], [], 0
            while i < len(seq):
                a += memory.observe(seq[i:i + sizes[i]])
                b += red.observe(seq[i:i + sizes[i]])
                i += sizes[i]
            assert a == b
        finally:
            memory.close()
            red.close()


# --- Redis specifics: keys, TTLs, hash tags, one round trip ---

@pytest.mark.parametrize("kind", ["redis", "redis-per-key"])
def test_redis_keys_have_the_prefix_one_hash_tag_and_a_ttl(stack, kind):
    store = Store(kind)
    try:
        store.observe([at(0, "e1", account="acct{1}", bands=("b1",), handles=("wechat:promo_1",)),
                       at(1, "e2", account="acct-2")])
        keys = store.keys()
        names = {k[len(store.prefix):] for k in keys}
        if kind == "redis-per-key":
            assert names >= {"{acct:acct-2}:ev", "{camp:b1}", "{handle:wechat:promo_1}"}
        else:  # {kind:bucket} then the key's name
            assert {n[n.index("}") + 1:] for n in names} >= {"acct:acct-2:ev", "camp:b1", "handle:wechat:promo_1"}
        assert len(keys) == 4
        for k in keys:
            assert k.startswith(store.prefix)
            tag = k[k.index("{") + 1:k.index("}")]
            assert tag.split(":")[0] in ("acct", "camp", "handle")

            async def ttl(key=k):
                return await store.client.pttl(key)
            assert 0 < store.runner.run(ttl()) <= (3600 + 300 + POLICY.counters.key_grace_seconds) * 1000
    finally:
        store.close()


def test_one_script_call_covers_the_keys_of_one_hash_tag(stack):
    """Every call's keys share one hash tag (Redis Cluster: one slot); bucketing makes far fewer calls."""
    calls = {}
    batch = [at(i, f"e{i}", account=f"a{i}", bands=(f"b{i}",)) for i in range(300)]
    for kind in ("redis", "redis-per-key"):
        store = Store(kind)
        try:
            made = []
            original = store.impl._scripts.run

            async def spy(c, original=original, made=made):
                made.extend(c)
                return await original(c)
            store.impl._scripts.run = spy
            store.observe(batch)
            for _, keys, _ in made:
                assert len({k[k.index("{"):k.index("}") + 1] for k in keys}) == 1
            calls[kind] = len(made)
        finally:
            store.close()
    assert calls["redis-per-key"] == 600 and calls["redis"] <= 128


def test_one_batch_is_one_round_trip(stack, monkeypatch):
    store = Store("redis")
    try:
        batch = [at(i, f"e{i}", account=f"a{i % 50}", bands=(f"b{i % 7}",), handles=("qq:12345",))
                 for i in range(500)]
        store.observe(batch[:10])  # the first batch loads the scripts (NOSCRIPT) once
        sends = []
        original = AbstractConnection.send_packed_command

        async def counting(self, command, check_health=True):
            sends.append(1)
            return await original(self, command, check_health)

        monkeypatch.setattr(AbstractConnection, "send_packed_command", counting)
        store.observe(batch)
        assert len(sends) == 1
    finally:
        store.close()
