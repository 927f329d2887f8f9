"""One batch of records through decode -> core -> counters -> policy -> publish.

Independent of faust so it can be driven by the agent, by `modworker scan` and by tests alike. Every record
ends decided or dead-lettered; nothing raised by one record stops the batch.
"""
from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Awaitable, Callable, Sequence

from schemas.models import MessageEvent
from workers.adapters.codec import decode_event, encode_model, enforcement_event
from workers.adapters.deadletter import deadletter_record
from workers.core.engine import Engine
from workers.core.findings import Decision
from workers.core.signals import CounterStore, Observation, counter_findings
from workers.errors import CountersUnavailable, DecodeError
from workers.metrics import Metrics

log = logging.getLogger("modworker.pipeline")

Publish = Callable[[bytes, bytes], Awaitable[None]]  # (key, value)


@dataclass(frozen=True, slots=True)
class RawRecord:
    value: bytes | None
    topic: str
    partition: int
    offset: int


@dataclass
class BatchResult:
    decided: int = 0
    deadlettered: int = 0
    enforced: int = 0


class BatchProcessor:
    def __init__(
        self,
        engine: Engine,
        counters: CounterStore | None,
        publish_enforcement: Publish,
        publish_deadletter: Publish,
        metrics: Metrics,
        redis_outage: str = "pause",
        retry_seconds: float = 1.0,
    ):
        self.engine = engine
        self.counters = counters
        self.publish_enforcement = publish_enforcement
        self.publish_deadletter = publish_deadletter
        self.metrics = metrics
        self.redis_outage = redis_outage
        self.retry_seconds = retry_seconds

    async def _deadletter(self, rec: RawRecord, exc: BaseException, result: BatchResult) -> None:
        self.metrics.deadletters.labels(type(exc).__name__).inc()
        log.warning("dead-lettered %s[%d]@%d: %s: %s", rec.topic, rec.partition, rec.offset,
                    type(exc).__name__, exc)
        await self.publish_deadletter(b"", deadletter_record(rec.value, rec.topic, rec.partition, rec.offset, exc))
        result.deadlettered += 1

    async def _observe(self, events: Sequence[MessageEvent]):
        """Counter readings for the batch; None means decide text-only (degraded)."""
        if self.counters is None or not events:
            return None
        batch = [Observation(e.account_id, e.surface.value, e.conversation_id, e.sent_at.timestamp())
                 for e in events]
        while True:
            started = time.perf_counter()
            try:
                readings = await self.counters.observe(batch)
                self.metrics.redis_seconds.observe(time.perf_counter() - started)
                self.metrics.degraded.set(0)
                return readings
            except CountersUnavailable as exc:
                self.metrics.redis_errors.inc()
                if self.redis_outage == "degrade":
                    self.metrics.degraded.set(1)
                    log.error("counters unavailable (%s: %s): deciding text-only, marked degraded",
                              type(exc).__name__, exc)
                    return None
                log.error("counters unavailable (%s: %s): pausing until they return", type(exc).__name__, exc)
                await asyncio.sleep(self.retry_seconds)

    async def process(self, records: Sequence[RawRecord]) -> BatchResult:
        started = time.perf_counter()
        result = BatchResult()
        self.metrics.records_consumed.inc(len(records))
        events: list[MessageEvent] = []
        sources: list[RawRecord] = []
        for rec in records:
            try:
                events.append(decode_event(rec.value))
                sources.append(rec)
            except DecodeError as exc:
                await self._deadletter(rec, exc, result)
        analyses = []
        kept_events, kept_sources = [], []
        for ev, rec in zip(events, sources):
            try:
                analyses.append(self.engine.analyze(ev))
                kept_events.append(ev)
                kept_sources.append(rec)
            except Exception as exc:  # a detector bug must not stop the partition
                await self._deadletter(rec, exc, result)
        readings = await self._observe(kept_events)
        degraded = self.counters is not None and readings is None
        now = datetime.now(timezone.utc)
        policy = self.engine.policy
        for i, (ev, analysis) in enumerate(zip(kept_events, analyses)):
            extra = counter_findings(readings[i], policy) if readings is not None else []
            decision = self.engine.decide(ev, analysis, extra, degraded=degraded)
            await self._emit(ev, decision, now, result)
        self.metrics.batch_seconds.observe(time.perf_counter() - started)
        return result

    async def _emit(self, ev: MessageEvent, decision: Decision, now: datetime, result: BatchResult) -> None:
        m = self.metrics
        m.events_consumed.labels(ev.surface.value).inc()
        m.decisions.labels(decision.action).inc()
        m.decision_latency.observe(max(0.0, (now - ev.sent_at).total_seconds()))
        result.decided += 1
        if decision.action == "allow":
            return
        for label in decision.labels:
            category, _, subtype = label.partition(".")
            m.labels.labels(category, subtype).inc()
        for f in decision.reasons:
            m.rule_hits.labels(f.rule_id).inc()
        out = enforcement_event(ev, decision, now)
        await self.publish_enforcement(ev.account_id.encode("utf-8"), encode_model(out))
        result.enforced += 1
