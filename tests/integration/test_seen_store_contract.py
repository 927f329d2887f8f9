"""ONE contract for both seen-id stores: in memory (workers.core.dedup) and Redis
(workers.adapters.redis_seen, the real Redis of the stack, a unique key prefix per test)."""
from __future__ import annotations

import asyncio
import uuid

import pytest
import redis.asyncio as aioredis

from tests.support import REDIS_URL
from workers.adapters.redis_seen import RedisSeen
from workers.core.dedup import InMemorySeen


def _stores(ttl: int = 60):
    prefix = f"mwtest:seen:{uuid.uuid4().hex[:10]}:"
    client = aioredis.Redis.from_url(REDIS_URL)
    return {"memory": InMemorySeen(), "redis": RedisSeen(client, prefix, ttl)}, client, prefix


@pytest.mark.parametrize("kind", ["memory", "redis"])
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


def test_redis_keys_are_hash_tagged_prefixed_and_expire(stack):
    stores, client, prefix = _stores(ttl=30)
    runner = asyncio.Runner()
    try:
        runner.run(stores["redis"].first_seen([("evt-42", "t:0:1")]))
        key = f"{prefix}{{evt:evt-42}}:seen"
        assert runner.run(client.get(key)) == b"t:0:1"
        assert 0 < runner.run(client.ttl(key)) <= 30
        runner.run(client.delete(key))
    finally:
        runner.run(client.aclose())
        runner.close()
