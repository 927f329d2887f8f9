"""A real Prometheus (Debian's package, the binary only) scrapes a real worker with the alert rules loaded:
every dashboard query and every alert expression is valid PromQL and evaluates on the worker's series, and
every rule evaluates without error."""
from __future__ import annotations

import json
import shutil
import subprocess
import time
import urllib.parse
import urllib.request

import orjson
import pytest
from kafka import KafkaProducer

from tests.ops_files import ALERTS, alert_rules, dashboard_exprs, panels
from tests.support import BOOTSTRAP, WorkerRun, free_port


def _api(port: int, path: str, **params) -> dict:
    url = f"http://127.0.0.1:{port}/api/v1/{path}"
    if params:
        url += "?" + urllib.parse.urlencode(params)
    try:
        body = urllib.request.urlopen(url, timeout=10).read()
    except urllib.error.HTTPError as exc:  # a bad query answers 400 with the parser's error
        body = exc.read()
    return json.loads(body)


@pytest.fixture
def prometheus(tmp_path):
    exe = shutil.which("prometheus")
    assert exe, "prometheus comes with Debian's prometheus package, installed by ops/setup"
    procs = []

    def start(targets: list[str]) -> int:
        port = free_port()
        (tmp_path / "alerts.yml").write_text(ALERTS.read_text())
        (tmp_path / "prometheus.yml").write_text(json.dumps({  # JSON is YAML
            "global": {"scrape_interval": "1s", "evaluation_interval": "1s"},
            "rule_files": ["alerts.yml"],
            "scrape_configs": [{"job_name": "modworker", "static_configs": [{"targets": targets}]}],
        }))
        proc = subprocess.Popen(
            [exe, f"--config.file={tmp_path / 'prometheus.yml'}", f"--storage.tsdb.path={tmp_path / 'data'}",
             f"--web.listen-address=127.0.0.1:{port}"],
            stdout=subprocess.DEVNULL, stderr=open(tmp_path / "prometheus.log", "wb"))
        procs.append(proc)
        return port

    yield start
    for proc in procs:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_dashboard_queries_and_alert_rules_evaluate_on_a_scraped_worker(stack, prometheus):
    with WorkerRun("prom", LAG_INTERVAL_SECONDS="1") as run:
        worker_port = run.start_worker()
        producer = KafkaProducer(bootstrap_servers=BOOTSTRAP)
        now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        for i, text in enumerate(["招聘宝妈学生党，帮发朋友圈一条10元，日结，加我微信 xiaomei_8899", "周末一起吃饭吗？"]):
            producer.send(run.input_topic, key=f"acct-{i}".encode(), value=orjson.dumps(
                {"event_id": f"prom-{i}", "account_id": f"acct-{i}", "surface": "group", "text": text,
                 "sent_at": now, "conversation_id": "c"}))
        producer.send(run.input_topic, value=b"{broken")
        producer.flush()
        run.wait_consumed(3, timeout=60)

        port = prometheus([f"127.0.0.1:{worker_port}"])
        deadline = time.monotonic() + 60
        while True:  # a few scrapes after the traffic, so rate() has samples to work with
            try:
                got = _api(port, "query", query="count_over_time(modworker_decisions_total{action=\"allow\"}[1m])")
                if got["data"]["result"] and float(got["data"]["result"][0]["value"][1]) >= 4:
                    break
            except (OSError, KeyError, ValueError):
                pass
            assert time.monotonic() < deadline, "prometheus never scraped the worker"
            time.sleep(0.5)

        # every dashboard query, with the dashboard's variables as Grafana fills them in
        empty = []
        for p in panels():
            for t in p.get("targets", []):
                expr = t["expr"].replace('"$job"', '"modworker"').replace('"$instance"', '".*"')
                got = _api(port, "query", query=expr)
                assert got["status"] == "success", (p["title"], expr, got.get("error"))
                if not got["data"]["result"]:
                    empty.append((p["title"], expr))
        assert not empty, f"dashboard queries with no data on a worker that processed traffic: {empty}"

        # every alert expression is valid, and the loaded rules evaluate without error
        for rule in alert_rules():
            got = _api(port, "query", query=rule["expr"])
            assert got["status"] == "success", (rule["alert"], got.get("error"))
        deadline = time.monotonic() + 30
        while True:
            groups = _api(port, "rules")["data"]["groups"]
            loaded = {r["name"]: r for g in groups for r in g["rules"]}
            if loaded and all(r.get("lastEvaluation", "").startswith("20") for r in loaded.values()):
                break
            assert time.monotonic() < deadline, "rules never evaluated"
            time.sleep(0.5)
        assert set(loaded) == {r["alert"] for r in alert_rules()}
        for name, r in loaded.items():
            assert r["health"] == "ok", (name, r.get("lastError"))
        # a healthy worker that just decided fresh events: nothing fires
        firing = [a for a in _api(port, "alerts")["data"]["alerts"] if a["state"] == "firing"]
        assert not firing, firing
