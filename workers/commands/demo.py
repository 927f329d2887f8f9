"""`modworker demo`: the whole path on the local stack, in one command.

Starts Kafka and Redis through ops/stack if they are not running, starts a worker on demo topics of its
own (a fresh run id, so reruns never mix), replays the bundled sample traffic, waits until the worker's
own metrics say every record was consumed, then prints what was enforced and stops the worker.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import unicodedata
import urllib.request
from pathlib import Path

import orjson

from workers.adapters.topics import ensure_topics
from workers.commands.topic_io import read_topic, run_replay
from workers.settings import REPO_ROOT, Settings

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "demo_sample.jsonl"


def scrape(port: int, name: str) -> float:
    """Sum of one metric family's samples (0 when the endpoint is not up yet)."""
    try:
        body = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2).read().decode()
    except OSError:
        return 0.0
    total = 0.0
    for line in body.splitlines():
        if line.startswith(name) and (line[len(name)] in " {"):
            total += float(line.rsplit(" ", 1)[1])
    return total


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _cut(s: str, width: int) -> str:
    out, w = "", 0
    for c in s:
        cw = 2 if unicodedata.east_asian_width(c) in "WF" else 1
        if w + cw > width:
            return out + "…"
        out, w = out + c, w + cw
    return out


def _pad(s: str, width: int) -> str:
    s = _cut(s, width)
    return s + " " * max(0, width - _width(s))


def evidence_of(enf: dict, texts: dict[str, str]) -> str:
    text = texts.get(enf["event_id"], "")
    parts = []
    for r in enf["reasons"]:
        if r.get("evidence"):
            parts.append(r["evidence"])
        elif r["end"] > r["start"]:
            parts.append("「" + text[r["start"]:r["end"]] + "」")
    return " ".join(dict.fromkeys(parts))


def print_table(enforcements: list[dict], texts: dict[str, str]) -> None:
    cols = (("account", 14), ("action", 8), ("labels", 40), ("evidence", 60))
    print("  ".join(_pad(name, w) for name, w in cols))
    print("  ".join("-" * w for _, w in cols))
    for e in enforcements:
        row = (e["account_id"], e["action"], ",".join(e["labels"]), evidence_of(e, texts))
        print("  ".join(_pad(v, w) for v, (_, w) in zip(row, cols)))


def run_demo(settings: Settings, sample: str | None, timeout: float) -> int:
    subprocess.run([str(REPO_ROOT / "ops" / "stack"), "up"], check=True)
    sample_path = Path(sample) if sample else SAMPLE
    lines = [l for l in sample_path.read_bytes().splitlines() if l.strip()]
    texts = {}
    for l in lines:
        obj = orjson.loads(l)
        texts[obj["event_id"]] = obj.get("text", "")
    run = f"demo-{int(time.time())}"
    topics = {"input": f"{run}.messages", "enf": f"{run}.enforcements", "dlq": f"{run}.deadletter"}
    env = dict(os.environ)
    env.update({
        "MODWORKER_INPUT_TOPIC": topics["input"],
        "MODWORKER_ENFORCEMENT_TOPIC": topics["enf"],
        "MODWORKER_DEADLETTER_TOPIC": topics["dlq"],
        "MODWORKER_CONSUMER_GROUP": f"modworker-{run}",
        "MODWORKER_REDIS_PREFIX": f"mw:{run}:",
    })
    ensure_topics(settings.kafka_bootstrap, {topics["input"]: settings.topic_partitions})
    log_path = REPO_ROOT / ".stack" / "logs" / f"{run}-worker.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    print(f"starting a worker (log: {log_path})")
    with open(log_path, "wb") as log:
        proc = subprocess.Popen([sys.executable, "-m", "workers.cli", "worker"], env=env, stdout=log,
                                stderr=subprocess.STDOUT)
    try:
        print(f"replaying {len(lines)} sample events into {topics['input']}")
        run_replay(str(sample_path), topics["input"], settings.kafka_bootstrap, quiet=True)
        deadline = time.monotonic() + timeout
        consumed = 0.0
        while consumed < len(lines):
            if proc.poll() is not None:
                print(f"the worker exited with {proc.returncode}; see {log_path}", file=sys.stderr)
                return 1
            if time.monotonic() > deadline:
                print(f"timed out: worker consumed {consumed:.0f}/{len(lines)}; see {log_path}", file=sys.stderr)
                return 1
            time.sleep(0.5)
            consumed = scrape(settings.metrics_port, "modworker_records_consumed_total")
        enforcements = [orjson.loads(l)["value"] for l in read_topic(topics["enf"], settings.kafka_bootstrap, None, 2.0)]
        enforcements.sort(key=lambda e: (e["event_time"], e["event_id"]))
        print(f"\nthe worker decided {len(lines)} events and enforced on {len(enforcements)}:\n")
        print_table(enforcements, texts)
        decisions = {a: scrape(settings.metrics_port, f'modworker_decisions_total{{action="{a}"}}')
                     for a in ("allow", "review", "limit", "remove", "suspend")}
        print("\ndecisions by action:", ", ".join(f"{a}={int(n)}" for a, n in decisions.items()))
        print(f"metrics: http://127.0.0.1:{settings.metrics_port}/metrics (served by every `modworker worker`"
              f" on MODWORKER_METRICS_PORT); enforcements on topic {topics['enf']}")
        return 0
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
