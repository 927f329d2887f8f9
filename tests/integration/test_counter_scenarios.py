"""Counter scenarios through the real worker process, real Kafka and real Redis (tests/data/scenarios/).

The scenario topic is replayed into fresh namespaces (topics, consumer group, Redis prefix): twice into
ONE partition, where cross-account counts are deterministic (events are processed in topic order), and once
into four partitions, where only per-account counts are (an account's events stay in order on one
partition; campaign counts then depend on how partitions interleave, see README.md "Counters").
"""
from __future__ import annotations

import threading
import time
from datetime import datetime
from pathlib import Path

import orjson
import pytest

from tests.support import BOOTSTRAP, WorkerRun
from workers.commands.scan import scan_lines
from workers.commands.topic_io import run_replay
from workers.core.policy import load_policy
from workers.settings import DEFAULT_POLICY

SCENARIOS = Path(__file__).resolve().parents[1] / "data" / "scenarios"
ALL = SCENARIOS / "all.jsonl"
POLICY = load_policy(DEFAULT_POLICY)
HARSH = ("limit", "remove", "suspend")


def _events(name: str) -> list[dict]:
    return [orjson.loads(line) for line in (SCENARIOS / name).read_bytes().splitlines() if line.strip()]


def _offline() -> dict[str, dict]:
    """`modworker scan` of the scenario topic: the in-memory store, in topic order."""
    lines = ALL.read_bytes().splitlines()
    return {o["event_id"]: o for o in map(orjson.loads, scan_lines(iter(lines), POLICY)) if o["action"] != "allow"}


def _replay(partitions: int, out: dict, slot: str) -> None:
    n, expected = len(_events("all.jsonl")), len(_offline())
    with WorkerRun(f"scen{partitions}", partitions=partitions) as run:
        run_replay(str(ALL), run.input_topic, BOOTSTRAP, quiet=True)
        run.start_worker()
        run.wait_consumed(n, timeout=90)
        deadline = time.monotonic() + 60  # consumed is counted when a batch starts: wait for its decisions
        while run.metric("modworker_decisions_total") < n and time.monotonic() < deadline:
            time.sleep(0.2)
        deadline = time.monotonic() + 15  # and for them to be on the topic (with 4 partitions, campaign
        while True:                       # decisions may differ, so fewer than offline is possible)
            records = run.read(run.enforcement_topic)
            if len(records) >= expected or time.monotonic() > deadline:
                break
            time.sleep(1)
        out[slot] = {r["value"]["event_id"]: r for r in records}


@pytest.fixture(scope="module")
def runs(stack) -> dict[str, dict[str, dict]]:
    """event_id -> enforcement record, for runs "a" and "b" (one partition) and "p4" (four partitions)."""
    out: dict = {}
    threads = [threading.Thread(target=_replay, args=(p, out, slot)) for p, slot in ((1, "a"), (1, "b"), (4, "p4"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert set(out) == {"a", "b", "p4"}, "a scenario run failed (see the worker logs in .stack/logs)"
    return out


def _view(rec: dict) -> dict:
    value = dict(rec["value"])
    value.pop("decided_at")  # wall-clock time of the decision: the only field allowed to differ
    return {"key": rec["key"], "value": value}


def test_a_burst_is_limited_after_the_threshold_and_not_before(runs):
    window_ms, limit = POLICY.burst.window_seconds * 1000, POLICY.burst.limit
    events = _events("burst.jsonl")
    ms = [int(datetime.fromisoformat(e["sent_at"]).timestamp() * 1000) for e in events]
    over = {e["event_id"] for e, t in zip(events, ms) if sum(1 for u in ms if t - window_ms < u <= t) > limit}
    assert 10 <= len(over) < len(events)  # the scenario crosses the threshold, and falls back under it
    for slot in ("a", "p4"):
        enforced = {eid: r["value"] for eid, r in runs[slot].items() if eid.startswith("burst-")}
        assert set(enforced) == over
        for v in enforced.values():
            assert v["action"] in HARSH and "behavior.burst" in v["labels"]
            assert any(r["evidence"] and f"(limit {limit})" in r["evidence"] for r in v["reasons"])


def test_a_campaign_is_labeled_from_min_accounts_on_and_greetings_are_not(runs):
    enforced = runs["a"]
    minimum = POLICY.counters.campaign.min_accounts
    for k, ev in enumerate(_events("campaign.jsonl"), start=1):
        v = enforced[ev["event_id"]]["value"]  # the ad is enforced on by its text anyway
        if k < minimum:
            assert "behavior.campaign" not in v["labels"], (k, v)
        else:
            assert "behavior.campaign" in v["labels"], (k, v)
            evidence = [r["evidence"] for r in v["reasons"] if r["rule_id"] == "counters.campaign"]
            assert len(evidence) == 1 and evidence[0].startswith("camp:") and f"accounts={k} " in evidence[0]
    assert not [eid for eid in enforced if eid.startswith("greet-")]


def test_one_wechat_id_promoted_by_ten_accounts_is_labeled_handle_spread(runs):
    enforced = runs["a"]
    minimum = POLICY.counters.handle_spread.min_accounts
    labeled = []
    for k, ev in enumerate(_events("handle.jsonl"), start=1):
        rec = enforced.get(ev["event_id"])
        if rec and "behavior.handle_spread" in rec["value"]["labels"]:
            labeled.append(k)
            evidence = [r["evidence"] for r in rec["value"]["reasons"] if r["rule_id"] == "counters.handle_spread"]
            assert evidence == [f"handle:wechat:jobs_vip_777 accounts={k} in "
                                f"{POLICY.counters.handle_spread.window_seconds}s (min {minimum})"]
    assert labeled == list(range(minimum, 11))


def test_replaying_the_same_topic_twice_gives_identical_enforcements(runs):
    a = sorted((_view(r) for r in runs["a"].values()), key=lambda r: r["value"]["event_id"])
    b = sorted((_view(r) for r in runs["b"].values()), key=lambda r: r["value"]["event_id"])
    assert a and a == b


def test_the_worker_decides_as_the_offline_scan_does(runs):
    """Redis in the worker and the in-memory store in `modworker scan` give the same decisions."""
    offline = _offline()
    online = {eid: r["value"] for eid, r in runs["a"].items()}
    assert set(online) == set(offline)
    for eid, v in online.items():
        o = offline[eid]
        assert (v["action"], v["labels"], v["score"]) == (o["action"], o["labels"], o["score"]), eid
        assert [r["evidence"] for r in v["reasons"]] == [r["evidence"] for r in o["reasons"]], eid
