"""Counters: what is counted for an event, its keys and members, and the findings counts give.

Counts are keyed by EVENT time (`sent_at`, in milliseconds), never wall-clock time, so replaying a recorded
topic gives the same counts. An event at time t reads what was observed in the window (t - W, t].

Two kinds of keys, each updated by its own atomic operation (a Lua script in Redis, in calls whose keys share
one hash tag):
- per account `{acct:ID}:ev`: a sorted set of the account's events (member: event digest, surface,
  conversation digest, content digest; score: event time). Messages per window are counted, distinct
  groups / direct conversations and repeats of the same content are counted over the newest `scan_limit`
  events of the window. Events older than (t - longest window - lateness) are dropped, and beyond
  `max_events_per_account` the oldest.
- per campaign band `{camp:BAND}` and per contact handle `{handle:VALUE}`: a sorted set of accounts, scored
  by the latest event time of each; distinct accounts with a score in (t - W, t] are counted, plus the
  account of the event itself. Accounts older than (t - W - lateness) are dropped.

Adding is idempotent (members are event digests / account digests): a batch re-processed after a crash or a
Redis error is not counted twice. `plan()` groups a batch's operations by key, in batch order, and both the
in-memory store (workers/core/memory_store.py: event by event, each key's operations in the same order) and
workers.adapters.redis_counters run exactly these operations; a shared contract test demands identical
readings from both.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, Sequence

from workers.core.findings import Finding
from workers.core.fingerprint import NONE16, content_digest, digest16, minhash_bands_joined, skeleton_joined
from workers.core.handles import Handle
from workers.core.policy import Policy, RateLimit, RepeatLimit
from workers.core.recurring import RecurringCache

NAME = "counters"
SURFACE_CODE = {"moments": "m", "group": "g", "direct": "d"}


@dataclass(slots=True, init=False)  # not frozen: built per event, frozen construction costs 7x; never mutated
class Observation:
    """What the counters need of one event (built by `observation()` from the event and its analysis)."""

    account_id: str
    surface: str
    conversation_id: str | None
    event_time: float  # seconds since the epoch, from sent_at
    event_id: str = ""
    account_age_seconds: float | None = None  # sent_at - account_created_at, when known
    content: str = NONE16  # digest of the text skeleton, NONE16 when too short to count repeats
    bands: tuple[str, ...] = ()  # campaign LSH band keys; () when the text is too short
    handles: tuple[str, ...] = ()  # contact handle values (Handle.value) of the counted kinds

    # written out (same fields, same defaults): the generated __init__ is plain Python, this one is compiled
    def __init__(self, account_id: str, surface: str, conversation_id: str | None, event_time: float,
                 event_id: str = "", account_age_seconds: float | None = None, content: str = NONE16,
                 bands: tuple[str, ...] = (), handles: tuple[str, ...] = ()) -> None:
        self.account_id = account_id
        self.surface = surface
        self.conversation_id = conversation_id
        self.event_time = event_time
        self.event_id = event_id
        self.account_age_seconds = account_age_seconds
        self.content = content
        self.bands = bands
        self.handles = handles

    @property
    def time_ms(self) -> int:
        return int(round(self.event_time * 1000))


@dataclass(slots=True)
class KeyCount:
    key: str  # logical key without the deployment prefix, e.g. "camp:3f2a..." or "handle:wechat:abc"
    accounts: int


@dataclass(slots=True)  # built per event (not frozen: 7x cheaper); `assemble` fills campaign / handle
class CounterReading:
    obs: Observation
    messages: int = 0  # in the burst window, this event included
    messages_hourly: int = 0
    groups: int = 0  # distinct groups posted to in the group_fanout window (group events only)
    recipients: int = 0  # distinct direct conversations in the dm_fanout window (direct events only)
    repeats: int = 0  # events with the same content in the repeats window (0 when the text is too short)
    campaign: KeyCount | None = None  # the band of this text with the most accounts
    handle: KeyCount | None = None  # the contact handle of this text with the most accounts


class CounterStore(Protocol):
    async def observe(self, batch: Sequence[Observation]) -> list[CounterReading]:
        """Count every observation of the batch, in order, and return one reading per observation."""
        ...


def observation(event, analysis, policy: Policy) -> Observation:
    """The Observation of a MessageEvent and its engine Analysis (normalized text, handles).

    Duck-typed on both (the core does not import schemas); everything is derived from the event itself, so
    the same event always gives the same observation.
    """
    c = policy.counters
    handles: Sequence[Handle] = analysis.handles
    joined, letters = skeleton_joined(analysis.norm, handles)
    age = None
    if event.account_created_at is not None:
        age = max(0.0, (event.sent_at - event.account_created_at).total_seconds())
    kinds = set(c.handle_spread.kinds)
    values = tuple(dict.fromkeys(h.value for h in handles if h.kind in kinds))
    camp = c.campaign
    return Observation(
        account_id=event.account_id,
        surface=event.surface.value if hasattr(event.surface, "value") else str(event.surface),
        conversation_id=event.conversation_id,
        event_time=event.sent_at.timestamp(),
        event_id=event.event_id,
        account_age_seconds=age,
        content=content_digest(joined, letters, c.repeats.min_chars),
        bands=_bands(joined, camp.shingle, camp.min_shingles, camp.bands, camp.rows),
        handles=values,
    )


def _bands(joined: str, shingle: int, min_shingles: int, bands: int, rows: int) -> tuple[str, ...]:
    """Campaign copies share their skeleton (that is what it is for): their bands are computed once (a skeleton
    seen twice is kept: workers/core/recurring.py), per campaign setting."""
    params = (shingle, min_shingles, bands, rows)
    cache = _BANDS.get(params)
    if cache is None:
        cache = _BANDS[params] = RecurringCache(8192)
    got = cache.get(joined)
    if got is None:
        got = minhash_bands_joined(joined, shingle, min_shingles, bands, rows)
        cache.offer(joined, got)
    return got


_BANDS: dict[tuple[int, int, int, int], RecurringCache[tuple[str, ...]]] = {}


def clear_cache() -> None:
    """Forget every skeleton seen (the state of a fresh process)."""
    _BANDS.clear()


# --- keys and members (the same in both stores; Redis adds the deployment prefix) ---

ACCOUNT, CAMPAIGN, HANDLE = "acct", "camp", "handle"


def tag_safe(value: str) -> str:
    """A value safe inside a {hash tag}: braces would end or split the tag, so such values are digested."""
    return digest16(value) if "{" in value or "}" in value or len(value) > 128 else value


def key_name(kind: str, ident: str) -> str:
    """The key as evidence names it, without the prefix: "acct:ID:ev", "camp:BAND", "handle:VALUE"."""
    return f"acct:{tag_safe(ident)}:ev" if kind == ACCOUNT else f"{kind}:{tag_safe(ident)}"


def account_key(account_id: str) -> str:
    """The Redis key with its own hash tag (`MODWORKER_REDIS_TAG_BUCKETS=0`)."""
    return f"{{acct:{tag_safe(account_id)}}}:ev"


def campaign_key(band: str) -> str:
    return f"{{camp:{band}}}"


def handle_key(value: str) -> str:
    return f"{{handle:{tag_safe(value)}}}"


_DIGESTS: dict[str, str] = {}  # account and conversation ids recur: their digests are kept (bounded)


def id_digest(value: str) -> str:
    """`digest16` of an account or conversation id, kept (ids recur)."""
    d = _DIGESTS.get(value)
    if d is None:
        if len(_DIGESTS) >= 200_000:
            _DIGESTS.clear()
        d = _DIGESTS[value] = digest16(value)
    return d


def account_member(obs: Observation) -> str:
    """49 fixed-width characters: event digest(16) surface(1) conversation digest(16) content digest(16)."""
    ident = obs.event_id or f"{obs.account_id}\x1f{obs.time_ms}\x1f{obs.conversation_id}\x1f{obs.content}"
    conv = id_digest(obs.conversation_id) if obs.conversation_id else NONE16
    content = obs.content if len(obs.content) == 16 else digest16(obs.content)
    return f"{digest16(ident)}{SURFACE_CODE.get(obs.surface, 'm')}{conv}{content}"


Ops = dict[str, list[tuple[int, str, int]]]  # identifier -> [(batch index, member, event time ms)], in order


@dataclass
class Plan:
    """A batch's operations grouped by key: account id, campaign band, handle value."""

    accounts: Ops = field(default_factory=dict)
    campaigns: Ops = field(default_factory=dict)
    handles: Ops = field(default_factory=dict)


def plan(batch: Sequence[Observation]) -> Plan:
    p = Plan()
    accounts, campaigns, handles = p.accounts, p.campaigns, p.handles
    for i, obs in enumerate(batch):
        t = obs.time_ms
        ops = accounts.get(obs.account_id)
        if ops is None:
            ops = accounts[obs.account_id] = []
        ops.append((i, account_member(obs), t))
        if obs.bands or obs.handles:
            op = (i, id_digest(obs.account_id), t)
            for band in obs.bands:
                ops = campaigns.get(band)
                if ops is None:
                    campaigns[band] = [op]
                else:
                    ops.append(op)
            for value in obs.handles:
                ops = handles.get(value)
                if ops is None:
                    handles[value] = [op]
                else:
                    ops.append(op)
    return p


def assemble(batch: Sequence[Observation], p: Plan, account_counts: dict[str, list],
             campaign_counts: dict[str, list], handle_counts: dict[str, list]) -> list[CounterReading]:
    """Readings from the per-key results of a plan (both stores return each key's results in its order)."""
    per_event: list = [(0, 0, 0, 0, 0)] * len(batch)
    for ident, ops in p.accounts.items():
        for (i, _, _), counts in zip(ops, account_counts[ident]):
            per_event[i] = counts
    best: tuple[dict[int, tuple[int, str]], dict[int, tuple[int, str]]] = ({}, {})
    for kind, source, results, top in ((CAMPAIGN, p.campaigns, campaign_counts, best[0]),
                                       (HANDLE, p.handles, handle_counts, best[1])):
        for ident, ops in source.items():
            for (i, _, _), n in zip(ops, results[ident]):
                cur = top.get(i)
                if cur is None or n > cur[0] or (n == cur[0] and ident < cur[1]):
                    top[i] = (n, ident)  # most accounts; on a tie the smallest identifier
    out = []
    camps, hands = best
    for i, obs in enumerate(batch):
        r = CounterReading(obs, *per_event[i])
        if camps:
            c = camps.get(i)
            if c is not None:
                r.campaign = KeyCount(key_name(CAMPAIGN, c[1]), c[0])
        if hands:
            h = hands.get(i)
            if h is not None:
                r.handle = KeyCount(key_name(HANDLE, h[1]), h[0])
        out.append(r)
    return out


# --- findings ---

def counter_findings(reading: CounterReading, policy: Policy) -> list[Finding]:
    """Behavior findings of one reading; the evidence names the counter (key, count, window, threshold).
    (No nested helpers: compiled, their closures and environment form a cycle per call, garbage only the cyclic
    collector frees; `modworker scan` froze it with each batch.)"""
    c = policy.counters
    obs = reading.obs
    out: list[Finding] = []
    if reading.messages > c.burst.limit:
        _rate(out, obs, "burst", "behavior.burst", c.burst, "messages", reading.messages)
    if reading.messages_hourly > c.hourly.limit:
        _rate(out, obs, "burst_hourly", "behavior.burst", c.hourly, "messages", reading.messages_hourly)
    if obs.surface == "group" and reading.groups > c.group_fanout.limit:
        _rate(out, obs, "group_fanout", "behavior.group_fanout", c.group_fanout, "groups", reading.groups)
    if obs.surface == "direct" and reading.recipients > c.dm_fanout.limit:
        _rate(out, obs, "dm_fanout", "behavior.dm_fanout", c.dm_fanout, "direct_conversations", reading.recipients)
    if reading.repeats > c.repeats.limit:
        _rate(out, obs, "repeat", "behavior.repeat", c.repeats, "same_content", reading.repeats)
    for rule, label, lim, kc in (
        ("campaign", "behavior.campaign", c.campaign, reading.campaign),
        ("handle_spread", "behavior.handle_spread", c.handle_spread, reading.handle),
    ):
        if kc is not None and kc.accounts >= lim.min_accounts:
            _add(out, rule, label, lim.weight,
                 f"{kc.key} accounts={kc.accounts} in {lim.window_seconds}s (min {lim.min_accounts})")
    new = c.new_account
    if obs.account_age_seconds is not None and obs.account_age_seconds < new.max_age_days * 86400 and new.weight:
        _add(out, "new_account", None, new.weight,
             f"account_age={obs.account_age_seconds / 86400:.1f}d (< {new.max_age_days:g}d)")
    return out


def _add(out: list[Finding], rule: str, label: str | None, weight: float, evidence: str) -> None:
    out.append(Finding(NAME, f"{NAME}.{rule}", label, weight, evidence=evidence))


def _rate(out: list[Finding], obs: Observation, rule: str, label: str, lim: RateLimit | RepeatLimit, what: str,
          n: int) -> None:
    _add(out, rule, label, lim.weight,
         f"{key_name(ACCOUNT, obs.account_id)} {what}={n} in {lim.window_seconds}s (limit {lim.limit})")
