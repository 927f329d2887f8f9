"""The latency phase of `modworker bench`: a fixed offered load into workers that are running and idle.

Fresh events, `sent_at` stamped when each is produced, are produced at a fixed rate for a few seconds into a
topic of their own; the worker's enforcement events carry `event_time` (= sent_at) and `decided_at`, so each
enforced event gives an exact latency from event time to decision. A short warm-up (events whose ids start
with `warm-`, left out of the figures) first proves the workers fetch from every partition.
"""
from __future__ import annotations

import math
import time
from datetime import datetime
from typing import Callable

import orjson

from workers.bench.load import LatencyTraffic, paced, producer
from workers.bench.procs import Group


def percentile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank percentile of an ascending list (q in 0..100)."""
    if not sorted_values:
        return 0.0
    k = max(0, min(len(sorted_values) - 1, math.ceil(q / 100 * len(sorted_values)) - 1))
    return sorted_values[k]


def wait_group_stable(client: dict, group_id: str, group: Group, timeout: float = 60.0) -> None:
    """Until the consumer group is Stable with every process of `group` in it (no rebalance left to come)."""
    from kafka import KafkaAdminClient

    admin = KafkaAdminClient(client_id="modworker-bench", **client)
    try:
        deadline = time.monotonic() + timeout
        seen = None
        members = len(group.children)
        while time.monotonic() < deadline:
            group.check_alive()
            desc = admin.describe_groups([group_id]).get(group_id) or {}
            seen = (desc.get("group_state") or desc.get("state"), len(desc.get("members") or []))
            if seen == ("Stable", members):
                return
            time.sleep(0.3)
        raise TimeoutError(f"group {group_id} not stable with {members} members after {timeout:.0f} s: {seen}")
    finally:
        admin.close()


def warm_up(client: dict, topic: str, traffic: LatencyTraffic, group: Group, count: int,
            timeout: float = 60.0) -> None:
    """Produce `count` warm-up events and wait until the workers consumed them all."""
    prod = producer(client)
    try:
        for _ in range(count):
            k, v = traffic.next(prefix="warm")
            prod.send(topic, key=k, value=v)
        prod.flush()
    finally:
        prod.close()
    deadline = time.monotonic() + timeout
    while group.total() < count:
        group.check_alive()
        if time.monotonic() > deadline:
            raise TimeoutError(f"the workers consumed {group.total():.0f}/{count} warm-up events in {timeout:.0f} s")
        time.sleep(0.1)


def read_enforcements(client: dict, topic: str) -> list[dict]:
    """Every record of `topic`, up to its end offsets at the time of the call."""
    from kafka import KafkaConsumer, TopicPartition

    consumer = KafkaConsumer(enable_auto_commit=False, group_id=None, fetch_max_bytes=32 * 1024 * 1024,
                             max_partition_fetch_bytes=16 * 1024 * 1024, **client)
    try:
        parts = consumer.partitions_for_topic(topic) or set()
        tps = [TopicPartition(topic, p) for p in sorted(parts)]
        consumer.assign(tps)
        consumer.seek_to_beginning(*tps)
        ends = consumer.end_offsets(tps)
        left = {tp for tp in tps if ends[tp] > 0}
        out = []
        deadline = time.monotonic() + 60
        while left and time.monotonic() < deadline:
            for tp, msgs in consumer.poll(timeout_ms=500, max_records=10000).items():
                out.extend(orjson.loads(m.value) for m in msgs)
                if msgs and msgs[-1].offset + 1 >= ends[tp]:
                    left.discard(tp)
        return out
    finally:
        consumer.close()


def _stable_end(client: dict, topic: str, quiet: float = 1.0, timeout: float = 15.0) -> None:
    """Wait until the topic's end offsets have not moved for `quiet` seconds (the last sends landed)."""
    from kafka import KafkaConsumer, TopicPartition

    consumer = KafkaConsumer(enable_auto_commit=False, group_id=None, **client)
    try:
        tps = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or ())]
        last, since = None, time.monotonic()
        deadline = since + timeout
        while time.monotonic() < deadline:
            ends = consumer.end_offsets(tps)
            if ends != last:
                last, since = ends, time.monotonic()
            elif time.monotonic() - since >= quiet:
                return
            time.sleep(0.2)
    finally:
        consumer.close()


BATCH_METRICS = ("modworker_batch_processing_seconds_sum", "modworker_batch_processing_seconds_count",
                 "modworker_redis_roundtrip_seconds_sum", "modworker_redis_roundtrip_seconds_count",
                 "modworker_records_consumed_total")


def batch_snapshot(group: Group) -> dict[str, float]:
    return {name: group.total(name) for name in BATCH_METRICS}


def batch_breakdown(before: dict[str, float], after: dict[str, float]) -> dict:
    """Mean batch size and processing time over the phase, from the workers' own histograms."""
    d = {k: after[k] - before[k] for k in BATCH_METRICS}
    batches = d["modworker_batch_processing_seconds_count"]
    trips = d["modworker_redis_roundtrip_seconds_count"]
    return {
        "batches": int(batches),
        "mean_batch_events": round(d["modworker_records_consumed_total"] / batches, 1) if batches else None,
        "mean_batch_ms": round(1000 * d["modworker_batch_processing_seconds_sum"] / batches, 2) if batches else None,
        "mean_redis_ms": round(1000 * d["modworker_redis_roundtrip_seconds_sum"] / trips, 2) if trips else None,
    }


def measure_latency(client: dict, input_topic: str, enforcement_topic: str, group: Group,
                    traffic: LatencyTraffic, rate: float, seconds: float, warm: int, drain_timeout: float,
                    progress: Callable[[str], None]) -> dict:
    progress(f"latency: offering {rate:,.0f} events/s for {seconds:.0f} s "
             f"({traffic.share:.0%} abusive, so enough of them are enforced)")
    before = batch_snapshot(group)
    produced, took = paced(client, input_topic, traffic, rate, seconds)
    want = warm + produced
    behind = max(0.0, want - group.total())  # when production stopped: more than a second's worth is a queue
    deadline = time.monotonic() + drain_timeout
    while group.total() < want and time.monotonic() < deadline:
        group.check_alive()
        time.sleep(0.1)
    consumed = group.total()
    drained = consumed >= want
    batches = batch_breakdown(before, batch_snapshot(group))
    if not drained:
        progress(f"latency: the workers were still {want - consumed:,.0f} events behind after {drain_timeout:.0f} s;"
                 " the figures below leave those out (a lower bound)")
    _stable_end(client, enforcement_topic)
    lat = []
    for enf in read_enforcements(client, enforcement_topic):
        if str(enf.get("event_id", "")).startswith("warm-"):
            continue
        decided = datetime.fromisoformat(enf["decided_at"])
        event_time = datetime.fromisoformat(enf["event_time"])
        lat.append((decided - event_time).total_seconds() * 1000.0)
    lat.sort()
    return {
        "offered_eps": round(rate, 1),
        "offered_eps_actual": round(produced / took, 1) if took > 0 else 0.0,
        "latency_events": produced,
        "latency_abusive_share": traffic.share,
        "samples": len(lat),
        "p50_ms": round(percentile(lat, 50), 2),
        "p90_ms": round(percentile(lat, 90), 2),
        "p99_ms": round(percentile(lat, 99), 2),
        "max_ms": round(lat[-1], 2) if lat else 0.0,
        "latency_drained": drained,
        "latency_backlog_at_end": int(behind),
        "overloaded": behind > rate,  # the workers fell behind the offered load: queueing sets the latency
        "latency_batches": batches,
        "latency_ms": lat,  # for the plot; dropped from the JSON report
    }
