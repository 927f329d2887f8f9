"""ONE contract for both seen-id stores: in memory (workers.core.dedup) and Redis
(workers.adapters.redis_seen, the real Redis of the stack, a unique key prefix per test), the latter with keys
bucketed into hash tags (one Lua call per tag, the default) and with one tag and one SET per key."""
from __future__ import annotations

import asyncio
import uuid
import zlib

import pytest
import redis.asyncio as aioredis

from tests.support import REDIS_URL
from workers.adapters.redis_seen import RedisSeen
from workers.core.dedup import InMemorySeen


def _stores(ttl: int = 60):
    prefix = f"mwtest:seen:{uuid.uuid4().hex[:10]}:"
    client = aioredis.Redis.from_url(REDIS_URL)
    stores = {"memory": InMemorySeen(), "redis": RedisSeen(client, prefix, ttl),
              "redis-unbucketed": RedisSeen(client, prefix + "u:", ttl, buckets=0),
              "redis-one-bucket": RedisSeen(client, prefix + "1:", ttl, buckets=1)}
    return stores, client, prefix


@pytest.mark.parametrize("kind", ["memory", "redis", "redis-unbucketed", "redis-one-bucket"])
def test_first_use_new_same_record_again_new_other_record_duplicate(stack, kind):
    stores, client, prefix = _stores()
    store = stores[kind]
    runner = asyncio.Runner()
    try:
        first = runner.run(store.first_seen([("a", "t:0:1"), ("b", "t:0:2"), ("a", "t:1:9")]))
        assert first == [None, None, "t:0:1"]  # a repeat inside one batch is answered in batch order
        again = runner.run(store.first_seen([("a", "t:0:1"), ("b", "t:2:5"), ("c", "t:0:3")]))
        assert again == [None, "t:0:2", None]
        assert runner.run(store.first_seen([])) == []
    finally:
        runner.run(client.aclose())
        runner.close()


@pytest.mark.parametrize("kind, key", [
    ("redis", "{seen:%x}evt:evt-42:seen" % (zlib.crc32(b"evt-42") % 64)),
    ("redis-unbucketed", "u:{evt:evt-42}:seen"),
])
def test_redis_keys_are_hash_tagged_prefixed_and_expire(stack, kind, key):
    stores, client, prefix = _stores(ttl=30)
    runner = asyncio.Runner()
    try:
        runner.run(stores[kind].first_seen([("evt-42", "t:0:1")]))
        assert runner.run(client.get(prefix + key)) == b"t:0:1"
        assert 0 < runner.run(client.ttl(prefix + key)) <= 30
        runner.run(client.delete(prefix + key))
    finally:
        runner.run(client.aclose())
        runner.close()


def test_a_big_batch_over_many_tags_answers_in_batch_order_and_survives_a_script_flush(stack):
    stores, client, prefix = _stores()
    redis_store, memory = stores["redis"], stores["memory"]
    batch = [(f"id-{i % 700}", f"t:0:{i}") for i in range(1000)]  # 300 ids used twice, spread over 64 tags
    runner = asyncio.Runner()
    try:
        got = runner.run(redis_store.first_seen(batch))
        assert got == runner.run(memory.first_seen(batch))
        assert sum(x is not None for x in got) == 300
        runner.run(client.script_flush())  # Redis lost the script: loaded again, the batch still answered
        again = [(f"id-{i}", "t:1:0") for i in range(5)] + [("fresh", "t:1:1")]
        assert runner.run(redis_store.first_seen(again)) == ["t:0:0", "t:0:1", "t:0:2", "t:0:3", "t:0:4", None]
    finally:
        runner.run(client.aclose())
        runner.close()
