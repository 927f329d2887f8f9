"""The pure side of the counters: fingerprints, the [counters] policy, findings and the in-memory store."""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schemas.models import MessageEvent
from workers.core.engine import Engine
from workers.core.fingerprint import NONE16, content_hash, minhash_bands, skeleton
from workers.core.handles import extract_handles
from workers.core.normalize import normalize
from workers.core.policy import PolicyError, load_policy, parse_policy
from workers.core.memory_store import InMemoryCounters
from workers.core.signals import (
    CounterReading,
    KeyCount,
    Observation,
    counter_findings,
    observation,
)
from workers.settings import DEFAULT_POLICY

CORPUS = Path(__file__).resolve().parents[1] / "data/corpus"
POLICY = load_policy(DEFAULT_POLICY)
C = POLICY.counters
T0 = datetime(2026, 11, 28, 10, 0, tzinfo=timezone.utc)
AD = "招聘宝妈学生党，帮发朋友圈一条10元，日结不拖欠，加我微信 xiaomei_8899"


def _tokens(text: str) -> list[str]:
    norm = normalize(text)
    return skeleton(norm, extract_handles(norm))


def _bands(text: str) -> tuple[str, ...]:
    c = C.campaign
    return minhash_bands(_tokens(text), c.shingle, c.min_shingles, c.bands, c.rows)


# --- fingerprints ---

@pytest.mark.parametrize("variant", [
    "招聘宝妈学生党!!帮发朋友圈一条15元💰日结不拖欠，加我微信 lily_2024ab",  # price, emoji, punctuation, ID
    "招聘 宝妈 学生党，帮发朋友圈 一条 8 元，日结不拖欠，加我微信：abc_12345",  # spacing
    "招聘宝\u200b妈学生党，帮发朋友圈一条１０元，日结不拖欠，加我微信 xiaomei_8899",  # zero-width, full-width
    "🔥招聘宝妈学生党🔥，帮发朋友圈一条20元，日结不拖欠～加我微信 qq_88990011 ！！！",
])
def test_small_edits_keep_every_band(variant):
    assert _bands(AD) and _bands(variant) == _bands(AD)


@pytest.mark.parametrize("edits,share", [(1, 0.93), (2, 0.78)])
def test_edited_copies_still_share_a_band_on_most_texts(edits, share):
    """LSH is a matter of probability: over dev texts, a copy with 1 (2) characters of its skeleton replaced
    shares a band with the original for 97% (84%) of texts with this policy (measured: fingerprint.py)."""
    import random

    c = C.campaign
    rng = random.Random(edits)
    lines = (CORPUS / "dev.events.jsonl").read_bytes().splitlines()[::7]
    shared = total = 0
    for line in lines:
        tokens = _tokens(orjson.loads(line)["text"])
        bands = minhash_bands(tokens, c.shingle, c.min_shingles, c.bands, c.rows)
        if not bands:
            continue
        for _ in range(edits):
            i = rng.randrange(len(tokens))
            j = rng.randrange(len(tokens[i]))
            tokens[i] = tokens[i][:j] + chr(0x4E00 + rng.randrange(20_000)) + tokens[i][j + 1:]
        edited = minhash_bands(tokens, c.shingle, c.min_shingles, c.bands, c.rows)
        total += 1
        shared += bool(set(edited) & set(bands))
    assert total > 1500 and shared / total >= share


@pytest.mark.parametrize("text", ["早上好", "早上好！", "大家早上好呀☀️", "good morning", "Good morning everyone!!",
                                  "早安，各位朋友", "ok 👌", ""])
def test_short_greetings_get_no_fingerprint(text):
    assert _bands(text) == ()


def test_unrelated_texts_share_no_band():
    other = "明天上午十点在会议室开项目例会，请大家提前准备好本周的进度汇报材料"
    assert _bands(other) and not set(_bands(other)) & set(_bands(AD))


def test_content_hash_ignores_small_edits_and_needs_min_chars():
    assert content_hash(_tokens(AD), 10) == content_hash(_tokens(AD.replace("10", "99")), 10) != NONE16
    assert content_hash(_tokens("好的好的"), 10) == NONE16


def test_fingerprints_are_stable_across_processes():
    # no salted hash(): the same text gives the same keys in every process (replays, several workers)
    code = ("from tests.unit.test_counters_core import _bands, AD; from workers.core.signals import digest16;"
            "print(','.join(_bands(AD)), digest16('acct-1'))")
    outs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2")}
    assert len(outs) == 1 and outs.pop().split()[0] == ",".join(_bands(AD))
    assert len(_bands(AD)) == C.campaign.bands and all(len(b) == 16 for b in _bands(AD))


# --- policy ---

def test_default_policy_has_every_counter_and_the_old_fields_still_work():
    assert POLICY.burst is C.burst and POLICY.lateness_seconds == C.lateness_seconds == 300
    assert C.burst.window_seconds == 60 and C.hourly.window_seconds == 3600
    assert C.campaign.min_accounts >= 2 and C.handle_spread.min_accounts >= 2
    assert "url" not in C.handle_spread.kinds


def test_partial_counter_table_keeps_its_defaults():
    p = parse_policy({"version": "t", "counters": {"hourly": {"limit": 50}, "lateness_seconds": 10}})
    assert p.counters.hourly.limit == 50 and p.counters.hourly.window_seconds == 3600
    assert p.lateness_seconds == 10


@pytest.mark.parametrize("counters", [
    {"brust": {"limit": 3}},
    {"burst": {"limt": 3}},
    {"burst": {"window_seconds": 0}},
    {"campaign": {"min_accounts": 1}},
    {"repeats": {"weight": 3}},
    {"lateness_seconds": -1},
])
def test_bad_counter_tables_are_refused(counters):
    with pytest.raises(PolicyError):
        parse_policy({"version": "t", "counters": counters})


# --- findings ---

def _obs(**over) -> Observation:
    base = dict(account_id="a1", surface="group", conversation_id="g1", event_time=T0.timestamp(), event_id="e1")
    return Observation(**{**base, **over})


def test_rate_limits_fire_above_the_limit_and_not_at_it():
    at = counter_findings(CounterReading(_obs(), messages=C.burst.limit), POLICY)
    above = counter_findings(CounterReading(_obs(), messages=C.burst.limit + 1), POLICY)
    assert at == []
    assert [(f.rule_id, f.label) for f in above] == [("counters.burst", "behavior.burst")]
    assert above[0].evidence == f"acct:a1:ev messages={C.burst.limit + 1} in 60s (limit {C.burst.limit})"


def test_fanout_counts_only_speak_on_their_surface():
    many = C.group_fanout.limit + 1
    assert counter_findings(CounterReading(_obs(surface="direct"), groups=many), POLICY) == []
    assert counter_findings(CounterReading(_obs(), groups=many), POLICY)[0].label == "behavior.group_fanout"
    dm = counter_findings(CounterReading(_obs(surface="direct"), recipients=C.dm_fanout.limit + 1), POLICY)
    assert dm[0].label == "behavior.dm_fanout"


def test_campaign_and_handle_fire_from_min_accounts_on_and_name_the_key():
    m = C.campaign.min_accounts
    below = CounterReading(_obs(), campaign=KeyCount("camp:abc", m - 1))
    at = CounterReading(_obs(), campaign=KeyCount("camp:abc", m), handle=KeyCount("handle:wechat:x_y",
                                                                                  C.handle_spread.min_accounts))
    assert counter_findings(below, POLICY) == []
    found = {f.label: f.evidence for f in counter_findings(at, POLICY)}
    assert found["behavior.campaign"] == f"camp:abc accounts={m} in 600s (min {m})"
    assert found["behavior.handle_spread"].startswith("handle:wechat:x_y accounts=")


def test_a_new_account_supports_other_labels_but_gives_none_alone():
    engine = Engine(POLICY)
    young = MessageEvent(event_id="n1", account_id="n", surface="group", text="你好，请问明天几点开会？",
                         sent_at=T0, account_created_at=T0 - timedelta(days=1))
    reading = CounterReading(observation(young, engine.analyze(young), POLICY))
    support = counter_findings(reading, POLICY)
    assert [(f.rule_id, f.label, f.weight) for f in support] == [("counters.new_account", None, C.new_account.weight)]
    assert engine.decide(young, engine.analyze(young), support).action == "allow"
    burst = counter_findings(CounterReading(reading.obs, messages=C.burst.limit + 1), POLICY)
    old = engine.decide(young, engine.analyze(young), [f for f in burst if f.label])
    new = engine.decide(young, engine.analyze(young), burst)
    assert new.label_scores["behavior.burst"] == pytest.approx(old.label_scores["behavior.burst"] + C.new_account.weight)


def test_old_accounts_and_unknown_ages_are_not_new():
    ev = MessageEvent(event_id="o1", account_id="o", surface="group", text="hi", sent_at=T0,
                      account_created_at=T0 - timedelta(days=C.new_account.max_age_days + 1))
    assert observation(ev, Engine(POLICY).analyze(ev), POLICY).account_age_seconds > C.new_account.max_age_days * 86400
    assert counter_findings(CounterReading(_obs(account_age_seconds=None)), POLICY) == []


def test_observation_of_an_event_and_its_analysis():
    ev = MessageEvent(event_id="x1", account_id="a", surface="group", conversation_id="g", text=AD, sent_at=T0)
    obs = observation(ev, Engine(POLICY).analyze(ev), POLICY)
    assert obs.handles == ("wechat:xiaomei_8899",)
    assert obs.bands == _bands(AD) and obs.content != NONE16
    assert obs.time_ms == int(T0.timestamp() * 1000)
    url = MessageEvent(event_id="x2", account_id="a", surface="group", text="看看 example.com/news", sent_at=T0)
    assert observation(url, Engine(POLICY).analyze(url), POLICY).handles == ()  # URLs are not counted


# --- the in-memory store's semantics (the Redis store is held to the same by the contract test) ---

def _at(seconds: float, eid: str, account: str = "a", **over) -> Observation:
    return _obs(account_id=account, event_time=T0.timestamp() + seconds, event_id=eid, **over)


def test_windows_slide_by_event_time():
    store = InMemoryCounters(POLICY)
    got = [r.messages for r in store.observe_sync([_at(s, f"e{s}") for s in (0, 30, 59, 60, 61, 119, 121)])]
    # (t - 60s, t]: the event exactly 60 s older is out
    assert got == [1, 2, 3, 3, 4, 3, 2]


def test_late_events_count_in_their_window_and_see_only_the_past():
    store = InMemoryCounters(POLICY)
    store.observe_sync([_at(s, f"e{s}") for s in (0, 10, 20, 100)])
    late = store.observe_sync([_at(15, "late")])[0]
    assert late.messages == 3 and late.messages_hourly == 3  # 0, 10 and itself; not 20 or 100
    assert store.observe_sync([_at(40, "after")])[0].messages == 5  # 0, 10, 15 (late), 20, itself


def test_observing_an_event_twice_does_not_count_it_twice():
    store = InMemoryCounters(POLICY)
    first = store.observe_sync([_at(0, "e0"), _at(1, "e1")])
    again = store.observe_sync([_at(0, "e0"), _at(1, "e1")])
    assert [r.messages for r in first] == [1, 2]
    assert [r.messages for r in again] == [1, 2]


def test_distinct_accounts_per_campaign_band_count_each_account_once():
    store = InMemoryCounters(POLICY)
    seq = [_at(i, f"c{i}", account=f"acct{i % 3}", bands=("b1",)) for i in range(6)]
    assert [r.campaign.accounts for r in store.observe_sync(seq)] == [1, 2, 3, 3, 3, 3]
    assert store.observe_sync([_at(700, "later", account="z", bands=("b1",))])[0].campaign.accounts == 1


def _spread_reference(seq: list[tuple[int, str, str]], window_ms: int, lateness_ms: int) -> list[int]:
    """Every spread key a full sorted set from its first event on (what the Lua script keeps in Redis)."""
    from workers.core.memory_store import spread_step
    from workers.core.zset import ZSet

    keys: dict[str, ZSet] = {}
    return [spread_step(keys.setdefault(key, ZSet()), member, t, window_ms, lateness_ms) for t, key, member in seq]


@pytest.mark.parametrize("window_ms, lateness_ms", [(600_000, 300_000), (1000, 0), (1, 5000)])
@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 2_000_000), st.sampled_from("abcd"), st.sampled_from("uvwxyz")),
                max_size=40))
def test_a_spread_key_seen_once_answers_as_its_full_sorted_set(window_ms, lateness_ms, seq):
    """A campaign or handle key is kept as its one (member, time) until its second event: every answer, later
    ones included, is the full sorted set's (out of order events, repeated accounts and pruned windows). Windows
    are positive (the policy refuses others)."""
    from workers.core.memory_store import _spread

    keys: dict = {}
    got = [_spread(keys, key, member, t, window_ms, lateness_ms) for t, key, member in seq]
    assert got == _spread_reference(seq, window_ms, lateness_ms)


def _member(event: int, surface: str, conv: int, content: int) -> str:
    """An account member as `account_member` lays it out; conversation or content 0: none."""
    return (f"{event:016x}{surface}{f'{conv:016x}' if conv else NONE16}{f'{content:016x}' if content else NONE16}")


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 8_000_000), st.sampled_from("ab"), st.integers(0, 30),
                          st.sampled_from("mgd"), st.integers(0, 2), st.integers(0, 2)), max_size=40),
       st.sampled_from([POLICY.counters, parse_policy({"version": "t", "counters": {
           "max_events_per_account": 3, "scan_limit": 2, "lateness_seconds": 0}}).counters]))
def test_an_account_seen_once_answers_as_its_full_sorted_set(seq, counters):
    """An account is kept as its one (member, time) until its second event: every answer, later ones included,
    is the full sorted set's (the Lua script's twin), with small caps and scan limits too."""
    from workers.core.memory_store import _account, account_step
    from workers.core.zset import ZSet

    events = [(t, acct, _member(e, surface, conv, content)) for t, acct, e, surface, conv, content in seq]
    keys: dict = {}
    full: dict[str, ZSet] = {}
    got = [_account(keys, acct, m, t, counters) for t, acct, m in events]
    assert got == [account_step(full.setdefault(acct, ZSet()), m, t, counters) for t, acct, m in events]
