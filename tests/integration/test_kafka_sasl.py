"""Kafka SASL on the real broker: the SASL_PLAINTEXT listener of ops/stack (mechanism PLAIN, port
KAFKA_SASL_PORT, default KAFKA_PORT+2, local-only user `modworker`; see ops/kafka/server.properties).

Every Kafka client of the worker (topic admin, faust's consumer and producers, the consumer lag probe) and of
`modworker replay` / `record` logs in with the credentials of the MODWORKER_KAFKA_* environment, and the
password never shows in what they print. A wrong password stops the worker at once with an error that says
so. The topics of each run are created through the PLAINTEXT listener (tests/support.py WorkerRun); only
the clients under test talk to the SASL listener, so a record there proves that the login worked.
"""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest

from schemas.models import EnforcementEvent
from tests.support import ROOT, SASL_BOOTSTRAP, SASL_PASSWORD, SASL_USERNAME, WorkerRun, free_port
from workers.adapters.connections import kafka_python_kwargs
from workers.commands.topic_io import read_topic
from workers.core.engine import enforcement_id
from workers.settings import Settings

WRONG_PASSWORD = "not-the-modworker-password-7f3e"
SCAM = "招聘宝妈学生党，帮发朋友圈一条10元，日结，加我微信 xiaomei_8899"


def sasl_settings(password: str = SASL_PASSWORD) -> dict[str, str]:
    """The worker's settings (MODWORKER_* without the prefix) to reach the broker through SASL/PLAIN."""
    return {"kafka_bootstrap": SASL_BOOTSTRAP, "kafka_security_protocol": "SASL_PLAINTEXT",
            "kafka_sasl_mechanism": "PLAIN", "kafka_sasl_username": SASL_USERNAME, "kafka_sasl_password": password}


def sasl_env(run: WorkerRun, password: str = SASL_PASSWORD) -> dict[str, str]:
    env = run.env(free_port())
    env.update({f"MODWORKER_{k.upper()}": v for k, v in sasl_settings(password).items()})
    return env


def sasl_client() -> dict:
    """kafka-python arguments for the test's own reads, built as the CLI builds them."""
    return kafka_python_kwargs(Settings(**sasl_settings()))


def _event(event_id: str, account: str, text: str, second: int) -> dict:
    return {"event_id": event_id, "account_id": account, "surface": "moments", "text": text,
            "sent_at": f"2026-11-28T10:00:{second:02d}Z", "conversation_id": None}


def _cli(args: list[str], env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "workers.cli", *args], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout)


def _assert_no_password(text: str) -> None:
    for secret in (SASL_PASSWORD, WRONG_PASSWORD):
        assert secret not in text, f"a Kafka password leaked:\n{text[-3000:]}"


def test_sasl_listener_requires_the_login(stack):
    """The listener under test really requires the login (otherwise the tests below would prove nothing)."""
    from kafka import KafkaAdminClient
    from kafka.errors import KafkaError

    admin = KafkaAdminClient(**sasl_client())
    try:
        assert isinstance(admin.list_topics(), list)
    finally:
        admin.close()
    with pytest.raises(KafkaError):
        KafkaAdminClient(bootstrap_servers=SASL_BOOTSTRAP, bootstrap_timeout_ms=3000)  # no login


def test_worker_and_record_replay_through_sasl(stack, tmp_path):
    with WorkerRun("sasl", lag_interval_seconds="1") as run:
        # replay: the input goes in through SASL
        events = [_event("sasl-scam-1", "acct-sasl-scam", SCAM, 0),
                  _event("sasl-ok-1", "acct-sasl-ok", "周末一起吃饭吗？", 1)]
        src = tmp_path / "events.jsonl"
        src.write_bytes(b"".join(orjson.dumps(e) + b"\n" for e in events))
        env = sasl_env(run)
        replay = _cli(["replay", str(src), "--topic", run.input_topic, "--quiet"], env)
        assert replay.returncode == 0, replay.stderr
        _assert_no_password(replay.stdout + replay.stderr)

        # the worker: bootstrap, protocol, mechanism, user and password from the environment
        run.start_worker(**sasl_settings())
        run.wait_consumed(2, timeout=60)
        deadline = time.monotonic() + 30  # the lag probe (aiokafka admin) logs in through SASL too
        while run.metric("modworker_consumer_lag_last_success_timestamp_seconds") == 0:
            assert time.monotonic() < deadline, "the consumer lag was never measured through SASL"
            time.sleep(0.5)
        lag_errors = run.metric("modworker_consumer_lag_errors_total")

        # the output, read through SASL: by the test (kafka-python) and by `modworker record`
        records = [orjson.loads(line) for line in
                   read_topic(run.enforcement_topic, SASL_BOOTSTRAP, None, 2.0, client=sasl_client())]
        out = tmp_path / "enforcements.jsonl"
        record = _cli(["record", "--topic", run.enforcement_topic, "--output", str(out), "--timeout", "2"], env)
        assert record.returncode == 0, record.stderr
        _assert_no_password(record.stdout + record.stderr)
        recorded = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    log = run.procs[0][2].read_text(encoding="utf-8", errors="replace")

    assert len(records) == 1, records  # the clean message is allowed: no enforcement event
    enf = EnforcementEvent.model_validate(records[0]["value"])
    assert records[0]["key"] == "acct-sasl-scam"
    assert enf.event_id == "sasl-scam-1" and enf.action != "allow"
    assert "recruitment_scam.paid_posting" in enf.labels
    assert enf.enforcement_id == enforcement_id("sasl-scam-1", enf.policy_version)
    assert recorded == records
    assert lag_errors == 0
    assert '"kafka_security_protocol":"SASL_PLAINTEXT"' in log and SASL_BOOTSTRAP in log
    assert f"Authenticated as {SASL_USERNAME} via PLAIN" in log, log[-3000:]  # aiokafka: faust's clients
    _assert_no_password(log)


def test_wrong_password_stops_the_worker_with_an_authentication_error(stack):
    with WorkerRun("saslbad") as run:
        log_path = ROOT / ".stack" / "logs" / f"test-{run.run_id}-badpw.log"
        with open(log_path, "wb") as out:
            proc = subprocess.Popen([sys.executable, "-m", "workers.cli", "worker"],
                                    env=sasl_env(run, WRONG_PASSWORD), cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
        started = time.monotonic()
        try:
            code = proc.wait(timeout=90)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        elapsed = time.monotonic() - started
    log = Path(log_path).read_text(encoding="utf-8", errors="replace")

    assert code != 0, f"the worker ran with a wrong password:\n{log[-3000:]}"
    assert elapsed < 45, f"took {elapsed:.0f}s to give up on refused credentials"
    errors = [orjson.loads(line) for line in log.splitlines()
              if line.startswith("{") and '"level":"error"' in line and '"logger":"workers.' in line]
    assert errors, log[-3000:]
    message = errors[-1]["message"]
    assert message.startswith("kafka authentication failed at " + SASL_BOOTSTRAP), message
    assert "SASL_PLAINTEXT" in message and "PLAIN" in message and repr(SASL_USERNAME) in message
    assert "Invalid username or password" in message  # the broker's own reason
    assert "MODWORKER_KAFKA_SASL_PASSWORD" in message  # what to check
    assert "KafkaAuthenticationError" in log  # and the process ends on that error, not on a timeout
    assert code == 2 and "Traceback" not in log  # a clean stop: the JSON lines say it all
    _assert_no_password(log)
