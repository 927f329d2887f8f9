"""`modworker replay` and `modworker record`: recorded topics as JSON lines (kafka-python).

Recorded-record format, one JSON object per line:
  {"key": str|null, "value": {...} | "text", "headers": [[name, "value"], ...],
   "timestamp": epoch_ms, "partition": int, "offset": int}
`value` is the decoded JSON object when the record is one, else its UTF-8 text; bytes that are not UTF-8
are kept as "value_b64" instead (and header values as {"b64": ...}). A line without "value" is a bare
MessageEvent (or any other line): it is produced as is, keyed by its account_id when it has one.
"""
from __future__ import annotations

import base64
import sys
import time
from typing import IO, Iterator

import orjson
from kafka import KafkaConsumer, KafkaProducer, TopicPartition

RECORD_FIELDS = {"value", "value_b64"}


def _text_or_b64(raw: bytes) -> str | dict:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return {"b64": base64.b64encode(raw).decode("ascii")}


def _bytes_of(v: str | dict | None) -> bytes | None:
    if v is None:
        return None
    if isinstance(v, dict):
        return base64.b64decode(v["b64"])
    return v.encode("utf-8")


def parse_line(line: bytes) -> tuple[bytes | None, bytes | None, list[tuple[str, bytes]], int | None]:
    """(key, value, headers, timestamp_ms) to produce for one line of a recorded file."""
    try:
        obj = orjson.loads(line)
    except orjson.JSONDecodeError:
        return None, line, [], None
    if isinstance(obj, dict) and RECORD_FIELDS & obj.keys():
        if "value_b64" in obj:
            value = base64.b64decode(obj["value_b64"])
        elif isinstance(obj["value"], str):
            value = obj["value"].encode("utf-8")
        elif obj["value"] is None:
            value = None
        else:
            value = orjson.dumps(obj["value"])
        headers = [(h[0], _bytes_of(h[1]) or b"") for h in obj.get("headers") or []]
        return _bytes_of(obj.get("key")), value, headers, obj.get("timestamp")
    key = obj.get("account_id") if isinstance(obj, dict) else None
    return (key.encode("utf-8") if isinstance(key, str) else None), line, [], None


def _lines(path: str) -> Iterator[bytes]:
    src: IO[bytes] = sys.stdin.buffer if path == "-" else open(path, "rb")
    try:
        for line in src:
            line = line.rstrip(b"\r\n")
            if line:
                yield line
    finally:
        if src is not sys.stdin.buffer:
            src.close()


def producer(bootstrap: str, client: dict | None = None) -> KafkaProducer:
    kwargs = {"bootstrap_servers": bootstrap, **(client or {})}
    return KafkaProducer(linger_ms=5, batch_size=256 * 1024, acks="all", max_request_size=8 * 1024 * 1024 + 4096,
                         **kwargs)


def run_replay(path: str, topic: str, bootstrap: str, quiet: bool = False, client: dict | None = None) -> int:
    prod = producer(bootstrap, client)
    lines = _lines(path)
    bar = None
    if not quiet and sys.stderr.isatty():
        from tqdm import tqdm

        bar = tqdm(unit="rec", desc=f"replay -> {topic}", file=sys.stderr)
    n = 0
    futures = []
    for line in lines:
        key, value, headers, ts = parse_line(line)
        futures.append(prod.send(topic, key=key, value=value, headers=headers or None, timestamp_ms=ts))
        n += 1
        if bar is not None:
            bar.update(1)
    prod.flush()
    for f in futures:
        f.get(timeout=30)  # raises if any record was not delivered
    prod.close()
    if bar is not None:
        bar.close()
    if not quiet:
        print(f"replayed {n} records into {topic}", file=sys.stderr)
    return 0


def record_line(msg) -> bytes:
    rec: dict = {"key": _text_or_b64(msg.key) if msg.key is not None else None}
    value = msg.value
    if value is None:
        rec["value"] = None
    else:
        try:
            obj = orjson.loads(value)
            rec["value"] = obj if isinstance(obj, dict) else value.decode("utf-8")
        except orjson.JSONDecodeError:
            text = _text_or_b64(value)
            if isinstance(text, dict):
                rec["value_b64"] = text["b64"]
            else:
                rec["value"] = text
    rec["headers"] = [[k, _text_or_b64(v or b"")] for k, v in (msg.headers or [])]
    rec["timestamp"] = msg.timestamp
    rec["partition"] = msg.partition
    rec["offset"] = msg.offset
    return orjson.dumps(rec)


def read_topic(topic: str, bootstrap: str, max_records: int | None, timeout_s: float,
               client: dict | None = None) -> Iterator[bytes]:
    """Every record of `topic` from its beginning, until max_records or timeout_s without a new record."""
    kwargs = {"bootstrap_servers": bootstrap, **(client or {})}
    consumer = KafkaConsumer(enable_auto_commit=False, group_id=None, fetch_max_bytes=16 * 1024 * 1024,
                             max_partition_fetch_bytes=16 * 1024 * 1024, **kwargs)
    try:
        deadline = time.monotonic() + timeout_s
        parts = None
        while parts is None and time.monotonic() < deadline:
            parts = consumer.partitions_for_topic(topic)
            if parts is None:
                time.sleep(0.2)
        if not parts:
            return
        tps = [TopicPartition(topic, p) for p in sorted(parts)]
        consumer.assign(tps)
        consumer.seek_to_beginning(*tps)
        n = 0
        idle_since = time.monotonic()
        while max_records is None or n < max_records:
            batch = consumer.poll(timeout_ms=200, max_records=1000)
            if not batch:
                if time.monotonic() - idle_since >= timeout_s:
                    return
                continue
            idle_since = time.monotonic()
            for tp in sorted(batch, key=lambda t: t.partition):
                for msg in batch[tp]:
                    yield record_line(msg)
                    n += 1
                    if max_records is not None and n >= max_records:
                        return
    finally:
        consumer.close()


def run_record(topic: str, output: str, bootstrap: str, max_records: int | None, timeout_s: float,
               client: dict | None = None) -> int:
    dst: IO[bytes] = sys.stdout.buffer if output == "-" else open(output, "wb")
    n = 0
    try:
        for line in read_topic(topic, bootstrap, max_records, timeout_s, client):
            dst.write(line + b"\n")
            n += 1
    finally:
        if dst is not sys.stdout.buffer:
            dst.close()
    print(f"recorded {n} records from {topic}", file=sys.stderr)
    return 0
