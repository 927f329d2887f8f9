"""Duplicate event ids: what counts as one, the store interface, and its in-memory twin.

An event id is a duplicate when it was already seen at ANOTHER record (topic, partition, offset). The same
record seen again is a re-delivery after a crash or a rebalance: it is decided again (with the same
enforcement_id, so downstream de-duplicates it), never dead-lettered. The Redis store is
workers.adapters.redis_seen; both answer the same contract test.
"""
from __future__ import annotations

from typing import Protocol, Sequence


def origin(topic: str, partition: int, offset: int) -> str:
    """Where a record lives: `topic:partition:offset`."""
    return f"{topic}:{partition}:{offset}"


class SeenStore(Protocol):
    async def first_seen(self, items: Sequence[tuple[str, str]]) -> list[str | None]:
        """For each (event_id, origin) in order: remember it when the id is new, and return the origin of
        the OTHER record that used the id first, or None (new id, or the same record again). One call per
        batch; ids repeated inside the batch are answered in batch order."""
        ...


class InMemorySeen:
    """Unbounded: for `modworker scan` and tests. The worker uses the Redis store, which expires ids."""

    def __init__(self) -> None:
        self._seen: dict[str, str] = {}

    def first_seen_sync(self, items: Sequence[tuple[str, str]]) -> list[str | None]:
        out: list[str | None] = []
        for event_id, where in items:
            first = self._seen.setdefault(event_id, where)
            out.append(None if first == where else first)
        return out

    async def first_seen(self, items: Sequence[tuple[str, str]]) -> list[str | None]:
        return self.first_seen_sync(items)
