"""Counters in Redis (redis.asyncio): one pipelined round trip per batch, never one per event.

Keys carry a hash tag on the account ({acct:...}) so a Redis Cluster keeps an account's keys together,
a prefix per deployment / replay run, and a TTL. Semantics match workers.core.signals.InMemoryCounters.
"""
from __future__ import annotations

from typing import Sequence

import redis.asyncio as redis
from redis.exceptions import RedisError

from workers.core.policy import Policy
from workers.core.signals import CounterReading, Observation, burst_bucket
from workers.errors import CountersUnavailable


class RedisCounters:
    def __init__(self, client: redis.Redis, policy: Policy, prefix: str = "mw:"):
        self._r = client
        self._prefix = prefix
        self._window = policy.burst.window_seconds
        # keep a window's count long enough for late events, and no longer
        self._ttl = policy.burst.window_seconds + policy.lateness_seconds + 60

    @classmethod
    def from_url(cls, url: str, policy: Policy, prefix: str = "mw:") -> "RedisCounters":
        client = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)
        return cls(client, policy, prefix)

    def _key(self, obs: Observation, start: int) -> str:
        return f"{self._prefix}{{acct:{obs.account_id}}}:burst:{self._window}:{start}"

    async def observe(self, batch: Sequence[Observation]) -> list[CounterReading]:
        if not batch:
            return []
        starts = [burst_bucket(o.event_time, self._window) for o in batch]
        pipe = self._r.pipeline(transaction=False)
        for obs, start in zip(batch, starts):
            key = self._key(obs, start)
            pipe.incr(key)
            pipe.expire(key, self._ttl)
        try:
            results = await pipe.execute()
        except (RedisError, OSError) as exc:
            raise CountersUnavailable(f"{type(exc).__name__}: {exc}") from exc
        return [CounterReading(int(results[2 * i]), start) for i, start in enumerate(starts)]

    async def ping(self) -> bool:
        return bool(await self._r.ping())

    async def close(self) -> None:
        await self._r.aclose()
