"""Consumer lag per partition, measured by each worker for the partitions assigned to it.

lag = log end offset (the broker's, a ListOffsets request through faust's consumer: `highwaters`)
      - the group's committed offset (the broker's, an OffsetFetch request through an aiokafka admin client)

Committed, not fetched: records a worker has fetched into its buffer but not yet decided and committed are
still lag, so a worker stuck on a batch (Redis down, outage=pause) shows its lag growing. A partition the
group never committed starts where the group would start: its earliest offset (auto_offset_reset earliest)
or its end (latest). Only assigned partitions are reported, so replicas never report the same partition
twice and a partition that moved to another replica loses its series here.
"""
from __future__ import annotations

import logging
import time
from typing import Any, Iterable, Mapping, Protocol

from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.structs import TopicPartition
from faust.exceptions import ConsumerNotStarted

from workers.metrics import Metrics

log = logging.getLogger("modworker.lag")


class OffsetsSource(Protocol):
    """The part of faust's consumer (app.consumer) the probe uses."""

    def assignment(self) -> set: ...
    async def highwaters(self, *partitions) -> Mapping: ...
    async def earliest_offsets(self, *partitions) -> Mapping: ...


def compute_lag(
    partitions: Iterable[tuple[str, int]],
    end_offsets: Mapping[tuple[str, int], int],
    committed: Mapping[tuple[str, int], int | None],
    start_offsets: Mapping[tuple[str, int], int],
) -> dict[tuple[str, int], int]:
    """Lag per partition; a partition without a committed offset counts from its start offset."""
    lags = {}
    for tp in partitions:
        end = end_offsets.get(tp)
        if end is None:
            continue
        done = committed.get(tp)
        if done is None or done < 0:
            done = start_offsets.get(tp, end)
        lags[tp] = max(0, int(end) - int(done))
    return lags


class ConsumerLagProbe:
    def __init__(self, client_kwargs: dict[str, Any], group: str, topics: set[str], metrics: Metrics,
                 auto_offset_reset: str = "earliest"):
        self.client_kwargs = client_kwargs  # bootstrap_servers, security_protocol, sasl_*, ssl_context
        self.group = group
        self.topics = topics
        self.metrics = metrics
        self.auto_offset_reset = auto_offset_reset
        self._admin: AIOKafkaAdminClient | None = None

    async def _committed(self, tps: list[tuple[str, int]]) -> dict[tuple[str, int], int]:
        if self._admin is None:
            admin = AIOKafkaAdminClient(**self.client_kwargs, client_id=f"{self.group}-lag-probe")
            await admin.start()
            self._admin = admin
        offsets = await self._admin.list_consumer_group_offsets(
            self.group, partitions=[TopicPartition(t, p) for t, p in tps])
        return {(tp.topic, tp.partition): om.offset for tp, om in offsets.items()}

    async def update(self, consumer: OffsetsSource) -> dict[tuple[str, int], int] | None:
        """Measure and export the lag of the assigned partitions; None (and a counted error) on failure."""
        try:
            assigned = [tp for tp in consumer.assignment() if tp.topic in self.topics]
            keys = [(tp.topic, tp.partition) for tp in assigned]
            if not assigned:
                lags: dict[tuple[str, int], int] = {}
            else:
                ends = {(tp.topic, tp.partition): off for tp, off in (await consumer.highwaters(*assigned)).items()}
                committed = await self._committed(keys)
                uncommitted = [tp for tp in assigned if committed.get((tp.topic, tp.partition), -1) < 0]
                starts: dict[tuple[str, int], int] = {}
                if uncommitted and self.auto_offset_reset == "earliest":
                    earliest = await consumer.earliest_offsets(*uncommitted)
                    starts = {(tp.topic, tp.partition): off for tp, off in earliest.items()}
                lags = compute_lag(keys, ends, committed, starts)
        except ConsumerNotStarted:  # starting up or shutting down: nothing assigned to measure
            return None
        except Exception as exc:  # a failed measurement must never disturb the consumption
            self.metrics.lag_probe_errors.inc()
            log.warning("consumer lag not measured: %s: %s", type(exc).__name__, exc)
            await self.close()  # a fresh admin connection next time
            return None
        self.metrics.set_consumer_lag(lags)
        self.metrics.lag_probe_time.set(time.time())
        return lags

    async def close(self) -> None:
        admin, self._admin = self._admin, None
        if admin is not None:
            try:
                await admin.close()
            except Exception:  # closing a broken connection: nothing more to do
                pass
