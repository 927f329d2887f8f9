"""Prometheus metrics of the worker (prometheus-client), served on MODWORKER_METRICS_PORT.

Naming follows the Prometheus conventions: a `modworker_` prefix, base units in the name (`_seconds`),
`_total` on counters, `_info` on the build info. Label cardinality is bounded: surfaces, actions, label
categories and subtypes, rule ids and error classes come from the code, topics and partitions from the
deployment; never an account id, event id or text. ops/grafana and ops/prometheus use these names, and a
test checks that every name they use is exported by a running worker.
"""
from __future__ import annotations

from bisect import bisect_left
from typing import Iterable, Mapping

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    Info,
    PlatformCollector,
    ProcessCollector,
    disable_created_metrics,
    start_http_server,
)

import workers
from workers.core.policy import ACTIONS, SURFACES

# No `*_created` series next to every counter: half the series, nothing the dashboard or alerts use.
disable_created_metrics()

# Seconds, from 5 ms to 2 minutes: batches take milliseconds, decision latency from event time seconds.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120)
# The error classes of records that are not events (workers.errors), exported at 0 from the start.
DECODE_ERRORS = ("TooLarge", "InvalidEncoding", "InvalidJson", "NotAnObject", "InvalidEvent")


class Children:
    """The children of a labelled metric by label values, each looked up once.

    `metric.labels(...)` validates, stringifies and takes the metric's lock on every call; the worker adds
    to a few dozen label sets thousands of times a second. Only for metrics whose series are never removed
    (the consumer lag's are, so it keeps `labels()`).
    """

    __slots__ = ("_metric", "_children")

    def __init__(self, metric) -> None:
        self._metric = metric
        self._children: dict = {}

    def __call__(self, *values: str):
        try:
            return self._children[values]
        except KeyError:
            child = self._children[values] = self._metric.labels(*values)
            return child


def observe_many(histogram: Histogram, values: Iterable[float]) -> None:
    """`histogram.observe(v)` for each value, with one lock per bucket used instead of two per value.

    Same result as observing them one by one (tests/unit/test_pipeline_metrics.py checks it against observe):
    each value counts in the first bucket whose upper bound is >= it, and in the sum. prometheus-client has
    no bulk API, so this reaches for the histogram's buckets, as its own observe() does; a version without
    them gets the per-value path.
    """
    bounds = getattr(histogram, "_upper_bounds", None)
    buckets = getattr(histogram, "_buckets", None)
    total = getattr(histogram, "_sum", None)
    if bounds is None or buckets is None or total is None or len(bounds) != len(buckets):
        for v in values:
            histogram.observe(v)
        return
    counts = [0] * len(bounds)
    amount = 0.0
    n = 0
    for v in values:
        if v != v:  # NaN: observe() counts it in the sum and in no bucket
            amount += v
            continue
        counts[bisect_left(bounds, v)] += 1
        amount += v
        n += 1
    if n == 0 and amount == 0.0:
        return
    total.inc(amount)
    for i, c in enumerate(counts):
        if c:
            buckets[i].inc(c)


class DecisionTally:
    """What one batch's decisions add to the metrics, added in one go at its end (Metrics.add_decisions)."""

    __slots__ = ("surfaces", "actions", "latencies", "labels", "rules")

    def __init__(self) -> None:
        self.surfaces: dict[str, int] = {}
        self.actions: dict[str, int] = {}
        self.latencies: list[float] = []
        self.labels: dict[str, int] = {}  # "category.subtype"
        self.rules: dict[str, int] = {}


class Metrics:
    def __init__(self, registry: CollectorRegistry | None = None):
        r = self.registry = registry or CollectorRegistry()
        ProcessCollector(registry=r)  # process_cpu_seconds_total, process_resident_memory_bytes, ...
        PlatformCollector(registry=r)  # python_info
        self.records_consumed = Counter(
            "modworker_records_consumed_total", "Records read from the input topic", registry=r)
        self.events_consumed = Counter(
            "modworker_events_consumed_total", "Valid events consumed, by surface", ["surface"], registry=r)
        self.decisions = Counter(
            "modworker_decisions_total", "Decisions made, by action", ["action"], registry=r)
        self.labels = Counter(
            "modworker_labels_total", "Labels given in non-allow decisions, by category and subtype",
            ["category", "subtype"], registry=r)
        self.rule_hits = Counter(
            "modworker_rule_hits_total", "Detector rule hits in non-allow decisions, by rule id", ["rule_id"],
            registry=r)
        self.deadletters = Counter(
            "modworker_deadletters_total", "Records dead-lettered, by error class", ["error_class"], registry=r)
        self.decision_latency = Histogram(
            "modworker_decision_latency_seconds", "From the event's time (sent_at) to its decision",
            buckets=LATENCY_BUCKETS, registry=r)
        self.batch_seconds = Histogram(
            "modworker_batch_processing_seconds", "Processing time per batch", buckets=LATENCY_BUCKETS,
            registry=r)
        self.redis_seconds = Histogram(
            "modworker_redis_roundtrip_seconds", "Redis round trip per batch (successful ones)",
            buckets=LATENCY_BUCKETS, registry=r)
        self.redis_errors = Counter(
            "modworker_redis_errors_total", "Failed Redis round trips", registry=r)
        self.degraded = Gauge(
            "modworker_degraded", "1 while deciding text-only, without counters (Redis down, outage=degrade)",
            registry=r)
        self.counters_paused = Gauge(
            "modworker_counters_paused", "1 while consumption waits for Redis to return (Redis down, outage=pause)",
            registry=r)
        self.degraded_decisions = Counter(
            "modworker_degraded_decisions_total", "Events decided text-only because the counters were unavailable",
            registry=r)
        self.consumer_lag = Gauge(
            "modworker_consumer_lag", "Records behind: log end offset minus the group's committed offset, "
            "for each partition assigned to this worker", ["topic", "partition"], registry=r)
        self.assigned_partitions = Gauge(
            "modworker_assigned_partitions", "Input partitions assigned to this worker", registry=r)
        self.lag_probe_errors = Counter(
            "modworker_consumer_lag_errors_total", "Failed consumer lag measurements", registry=r)
        self.lag_probe_time = Gauge(
            "modworker_consumer_lag_last_success_timestamp_seconds",
            "Unix time of the last successful consumer lag measurement", registry=r)
        self.info = Info("modworker_build", "Build, policy version and mode (live or shadow)", registry=r)
        self.set_build_info(policy_version="")
        for surface in SURFACES:  # series exist at 0 from the start, so rate() sees the first increase
            self.events_consumed.labels(surface)
        for action in ACTIONS:
            self.decisions.labels(action)
        for error_class in DECODE_ERRORS:
            self.deadletters.labels(error_class)
        self._lag_keys: set[tuple[str, str]] = set()
        # children looked up once (never removed: bounded label values, see the module docstring)
        self.events_consumed_by = Children(self.events_consumed)
        self.decisions_by = Children(self.decisions)
        self.labels_by = Children(self.labels)
        self.rule_hits_by = Children(self.rule_hits)
        self.deadletters_by = Children(self.deadletters)

    def add_decisions(self, tally: DecisionTally) -> None:
        """Add one batch's decisions: one increment per label set and one histogram update per batch."""
        for surface, n in tally.surfaces.items():
            self.events_consumed_by(surface).inc(n)
        for action, n in tally.actions.items():
            self.decisions_by(action).inc(n)
        for label, n in tally.labels.items():
            category, _, subtype = label.partition(".")
            self.labels_by(category, subtype).inc(n)
        for rule_id, n in tally.rules.items():
            self.rule_hits_by(rule_id).inc(n)
        if tally.latencies:
            observe_many(self.decision_latency, tally.latencies)

    def set_build_info(self, policy_version: str, mode: str = "live") -> None:
        self.info.info({"version": workers.__version__, "policy_version": policy_version, "mode": mode})

    def set_consumer_lag(self, lags: Mapping[tuple[str, int], int]) -> None:
        """Lag of the partitions assigned now; partitions no longer assigned here lose their series."""
        keys = {(topic, str(partition)) for topic, partition in lags}
        for gone in self._lag_keys - keys:
            self.consumer_lag.remove(*gone)
        for (topic, partition), lag in lags.items():
            self.consumer_lag.labels(topic, str(partition)).set(lag)
        self._lag_keys = keys
        self.assigned_partitions.set(len(keys))

    def serve(self, port: int):
        """Serve /metrics on the port from a thread; returns the server (its shutdown() stops it)."""
        served = start_http_server(port, addr="0.0.0.0", registry=self.registry)
        return served[0] if isinstance(served, tuple) else served
