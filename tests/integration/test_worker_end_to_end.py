"""The whole path on the real broker and Redis: an obvious scam in, an EnforcementEvent out, in seconds."""
from __future__ import annotations

import time

import orjson
import pytest
from kafka import KafkaProducer

from schemas.models import EnforcementEvent
from tests.support import BOOTSTRAP, WorkerRun
from workers.core.engine import enforcement_id


def _event(event_id: str, account: str, text: str, surface: str = "moments", second: int = 0) -> bytes:
    return orjson.dumps({"event_id": event_id, "account_id": account, "surface": surface, "text": text,
                         "sent_at": f"2026-11-28T10:00:{second:02d}Z", "conversation_id": None})


@pytest.fixture
def run(stack):
    with WorkerRun("e2e") as run:
        run.start_worker()
        yield run


def test_scam_event_comes_out_as_enforcement_within_seconds(run):
    producer = KafkaProducer(bootstrap_servers=BOOTSTRAP)
    started = time.monotonic()
    producer.send(run.input_topic, key=b"acct-scam", value=_event(
        "e2e-scam-1", "acct-scam", "招聘宝妈学生党，帮发朋友圈一条10元，日结，加我微信 xiaomei_8899"))
    producer.send(run.input_topic, key=b"acct-ok", value=_event("e2e-ok-1", "acct-ok", "周末一起吃饭吗？", second=1))
    producer.flush()
    run.wait_consumed(2, timeout=30)
    records = run.read(run.enforcement_topic)
    elapsed = time.monotonic() - started

    assert len(records) == 1, records  # the clean message is allowed: no enforcement event
    rec = records[0]
    assert rec["key"] == "acct-scam"
    enf = EnforcementEvent.model_validate(rec["value"])
    assert enf.event_id == "e2e-scam-1"
    assert enf.action != "allow"
    assert "recruitment_scam.paid_posting" in enf.labels
    assert enf.enforcement_id == enforcement_id("e2e-scam-1", enf.policy_version)
    text = "招聘宝妈学生党，帮发朋友圈一条10元，日结，加我微信 xiaomei_8899"
    spans = [text[r.start:r.end] for r in enf.reasons if r.end > r.start]
    assert any("朋友圈" in s for s in spans), spans
    assert elapsed < 30


def test_bad_record_is_dead_lettered_and_the_worker_goes_on(run):
    producer = KafkaProducer(bootstrap_servers=BOOTSTRAP)
    producer.send(run.input_topic, value=b"this is not json")
    producer.send(run.input_topic, key=b"acct-x", value=_event("e2e-after-bad", "acct-x", "刷单返利，垫付返双倍佣金，私聊"))
    producer.flush()
    run.wait_consumed(2, timeout=30)
    dead = run.read(run.deadletter_topic)
    assert [d["value"]["error_class"] for d in dead] == ["InvalidJson"]
    assert dead[0]["value"]["topic"] == run.input_topic
    enforced = [r["value"]["event_id"] for r in run.read(run.enforcement_topic)]
    assert enforced == ["e2e-after-bad"]
