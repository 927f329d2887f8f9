"""Test helpers shared by the replay and integration tiers: a real worker process on topics of its own."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import orjson

from workers.adapters.topics import ensure_topics
from workers.commands.demo import scrape
from workers.commands.topic_io import read_topic

ROOT = Path(__file__).resolve().parent.parent
KAFKA_PORT = int(os.environ.get("KAFKA_PORT", "9092"))
BOOTSTRAP = os.environ.get("MODWORKER_KAFKA_BOOTSTRAP", f"127.0.0.1:{KAFKA_PORT}")
# The same broker's SASL_PLAINTEXT listener (mechanism PLAIN) and its one local-only user: ops/stack, KAFKA_SASL_PORT.
SASL_BOOTSTRAP = f"127.0.0.1:{os.environ.get('KAFKA_SASL_PORT', str(KAFKA_PORT + 2))}"
SASL_USERNAME = "modworker"
SASL_PASSWORD = "modworker-local-secret"
REDIS_URL = os.environ.get("MODWORKER_REDIS_URL", f"redis://127.0.0.1:{os.environ.get('REDIS_PORT', '6379')}/0")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class WorkerRun:
    """A namespace (topics, group, Redis prefix) for one test, and worker processes that run in it."""

    def __init__(self, name: str, partitions: int = 2, bootstrap: str = BOOTSTRAP, **settings: str):
        self.bootstrap = bootstrap
        self.run_id = f"{name}-{uuid.uuid4().hex[:8]}"
        self.input_topic = f"{self.run_id}.messages"
        self.enforcement_topic = f"{self.run_id}.enforcements"
        self.deadletter_topic = f"{self.run_id}.deadletter"
        self.partitions = partitions
        self.settings = settings
        self.procs: list[tuple[subprocess.Popen, int, Path]] = []
        ensure_topics(bootstrap, {self.input_topic: partitions, self.enforcement_topic: partitions,
                                  self.deadletter_topic: partitions})  # exactly_once needs as many

    def env(self, metrics_port: int) -> dict[str, str]:
        env = dict(os.environ)
        env.update({
            "MODWORKER_KAFKA_BOOTSTRAP": self.bootstrap,
            "MODWORKER_REDIS_URL": REDIS_URL,
            "MODWORKER_INPUT_TOPIC": self.input_topic,
            "MODWORKER_ENFORCEMENT_TOPIC": self.enforcement_topic,
            "MODWORKER_DEADLETTER_TOPIC": self.deadletter_topic,
            "MODWORKER_CONSUMER_GROUP": f"modworker-{self.run_id}",
            "MODWORKER_REDIS_PREFIX": f"mwtest:{self.run_id}:",
            "MODWORKER_METRICS_PORT": str(metrics_port),
            "MODWORKER_TOPIC_PARTITIONS": str(self.partitions),
            "MODWORKER_SESSION_TIMEOUT_SECONDS": "6",
            "MODWORKER_WORKDIR": str(ROOT / ".stack" / "faust" / self.run_id),
        })
        env.update({f"MODWORKER_{k.upper()}": v for k, v in self.settings.items()})
        return env

    def start_worker(self, **overrides: str) -> int:
        """Start one worker process; returns its metrics port once its metrics endpoint answers.

        `overrides` are settings of this process only (e.g. shadow="true"), on top of the run's."""
        port = free_port()
        log_path = ROOT / ".stack" / "logs" / f"test-{self.run_id}-{len(self.procs)}.log"
        log_path.parent.mkdir(parents=True, exist_ok=True)
        env = self.env(port)
        env.update({f"MODWORKER_{k.upper()}": v for k, v in overrides.items()})
        with open(log_path, "wb") as log:
            proc = subprocess.Popen([sys.executable, "-m", "workers.cli", "worker"], env=env,
                                    stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
        self.procs.append((proc, port, log_path))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"worker exited with {proc.returncode}:\n{log_path.read_text()[-3000:]}")
            if _metrics_up(port):
                return port
            time.sleep(0.2)
        raise RuntimeError(f"worker metrics never came up:\n{log_path.read_text()[-3000:]}")

    def metric(self, name: str) -> float:
        """A metric family summed over every worker process started in this run (live ones only)."""
        return sum(scrape(port, name) for proc, port, _ in self.procs if proc.poll() is None)

    def consumed(self) -> float:
        return self.metric("modworker_records_consumed_total")

    def wait_consumed(self, n: int, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while self.consumed() < n:
            for proc, _, log_path in self.procs:
                if proc.poll() is not None:
                    raise RuntimeError(f"worker died:\n{log_path.read_text()[-3000:]}")
            if time.monotonic() > deadline:
                logs = "\n".join(p.read_text()[-2000:] for _, _, p in self.procs)
                raise TimeoutError(f"consumed {self.consumed()}/{n} after {timeout}s\n{logs}")
            time.sleep(0.2)

    def read(self, topic: str, idle: float = 2.0) -> list[dict]:
        return [orjson.loads(line) for line in read_topic(topic, self.bootstrap, None, idle)]

    def stop(self) -> None:
        for proc, _, _ in self.procs:
            if proc.poll() is None:
                proc.terminate()
        for proc, _, _ in self.procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def __enter__(self) -> "WorkerRun":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def _metrics_up(port: int) -> bool:
    import urllib.request

    try:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=1).read()
        return True
    except OSError:
        return False


def traffic(n: int, seed: int = 7) -> list[dict]:
    """n MessageEvents for fault and load tests: texts drawn from the dev corpus, one account per ~5 events
    (so per-account counters stay quiet and decisions depend on the text), event times one second apart."""
    import random
    from datetime import datetime, timedelta, timezone

    texts = [orjson.loads(l)["text"] for l in (ROOT / "tests/data/corpus/dev.events.jsonl").read_bytes().splitlines()]
    rnd = random.Random(seed)
    start = datetime(2026, 11, 28, 8, 0, tzinfo=timezone.utc)
    out = []
    for i in range(n):
        surface = rnd.choice(["moments", "group", "group", "direct"])
        out.append({
            "event_id": f"t{seed}-{i:06d}",
            "account_id": f"acct-{seed}-{i // 5:05d}",
            "surface": surface,
            "conversation_id": None if surface == "moments" else f"conv-{rnd.randrange(500)}",
            "text": rnd.choice(texts),
            "sent_at": (start + timedelta(seconds=i)).isoformat(),
        })
    return out


def produce(topic: str, events: list[dict], bootstrap: str = BOOTSTRAP) -> None:
    from kafka import KafkaProducer

    producer = KafkaProducer(bootstrap_servers=bootstrap, linger_ms=5, batch_size=256 * 1024)
    for ev in events:
        producer.send(topic, key=ev["account_id"].encode(), value=orjson.dumps(ev))
    producer.flush()
    producer.close()


def delivery_policy(tmp_dir: Path) -> Path:
    """The default policy with cross-account campaign thresholds out of reach, for delivery (fault) tests.

    Cross-account counts depend on how partitions interleave (README, "Counters"), so a test of "nothing
    lost" compares against decisions that depend only on each event and its own account's history."""
    source = ROOT / "ops" / "policy" / "default.toml"
    text = source.read_text(encoding="utf-8")
    import re

    text = re.sub(r"(?m)^min_accounts = \d+", "min_accounts = 1000000", text)
    # the copy lives elsewhere: its text model file (relative to the policy's folder) by absolute path
    text = re.sub(r'(?m)^file = "([^"]+)"', lambda m: f'file = "{(source.parent / m.group(1)).as_posix()}"', text)
    text = re.sub(r'(?m)^version = "([^"]+)"', r'version = "\1-delivery-test"', text, count=1)
    path = tmp_dir / "delivery-policy.toml"
    path.write_text(text, encoding="utf-8")
    return path


def expected_enforced(events: list[dict], policy_file: Path | None = None) -> set[str]:
    """Event ids the worker must enforce on, decided offline by `modworker scan`'s code path."""
    from workers.commands.scan import scan_lines
    from workers.core.policy import load_policy
    from workers.settings import DEFAULT_POLICY

    policy = load_policy(policy_file or DEFAULT_POLICY)

    # scan sees events in file order; the worker sees each account's events in order (one partition per key)
    lines = (orjson.dumps(e) for e in events)
    return {orjson.loads(o)["event_id"] for o in scan_lines(lines, policy)
            if orjson.loads(o)["action"] != "allow"}
