"""Benchmark traffic: a realistic mix of MessageEvents, and producing it into the real broker.

Texts come from the development split of the labeled corpus (tests/data/corpus/dev.*.jsonl, never the test
split), or, in an installed package without the corpus, from the bundled demo sample (workers/data/), whose
abusive texts are told apart by the engine itself. The throughput mix (`throughput_events`), over a
simulated timeline of 3 events per second of event time (the texts as written; see EVENT_TIME_RATE):

- about 90% benign or hard-negative messages from a pool of accounts large enough that no account comes
  near the burst limit by chance;
- about 10% abusive: campaign bursts (the same ad with small edits from 40-160 fresh accounts within 30 s),
  per-account bursts (one account posting 25-40 ads within 50 s, over the burst limit), and scattered ads.

Events are keyed by account_id (as `modworker replay` does), so an account's events stay on one partition.
"""
from __future__ import annotations

import random
import re
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import cached_property
from pathlib import Path
from typing import Callable, Sequence

import orjson

from workers.settings import REPO_ROOT

CORPUS_EVENTS = REPO_ROOT / "tests" / "data" / "corpus" / "dev.events.jsonl"
CORPUS_LABELS = REPO_ROOT / "tests" / "data" / "corpus" / "dev.labels.jsonl"
SAMPLE = Path(__file__).resolve().parent.parent / "data" / "demo_sample.jsonl"

# Simulated events per second of event time. The corpus has a few hundred benign texts: at this density one
# text is posted by about 3 accounts per 10 minutes (the campaign window), so benign traffic does not look
# like campaigns to the counters, as real benign traffic (far more varied) does not.
EVENT_TIME_RATE = 3.0
ABUSIVE_SHARE = 0.10
EMOJI = "😀🔥💰✅👉🎉💯⭐🌟❤️👍🙏"
SHORT = 12  # characters: shorter benign texts are used as written
_CLAUSE = re.compile(r"(?<=[，。！？!?；;,.~…\n])")
FILLERS = ("~", "！", "!!", " ", "。", "…", "【限时】", "（名额有限）", " 速来", "❗")


@dataclass(frozen=True)
class Text:
    text: str
    surface: str
    lang: str | None


@dataclass(frozen=True)
class Pools:
    benign: tuple[Text, ...]
    abusive: tuple[Text, ...]
    source: str  # where the texts came from (a path, for the report)

    @cached_property
    def clauses(self) -> dict[str | None, tuple[str, ...]]:
        """Clauses of the benign texts by language, to compose benign messages from."""
        out: dict[str | None, list[str]] = {}
        for t in self.benign:
            out.setdefault(t.lang, []).extend(c for c in _CLAUSE.split(t.text) if c.strip())
        return {lang: tuple(c) for lang, c in out.items()}

    def benign_text(self, rnd: random.Random) -> Text:
        """A benign message for the latency phase, where thousands of events come within seconds of event
        time: short ones as written (they repeat across accounts in real traffic too, and are too short to
        fingerprint); longer ones recomposed from clauses of other messages in the same language, to about
        the same length, so that a few hundred texts repeated verbatim by thousands of accounts within
        seconds do not look like campaigns to the counters, which real benign traffic does not."""
        t = rnd.choice(self.benign)
        pool = self.clauses.get(t.lang) or ()
        if len(t.text) < SHORT or len(pool) < 50:
            return t
        parts: list[str] = []
        size = 0
        while size < len(t.text):
            c = rnd.choice(pool)
            parts.append(c)
            size += len(c)
        return Text("".join(parts), t.surface, t.lang)


def _read_jsonl(path: Path) -> list[dict]:
    return [orjson.loads(line) for line in path.read_bytes().splitlines() if line.strip()]


def load_pools(policy_file: Path | str | None = None) -> Pools:
    """Benign and abusive texts: the dev corpus by its labels, else the bundled sample by the engine."""
    if CORPUS_EVENTS.is_file() and CORPUS_LABELS.is_file():
        kinds = {row["event_id"]: row["kind"] for row in _read_jsonl(CORPUS_LABELS)}
        benign, abusive = [], []
        for ev in _read_jsonl(CORPUS_EVENTS):
            t = Text(ev["text"], ev["surface"], ev.get("lang"))
            (abusive if kinds.get(ev["event_id"]) == "abuse" else benign).append(t)
        return Pools(tuple(benign), tuple(abusive), str(CORPUS_EVENTS))
    from workers.adapters.codec import decode_event
    from workers.core.engine import Engine
    from workers.core.policy import load_policy
    from workers.settings import DEFAULT_POLICY

    engine = Engine(load_policy(policy_file or DEFAULT_POLICY))
    benign, abusive = [], []
    for ev in _read_jsonl(SAMPLE):
        event = decode_event(orjson.dumps(ev))
        flagged = engine.decide(event, engine.analyze(event)).action != "allow"
        (abusive if flagged else benign).append(Text(ev["text"], ev["surface"], ev.get("lang")))
    return Pools(tuple(benign), tuple(abusive), str(SAMPLE))


def vary(text: str, rnd: random.Random) -> str:
    """The same ad with a small edit, as campaigns post it to dodge exact-match filters."""
    chars = list(text)
    for _ in range(rnd.randint(1, 2)):
        op = rnd.randrange(4)
        if op == 0:
            chars.insert(rnd.randint(0, len(chars)), rnd.choice(EMOJI))
        elif op == 1:
            digits = [i for i, c in enumerate(chars) if c.isdigit()]
            if digits:
                chars[rnd.choice(digits)] = str(rnd.randrange(10))
            else:
                chars.append(rnd.choice(FILLERS))
        elif op == 2:
            chars.insert(rnd.randint(0, len(chars)), rnd.choice(FILLERS))
        else:
            chars.append(rnd.choice(EMOJI) * rnd.randint(1, 3))
    return "".join(chars)


def _conversation(surface: str, rnd: random.Random) -> str | None:
    if surface == "moments":
        return None
    return f"group-{rnd.randrange(3000)}" if surface == "group" else f"dm-{rnd.randrange(1_000_000)}"


def _event(event_id: str, account: str, t: Text, text: str, sent_at: datetime, rnd: random.Random,
           surface: str | None = None) -> dict:
    surface = surface or t.surface
    ev = {"event_id": event_id, "account_id": account, "surface": surface, "text": text,
          "sent_at": sent_at.isoformat(), "conversation_id": _conversation(surface, rnd)}
    if t.lang:
        ev["lang"] = t.lang
    return ev


def throughput_events(n: int, pools: Pools, run: str, seed: int = 7,
                      start: datetime | None = None) -> list[tuple[bytes, bytes]]:
    """n (key, value) records of the realistic mix, in event-time order."""
    rnd = random.Random(seed)
    span = max(600.0, n / EVENT_TIME_RATE)  # seconds of event time
    start = start or datetime.now(timezone.utc) - timedelta(seconds=span)
    n_abusive = round(n * ABUSIVE_SHARE) if pools.abusive else 0
    slots: list[tuple[float, str, Text, str, str | None]] = []  # (t, account, source text, text, surface)
    # campaign bursts: ~40% of the abusive events
    c = 0
    while c < 0.4 * n_abusive:
        ad = rnd.choice(pools.abusive)
        size = min(rnd.randint(40, 160), n_abusive - c)
        t0 = rnd.uniform(0, max(1.0, span - 30))
        for i in range(size):
            slots.append((t0 + rnd.uniform(0, 30), f"camp-{run}-{c + i}", ad, vary(ad.text, rnd), None))
        c += size
    # per-account bursts: ~20%
    b = 0
    while b < 0.2 * n_abusive:
        size = min(rnd.randint(25, 40), n_abusive - c - b)
        if size <= 0:
            break
        account, t0 = f"flood-{run}-{b}", rnd.uniform(0, max(1.0, span - 50))
        for _ in range(size):
            ad = rnd.choice(pools.abusive)
            slots.append((t0 + rnd.uniform(0, 50), account, ad, vary(ad.text, rnd), "group"))
        b += size
    accounts = max(100, n // 4)  # ~4 events per account over the timeline: far under the burst limit
    for _ in range(n_abusive - c - b):  # scattered ads from ordinary-looking accounts
        ad = rnd.choice(pools.abusive)
        slots.append((rnd.uniform(0, span), f"acct-{run}-{rnd.randrange(accounts)}", ad, ad.text, None))
    while len(slots) < n:
        t = rnd.choice(pools.benign)
        slots.append((rnd.uniform(0, span), f"acct-{run}-{rnd.randrange(accounts)}", t, t.text, None))
    slots.sort(key=lambda s: s[0])
    out = []
    for i, (t, account, src, text, surface) in enumerate(slots):
        ev = _event(f"{run}-{i:07d}", account, src, text, start + timedelta(seconds=t), rnd, surface)
        out.append((account.encode(), orjson.dumps(ev)))
    return out


class LatencyTraffic:
    """Fresh events for the latency phase: sent_at is stamped when the event is produced."""

    def __init__(self, pools: Pools, run: str, abusive_share: float, accounts: int, seed: int = 11):
        self.pools, self.run, self.share, self.accounts = pools, run, abusive_share, accounts
        self.rnd = random.Random(seed)
        self.n = 0

    def next(self, prefix: str = "lat") -> tuple[bytes, bytes]:
        rnd = self.rnd
        if self.pools.abusive and rnd.random() < self.share:
            src = rnd.choice(self.pools.abusive)
        else:
            src = self.pools.benign_text(rnd)
        account = f"lat-{self.run}-{rnd.randrange(self.accounts)}"
        ev = _event(f"{prefix}-{self.run}-{self.n:07d}", account, src, src.text,
                    datetime.now(timezone.utc), rnd)
        self.n += 1
        return account.encode(), orjson.dumps(ev)


def producer(client: dict):
    from kafka import KafkaProducer

    return KafkaProducer(linger_ms=5, batch_size=256 * 1024, acks=1, max_request_size=8 * 1024 * 1024,
                         **client)


def produce_all(client: dict, topic: str, records: Sequence[tuple[bytes, bytes]],
                progress: Callable[[str], None] | None = None) -> float:
    """Produce every record and wait for delivery; returns the producer's rate (records/s)."""
    prod = producer(client)
    started = time.monotonic()
    try:
        futures = [prod.send(topic, key=k, value=v) for k, v in records]
        prod.flush()
        failed = [f for f in futures if f.failed()]
        if failed:
            raise RuntimeError(f"{len(failed)} events were not delivered: {failed[0].exception}")
    finally:
        prod.close()
    elapsed = time.monotonic() - started
    if progress:
        progress(f"loaded {len(records)} events into {topic} in {elapsed:.1f} s")
    return len(records) / elapsed if elapsed > 0 else 0.0


def paced(client: dict, topic: str, traffic: LatencyTraffic, rate: float, seconds: float) -> tuple[int, float]:
    """Produce fresh events at `rate` per second for `seconds`; returns (count, seconds taken)."""
    prod = producer(client)
    futures = []
    started = time.monotonic()
    sent = 0
    try:
        while True:
            elapsed = time.monotonic() - started
            if elapsed >= seconds:
                break
            due = int(rate * elapsed) - sent
            for _ in range(min(due, 2000)):
                k, v = traffic.next()
                futures.append(prod.send(topic, key=k, value=v))
            sent += max(0, min(due, 2000))
            if due <= 0:
                time.sleep(0.002)
        prod.flush()
        for f in futures:
            if f.failed():
                raise RuntimeError(f"a latency event was not delivered: {f.exception}")
    finally:
        prod.close()
    return sent, time.monotonic() - started
