#!/usr/bin/env python3
"""Counter overhead: events/s through the counter stores, and the pipeline / worker with counters on and off.

    .venv/bin/python ops/bench/counters.py                 # Redis store and in-memory store (median of 5)
    .venv/bin/python ops/bench/counters.py --pipeline      # + BatchProcessor, counters off vs Redis
    .venv/bin/python ops/bench/counters.py --worker        # + the real worker process (Kafka), off vs on

Events are built from the dev corpus texts (tests/data/corpus/dev.events.jsonl): ~5 events per account,
groups, direct conversations and moments, one second apart in event time; observations (fingerprints
included) are computed before timing, except in --pipeline / --worker, where they are part of the work.
The corpus has ~1,600 texts, so texts repeat (as campaign copies do) and fingerprints are cached;
--unique appends a random word to every text, so every fingerprint is computed.
Each run counts into a fresh key prefix, deleted afterwards. Needs the local Redis (ops/stack up).
"""
from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import redis.asyncio as aioredis  # noqa: E402

from schemas.models import MessageEvent  # noqa: E402
from workers.adapters.redis_counters import RedisCounters  # noqa: E402
from workers.core.engine import Engine  # noqa: E402
from workers.core.policy import load_policy  # noqa: E402
from workers.core.memory_store import InMemoryCounters  # noqa: E402
from workers.core.signals import observation  # noqa: E402
from workers.settings import DEFAULT_POLICY, Settings  # noqa: E402

BUCKETS = Settings().redis_tag_buckets


UNIQUE = False  # --unique: every text gets a random two-character suffix, so no two skeletons are equal


def make_events(n: int, seed: int = 5) -> list[dict]:
    texts = [orjson.loads(line)["text"] for line in
             (ROOT / "tests/data/corpus/dev.events.jsonl").read_bytes().splitlines() if line.strip()]
    rnd = random.Random(seed)
    start = datetime(2026, 11, 28, 8, 0, tzinfo=timezone.utc)
    out = []
    for i in range(n):
        surface = rnd.choice(["moments", "group", "group", "direct"])
        out.append({"event_id": f"bench-{seed}-{i:07d}", "account_id": f"acct-{rnd.randrange(max(1, n // 5))}",
                    "surface": surface, "conversation_id": None if surface == "moments" else f"c-{rnd.randrange(500)}",
                    "text": rnd.choice(texts) + (" " + chr(0x4E00 + rnd.randrange(20000)) + chr(0x4E00 + rnd.randrange(20000))
                                                 if UNIQUE else ""),
                    "sent_at": (start + timedelta(seconds=i)).isoformat()})
    return out


async def _clean(client, prefix: str) -> None:
    keys = [k async for k in client.scan_iter(match=prefix + "*", count=5000)]
    for i in range(0, len(keys), 5000):
        await client.delete(*keys[i:i + 5000])


async def bench_store(kind: str, observations, policy, batch: int, runs: int, url: str) -> list[float]:
    rates = []
    for _ in range(runs):
        prefix = f"mwbench:{uuid.uuid4().hex[:8]}:"
        client = None
        if kind == "redis":
            client = aioredis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)
            store = RedisCounters(client, policy, prefix, buckets=BUCKETS)
            await store.observe(observations[:1])  # scripts loaded outside the timing
            await _clean(client, prefix)
        else:
            store = InMemoryCounters(policy)
        started = time.perf_counter()
        for i in range(0, len(observations), batch):
            await store.observe(observations[i:i + batch])
        rates.append(len(observations) / (time.perf_counter() - started))
        if client is not None:
            await _clean(client, prefix)
            await client.aclose()
    return rates


async def bench_pipeline(events: list[dict], policy, batch: int, runs: int, url: str) -> dict[str, list[float]]:
    from workers.metrics import Metrics
    from workers.pipeline import BatchProcessor, RawRecord

    async def publish(key: bytes, value: bytes) -> None:
        return None

    records = [RawRecord(orjson.dumps(e), "bench", 0, i) for i, e in enumerate(events)]
    out: dict[str, list[float]] = {"off": [], "redis": []}
    for _ in range(runs):
        for mode in ("off", "redis"):
            prefix = f"mwbench:{uuid.uuid4().hex[:8]}:"
            client = aioredis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)
            counters = RedisCounters(client, policy, prefix, buckets=BUCKETS) if mode == "redis" else None
            if counters is not None:
                await counters.observe([])
            proc = BatchProcessor(Engine(policy), counters, publish, publish, Metrics())
            started = time.perf_counter()
            for i in range(0, len(records), batch):
                await proc.process(records[i:i + batch])
            out[mode].append(len(records) / (time.perf_counter() - started))
            await _clean(client, prefix)
            await client.aclose()
    return out


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def bench_worker(events: list[dict], runs: int) -> dict[str, list[float]]:
    """Wall-clock events/s of a worker process (4 partitions, events produced before it starts), and its
    CPU time per event (less sensitive to other load on the machine). Modes alternate, run after run."""
    from tests.support import WorkerRun, produce

    out: dict[str, list[float]] = {"off": [], "on": [], "cpu_off": [], "cpu_on": []}
    for _ in range(runs):
        for mode in ("off", "on"):
            with WorkerRun(f"bench-{mode}", partitions=4, counters_enabled=str(mode == "on").lower(),
                           log_level="warning") as run:
                produce(run.input_topic, events)
                run.start_worker()
                pid = run.procs[0][0].pid
                while run.consumed() == 0:
                    time.sleep(0.01)
                started, first, cpu = time.monotonic(), run.consumed(), _cpu_seconds(pid)
                run.wait_consumed(len(events), timeout=600)
                out[mode].append((len(events) - first) / (time.monotonic() - started))
                out[f"cpu_{mode}"].append((_cpu_seconds(pid) - cpu) / (len(events) - first) * 1e6)
    return out


def fmt(name: str, rates: list[float]) -> str:
    return f"{name:<34}{statistics.median(rates):>12,.0f} events/s   (runs: {', '.join(f'{r:,.0f}' for r in rates)})"


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--events", type=int, default=20_000)
    p.add_argument("--batch", type=int, default=500)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    p.add_argument("--buckets", type=int, default=None, help="hash tags per key kind (default: the setting's)")
    p.add_argument("--unique", action="store_true",
                   help="make every text unique (no fingerprint cache hits): the worst case for the fingerprint")
    p.add_argument("--pipeline", action="store_true", help="also the BatchProcessor, counters off vs Redis")
    p.add_argument("--worker", action="store_true", help="also the worker process (needs Kafka), off vs on")
    p.add_argument("--worker-events", type=int, default=30_000)
    args = p.parse_args()

    global BUCKETS, UNIQUE
    UNIQUE = args.unique
    if args.buckets is not None:
        BUCKETS = args.buckets
    policy = load_policy(DEFAULT_POLICY)
    engine = Engine(policy)
    events = make_events(args.events)
    parsed = [MessageEvent.model_validate(e) for e in events]
    observations = [observation(ev, engine.analyze(ev), policy) for ev in parsed]
    fingerprinted = sum(1 for o in observations if o.bands)
    print(f"{len(observations):,} events, batches of {args.batch}, median of {args.runs} runs; "
          f"{fingerprinted / len(observations):.0%} have a campaign fingerprint, "
          f"{sum(1 for o in observations if o.handles) / len(observations):.0%} a counted handle")
    redis_rates = asyncio.run(bench_store("redis", observations, policy, args.batch, args.runs, args.redis_url))
    memory_rates = asyncio.run(bench_store("memory", observations, policy, args.batch, args.runs, args.redis_url))
    print(fmt("Redis store, observe()", redis_rates))
    print(fmt("in-memory store, observe()", memory_rates))
    if args.pipeline:
        r = asyncio.run(bench_pipeline(events, policy, args.batch, args.runs, args.redis_url))
        print(fmt("pipeline, counters off", r["off"]))
        print(fmt("pipeline, counters on (Redis)", r["redis"]))
        print(f"{'pipeline on / off':<34}{statistics.median(r['redis']) / statistics.median(r['off']):>12.0%}")
    if args.worker:
        w = bench_worker(make_events(args.worker_events, seed=6), min(args.runs, 3))
        print(fmt("worker, counters off", w["off"]))
        print(fmt("worker, counters on", w["on"]))
        print(f"{'worker on / off':<34}{statistics.median(w['on']) / statistics.median(w['off']):>12.0%}")
        off, on = statistics.median(w["cpu_off"]), statistics.median(w["cpu_on"])
        print(f"{'worker CPU per event, off / on':<34}{off:>9.0f} us / {on:.0f} us  -> on / off throughput "
              f"bound {off / on:.0%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
