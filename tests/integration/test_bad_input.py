"""Bad input on the real broker: every bad record is dead-lettered with its bytes and origin, odd but valid
events are decided, and the worker is still running at the end."""
from __future__ import annotations

import base64

import orjson
import pytest
from kafka import KafkaProducer

from tests.support import BOOTSTRAP, WorkerRun


def _event(event_id: str, **over) -> dict:
    base = {"event_id": event_id, "account_id": f"acct-{event_id}", "surface": "group",
            "conversation_id": "g-1", "text": "大家好", "sent_at": "2026-11-28T10:00:00Z"}
    base.update(over)
    return base


BAD = {
    "not_json": (b"hello, not json", "InvalidJson"),
    "invalid_utf8": (b'{"event_id": "\xff\xfe", "text": "x"}', "InvalidEncoding"),
    "json_array": (b"[1, 2, 3]", "NotAnObject"),
    "json_string": (b'"just a string"', "NotAnObject"),
    "missing_fields": (orjson.dumps({"event_id": "m1", "text": "hi"}), "InvalidEvent"),
    "wrong_types": (orjson.dumps(_event("w1", account_id=12345, text=["a"])), "InvalidEvent"),
    "unknown_surface": (orjson.dumps(_event("s1", surface="email")), "InvalidEvent"),
    "unparseable_time": (orjson.dumps(_event("t1", sent_at="last tuesday")), "InvalidEvent"),
    "absurd_time": (orjson.dumps(_event("t2", sent_at="1900-01-01T00:00:00Z")), "InvalidEvent"),
    "deeply_nested": (b'{"event_id": "n1", "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "InvalidJson"),
}

ODD_BUT_VALID = {
    "empty_text": _event("odd-empty", text=""),
    "control_chars": _event("odd-ctrl", text="刷\x00单\x07返\x1b利，日结，加微信 ctrl_test88"),
    "huge_text": _event("odd-huge", text="刷单返利，垫付返双倍，加微信 huge_text99。" + "啊" * (5 * 1024 * 1024 // 3)),
}

# The same event id in two records: the first is decided, the second dead-lettered as DuplicateEvent.
DUPLICATE_FIRST = _event("dup-1", text="刷单返利，一单一结，垫付返双倍，加微信 dup_first88")
DUPLICATE_SECOND = _event("dup-1", text="大家晚上好，明天见")


@pytest.fixture(scope="module")
def outcome(stack):
    with WorkerRun("badinput") as run:
        run.start_worker()
        producer = KafkaProducer(bootstrap_servers=BOOTSTRAP, max_request_size=8 * 1024 * 1024)
        for value, _ in BAD.values():
            producer.send(run.input_topic, value=value)
        for ev in ODD_BUT_VALID.values():
            producer.send(run.input_topic, key=ev["account_id"].encode(), value=orjson.dumps(ev))
        # same key: same partition, so the first is first in offset order too
        producer.send(run.input_topic, key=b"acct-dup", value=orjson.dumps(DUPLICATE_FIRST))
        producer.send(run.input_topic, key=b"acct-dup", value=orjson.dumps(DUPLICATE_SECOND))
        producer.send(run.input_topic, key=b"acct-last", value=orjson.dumps(_event("last-good")))
        producer.flush()
        total = len(BAD) + len(ODD_BUT_VALID) + 2 + 1
        run.wait_consumed(total, timeout=90)
        dead = [r["value"] for r in run.read(run.deadletter_topic)]
        enforced = [r["value"] for r in run.read(run.enforcement_topic)]
        decided = run.metric("modworker_decisions_total")
        alive = all(p.poll() is None for p, _, _ in run.procs)
        yield {"run": run, "dead": dead, "enforced": enforced, "decided": decided, "alive": alive,
               "total": total}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_record_is_dead_lettered_with_bytes_and_origin(outcome, case):
    value, error_class = BAD[case]
    matches = [d for d in outcome["dead"] if base64.b64decode(d["value_b64"]) == value]
    assert len(matches) == 1, f"{case} not dead-lettered exactly once"
    d = matches[0]
    assert d["error_class"] == error_class
    assert d["topic"] == outcome["run"].input_topic
    assert d["partition"] >= 0 and d["offset"] >= 0
    assert d["error"] and d["failed_at"]


def test_odd_but_valid_events_are_decided_not_dead_lettered(outcome):
    dead_ids = {orjson.loads(base64.b64decode(d["value_b64"])).get("event_id")
                for d in outcome["dead"] if d["error_class"] == "InvalidEvent"}
    assert not dead_ids & {e["event_id"] for e in ODD_BUT_VALID.values()}
    enforced = {e["event_id"]: e for e in outcome["enforced"]}
    assert "odd-huge" in enforced and "odd-ctrl" in enforced  # scams in odd wrappers are still caught
    assert enforced["odd-huge"].get("text") is None  # only a hash of the 5 MB text travels
    assert len(enforced["odd-huge"]["text_sha256"]) == 64


def test_a_duplicate_event_id_is_dead_lettered_and_its_first_record_decided(outcome):
    dups = [d for d in outcome["dead"] if d["error_class"] == "DuplicateEvent"]
    assert len(dups) == 1
    assert orjson.loads(base64.b64decode(dups[0]["value_b64"])) == DUPLICATE_SECOND
    assert "dup-1" in dups[0]["error"] and f"{outcome['run'].input_topic}:" in dups[0]["error"]
    enforced = [e for e in outcome["enforced"] if e["event_id"] == "dup-1"]
    assert len(enforced) == 1  # the scam (first record) was decided; the greeting reusing its id was not


def test_the_worker_survives_and_accounting_adds_up(outcome):
    assert outcome["alive"]
    assert outcome["decided"] + len(outcome["dead"]) == outcome["total"]
