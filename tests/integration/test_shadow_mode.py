"""Shadow mode end to end on the real broker and Redis: a live worker and a shadow worker with another
policy file (another version) read the same input topic; the shadow's decisions go to the shadow topic
only, and both see all of the traffic (their own consumer groups)."""
from __future__ import annotations

import re
import time
import urllib.request

import orjson
from kafka import KafkaProducer
from prometheus_client.parser import text_string_to_metric_families

from schemas.models import EnforcementEvent
from tests.support import BOOTSTRAP, WorkerRun
from workers.adapters.topics import ensure_topics
from workers.commands.demo import scrape
from workers.core.engine import enforcement_id
from workers.core.policy import load_policy
from workers.settings import DEFAULT_POLICY

SCAMS = {
    "sh-scam-1": ("acct-a", "招聘宝妈学生党，帮发朋友圈一条10元，日结，加我微信 xiaomei_8899"),
    "sh-scam-2": ("acct-b", "刷单返利，垫付返双倍佣金，私聊"),
}
CLEAN = {"sh-ok-1": ("acct-c", "周末一起吃饭吗？"), "sh-ok-2": ("acct-d", "会议改到下午三点")}


def _event(event_id: str, account: str, text: str) -> bytes:
    return orjson.dumps({"event_id": event_id, "account_id": account, "surface": "moments", "text": text,
                         "sent_at": "2026-11-28T10:00:00Z"})


def _build_info(port: int) -> dict:
    body = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5).read().decode()
    for family in text_string_to_metric_families(body):
        for sample in family.samples:
            if sample.name == "modworker_build_info":
                return sample.labels
    raise AssertionError("no modworker_build_info")


def test_shadow_worker_publishes_its_own_policy_decisions_to_the_shadow_topic_only(stack, tmp_path):
    live_version = load_policy(DEFAULT_POLICY).version
    shadow_version = f"{live_version}-shadow-candidate"
    shadow_policy = tmp_path / "candidate.toml"
    text, count = re.subn(r'(?m)^version\s*=\s*".*"$', f'version = "{shadow_version}"',
                          DEFAULT_POLICY.read_text(encoding="utf-8"), count=1)
    assert count == 1
    # the copy lives elsewhere: its text model file (relative to the policy's folder) by absolute path
    text = re.sub(r'(?m)^file = "([^"]+)"', lambda m: f'file = "{(DEFAULT_POLICY.parent / m.group(1)).as_posix()}"',
                  text)
    shadow_policy.write_text(text, encoding="utf-8")

    with WorkerRun("shadow", LAG_INTERVAL_SECONDS="1") as run:
        shadow_topic = f"{run.run_id}.shadow"
        ensure_topics(BOOTSTRAP, {shadow_topic: run.partitions})
        live_port = run.start_worker()
        shadow_port = run.start_worker(SHADOW="true", SHADOW_TOPIC=shadow_topic, POLICY_FILE=str(shadow_policy))

        producer = KafkaProducer(bootstrap_servers=BOOTSTRAP)
        for event_id, (account, text) in {**SCAMS, **CLEAN}.items():
            producer.send(run.input_topic, key=account.encode(), value=_event(event_id, account, text))
        producer.send(run.input_topic, value=b"not json at all")
        producer.flush()

        # each worker consumes every record: two groups, not two members of one group sharing partitions
        deadline = time.monotonic() + 90
        while scrape(live_port, "modworker_records_consumed_total") < 5 or \
                scrape(shadow_port, "modworker_records_consumed_total") < 5:
            assert time.monotonic() < deadline, (scrape(live_port, "modworker_records_consumed_total"),
                                                 scrape(shadow_port, "modworker_records_consumed_total"))
            time.sleep(0.2)
        assert scrape(live_port, "modworker_records_consumed_total") == 5
        assert scrape(shadow_port, "modworker_records_consumed_total") == 5

        live = [EnforcementEvent.model_validate(r["value"]) for r in run.read(run.enforcement_topic)]
        shadow = [EnforcementEvent.model_validate(r["value"]) for r in run.read(shadow_topic)]

        # the enforcement topic holds the live policy's decisions only, one per scam
        assert sorted(e.event_id for e in live) == sorted(SCAMS)
        assert {e.policy_version for e in live} == {live_version}
        # the shadow topic holds the shadow policy's decisions on the same traffic, keyed the same way
        assert sorted(e.event_id for e in shadow) == sorted(SCAMS)
        assert {e.policy_version for e in shadow} == {shadow_version}
        for e in shadow:
            assert e.enforcement_id == enforcement_id(e.event_id, shadow_version)
        assert {e.enforcement_id for e in shadow}.isdisjoint({e.enforcement_id for e in live})

        # dead letters: the live worker's in the live topic, the shadow's in <shadow topic>.deadletter
        assert [d["value"]["error_class"] for d in run.read(run.deadletter_topic)] == ["InvalidJson"]
        assert [d["value"]["error_class"] for d in run.read(f"{shadow_topic}.deadletter")] == ["InvalidJson"]

        assert _build_info(live_port)["mode"] == "live"
        info = _build_info(shadow_port)
        assert info["mode"] == "shadow" and info["policy_version"] == shadow_version
