"""Per-account counters: the interface, its in-memory twin, and the findings they give.

Counts are keyed by EVENT time (`sent_at`), never wall-clock time, so replaying a recorded topic gives the
same counts. The Redis implementation (workers.adapters.redis_counters) has the same semantics; a shared
contract test runs against both.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Protocol, Sequence

from workers.core.findings import Finding
from workers.core.policy import Policy

NAME = "counters"


@dataclass(frozen=True, slots=True)
class Observation:
    account_id: str
    surface: str
    conversation_id: str | None
    event_time: float  # seconds since the epoch, from sent_at


@dataclass(frozen=True, slots=True)
class CounterReading:
    messages_in_window: int  # this account's messages in the burst window holding this event, this one included
    window_start: int


class CounterStore(Protocol):
    async def observe(self, batch: Sequence[Observation]) -> list[CounterReading]:
        """Count every observation of the batch, in order, and return one reading per observation."""
        ...


def burst_bucket(event_time: float, window_seconds: int) -> int:
    return int(event_time // window_seconds) * window_seconds


class InMemoryCounters:
    """The counter store for `modworker scan` and tests: same results as Redis for the same sequence."""

    def __init__(self, policy: Policy):
        self._window = policy.burst.window_seconds
        self._counts: dict[tuple[str, int], int] = defaultdict(int)

    def observe_sync(self, batch: Sequence[Observation]) -> list[CounterReading]:
        readings = []
        for obs in batch:
            start = burst_bucket(obs.event_time, self._window)
            key = (obs.account_id, start)
            self._counts[key] += 1
            readings.append(CounterReading(self._counts[key], start))
        return readings

    async def observe(self, batch: Sequence[Observation]) -> list[CounterReading]:
        return self.observe_sync(batch)


def counter_findings(reading: CounterReading, policy: Policy) -> list[Finding]:
    burst = policy.burst
    if reading.messages_in_window > burst.limit:
        evidence = f"messages_per_{burst.window_seconds}s={reading.messages_in_window} (limit {burst.limit})"
        return [Finding(NAME, "behavior.burst", "behavior.burst", burst.weight, evidence=evidence)]
    return []
