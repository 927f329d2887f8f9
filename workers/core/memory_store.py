"""The in-memory counter store: `modworker scan`'s, `modworker eval`'s and the tests'. The same readings as the
Redis store (workers/adapters/redis_counters.py) for the same sequence of batches: `account_step` and
`spread_step` are the Python twins of its Lua scripts (workers/adapters/lua/), line for line, run on sorted
sets in memory (workers/core/zset.py); a shared contract test demands identical readings from both. Pure.
"""
from __future__ import annotations

from typing import Sequence

from workers.core.fingerprint import NONE16
from workers.core.policy import CounterPolicy, Policy
from workers.core.signals import (
    CAMPAIGN,
    HANDLE,
    CounterReading,
    KeyCount,
    Observation,
    account_member,
    id_digest,
    key_name,
)
from workers.core.zset import ZSet


def account_step(z: ZSet, member: str, t: int, c: CounterPolicy) -> tuple[int, int, int, int, int]:
    """One event of an account; the Python twin of workers/adapters/lua/account.lua, line for line."""
    s = 1000
    keep = c.account_window_seconds * s + c.lateness_seconds * s
    wg, wd, wr = c.group_fanout.window_seconds * s, c.dm_fanout.window_seconds * s, c.repeats.window_seconds * s
    z.add(member, t)
    z.prune_upto(t - keep)
    z.cap(c.max_events_per_account)
    short = z.count(t - c.burst.window_seconds * s, t)
    hourly = z.count(t - c.hourly.window_seconds * s, t)
    surface, content = member[16], member[33:49]
    ng = nd = nr = 0
    if surface in "gd" or content != NONE16:
        groups: set[str] = set()
        convs: set[str] = set()
        for score, m in z.newest(t - max(wg, wd, wr), t, c.scan_limit):
            ms, mc = m[16], m[17:33]
            if surface == "g" and ms == "g" and score > t - wg and mc != NONE16 and mc not in groups:
                groups.add(mc)
                ng += 1
            if surface == "d" and ms == "d" and score > t - wd and mc != NONE16 and mc not in convs:
                convs.add(mc)
                nd += 1
            if content != NONE16 and m[33:49] == content and score > t - wr:
                nr += 1
    return short, hourly, ng, nd, nr


def spread_step(z: ZSet, member: str, t: int, window_ms: int, lateness_ms: int) -> int:
    """One event on a campaign or handle key; the Python twin of workers/adapters/lua/spread.lua."""
    z.add(member, t, gt=True)
    z.prune_upto(t - window_ms - lateness_ms)
    n = z.count(t - window_ms, t)
    if z.scores[member] > t:
        n += 1  # the account posts at t, but its latest event is later (this event is out of order)
    return n


# A key seen once holds one member: kept as that (member, time) until its second event, not as a sorted set.
# Most campaign band keys are seen once (a band is 64 bits of a text's fingerprint), and in a file of many
# accounts most accounts post once.
Keys = dict[str, ZSet | tuple[str, int]]


def _grown(keys: Keys, ident: str, first: tuple[str, int]) -> ZSet:
    """The sorted set of a key seen once so far (what its first step left: that one member)."""
    z = keys[ident] = ZSet()
    z.add(first[0], first[1])
    return z


def _account(keys: Keys, ident: str, member: str, t: int, c: CounterPolicy) -> tuple[int, int, int, int, int]:
    """`account_step` on the account `ident`. On a new account its answer for an empty set, without making the
    set: the event counts itself once in every window, as a group, a direct conversation and a repeat when
    its member says it is one (windows are positive and scan_limit at least 1: the policy refuses others)."""
    z = keys.get(ident)
    if z is None:
        keys[ident] = (member, t)
        surface, conv, content = member[16], member[17:33], member[33:49]
        return (1, 1, int(surface == "g" and conv != NONE16), int(surface == "d" and conv != NONE16),
                int(content != NONE16))
    return account_step(_grown(keys, ident, z) if isinstance(z, tuple) else z, member, t, c)


def _spread(keys: Keys, ident: str, member: str, t: int, window_ms: int, lateness_ms: int) -> int:
    """`spread_step` on the key `ident`. On a new key its answer for an empty set, without making the set: the
    event's own account (windows are positive: the policy refuses others)."""
    z = keys.get(ident)
    if z is None:
        keys[ident] = (member, t)
        return 1
    return spread_step(_grown(keys, ident, z) if isinstance(z, tuple) else z, member, t, window_ms, lateness_ms)


def _most(keys: Keys, kind: str, idents: tuple[str, ...], who: str, t: int, window_ms: int,
          lateness_ms: int) -> KeyCount | None:
    """The spread steps of one event on its keys of one kind; the key with the most accounts (on a tie the
    smallest identifier), as `assemble` chooses."""
    best_n, best = 0, ""
    for ident in idents:
        n = _spread(keys, ident, who, t, window_ms, lateness_ms)
        if not best or n > best_n or (n == best_n and ident < best):
            best_n, best = n, ident
    return KeyCount(key_name(kind, best), best_n) if best else None


class InMemoryCounters:
    """The counter store for `modworker scan` and tests: same results as Redis for the same sequence."""

    def __init__(self, policy: Policy):
        self._c = policy.counters
        self._accounts: Keys = {}  # account id -> its events
        self._campaigns: Keys = {}  # band -> its accounts
        self._handles: Keys = {}  # handle value -> its accounts

    def observe_sync(self, batch: Sequence[Observation]) -> list[CounterReading]:
        """The operations of `plan(batch)`, event by event: each key's in batch order, as Redis runs them (keys
        are independent, so the order between keys changes nothing), without grouping them first."""
        c = self._c
        late = c.lateness_seconds * 1000
        cw, hw = c.campaign.window_seconds * 1000, c.handle_spread.window_seconds * 1000
        acc, camp, hand = self._accounts, self._campaigns, self._handles
        out = []
        for obs in batch:
            t = obs.time_ms
            short, hourly, ng, nd, nr = _account(acc, obs.account_id, account_member(obs), t, c)
            r = CounterReading(obs, short, hourly, ng, nd, nr)
            if obs.bands or obs.handles:
                who = id_digest(obs.account_id)
                if obs.bands:
                    r.campaign = _most(camp, CAMPAIGN, obs.bands, who, t, cw, late)
                if obs.handles:
                    r.handle = _most(hand, HANDLE, obs.handles, who, t, hw, late)
            out.append(r)
        return out

    async def observe(self, batch: Sequence[Observation]) -> list[CounterReading]:
        return self.observe_sync(batch)
