"""A real worker on the real broker and Redis, seen as an operator sees it: /metrics over HTTP, consumer lag
per partition, and its JSON log lines."""
from __future__ import annotations

import subprocess
import time
import urllib.request

import orjson
import pytest
from kafka import KafkaProducer
from prometheus_client.parser import text_string_to_metric_families

from tests.ops_files import PROMETHEUS_SERIES, alert_exprs, dashboard_exprs, metric_names
from tests.support import BOOTSTRAP, ROOT, WorkerRun, free_port
from workers.core.policy import load_policy
from workers.settings import DEFAULT_POLICY

SCAM = "招聘宝妈学生党，帮发朋友圈一条10元，日结，加我微信 xiaomei_8899"
# Labels a family may have: bounded ones only (never an account id, event id or text).
ALLOWED_LABELS = {"surface", "action", "category", "subtype", "rule_id", "error_class", "topic", "partition",
                  "le", "version", "policy_version", "mode", "implementation", "major", "minor", "patchlevel"}


def _event(event_id: str, account: str, text: str, surface: str) -> bytes:
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    return orjson.dumps({"event_id": event_id, "account_id": account, "surface": surface, "text": text,
                         "sent_at": now, "conversation_id": None if surface == "moments" else "conv-1"})


def scrape_all(port: int) -> dict[str, list]:
    """Every sample of the worker's /metrics, by sample name: [(labels, value), ...]."""
    body = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5).read().decode()
    out: dict[str, list] = {}
    for family in text_string_to_metric_families(body):
        for s in family.samples:
            out.setdefault(s.name, []).append((s.labels, s.value))
    return out


def total(samples: dict, name: str, **labels: str) -> float:
    return sum(v for lab, v in samples.get(name, []) if all(lab.get(k) == x for k, x in labels.items()))


def wait_for(predicate, timeout: float, what: str, port: int):
    deadline = time.monotonic() + timeout
    while True:
        samples = scrape_all(port)
        if predicate(samples):
            return samples
        if time.monotonic() > deadline:
            lag = samples.get("modworker_consumer_lag")
            raise AssertionError(f"{what} not seen within {timeout}s; consumer lag: {lag}")
        time.sleep(0.3)


def json_lines(path) -> list[dict]:
    """The worker's log, each line parsed; a line that is not a JSON object fails the test."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        obj = orjson.loads(line)  # raises on anything but JSON
        assert isinstance(obj, dict), line
        out.append(obj)
    return out


def test_metrics_endpoint_exports_every_family_the_dashboard_and_alerts_use(stack):
    with WorkerRun("metrics", LAG_INTERVAL_SECONDS="1") as run:
        port = run.start_worker()
        producer = KafkaProducer(bootstrap_servers=BOOTSTRAP)
        producer.send(run.input_topic, key=b"acct-scam", value=_event("m-scam", "acct-scam", SCAM, "moments"))
        producer.send(run.input_topic, key=b"acct-ok", value=_event("m-ok", "acct-ok", "周末一起吃饭吗？", "group"))
        producer.send(run.input_topic, key=b"acct-dm", value=_event("m-dm", "acct-dm", "明天见", "direct"))
        producer.send(run.input_topic, key=b"acct-bad", value=b"this is not json")
        producer.flush()
        run.wait_consumed(4, timeout=60)

        # the lag probe has measured both partitions since everything was committed: lag 0 on each
        samples = wait_for(
            lambda s: len(s.get("modworker_consumer_lag", [])) == run.partitions
            and total(s, "modworker_consumer_lag") == 0 and total(s, "modworker_decisions_total") == 3,
            30, "consumer lag 0 on every partition", port)

        assert total(samples, "modworker_records_consumed_total") == 4
        for surface in ("moments", "group", "direct"):
            assert total(samples, "modworker_events_consumed_total", surface=surface) == 1, surface
        assert total(samples, "modworker_decisions_total", action="allow") == 2
        assert total(samples, "modworker_decisions_total") - total(samples, "modworker_decisions_total",
                                                                     action="allow") == 1
        assert total(samples, "modworker_labels_total", category="recruitment_scam", subtype="paid_posting") == 1
        assert total(samples, "modworker_rule_hits_total") >= 2
        assert total(samples, "modworker_deadletters_total", error_class="InvalidJson") == 1
        assert total(samples, "modworker_deadletters_total") == 1
        # events were sent just now: decided within seconds of their event time
        assert total(samples, "modworker_decision_latency_seconds_count") == 3
        assert 0 <= total(samples, "modworker_decision_latency_seconds_sum") < 3 * 60
        assert total(samples, "modworker_batch_processing_seconds_count") >= 1
        assert total(samples, "modworker_redis_roundtrip_seconds_count") >= 1
        assert total(samples, "modworker_redis_errors_total") == 0
        assert total(samples, "modworker_degraded") == 0
        assert total(samples, "modworker_assigned_partitions") == run.partitions
        assert {lab["partition"] for lab, _ in samples["modworker_consumer_lag"]} == {"0", "1"}
        assert {lab["topic"] for lab, _ in samples["modworker_consumer_lag"]} == {run.input_topic}
        assert total(samples, "modworker_consumer_lag_errors_total") == 0
        assert abs(total(samples, "modworker_consumer_lag_last_success_timestamp_seconds") - time.time()) < 30
        (info, value), = samples["modworker_build_info"]
        assert value == 1
        assert info["policy_version"] == load_policy(DEFAULT_POLICY).version and info["mode"] == "live"
        assert total(samples, "process_resident_memory_bytes") > 0

        # conventions: counters end in _total, durations are in seconds, labels are bounded
        for name, series in samples.items():
            assert name.startswith(("modworker_", "process_", "python_")), name
            for labels, _ in series:
                assert set(labels) <= ALLOWED_LABELS, (
                    f"{name} has labels {set(labels) - ALLOWED_LABELS}: add them to ALLOWED_LABELS only if their "
                    "values are bounded (never account ids, event ids or text)")
        # every metric the dashboard and the alert rules use is exported (up is Prometheus' own)
        used = metric_names(dashboard_exprs()) | metric_names(alert_exprs())
        missing = used - set(samples) - PROMETHEUS_SERIES
        assert not missing, f"used by ops/grafana or ops/prometheus but not exported: {sorted(missing)}"

        # the log: JSON lines, with the enforcement and the dead letter, never the message text
        lines = json_lines(run.procs[0][2])
        assert all({"time", "level", "logger", "message"} <= set(l) for l in lines)
        enforced = [l for l in lines if l.get("event_id") == "m-scam"]
        assert enforced and enforced[0]["decision"] != "allow" and enforced[0]["policy_version"]
        assert any(l.get("error_class") == "InvalidJson" and l.get("decision") == "deadletter" for l in lines)
        log_text = run.procs[0][2].read_text(encoding="utf-8")
        assert SCAM not in log_text and "xiaomei_8899" not in log_text and "周末一起吃饭吗" not in log_text
        assert "acct-scam" not in log_text


@pytest.fixture
def private_redis():
    """A Redis of this test's own, with a password, on a free port; started later by the test (start())."""
    port = free_port()
    password = "redis-pw-Zq8s3cret"
    procs = []

    def start():
        proc = subprocess.Popen(["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "",
                                 "--appendonly", "no", "--requirepass", password],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        procs.append(proc)
        deadline = time.monotonic() + 10
        while subprocess.run(["redis-cli", "-p", str(port), "-a", password, "--no-auth-warning", "ping"],
                             capture_output=True, text=True).stdout.strip() != "PONG":
            assert time.monotonic() < deadline and proc.poll() is None, "private redis did not start"
            time.sleep(0.1)

    yield port, password, start
    for proc in procs:
        proc.terminate()
        proc.wait(timeout=10)


def test_consumer_lag_grows_while_the_worker_is_stuck_and_drains_to_zero(stack, private_redis):
    """Redis is not there yet (outage=pause): the worker fetches but cannot decide, so nothing is committed
    and its lag shows every record; once Redis is up it decides, commits, and the lag goes back to 0."""
    redis_port, password, start_redis = private_redis
    n = 40
    with WorkerRun("lag", LAG_INTERVAL_SECONDS="1", REDIS_OUTAGE="pause",
                   REDIS_URL=f"redis://:{password}@127.0.0.1:{redis_port}/0") as run:
        port = run.start_worker()
        producer = KafkaProducer(bootstrap_servers=BOOTSTRAP)
        for i in range(n):
            producer.send(run.input_topic, key=f"acct-{i % 7}".encode(),
                          value=_event(f"lag-{i}", f"acct-{i % 7}", f"今天天气不错 {i}", "group"))
        producer.flush()

        stuck = wait_for(lambda s: total(s, "modworker_consumer_lag") == n
                         and total(s, "modworker_redis_errors_total") > 0, 60, f"lag of {n}", port)
        assert len(stuck["modworker_consumer_lag"]) == run.partitions
        assert total(stuck, "modworker_decisions_total") == 0
        assert total(stuck, "modworker_degraded") == 0  # pause, not degrade
        assert total(stuck, "modworker_counters_paused") == 1

        start_redis()
        drained = wait_for(lambda s: total(s, "modworker_decisions_total") == n
                           and total(s, "modworker_consumer_lag") == 0, 60, "lag back to 0", port)
        assert len(drained["modworker_consumer_lag"]) == run.partitions
        assert total(drained, "modworker_redis_roundtrip_seconds_count") >= 1

        lines = json_lines(run.procs[0][2])
        assert any(l["level"] == "error" and "counters unavailable" in l["message"] for l in lines)
        started = [l for l in lines if l["message"] == "worker starting"]
        assert started and started[0]["redis"] == f"redis://:***@127.0.0.1:{redis_port}/0"
        log_text = run.procs[0][2].read_text(encoding="utf-8")
        assert password not in log_text
        assert "今天天气不错" not in log_text
