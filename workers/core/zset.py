"""The part of a Redis sorted set the in-memory counters use (`memory_store.InMemoryCounters`, the store of
`modworker scan` and the tests): the same order and the same answers as the Redis commands the Lua scripts run
(workers/adapters/lua/), without Redis. Pure."""
from __future__ import annotations

import bisect


class ZSet:
    """The subset of a Redis sorted set the counters use: members ordered by (score, member), held as two
    parallel lists (scores sorted; equal scores by member), so a lookup makes no (score, member) tuple."""

    __slots__ = ("scores", "times", "members")

    def __init__(self) -> None:
        self.scores: dict[str, int] = {}
        self.times: list[int] = []
        self.members: list[str] = []

    def _index(self, score: int, member: str) -> int:
        """Where (score, member) is, or would go, in the order."""
        times = self.times
        if not times or score > times[-1]:  # the usual case: the latest event, at the end
            return len(times)
        lo = bisect.bisect_left(times, score)
        return bisect.bisect_left(self.members, member, lo, bisect.bisect_right(times, score, lo))

    def add(self, member: str, score: int, gt: bool = False) -> None:
        old = self.scores.get(member)
        if old is not None:
            if old == score or (gt and score <= old):
                return
            at = self._index(old, member)
            del self.times[at]
            del self.members[at]
        self.scores[member] = score
        at = self._index(score, member)
        self.times.insert(at, score)
        self.members.insert(at, member)

    def _drop_first(self, n: int) -> None:
        for m in self.members[:n]:
            del self.scores[m]
        del self.times[:n]
        del self.members[:n]

    def prune_upto(self, score: int) -> None:
        """Remove members with a score <= `score` (ZREMRANGEBYSCORE -inf score)."""
        cut = bisect.bisect_right(self.times, score)
        if cut:
            self._drop_first(cut)

    def cap(self, n: int) -> None:
        """Keep the n highest ranks (ZREMRANGEBYRANK 0 -(n+1))."""
        extra = len(self.times) - n
        if extra > 0:
            self._drop_first(extra)

    def count(self, lo_exclusive: int, hi: int) -> int:
        return bisect.bisect_right(self.times, hi) - bisect.bisect_right(self.times, lo_exclusive)

    def newest(self, lo_exclusive: int, hi: int, limit: int) -> list[tuple[int, str]]:
        """(score, member) in (lo, hi], highest first, at most `limit` (ZRANGE BYSCORE REV LIMIT 0 limit)."""
        top = bisect.bisect_right(self.times, hi)
        bottom = max(bisect.bisect_right(self.times, lo_exclusive), top - limit)
        return list(zip(self.times[bottom:top], self.members[bottom:top]))[::-1]
