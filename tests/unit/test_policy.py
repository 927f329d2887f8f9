from __future__ import annotations

import pytest

from workers.core.policy import PolicyError, load_policy, parse_policy
from workers.settings import DEFAULT_POLICY


def test_default_policy_loads_with_a_version_and_thresholds_for_every_surface():
    policy = load_policy(DEFAULT_POLICY)
    assert policy.version
    assert set(policy.thresholds) == {"moments", "group", "direct"}


def test_every_counter_acts_on_its_own_where_it_is_meant_to():
    # The operating point moves the review bars (README, "Detection quality"); a counter weight left under them
    # silently stops the counter from acting on its own (5 accounts promoting one WeChat ID would be allowed).
    policy = load_policy(DEFAULT_POLICY)
    group, direct, c = policy.thresholds["group"], policy.thresholds["direct"], policy.counters
    assert group == policy.thresholds["moments"]
    assert c.repeats.weight >= group["review"]
    for counter in (c.campaign, c.handle_spread, c.hourly, c.group_fanout, c.dm_fanout):
        assert direct["review"] <= counter.weight < group["limit"]
    assert c.burst.weight >= group["limit"]


def test_action_is_the_harshest_threshold_reached_and_allowlist_wins():
    policy = parse_policy({
        "version": "t1",
        "thresholds": {"default": {"review": 0.3, "limit": 0.5, "remove": 0.7, "suspend": 0.9},
                       "direct": {"review": 0.4}},
        "allowlist": {"accounts": ["vip"]},
    })
    assert policy.action_for("group", 0.29, "a") == "allow"
    assert policy.action_for("group", 0.3, "a") == "review"
    assert policy.action_for("group", 0.69, "a") == "limit"
    assert policy.action_for("group", 0.95, "a") == "suspend"
    assert policy.action_for("direct", 0.35, "a") == "allow"
    assert policy.action_for("group", 0.95, "vip") == "allow"


@pytest.mark.parametrize("data", [
    {},
    {"version": "x", "thresholds": {"default": {"review": 0.8, "limit": 0.5}}},
    {"version": "x", "thresholds": {"default": {"ban": 0.5}}},
])
def test_inconsistent_policies_are_refused(data):
    with pytest.raises(PolicyError):
        parse_policy(data)


def test_missing_policy_file_is_a_clear_error(tmp_path):
    with pytest.raises(PolicyError, match="cannot read policy file"):
        load_policy(tmp_path / "nope.toml")


def test_text_model_alone_bar_is_read_and_checked(tmp_path):
    base = {"version": "x", "text_model": {"file": "m.json", "sha256": "a" * 64, "share": 0.75}}
    assert parse_policy(base, tmp_path).text_model.alone_min_score == 0.0  # absent: no bar
    base["text_model"]["alone_min_score"] = 0.58
    assert parse_policy(base, tmp_path).text_model.alone_min_score == 0.58
    base["text_model"]["alone_min_score"] = 1.5
    with pytest.raises(PolicyError, match="alone_min_score"):
        parse_policy(base, tmp_path)
