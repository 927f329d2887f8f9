"""The Prometheus rules and config pass promtool (check and unit tests); the Grafana dashboard is well formed
and covers every metric family; every alert is documented in ops/README.md. (That the worker exports every
metric these files use is checked against a real worker: tests/integration/test_observability.py.)"""
from __future__ import annotations

import re
import shutil
import subprocess

import yaml

from tests.ops_files import (
    ALERT_TESTS,
    ALERTS,
    PROMETHEUS,
    ROOT,
    alert_exprs,
    alert_rules,
    dashboard,
    dashboard_exprs,
    metric_names,
    panels,
)

# What issue #6 asks the alerts to cover, by alert name.
REQUIRED_ALERTS = {
    "ModworkerStalled",  # no events consumed while lag grows
    "ModworkerConsumerLagHigh",  # lag above a threshold
    "ModworkerDeadLetterRate",
    "ModworkerRedisErrors",
    "ModworkerDegraded",
    "ModworkerDecisionLatencyHigh",  # p99
    "ModworkerEnforcementRateJump",
    "ModworkerDown",
}
# What the dashboard must show: every metric family of the worker.
REQUIRED_ON_DASHBOARD = {
    "modworker_records_consumed_total", "modworker_events_consumed_total", "modworker_decisions_total",
    "modworker_labels_total", "modworker_rule_hits_total", "modworker_deadletters_total",
    "modworker_decision_latency_seconds_bucket", "modworker_batch_processing_seconds_bucket",
    "modworker_redis_roundtrip_seconds_bucket", "modworker_redis_errors_total", "modworker_degraded",
    "modworker_consumer_lag", "modworker_build_info", "modworker_assigned_partitions",
}


def _promtool(*args: str) -> subprocess.CompletedProcess:
    exe = shutil.which("promtool")
    assert exe, "promtool comes with Debian's prometheus package, installed by ops/setup"
    return subprocess.run([exe, *args], capture_output=True, text=True, cwd=ROOT)


def test_promtool_checks_the_alert_rules():
    result = _promtool("check", "rules", str(ALERTS))
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"SUCCESS: {len(alert_rules())} rules found" in result.stdout


def test_promtool_checks_the_prometheus_config():
    result = _promtool("check", "config", str(PROMETHEUS))
    assert result.returncode == 0, result.stdout + result.stderr


def test_promtool_unit_tests_of_the_alerts_pass():
    result = _promtool("test", "rules", str(ALERT_TESTS))
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_required_alert_exists_is_tested_firing_and_documented():
    rules = {r["alert"]: r for r in alert_rules()}
    assert REQUIRED_ALERTS <= set(rules)
    tests = yaml.safe_load(ALERT_TESTS.read_text())["tests"]
    fired = {t["alertname"] for case in tests for t in case.get("alert_rule_test", []) if t.get("exp_alerts")}
    assert set(rules) <= fired, set(rules) - fired
    guide = (ROOT / "ops" / "README.md").read_text()
    anchors = {re.sub(r"[^a-z0-9 -]", "", h.lower()).replace(" ", "-")
               for h in re.findall(r"(?m)^#+\s+(.+?)\s*$", guide)}
    for name, rule in rules.items():
        assert rule["labels"]["severity"] in ("page", "ticket"), name
        assert {"summary", "description", "runbook"} <= set(rule["annotations"]), name
        assert rule["annotations"]["runbook"] == f"ops/README.md#{name.lower()}"
        assert name.lower() in anchors, f"ops/README.md has no section {name}"


def test_alerts_look_at_the_live_workers_only():
    for rule in alert_rules():
        selectors = re.findall(r"\b(?:modworker_\w+|up)\{([^}]*)\}", rule["expr"])
        assert selectors, rule["alert"]
        for sel in selectors:
            assert 'job="modworker"' in sel, (rule["alert"], sel)


def test_dashboard_is_well_formed():
    dash = dashboard()
    assert dash["uid"] == "modworker" and dash["title"]
    ids = [p["id"] for p in panels()]
    assert len(ids) == len(set(ids))
    cells = set()
    for p in panels():
        g = p["gridPos"]
        assert 0 <= g["x"] and g["x"] + g["w"] <= 24 and g["h"] > 0, p["title"]
        for x in range(g["x"], g["x"] + g["w"]):
            for y in range(g["y"], g["y"] + g["h"]):
                assert (x, y) not in cells, f"panel {p['title']!r} overlaps another"
                cells.add((x, y))
        if p["type"] != "row":
            assert p["targets"] and all(t.get("expr") and t.get("refId") for t in p["targets"]), p["title"]
            assert p.get("description"), p["title"]
    names = {v["name"] for v in dash["templating"]["list"]}
    assert {"job", "instance"} <= names
    # every panel query selects by the dashboard's variables, so live and shadow jobs can be compared
    for p in panels():
        for t in p.get("targets", []):
            for sel in re.findall(r"\b(?:modworker_\w+|process_\w+|up)\{([^}]*)\}", t["expr"]):
                assert 'job=~"$job"' in sel, (p["title"], t["expr"])


def test_dashboard_shows_every_metric_family():
    used = metric_names(dashboard_exprs())
    assert REQUIRED_ON_DASHBOARD <= used, REQUIRED_ON_DASHBOARD - used


def test_metric_names_follow_the_prometheus_conventions():
    for name in metric_names(dashboard_exprs()) | metric_names(alert_exprs()):
        if not name.startswith("modworker_"):
            continue
        base = re.sub(r"_(bucket|sum|count)$", "", name)
        assert not re.search(r"_(ms|milliseconds|minutes|hours)\b", base), name
        if "latency" in base or "processing" in base or "roundtrip" in base:
            assert base.endswith("_seconds"), name
