"""Policy: from scores to actions, read from a versioned TOML file.

Detection never reads the policy's thresholds and the policy never matches text: changing a threshold is a
policy-file change with a new version, never a detector change.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

ACTIONS = ("allow", "review", "limit", "remove", "suspend")
SURFACES = ("moments", "group", "direct")


class PolicyError(ValueError):
    """The policy file is missing, unreadable or inconsistent."""


@dataclass(frozen=True, slots=True)
class RateLimit:
    """A per-account sliding window (event time): more than `limit` in `window_seconds` gives a finding."""

    window_seconds: int = 60
    limit: int = 20
    weight: float = 0.5


BurstLimit = RateLimit  # the name of the first version


@dataclass(frozen=True, slots=True)
class RepeatLimit:
    """Identical content (same text skeleton, at least `min_chars` letters) more than `limit` times."""

    window_seconds: int = 3600
    limit: int = 5
    weight: float = 0.5
    min_chars: int = 10


@dataclass(frozen=True, slots=True)
class CampaignLimit:
    """Near-identical text from at least `min_accounts` accounts in `window_seconds` (MinHash LSH bands:
    one-permutation MinHash into bands * rows bins, see workers/core/fingerprint.py)."""

    window_seconds: int = 600
    min_accounts: int = 8
    weight: float = 0.55
    shingle: int = 2  # tokens per shingle (a CJK character or a Latin word is one token)
    min_shingles: int = 12  # texts with fewer distinct shingles get no fingerprint (greetings, short chat)
    bands: int = 3
    rows: int = 3


@dataclass(frozen=True, slots=True)
class HandleSpread:
    """One contact handle promoted by at least `min_accounts` accounts in `window_seconds`."""

    window_seconds: int = 3600
    min_accounts: int = 5
    weight: float = 0.55
    kinds: tuple[str, ...] = ("wechat", "qq", "phone", "telegram", "whatsapp")


@dataclass(frozen=True, slots=True)
class NewAccount:
    """Accounts younger than `max_age_days` (at event time) add `weight` as support to other labels."""

    max_age_days: float = 7.0
    weight: float = 0.1


@dataclass(frozen=True, slots=True)
class CounterPolicy:
    lateness_seconds: int = 300  # events up to this late (event time) are counted in their window
    key_grace_seconds: int = 900  # wall-clock time a Redis key outlives its longest window (its TTL margin)
    max_events_per_account: int = 5000  # newest events kept per account: bounds memory and per-event work
    scan_limit: int = 1000  # newest events of an account looked at for the distinct and repeat counts
    burst: RateLimit = field(default_factory=lambda: RateLimit(60, 20, 0.7))
    hourly: RateLimit = field(default_factory=lambda: RateLimit(3600, 200, 0.6))
    group_fanout: RateLimit = field(default_factory=lambda: RateLimit(600, 10, 0.6))
    dm_fanout: RateLimit = field(default_factory=lambda: RateLimit(3600, 30, 0.6))
    repeats: RepeatLimit = field(default_factory=RepeatLimit)
    campaign: CampaignLimit = field(default_factory=CampaignLimit)
    handle_spread: HandleSpread = field(default_factory=HandleSpread)
    new_account: NewAccount = field(default_factory=NewAccount)

    @property
    def account_window_seconds(self) -> int:
        """The longest per-account window: what an account's key must keep (plus the lateness)."""
        return max(self.burst.window_seconds, self.hourly.window_seconds, self.group_fanout.window_seconds,
                   self.dm_fanout.window_seconds, self.repeats.window_seconds)


@dataclass(frozen=True, slots=True)
class TextModelRef:
    """The learned text model the policy uses (workers/core/text_model.py): its file, pinned by SHA-256 so a
    new model needs a new policy version, and its share of each category label's score. `alone_min_score`: the
    score a category label needs when the model alone found it (no rule topic for that label); 0 adds no bar."""

    path: Path
    sha256: str
    share: float
    alone_min_score: float = 0.0


@dataclass(frozen=True, slots=True)
class Policy:
    version: str
    label_min_score: float
    thresholds: Mapping[str, Mapping[str, float]]  # surface -> action -> minimum score
    allowlist: frozenset[str] = frozenset()
    max_text_chars: int = 20_000
    counters: CounterPolicy = field(default_factory=CounterPolicy)
    text_model: TextModelRef | None = None

    @property
    def lateness_seconds(self) -> int:
        return self.counters.lateness_seconds

    @property
    def burst(self) -> RateLimit:
        return self.counters.burst

    def action_for(self, surface: str, score: float, account_id: str) -> str:
        if account_id in self.allowlist:
            return "allow"
        chosen = "allow"
        for action, minimum in self.thresholds[surface].items():
            if score >= minimum:
                chosen = action
        return chosen


def parse_policy(data: dict, base: Path | None = None) -> Policy:
    """A Policy from the parsed TOML; `base` is the directory relative file names are resolved against."""
    try:
        version = str(data["version"])
        raw = data.get("thresholds", {})
        default = raw.get("default", {})
        thresholds: dict[str, Mapping[str, float]] = {}
        for surface in SURFACES:
            merged = {**default, **raw.get(surface, {})}
            unknown = set(merged) - set(ACTIONS[1:])
            if unknown:
                raise PolicyError(f"unknown actions in thresholds.{surface}: {sorted(unknown)}")
            ordered = {a: float(merged[a]) for a in ACTIONS[1:] if a in merged}
            values = list(ordered.values())
            if values != sorted(values):
                raise PolicyError(f"thresholds.{surface} must not decrease from review to suspend")
            thresholds[surface] = MappingProxyType(ordered)
        counters = parse_counters(data.get("counters", {}))
        return Policy(
            version=version,
            label_min_score=float(data.get("labels", {}).get("min_score", 0.5)),
            thresholds=MappingProxyType(thresholds),
            allowlist=frozenset(data.get("allowlist", {}).get("accounts", [])),
            max_text_chars=int(data.get("limits", {}).get("max_text_chars", 20_000)),
            counters=counters,
            text_model=_text_model(data.get("text_model"), base or Path.cwd()),
        )
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, PolicyError):
            raise
        raise PolicyError(f"invalid policy: {exc!r}") from exc


def _text_model(raw: dict | None, base: Path) -> TextModelRef | None:
    if not raw or float(raw.get("share", 0)) == 0:
        return None
    share = float(raw["share"])
    if not 0 < share <= 1:
        raise PolicyError("text_model.share must be in (0, 1]")
    sha = str(raw["sha256"]).lower()
    if len(sha) != 64:
        raise PolicyError("text_model.sha256 must be the model file's 64-digit SHA-256")
    alone = float(raw.get("alone_min_score", 0.0))
    if not 0 <= alone <= 1:
        raise PolicyError("text_model.alone_min_score must be in [0, 1]")
    return TextModelRef(base / raw["file"], sha, share, alone)


_SECTIONS = ("burst", "hourly", "group_fanout", "dm_fanout", "repeats", "campaign", "handle_spread", "new_account")
_SCALARS = ("lateness_seconds", "key_grace_seconds", "max_events_per_account", "scan_limit")


def parse_counters(raw: dict) -> CounterPolicy:
    """The [counters] table: scalars, then one sub-table per counter; unknown keys are refused (typos)."""
    unknown = set(raw) - set(_SECTIONS) - set(_SCALARS)
    if unknown:
        raise PolicyError(f"unknown keys in [counters]: {sorted(unknown)}")
    defaults = CounterPolicy()
    kwargs: dict = {k: int(raw[k]) for k in _SCALARS if k in raw}
    for name in _SECTIONS:
        if name in raw:
            section = dict(raw[name])
            if "kinds" in section:
                section["kinds"] = tuple(str(k) for k in section["kinds"])
            try:  # a partial table keeps the defaults of the keys it does not set
                kwargs[name] = replace(getattr(defaults, name), **section)
            except TypeError as exc:
                raise PolicyError(f"[counters.{name}]: {exc}") from None
    counters = CounterPolicy(**{**{f: getattr(defaults, f) for f in _SCALARS}, **kwargs})
    _check_counters(counters)
    return counters


def _check_counters(c: CounterPolicy) -> None:
    if c.lateness_seconds < 0 or c.key_grace_seconds < 0:
        raise PolicyError("counters.lateness_seconds and key_grace_seconds must not be negative")
    if c.max_events_per_account < 1 or c.scan_limit < 1:
        raise PolicyError("counters.max_events_per_account and scan_limit must be at least 1")
    for name in _SECTIONS:
        section = getattr(c, name)
        window = getattr(section, "window_seconds", 1)
        if window <= 0:
            raise PolicyError(f"counters.{name}.window_seconds must be positive")
        if getattr(section, "limit", 0) < 0 or getattr(section, "min_accounts", 2) < 2:
            raise PolicyError(f"counters.{name}: limit must be >= 0 and min_accounts >= 2")
        if not -1.0 <= section.weight <= 1.0:
            raise PolicyError(f"counters.{name}.weight must be within [-1, 1]")
    camp = c.campaign
    if camp.shingle < 1 or camp.min_shingles < 1 or camp.bands < 1 or camp.rows < 1:
        raise PolicyError("counters.campaign: shingle, min_shingles, bands and rows must be at least 1")
    if camp.bands * camp.rows > 64:
        raise PolicyError("counters.campaign: bands * rows (MinHash bins) must be at most 64")
    if c.new_account.max_age_days < 0:
        raise PolicyError("counters.new_account.max_age_days must not be negative")


def load_policy(path: str | Path) -> Policy:
    try:
        with open(path, "rb") as fh:
            return parse_policy(tomllib.load(fh), Path(path).resolve().parent)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise PolicyError(f"cannot read policy file {path}: {exc}") from exc
