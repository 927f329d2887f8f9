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

from workers.adapters.codec import MAX_RECORD_BYTES, Event, decode_event, encode_model, enforcement_event
from workers.adapters.deadletter import deadletter_record
from workers.core.dedup import SeenStore, origin
from workers.core.engine import Engine
from workers.core.findings import Decision
from workers.core.signals import CounterReading, CounterStore, Observation, counter_findings, observation
from workers.errors import CountersUnavailable, DecodeError, DuplicateEvent
from workers.metrics import DecisionTally, Metrics

log = logging.getLogger("modworker.pipeline")

# (key, value, partition of the input record): under exactly_once the app sends to that same partition,
# so the output joins the transaction of the input partition (workers/app.py)
Publish = Callable[[bytes, bytes, int], Awaitable[None]]
MAX_BACKOFF_SECONDS = 5.0  # longest wait between two tries while paused for Redis
OUTAGE_LOG_EVERY_SECONDS = 30.0  # an outage is logged when it starts, then at most this often, and when it ends


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
        max_record_bytes: int = MAX_RECORD_BYTES,
        include_text: bool = False,
        seen: SeenStore | None = None,
    ):
        self.engine = engine
        self.counters = counters
        self.publish_enforcement = publish_enforcement
        self.publish_deadletter = publish_deadletter
        self.metrics = metrics
        self.redis_outage = redis_outage
        self.retry_seconds = retry_seconds
        self.max_record_bytes = max_record_bytes
        self.include_text = include_text
        self.seen = seen  # duplicate event ids (None: not checked)
        self._down_since: float | None = None  # monotonic time the current counters outage started
        self._last_outage_log = 0.0
        self._probe_at = 0.0  # degrade: the next batch allowed to ask Redis again

    async def _deadletter(self, rec: RawRecord, exc: BaseException, result: BatchResult) -> None:
        self.metrics.deadletters_by(type(exc).__name__).inc()
        log.warning("dead-lettered %s[%d]@%d: %s: %s", rec.topic, rec.partition, rec.offset,
                    type(exc).__name__, str(exc)[:300],
                    extra={"topic": rec.topic, "partition": rec.partition, "offset": rec.offset,
                           "error_class": type(exc).__name__, "decision": "deadletter"})
        await self.publish_deadletter(
            b"", deadletter_record(rec.value, rec.topic, rec.partition, rec.offset, exc), rec.partition)
        result.deadlettered += 1

    async def _observe(self, batch: list[Observation]) -> list[CounterReading] | None:
        """Counter readings for the batch, or None: decide it text-only, marked degraded."""
        if self.counters is None:
            return None
        if not batch:
            return []
        return await self._ask_redis(lambda: self.counters.observe(batch))  # type: ignore[union-attr]

    async def _ask_redis(self, call):
        """The answer of one Redis call for the batch (counters or seen ids), or None when degraded.

        Redis unavailable, by `redis_outage`:
        - pause: this batch waits (backoff from retry_seconds up to MAX_BACKOFF_SECONDS) until the store
          answers; the agent does not take the next batch and nothing is acked, so no offset moves.
        - degrade: the batch goes on without the answer (text-only decisions marked degraded, duplicate ids
          not checked); for retry_seconds after a failure batches do not even ask (a Redis that times out
          would otherwise cost seconds per batch), then one batch probes again.
        Either way every event is decided exactly once in this process, and the log says when the outage
        started and ended; modworker_counters_paused / modworker_degraded say what happens now.
        """
        backoff = self.retry_seconds
        while True:
            if self.redis_outage == "degrade" and self._down_since is not None \
                    and time.monotonic() < self._probe_at:
                return None
            started = time.perf_counter()
            try:
                answer = await call()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # CountersUnavailable, or a bug: handled like an outage, never a crash
                self._counters_failed(exc)
                if self.redis_outage == "degrade":
                    self._probe_at = time.monotonic() + self.retry_seconds
                    return None
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)
                continue
            self.metrics.redis_seconds.observe(time.perf_counter() - started)
            self._counters_back()
            return answer

    async def _drop_duplicates(self, events: list[Event], sources: list[RawRecord],
                               result: BatchResult) -> tuple[list[Event], list[RawRecord]]:
        """Dead-letter events whose id another record used first (DuplicateEvent); keep the rest."""
        if self.seen is None or not events:
            return events, sources
        here = [origin(r.topic, r.partition, r.offset) for r in sources]
        seen = self.seen
        firsts = await self._ask_redis(lambda: seen.first_seen([(e.event_id, w) for e, w in zip(events, here)]))
        if firsts is None or not any(firsts):
            return events, sources
        kept_events, kept_sources = [], []
        for ev, rec, first in zip(events, sources, firsts):
            if first is None:
                kept_events.append(ev)
                kept_sources.append(rec)
            else:
                await self._deadletter(rec, DuplicateEvent(
                    f"event_id {ev.event_id!r} was already used by record {first}"), result)
        return kept_events, kept_sources

    def _counters_failed(self, exc: BaseException) -> None:
        self.metrics.redis_errors.inc()
        now = time.monotonic()
        what = ("pausing consumption until Redis answers (nothing is skipped)" if self.redis_outage == "pause"
                else "deciding text-only, marked degraded")
        error = f"{type(exc).__name__}: {str(exc)[:300]}"
        fields = {"redis_outage": self.redis_outage, "error_class": type(exc).__name__}
        if self._down_since is None:
            self._down_since = self._last_outage_log = now
            log.error("counters unavailable (%s): %s", error, what, extra=fields,
                      exc_info=not isinstance(exc, CountersUnavailable))
            if self.redis_outage == "pause":
                self.metrics.counters_paused.set(1)
            else:
                self.metrics.degraded.set(1)
        elif now - self._last_outage_log >= OUTAGE_LOG_EVERY_SECONDS:
            self._last_outage_log = now
            log.error("counters still unavailable after %.0fs (%s): %s", now - self._down_since, error, what,
                      extra=fields)

    def _counters_back(self) -> None:
        if self._down_since is not None:
            log.warning("counters available again after %.1fs; %s", time.monotonic() - self._down_since,
                        "resuming consumption" if self.redis_outage == "pause" else "no longer degraded",
                        extra={"redis_outage": self.redis_outage})
            self._down_since = None
        self.metrics.counters_paused.set(0)
        self.metrics.degraded.set(0)

    async def process(self, records: Sequence[RawRecord]) -> BatchResult:
        started = time.perf_counter()
        result = BatchResult()
        self.metrics.records_consumed.inc(len(records))
        events: list[Event] = []
        sources: list[RawRecord] = []
        for rec in records:
            try:
                events.append(decode_event(rec.value, self.max_record_bytes))
                sources.append(rec)
            except DecodeError as exc:
                await self._deadletter(rec, exc, result)
        events, sources = await self._drop_duplicates(events, sources, result)
        policy = self.engine.policy
        analyses = []
        kept_events, kept_sources = [], []
        observations: list[Observation] = []
        for ev, rec in zip(events, sources):
            try:
                analysis = self.engine.analyze(ev)
                if self.counters is not None:  # what the counters need: from the event and its analysis
                    observations.append(observation(ev, analysis, policy))
                analyses.append(analysis)
                kept_events.append(ev)
                kept_sources.append(rec)
            except Exception as exc:  # a detector bug must not stop the partition
                await self._deadletter(rec, exc, result)
        readings = await self._observe(observations)
        degraded = self.counters is not None and readings is None
        if degraded:
            self.metrics.degraded_decisions.inc(len(kept_events))
        now = datetime.now(timezone.utc)
        tally = DecisionTally()
        # one log line per enforcement (issue #6), built only when INFO is on (asked once per batch)
        log_each = log.isEnabledFor(logging.INFO)
        try:
            for i, (ev, analysis) in enumerate(zip(kept_events, analyses)):
                extra = counter_findings(readings[i], policy) if readings is not None else []
                decision = self.engine.decide(ev, analysis, extra, degraded=degraded)
                await self._emit(ev, kept_sources[i].partition, decision, now, result, tally, log_each)
        finally:  # what was decided counts, also when a send failed mid-batch
            self.metrics.add_decisions(tally)
        self.metrics.batch_seconds.observe(time.perf_counter() - started)
        return result

    async def _emit(self, ev: Event, partition: int, decision: Decision, now: datetime,
                    result: BatchResult, tally: DecisionTally, log_each: bool) -> None:
        # metrics are tallied here and added once per batch (Metrics.add_decisions)
        surface = ev.surface.value
        tally.surfaces[surface] = tally.surfaces.get(surface, 0) + 1
        action = decision.action
        tally.actions[action] = tally.actions.get(action, 0) + 1
        latency = (now - ev.sent_at).total_seconds()
        tally.latencies.append(latency if latency > 0.0 else 0.0)
        result.decided += 1
        if action == "allow":
            return
        labels, rules = tally.labels, tally.rules
        for label in decision.labels:
            labels[label] = labels.get(label, 0) + 1
        for f in decision.reasons:
            rules[f.rule_id] = rules.get(f.rule_id, 0) + 1
        out = enforcement_event(ev, decision, now, self.include_text)
        await self.publish_enforcement(ev.account_id.encode("utf-8"), encode_model(out), partition)
        result.enforced += 1
        if log_each:
            # one log line per enforcement (issue #6): ids, action and rules; never the text, nor the account
            reasons = decision.reasons
            rule_ids = ([reasons[0].rule_id] if len(reasons) == 1
                        else sorted({f.rule_id for f in reasons}))
            log.info("enforced %s: %s", ev.event_id, action, extra={
                "event_id": ev.event_id, "decision": action, "labels": decision.labels,
                "rule_ids": rule_ids, "score": round(decision.score, 3),
                "policy_version": decision.policy_version, "degraded": decision.degraded})
