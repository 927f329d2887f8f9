"""`modworker bench` end to end on the real broker and Redis, at a small size.

Checks the report's shape and sanity, never a speed: the machine may be slow or busy, and a test must not
fail for that. The bench cleans up after itself: its topics are gone when it returns.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time

import orjson
from kafka import KafkaAdminClient

from tests.support import BOOTSTRAP, REDIS_URL, ROOT

FIELDS = ("events", "ceiling_eps", "worker_eps", "ratio", "p50_ms", "p99_ms", "offered_eps", "samples")


def test_bench_reports_throughput_and_latency(stack, tmp_path):
    plot = tmp_path / "bench.png"
    env = dict(os.environ, MODWORKER_KAFKA_BOOTSTRAP=BOOTSTRAP, MODWORKER_REDIS_URL=REDIS_URL)
    proc = subprocess.run(
        [sys.executable, "-m", "workers.cli", "bench", "--events", "3000", "--json", "--plot", str(plot)],
        cwd=ROOT, env=env, capture_output=True, timeout=280,
    )
    assert proc.returncode == 0, proc.stderr.decode()[-4000:]
    lines = proc.stdout.decode().strip().splitlines()
    assert len(lines) == 1, lines  # stdout is one JSON object; progress went to stderr
    report = orjson.loads(lines[0])
    for name in FIELDS:
        assert name in report, name
    assert report["events"] == 3000
    assert report["ceiling_eps"] > 0 and report["worker_eps"] > 0
    assert report["ratio"] > 0
    assert report["p99_ms"] >= report["p50_ms"] >= 0
    assert report["samples"] > 0
    assert sum(report["worker"]["per_process"]) == 3000
    assert sum(report["worker"]["actions"].values()) == 3000  # every event decided
    assert plot.read_bytes()[:4] == b"\x89PNG"
    assert b"[bench]" in proc.stderr

    admin = KafkaAdminClient(bootstrap_servers=BOOTSTRAP)
    try:
        deadline = time.monotonic() + 15  # deletion is asynchronous on the broker
        while (left := [t for t in admin.list_topics() if t.startswith(report["run_id"])]) and \
                time.monotonic() < deadline:
            time.sleep(0.5)
    finally:
        admin.close()
    assert left == []
