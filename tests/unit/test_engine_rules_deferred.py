"""The engine skips the rule detectors when the text model found nothing they could lift to any threshold, and
runs them after all when counters add findings: the same actions and labels as the full path, on the dev split."""
from __future__ import annotations

import re
from datetime import datetime, timezone

import orjson
import pytest

from schemas.models import MessageEvent
from workers.core.engine import Engine
from workers.core.findings import Finding
from workers.core.policy import load_policy
from workers.settings import DEFAULT_POLICY, REPO_ROOT

POLICY = load_policy(DEFAULT_POLICY)
DEV = REPO_ROOT / "tests" / "data" / "corpus" / "dev.events.jsonl"
# what counters add for a busy account (workers.core.signals.counter_findings makes findings like these)
BURST = Finding("counters", "counters.burst", "behavior.burst", 0.6, evidence="acct messages=9 in 60s (limit 5)")
NEW_ACCOUNT = Finding("counters", "counters.new_account", None, 0.15, evidence="account age 3600s")


@pytest.fixture(scope="module")
def engines() -> tuple[Engine, Engine]:
    return Engine(POLICY), Engine(POLICY, defer_rules=False)


@pytest.fixture(scope="module")
def dev_events() -> list[MessageEvent]:
    lines = [l for l in DEV.read_bytes().splitlines() if l.strip()]
    return [MessageEvent.model_validate(orjson.loads(l)) for l in lines[::4]]  # every fourth: ~6,700 events


def _event(text: str) -> MessageEvent:
    return MessageEvent(event_id="e1", account_id="a1", surface="group", text=text,
                        sent_at=datetime(2026, 11, 28, 10, tzinfo=timezone.utc))


def test_the_shipped_policy_defers_and_an_ordinary_message_skips_the_rules(engines):
    deferring, full = engines
    assert deferring.defer_rules and not full.defer_rules
    ordinary = _event("周末一起去爬山吗？记得带水")
    analysis = deferring.analyze(ordinary)
    assert analysis.rules_deferred and analysis.findings == ()
    assert not full.analyze(ordinary).rules_deferred
    scam = _event("帮发朋友圈一条10元，日结，加我微信 xiaomei_8899")
    assert not deferring.analyze(scam).rules_deferred
    assert deferring.analyze(scam).findings == full.analyze(scam).findings


def test_same_actions_and_labels_as_the_full_path_on_dev(engines, dev_events):
    deferring, full = engines
    deferred = 0
    for ev in dev_events:
        a, b = deferring.analyze(ev), full.analyze(ev)
        deferred += a.rules_deferred
        d, e = deferring.decide(ev, a), full.decide(ev, b)
        assert (d.action, d.labels, d.reasons) == (e.action, e.labels, e.reasons), ev.event_id
        if a.rules_deferred:
            assert d.action == "allow" and d.score == 0.0
            assert e.score < min(t["review"] for t in POLICY.thresholds.values())
        else:
            assert d == e
    assert deferred > len(dev_events) // 3  # most innocent dev messages take the short path


@pytest.mark.parametrize("extra", [[BURST], [NEW_ACCOUNT], [BURST, NEW_ACCOUNT]])
def test_counter_findings_bring_the_rules_back_and_the_decision_is_the_full_one(engines, dev_events, extra):
    deferring, full = engines
    checked = 0
    for ev in dev_events[:1500]:
        a = deferring.analyze(ev)
        if not a.rules_deferred:
            continue
        d, e = deferring.decide(ev, a, extra), full.decide(ev, full.analyze(ev), extra)
        assert d == e, ev.event_id  # scores too: the rules ran
        checked += 1
    assert checked > 300


def test_a_policy_whose_rules_can_flag_alone_never_defers(tmp_path):
    text = DEFAULT_POLICY.read_text(encoding="utf-8")
    model = DEFAULT_POLICY.parent / "text_model.json"
    text = re.sub(r"(?m)^share = [0-9.]+", "share = 0.4", text)
    text = re.sub(r'(?m)^file = "text_model.json"', f'file = "{model}"', text)
    (tmp_path / "policy.toml").write_text(text, encoding="utf-8")
    rules_heavy = load_policy(tmp_path / "policy.toml")
    assert rules_heavy.text_model is not None and rules_heavy.text_model.share == 0.4
    assert not Engine(rules_heavy).defer_rules  # 0.6 of the rules' score can reach 0.52 without the model
