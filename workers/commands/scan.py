"""`modworker scan`: the same core and policy offline over MessageEvent JSON lines.

Exactly one output line per input line, in input order:
  {"event_id", "action", "labels", "score", "reasons"}  for a valid event
  {"line": N, "error": "..."}                           for a line that is not one, or whose event_id an
                                                        earlier line used (DuplicateEvent)
Counters run on the in-memory store, fed in file order (event-time order).
"""
from __future__ import annotations

import sys
from typing import IO, Iterable, Iterator

import orjson

from workers.adapters.codec import decode_event, reason_dicts
from workers.core.dedup import InMemorySeen
from workers.core.engine import Engine
from workers.core.policy import Policy
from workers.core.memory_store import InMemoryCounters
from workers.core.signals import counter_findings, observation
from workers.errors import DecodeError, DuplicateEvent
from workers.gc_tuning import BatchFreezer, freeze_static_heap

CHUNK = 512


def _decided(engine: Engine, counters: InMemoryCounters, seen: InMemorySeen,
             chunk: list[tuple[int, bytes]]) -> Iterator[bytes]:
    events = []
    out: list[bytes | None] = []
    for n, line in chunk:
        try:
            ev = decode_event(line)
            first = seen.first_seen_sync([(ev.event_id, f"line {n}")])[0]
            if first is not None:
                raise DuplicateEvent(f"event_id {ev.event_id!r} was already used by {first}")
            events.append((len(out), ev))
            out.append(None)
        except DecodeError as exc:
            out.append(orjson.dumps({"line": n, "error": f"{type(exc).__name__}: {exc}"}))
    policy = engine.policy
    analyses = [engine.analyze(ev) for _, ev in events]
    readings = counters.observe_sync([observation(ev, a, policy) for (_, ev), a in zip(events, analyses)])
    for (slot, ev), analysis, reading in zip(events, analyses, readings):
        d = engine.decide(ev, analysis, counter_findings(reading, policy))
        out[slot] = orjson.dumps(
            {
                "event_id": d.event_id,
                "action": d.action,
                "labels": list(d.labels),
                "score": d.score,
                "reasons": reason_dicts(d),
            }
        )
    return iter(out)  # type: ignore[arg-type]


def scan_lines(lines: Iterable[bytes], policy: Policy) -> Iterator[bytes]:
    engine = Engine(policy)
    freeze_static_heap()
    counters = InMemoryCounters(policy)
    seen = InMemorySeen()
    freezer = BatchFreezer()  # the counters and seen ids grow with the file: out of the collector's walks
    chunk: list[tuple[int, bytes]] = []
    for n, line in enumerate(lines, start=1):
        chunk.append((n, line.rstrip(b"\r\n")))
        if len(chunk) >= CHUNK:
            yield from _decided(engine, counters, seen, chunk)
            freezer.after_batch()
            chunk = []
    if chunk:
        yield from _decided(engine, counters, seen, chunk)


def run_scan(input_path: str, output_path: str | None, policy: Policy) -> int:
    src: IO[bytes] = sys.stdin.buffer if input_path == "-" else open(input_path, "rb")
    dst: IO[bytes] = sys.stdout.buffer if output_path in (None, "-") else open(output_path, "wb")
    try:
        for out in scan_lines(src, policy):
            dst.write(out)
            dst.write(b"\n")
    finally:
        if src is not sys.stdin.buffer:
            src.close()
        if dst is not sys.stdout.buffer:
            dst.close()
        else:
            dst.flush()
    return 0
