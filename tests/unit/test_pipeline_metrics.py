"""What a batch adds to the metrics and the log, now added once per batch: the same figures as one
increment (and one histogram observation) per event, and still one log line per enforcement."""
from __future__ import annotations

import asyncio
import logging
import math
import random

import orjson
import pytest
from prometheus_client import CollectorRegistry, Histogram

from workers.core.engine import Engine
from workers.core.policy import load_policy
from workers.core.memory_store import InMemoryCounters
from workers.metrics import LATENCY_BUCKETS, Children, Metrics, observe_many
from workers.pipeline import BatchProcessor, RawRecord
from workers.settings import DEFAULT_POLICY

POLICY = load_policy(DEFAULT_POLICY)
SCAM = "刷单返利，一单一结，垫付返双倍，加微信 metrics_test88"
TEXTS = [SCAM, "晚上一起吃饭吗", "帮发朋友圈广告，一条10元，日结，加微信 metrics_ad77",
         "收到，谢谢"]


def _records(n: int) -> list[RawRecord]:
    surfaces = ["group", "direct", "moments"]
    out = []
    for i in range(n):
        surface = surfaces[i % 3]
        ev = {"event_id": f"m{i}", "account_id": f"a{i % 7}", "surface": surface, "text": TEXTS[i % len(TEXTS)],
              "sent_at": f"2026-11-28T10:00:{i % 60:02d}Z"}
        if surface != "moments":
            ev["conversation_id"] = f"c{i % 5}"
        out.append(RawRecord(orjson.dumps(ev), "in", i % 2, i))
    return out


def _samples(registry: CollectorRegistry, family: str) -> dict:
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for m in registry.collect() if m.name == family for s in m.samples}


@pytest.fixture
def log_stream(json_log):
    return json_log


def test_observe_many_is_observe_value_by_value():
    rng = random.Random(7)
    values = [0.0, 0.005, 0.0050001, 0.01, 120, 121, 1e9, -1.0, math.inf, math.nan] + list(LATENCY_BUCKETS)
    values += [rng.uniform(0, 200) for _ in range(2000)] + [rng.choice(LATENCY_BUCKETS) for _ in range(200)]
    one, many = CollectorRegistry(), CollectorRegistry()
    h1 = Histogram("h", "h", buckets=LATENCY_BUCKETS, registry=one)
    h2 = Histogram("h", "h", buckets=LATENCY_BUCKETS, registry=many)
    for v in values:
        h1.observe(v)
    observe_many(h2, values)
    observe_many(h2, [])
    a, b = _samples(one, "h"), _samples(many, "h")
    assert a.keys() == b.keys()
    for key in a:
        if math.isnan(a[key]):
            assert math.isnan(b[key]), key
        else:
            assert a[key] == pytest.approx(b[key]), key


def test_children_are_looked_up_once():
    metrics = Metrics(CollectorRegistry())
    assert metrics.decisions_by("remove") is metrics.decisions_by("remove")
    metrics.rule_hits_by("r.1").inc(2)
    metrics.labels_by("marketing_spam", "drainage").inc()
    reg = metrics.registry
    assert reg.get_sample_value("modworker_rule_hits_total", {"rule_id": "r.1"}) == 2
    assert reg.get_sample_value("modworker_labels_total", {"category": "marketing_spam", "subtype": "drainage"}) == 1
    assert isinstance(metrics.events_consumed_by, Children)


def _reference(records: list[RawRecord]) -> dict:
    """The metrics of the old path: one increment and one observation per event."""
    from workers.adapters.codec import decode_event
    from workers.core.signals import counter_findings, observation

    async def go():
        engine, store = Engine(POLICY), InMemoryCounters(POLICY)
        events = [decode_event(r.value) for r in records]
        analyses = [engine.analyze(e) for e in events]
        readings = await store.observe([observation(e, a, POLICY) for e, a in zip(events, analyses)])
        out = {"surface": {}, "action": {}, "label": {}, "rule": {}}
        for e, a, r in zip(events, analyses, readings):
            d = engine.decide(e, a, counter_findings(r, POLICY))
            out["surface"][e.surface.value] = out["surface"].get(e.surface.value, 0) + 1
            out["action"][d.action] = out["action"].get(d.action, 0) + 1
            if d.action != "allow":
                for label in d.labels:
                    out["label"][label] = out["label"].get(label, 0) + 1
                for f in d.reasons:
                    out["rule"][f.rule_id] = out["rule"].get(f.rule_id, 0) + 1
        return out

    return asyncio.run(go())


def test_a_batch_adds_what_one_increment_per_event_added(log_stream):
    records = _records(120)
    enforced: list[dict] = []

    async def publish(key: bytes, value: bytes, partition: int) -> None:
        enforced.append(orjson.loads(value))

    metrics = Metrics(CollectorRegistry())
    proc = BatchProcessor(Engine(POLICY), InMemoryCounters(POLICY), publish, publish, metrics)
    result = asyncio.run(proc.process(records))
    want = _reference(records)
    reg = metrics.registry
    assert want["action"].get("allow") and sum(v for k, v in want["action"].items() if k != "allow") > 10
    for surface, n in want["surface"].items():
        assert reg.get_sample_value("modworker_events_consumed_total", {"surface": surface}) == n
    for action in ("allow", "review", "limit", "remove", "suspend"):
        assert reg.get_sample_value("modworker_decisions_total", {"action": action}) == want["action"].get(action, 0)
    for label, n in want["label"].items():
        category, _, subtype = label.partition(".")
        assert reg.get_sample_value("modworker_labels_total", {"category": category, "subtype": subtype}) == n
    for rule_id, n in want["rule"].items():
        assert reg.get_sample_value("modworker_rule_hits_total", {"rule_id": rule_id}) == n
    assert reg.get_sample_value("modworker_decision_latency_seconds_count") == 120
    assert reg.get_sample_value("modworker_decision_latency_seconds_bucket", {"le": "+Inf"}) == 120
    assert reg.get_sample_value("modworker_decision_latency_seconds_bucket", {"le": "0.005"}) == 0  # old events
    assert reg.get_sample_value("modworker_batch_processing_seconds_count") == 1
    assert result.decided == 120 and result.enforced == len(enforced)
    # one log line per enforcement, with ids, action, labels and rules (issue #6), never the text
    lines = [orjson.loads(line) for line in log_stream.getvalue().splitlines()]
    logged = [l for l in lines if l["message"].startswith("enforced ")]
    assert [l["event_id"] for l in logged] == [e["event_id"] for e in enforced]
    for line, out in zip(logged, enforced):
        assert line["decision"] == out["action"] and line["labels"] == out["labels"]
        assert line["rule_ids"] == sorted({r["rule_id"] for r in out["reasons"]})
        assert line["score"] == round(out["score"], 3) and line["policy_version"] == out["policy_version"]
        assert line["degraded"] is False and line["level"] == "info" and line["logger"] == "modworker.pipeline"
        assert line["message"] == f"enforced {out['event_id']}: {out['action']}"
        assert "metrics_test88" not in orjson.dumps(line).decode()


def test_no_enforcement_lines_when_info_is_off(log_stream):
    logging.getLogger().setLevel(logging.WARNING)

    async def publish(key: bytes, value: bytes, partition: int) -> None:
        pass

    proc = BatchProcessor(Engine(POLICY), None, publish, publish, Metrics(CollectorRegistry()))
    result = asyncio.run(proc.process(_records(20)))
    assert result.enforced > 0
    assert log_stream.getvalue() == ""


def test_what_was_decided_counts_when_a_send_fails_mid_batch():
    sent = []

    async def publish(key: bytes, value: bytes, partition: int) -> None:
        if len(sent) == 2:
            raise RuntimeError("broker gone")
        sent.append(value)

    metrics = Metrics(CollectorRegistry())
    proc = BatchProcessor(Engine(POLICY), None, publish, publish, metrics)
    with pytest.raises(RuntimeError):
        asyncio.run(proc.process(_records(12)))
    decided = sum(metrics.registry.get_sample_value("modworker_decisions_total", {"action": a}) or 0
                  for a in ("allow", "review", "limit", "remove", "suspend"))
    assert decided >= 3  # the two sent, the one whose send failed, and the allowed ones before them
    assert metrics.registry.get_sample_value("modworker_decision_latency_seconds_count") == decided
