"""Event ids seen, in Redis: `SET key origin NX GET EX ttl` per event, one pipelined round trip per batch.

With buckets = N (MODWORKER_REDIS_TAG_BUCKETS, default 64) the keys are `{prefix}{seen:B}evt:ID:seen`, B =
CRC-32 of the id mod N: the batch's keys of one tag go in ONE call of a Lua script (`lua/seen.lua`), so a batch
of 500 events costs at most N script calls instead of 500 commands (about 34 µs of the worker's CPU per event
before, see README "Performance"). With buckets = 0 every key is `{prefix}{evt:ID}:seen`, its own hash tag, one
SET each: the layout before session 4 (changing the setting changes key names: ids seen before the change are
not recognised as duplicates after it). Either way every call stays within one Redis Cluster slot.

Keys expire after `ttl_seconds`: a duplicate id is caught when it arrives within that horizon of the first.
Each key costs about 100 bytes of Redis memory, so the horizon times the event rate bounds the memory it takes
(1 h at 1,000 events/s: 3.6 M keys, about 360 MB). Needs Redis >= 7.0 (SET with both NX and GET).
"""
from __future__ import annotations

from typing import Sequence

import redis.asyncio as redis
from redis.exceptions import RedisError

from workers.adapters.lua_scripts import DEFAULT_BUCKETS, LuaScripts, bucket_tag, check_prefix
from workers.errors import CountersUnavailable


class RedisSeen:
    def __init__(self, client: redis.Redis, prefix: str, ttl_seconds: int, buckets: int = DEFAULT_BUCKETS):
        self._r = client
        self._prefix = check_prefix(prefix)
        self._ttl = ttl_seconds
        self._buckets = buckets
        self._scripts = LuaScripts(client, {"seen": "seen.lua"}, "seen-id")

    def key(self, event_id: str) -> str:
        if not self._buckets:
            return f"{self._prefix}{{evt:{event_id}}}:seen"
        return self._bucketed(bucket_tag("seen", event_id, self._buckets), event_id)

    def _bucketed(self, tag: str, event_id: str) -> str:
        return f"{self._prefix}{{{tag}}}evt:{event_id}:seen"

    async def first_seen(self, items: Sequence[tuple[str, str]]) -> list[str | None]:
        """Per (event id, record that uses it), in order: None when the id is new or was first used by this
        same record (a record decided again after a restart), else the record that used it first."""
        if not items:
            return []
        try:
            previous = await (self._by_tag(items) if self._buckets else self._one_each(items))
        except (RedisError, OSError) as exc:
            raise CountersUnavailable(f"{type(exc).__name__}: {exc}") from exc
        out: list[str | None] = []
        for (_, where), first in zip(items, previous):
            first = first.decode() if isinstance(first, bytes) else first
            out.append(None if first is None or first == where else first)
        return out

    async def _one_each(self, items: Sequence[tuple[str, str]]) -> list:
        pipe = self._r.pipeline(transaction=False)
        for event_id, where in items:
            pipe.set(self.key(event_id), where, nx=True, get=True, ex=self._ttl)
        return await pipe.execute()

    async def _by_tag(self, items: Sequence[tuple[str, str]]) -> list:
        calls: dict[str, tuple[list, list, list]] = {}  # tag -> (keys, argv, positions in the batch)
        for n, (event_id, where) in enumerate(items):
            tag = bucket_tag("seen", event_id, self._buckets)
            call = calls.get(tag)
            if call is None:
                call = calls[tag] = ([], [self._ttl], [])
            call[0].append(self._bucketed(tag, event_id))
            call[1].append(where)
            call[2].append(n)
        results = await self._scripts.run([("seen", keys, argv) for keys, argv, _ in calls.values()])
        previous: list = [None] * len(items)
        for (_, _, positions), answers in zip(calls.values(), results):
            for n, answer in zip(positions, answers):
                previous[n] = answer
        return previous
