"""Counters in Redis (redis.asyncio): ONE pipelined round trip per batch, never one per event.

The batch is planned by workers.core.signals.plan (operations grouped by key, in batch order) and sent as
EVALSHA calls of two atomic Lua scripts (workers/adapters/lua/*.lua): keys in KEYS, values in ARGV (each
key's events as one string of fixed-width records). All keys of one call share one hash tag, so every call
stays within one slot of a Redis Cluster; per-account and per-campaign keys never share a call. With
buckets=0 every key is its own tag ({acct:ID}:ev, {camp:BAND}, {handle:VALUE}) and gets its own call; with
buckets=N the keys of each kind hash into N tags ({acct:2f}acct:ID:ev), one call per tag and batch: far
fewer calls, same semantics. Keys carry the deployment / replay-run prefix and a TTL.

Scripts are loaded with SCRIPT LOAD and called with EVALSHA; when Redis answers NOSCRIPT (first use, restart,
SCRIPT FLUSH), the scripts are loaded and only the calls that failed are sent again (calls are independent:
no two share a key). A batch that fails half-way is counted again whole when retried: adding is idempotent
(members are event / account digests). Semantics match workers.core.memory_store.InMemoryCounters exactly.
"""
from __future__ import annotations

from typing import Sequence

import redis.asyncio as redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

from workers.adapters.lua_scripts import DEFAULT_BUCKETS, LuaScripts, bucket_tag, check_prefix
from workers.core.policy import Policy
from workers.core.signals import ACCOUNT, CAMPAIGN, HANDLE, CounterReading, Observation, Ops, assemble, key_name, plan
from workers.errors import CountersUnavailable



class RedisCounters:
    def __init__(self, client: redis.Redis, policy: Policy, prefix: str = "mw:", buckets: int = DEFAULT_BUCKETS):
        check_prefix(prefix)
        # One immediate retry on a fresh connection (a pooled connection is stale after a Redis restart);
        # beyond that the worker's outage policy (pause or degrade) decides, without seconds of backoff.
        client.set_retry(Retry(NoBackoff(), 1))
        self._r = client
        self._prefix = prefix
        self._buckets = buckets
        c = policy.counters
        s, late, grace = 1000, c.lateness_seconds * 1000, c.key_grace_seconds * 1000
        keep = c.account_window_seconds * s + late
        self._account_args = [c.burst.window_seconds * s, c.hourly.window_seconds * s,
                              c.group_fanout.window_seconds * s, c.dm_fanout.window_seconds * s,
                              c.repeats.window_seconds * s, keep, c.max_events_per_account, c.scan_limit,
                              keep + grace]
        cw, hw = c.campaign.window_seconds * s, c.handle_spread.window_seconds * s
        self._campaign_args = [cw, late, cw + late + grace]
        self._handle_args = [hw, late, hw + late + grace]
        self._scripts = LuaScripts(client, {"account": "account.lua", "spread": "spread.lua"}, "counter")

    @classmethod
    def from_url(cls, url: str, policy: Policy, prefix: str = "mw:", buckets: int = DEFAULT_BUCKETS) -> "RedisCounters":
        client = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)
        return cls(client, policy, prefix, buckets)

    def _tagged(self, kind: str, ident: str) -> tuple[str, str]:
        """(hash tag, Redis key) of a counter key."""
        if not self._buckets:
            name = key_name(kind, ident)
            tag = name[:-3] if kind == ACCOUNT else name  # {acct:ID}:ev, {camp:BAND}, {handle:VALUE}
            return tag, f"{self._prefix}{{{tag}}}{name[len(tag):]}"
        if kind == CAMPAIGN:  # a band is already a hex digest
            tag = f"{kind}:{int(ident[:8], 16) % self._buckets:x}"
        else:
            tag = bucket_tag(kind, ident, self._buckets)
        return tag, f"{self._prefix}{{{tag}}}{key_name(kind, ident)}"

    def _calls(self, script: str, kind: str, head: list, groups: Ops, calls: list, layout: list) -> None:
        """One call per hash tag: its keys in KEYS; ARGV = head + per key one string of fixed-width records."""
        by_tag: dict[str, tuple[list, list, list]] = {}
        for ident, ops in groups.items():
            tag, rkey = self._tagged(kind, ident)
            entry = by_tag.get(tag)
            if entry is None:
                entry = by_tag[tag] = ([], list(head), [])
            entry[0].append(rkey)
            entry[1].append("".join([f"{member}{t:013d}" for _, member, t in ops]))
            entry[2].append((ident, len(ops)))
        for keys, args, order in by_tag.values():
            calls.append((script, keys, args))
            layout.append(order)

    async def observe(self, batch: Sequence[Observation]) -> list[CounterReading]:
        if not batch:
            return []
        p = plan(batch)
        calls: list[tuple[str, list, list]] = []
        layout: list[list[tuple[str, int]]] = []
        self._calls("account", ACCOUNT, self._account_args, p.accounts, calls, layout)
        n_account = len(calls)
        self._calls("spread", CAMPAIGN, self._campaign_args, p.campaigns, calls, layout)
        n_campaign = len(calls)
        self._calls("spread", HANDLE, self._handle_args, p.handles, calls, layout)
        try:
            results = await self._scripts.run(calls)
        except (RedisError, OSError) as exc:
            raise CountersUnavailable(f"{type(exc).__name__}: {exc}") from exc
        accounts: dict[str, list] = {}
        campaigns: dict[str, list] = {}
        handles: dict[str, list] = {}
        for i, (r, order) in enumerate(zip(results, layout)):
            pos = 0
            if i < n_account:
                for ident, n in order:
                    accounts[ident] = [tuple(r[j:j + 5]) for j in range(pos, pos + 5 * n, 5)]
                    pos += 5 * n
            else:
                target = campaigns if i < n_campaign else handles
                for ident, n in order:
                    target[ident] = r[pos:pos + n]
                    pos += n
        return assemble(batch, p, accounts, campaigns, handles)

    async def ping(self) -> bool:
        return bool(await self._r.ping())

    async def close(self) -> None:
        await self._r.aclose()
