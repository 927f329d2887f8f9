#!/usr/bin/env python3
"""Throughput of the pure core on one core, and of `modworker scan`.

    .venv/bin/python ops/bench/core.py                  # core (median of 5) and scan (median of 3)
    .venv/bin/python ops/bench/core.py --cpu 1          # pinned to CPU 1
    .venv/bin/python ops/bench/core.py --no-scan        # the core only

core: `Engine.decide_text_only` (normalize, handles, every detector, scoring, policy) over the texts of the dev
corpus (tests/data/corpus/dev.events.jsonl), events decoded beforehand by the codec (as the worker and scan
decode them). "warm" runs on after a first pass, as a worker on repeated traffic (short texts seen twice come
from the normalization cache, as far as it holds them); "cold" clears that cache and its record of texts seen
before every run, so every text is normalized again. The dev split is 46% abusive and 33% hard negatives, far
from a chat stream, where most messages are ordinary: the cold rate is also printed per kind of message
(ordinary, hard negatives, abusive), on the same engine.

scan: `modworker scan` (the function behind the command, in this process: reading JSON lines, decoding,
counters in memory, deciding, writing JSON lines) over a 50,000-line file built from the dev events (unique
ids, one second apart). The file is written to a temporary directory and deleted afterwards.

One process, one thread: the figures are for one core. Rates are per wall-clock second (median of the runs);
"per CPU second" divides by this process's CPU time instead, which other processes on a busy machine disturb
less. Note the machine's load (printed) when comparing.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from workers.adapters.codec import Event, decode_event  # noqa: E402
from workers.commands.scan import run_scan  # noqa: E402
from workers.core import normalize as normalize_module  # noqa: E402
from workers.core import signals as signals_module  # noqa: E402
from workers.core.engine import Engine  # noqa: E402
from workers.core.policy import load_policy  # noqa: E402
from workers.gc_tuning import freeze_static_heap  # noqa: E402
from workers.settings import DEFAULT_POLICY  # noqa: E402

DEV = ROOT / "tests/data/corpus/dev.events.jsonl"


def dev_events() -> list[dict]:
    return [orjson.loads(line) for line in DEV.read_bytes().splitlines() if line.strip()]


def dev_kinds() -> dict[str, str]:
    """event id -> kind (benign, hard_negative, abuse) of the dev split's labels."""
    lines = (ROOT / "tests/data/corpus/dev.labels.jsonl").read_bytes().splitlines()
    return {r["event_id"]: r["kind"] for r in map(orjson.loads, filter(None, lines))}


Rates = list[tuple[float, float]]  # per run: (per wall-clock second, per CPU second of this process)


def core_rates(engine: Engine, events: list[Event], runs: int, cold: bool) -> Rates:
    decide = engine.decide_text_only
    for ev in events:  # warm-up: first calls, lazily built tables
        decide(ev)
    rates = []
    for _ in range(runs):
        if cold:
            normalize_module.clear_cache()
        start, cpu = time.perf_counter(), time.process_time()
        for ev in events:
            decide(ev)
        rates.append((len(events) / (time.perf_counter() - start), len(events) / (time.process_time() - cpu)))
    return rates


def scan_file(path: Path, lines: int) -> None:
    events = dev_events()
    start = datetime(2026, 11, 28, 8, 0, tzinfo=timezone.utc)
    with open(path, "wb") as f:
        for i in range(lines):
            ev = dict(events[i % len(events)])
            ev["event_id"] = f"bench-{i:07d}"
            ev["sent_at"] = (start + timedelta(seconds=i)).isoformat()
            f.write(orjson.dumps(ev) + b"\n")


def scan_rates(policy, path: Path, lines: int, runs: int) -> Rates:
    rates = []
    out = path.with_suffix(".out")
    for _ in range(runs):
        normalize_module.clear_cache()  # every run starts like a fresh process
        signals_module.clear_cache()
        start, cpu = time.perf_counter(), time.process_time()
        run_scan(str(path), str(out), policy)
        rates.append((lines / (time.perf_counter() - start), lines / (time.process_time() - cpu)))
    return rates


CORE_TARGET = 30_000  # events/s
SCAN_TARGET = 15_000  # lines/s


def fmt(name: str, rates: Rates, unit: str, target: int | None = None) -> str:
    wall = statistics.median(r[0] for r in rates)
    cpu = statistics.median(r[1] for r in rates)
    runs = " ".join(f"{r[0]:,.0f}" for r in rates)
    goal = "" if target is None else f" [target {target:,}: {'met' if wall >= target else 'not met'}]"
    return (f"{name:<28}{wall:>10,.0f} {unit} ({1e6 / wall:6.1f} us each; runs: {runs}); "
            f"per CPU second: {cpu:,.0f}{goal}")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--runs", type=int, default=5, help="core runs (median)")
    p.add_argument("--scan-runs", type=int, default=3, help="scan runs (median)")
    p.add_argument("--scan-lines", type=int, default=50_000)
    p.add_argument("--no-scan", action="store_true")
    p.add_argument("--cpu", type=int, default=None, help="pin the process to this CPU")
    p.add_argument("--policy", default=str(DEFAULT_POLICY))
    args = p.parse_args()
    if args.cpu is not None:
        os.sched_setaffinity(0, {args.cpu})

    load1, load5, _ = os.getloadavg()
    pinned = f", pinned to CPU {args.cpu}" if args.cpu is not None else ""
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
          f"load average {load1:.2f} / {load5:.2f} (1 / 5 min){pinned}")
    policy = load_policy(args.policy)
    engine = Engine(policy)
    events = [decode_event(line) for line in DEV.read_bytes().splitlines() if line.strip()]  # as the worker
    freeze_static_heap()  # as the worker, scan and eval do once their engine is built
    print(f"core: {len(events):,} dev events, Engine.decide_text_only, median of {args.runs} runs")
    print(fmt("core, warm normalize cache", core_rates(engine, events, args.runs, cold=False), "events/s",
              CORE_TARGET))
    print(fmt("core, cold normalize cache", core_rates(engine, events, args.runs, cold=True), "events/s"))
    kinds = dev_kinds()
    for kind, name in (("benign", "ordinary"), ("hard_negative", "hard negatives"), ("abuse", "abusive")):
        subset = [e for e in events if kinds[e.event_id] == kind]
        print(fmt(f"  {name} only, cold", core_rates(engine, subset, args.runs, cold=True), "events/s")
              + f" [{len(subset):,} events]")
    if not args.no_scan:
        with tempfile.TemporaryDirectory(prefix="modworker-bench-") as tmp:
            path = Path(tmp) / "scan.jsonl"
            scan_file(path, args.scan_lines)
            print(f"scan: {args.scan_lines:,} lines, JSON read and written, counters in memory, "
                  f"median of {args.scan_runs} runs")
            print(fmt("modworker scan", scan_rates(policy, path, args.scan_lines, args.scan_runs), "lines/s",
                      SCAN_TARGET))
    load1, load5, _ = os.getloadavg()
    print(f"load average after: {load1:.2f} / {load5:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
