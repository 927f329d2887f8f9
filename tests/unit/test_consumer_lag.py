"""Consumer lag arithmetic and its export (the real-broker behaviour: tests/integration/test_observability.py);
the shadow-mode settings."""
from __future__ import annotations

import asyncio
from collections import namedtuple

import pytest
from prometheus_client import generate_latest

from workers.adapters.consumer_lag import ConsumerLagProbe, compute_lag
from workers.metrics import Metrics
from workers.settings import Settings

TP = namedtuple("TP", "topic partition")


def test_lag_is_end_minus_committed_and_uncommitted_partitions_count_from_their_start():
    tps = [("m", 0), ("m", 1), ("m", 2), ("m", 3)]
    ends = {("m", 0): 100, ("m", 1): 50, ("m", 2): 30, ("m", 3): 7}
    committed = {("m", 0): 90, ("m", 1): 50, ("m", 2): -1}  # -1: the group never committed
    starts = {("m", 2): 10, ("m", 3): 0}
    assert compute_lag(tps, ends, committed, starts) == {("m", 0): 10, ("m", 1): 0, ("m", 2): 20, ("m", 3): 7}
    # never negative (a committed offset read after the end offset), no start known: no lag
    assert compute_lag([("m", 0)], {("m", 0): 5}, {("m", 0): 6}, {}) == {("m", 0): 0}
    assert compute_lag([("m", 0)], {("m", 0): 5}, {}, {}) == {("m", 0): 0}


class FakeConsumer:
    def __init__(self, assigned, ends, earliest):
        self.assigned, self.ends, self.earliest = assigned, ends, earliest

    def assignment(self):
        return set(self.assigned)

    async def highwaters(self, *tps):
        return {tp: self.ends[tp] for tp in tps}

    async def earliest_offsets(self, *tps):
        return {tp: self.earliest[tp] for tp in tps}


def _samples(metrics: Metrics) -> str:
    return generate_latest(metrics.registry).decode()


def test_probe_exports_assigned_partitions_only_and_drops_revoked_ones():
    metrics = Metrics()
    probe = ConsumerLagProbe({"bootstrap_servers": ["x:1"]}, "g", {"in"}, metrics)
    committed = {("in", 0): 5, ("in", 1): -1}

    async def fake_committed(keys):
        return {k: committed.get(k, -1) for k in keys}

    probe._committed = fake_committed  # the broker's answer
    consumer = FakeConsumer([TP("in", 0), TP("in", 1), TP("other", 0)],
                            {TP("in", 0): 9, TP("in", 1): 4, TP("other", 0): 100}, {TP("in", 1): 1})
    assert asyncio.run(probe.update(consumer)) == {("in", 0): 4, ("in", 1): 3}
    text = _samples(metrics)
    assert 'modworker_consumer_lag{partition="0",topic="in"} 4.0' in text
    assert 'modworker_consumer_lag{partition="1",topic="in"} 3.0' in text
    assert 'topic="other"' not in text
    assert "modworker_assigned_partitions 2.0" in text

    consumer.assigned = [TP("in", 1)]  # partition 0 moved to another replica
    asyncio.run(probe.update(consumer))
    text = _samples(metrics)
    assert 'partition="0"' not in text and "modworker_assigned_partitions 1.0" in text


def test_a_failed_measurement_is_counted_and_keeps_the_last_values():
    metrics = Metrics()
    probe = ConsumerLagProbe({"bootstrap_servers": ["x:1"]}, "g", {"in"}, metrics)

    async def broken(keys):
        raise ConnectionError("broker gone")

    probe._committed = broken
    consumer = FakeConsumer([TP("in", 0)], {TP("in", 0): 3}, {})
    metrics.set_consumer_lag({("in", 0): 2})
    assert asyncio.run(probe.update(consumer)) is None
    text = _samples(metrics)
    assert "modworker_consumer_lag_errors_total 1.0" in text
    assert 'modworker_consumer_lag{partition="0",topic="in"} 2.0' in text


def test_shadow_mode_has_its_own_group_prefix_and_topics():
    live = Settings(consumer_group="mw", redis_prefix="mw:")
    shadow = Settings(consumer_group="mw", redis_prefix="mw:", shadow=True)
    assert (live.effective_consumer_group, live.effective_redis_prefix) == ("mw", "mw:")
    assert (live.decision_topic, live.failure_topic) == (live.enforcement_topic, live.deadletter_topic)
    assert shadow.effective_consumer_group == "mw-shadow"
    assert shadow.effective_redis_prefix == "mw:shadow:"
    assert shadow.decision_topic == "moderation.shadow"
    assert shadow.failure_topic == "moderation.shadow.deadletter"
    assert Settings(shadow=True, shadow_topic="cand.v2").decision_topic == "cand.v2"


def test_a_shadow_topic_that_is_a_live_topic_is_refused():
    with pytest.raises(ValueError, match="SHADOW_TOPIC"):
        Settings(shadow=True, shadow_topic="moderation.enforcements")
    with pytest.raises(ValueError, match="SHADOW_TOPIC"):
        Settings(shadow=True, shadow_topic="x", deadletter_topic="x.deadletter")
    Settings(shadow=False, shadow_topic="moderation.enforcements")  # not used unless in shadow mode
