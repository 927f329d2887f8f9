"""Prometheus metrics of the worker (prometheus-client). Bounded label cardinality: no account ids."""
from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, Info, start_http_server

import workers

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)


class Metrics:
    def __init__(self, registry: CollectorRegistry | None = None):
        r = self.registry = registry or CollectorRegistry()
        self.records_consumed = Counter(
            "modworker_records_consumed", "Records read from the input topic", registry=r)
        self.events_consumed = Counter(
            "modworker_events_consumed", "Valid events consumed, by surface", ["surface"], registry=r)
        self.decisions = Counter(
            "modworker_decisions", "Decisions made, by action", ["action"], registry=r)
        self.labels = Counter(
            "modworker_labels", "Labels given, by category and subtype", ["category", "subtype"], registry=r)
        self.rule_hits = Counter(
            "modworker_rule_hits", "Detector rule hits in non-allow decisions", ["rule_id"], registry=r)
        self.deadletters = Counter(
            "modworker_deadletters", "Records dead-lettered, by error class", ["error_class"], registry=r)
        self.decision_latency = Histogram(
            "modworker_decision_latency_seconds", "From event time to decision", buckets=LATENCY_BUCKETS,
            registry=r)
        self.batch_seconds = Histogram(
            "modworker_batch_processing_seconds", "Processing time per batch", buckets=LATENCY_BUCKETS,
            registry=r)
        self.redis_seconds = Histogram(
            "modworker_redis_roundtrip_seconds", "Redis round trip per batch", buckets=LATENCY_BUCKETS,
            registry=r)
        self.redis_errors = Counter("modworker_redis_errors", "Failed Redis round trips", registry=r)
        self.degraded = Gauge("modworker_degraded", "1 while deciding without counters", registry=r)
        self.info = Info("modworker_build", "Build and policy version", registry=r)
        self.set_build_info(policy_version="")

    def set_build_info(self, policy_version: str) -> None:
        self.info.info({"version": workers.__version__, "policy_version": policy_version})

    def serve(self, port: int) -> None:
        start_http_server(port, addr="0.0.0.0", registry=self.registry)
