"""The operations files (Grafana dashboard, Prometheus rules) as tests read them: which metrics they use."""
from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DASHBOARD = ROOT / "ops" / "grafana" / "dashboards" / "modworker.json"
ALERTS = ROOT / "ops" / "prometheus" / "alerts.yml"
PROMETHEUS = ROOT / "ops" / "prometheus" / "prometheus.yml"
ALERT_TESTS = ROOT / "ops" / "prometheus" / "alerts.test.yml"

# Series Prometheus makes itself for every target; no worker exports them.
PROMETHEUS_SERIES = {"up", "scrape_duration_seconds", "scrape_samples_scraped"}
# Metric names in PromQL: ours and the process collector's. Label names and functions never match these.
_METRIC = re.compile(r"\b((?:modworker|process|python)_[a-zA-Z0-9_]*[a-zA-Z0-9]|up)\b(?!\s*\()")


def dashboard() -> dict:
    return json.loads(DASHBOARD.read_text())


def panels(dash: dict | None = None) -> list[dict]:
    out = []
    for p in (dash or dashboard())["panels"]:
        out.append(p)
        out.extend(p.get("panels", []))  # panels of collapsed rows
    return out


def dashboard_exprs() -> list[str]:
    exprs = [t["expr"] for p in panels() for t in p.get("targets", []) if t.get("expr")]
    for var in dashboard().get("templating", {}).get("list", []):
        q = var.get("query")
        exprs.append(q["query"] if isinstance(q, dict) else str(q or ""))
    return exprs


def alert_rules() -> list[dict]:
    return [r for g in yaml.safe_load(ALERTS.read_text())["groups"] for r in g["rules"]]


def alert_exprs() -> list[str]:
    return [r["expr"] for r in alert_rules()]


def metric_names(exprs: list[str]) -> set[str]:
    names = set()
    for e in exprs:
        # label_values(metric, label) and label matchers name no metric in their second part
        names.update(m.group(1) for m in _METRIC.finditer(re.sub(r'"[^"]*"', '""', e)))
    return names
