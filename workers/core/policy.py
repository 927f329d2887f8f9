"""Policy: from scores to actions, read from a versioned TOML file.

Detection never reads the policy's thresholds and the policy never matches text: changing a threshold is a
policy-file change with a new version, never a detector change.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

ACTIONS = ("allow", "review", "limit", "remove", "suspend")
SURFACES = ("moments", "group", "direct")


class PolicyError(ValueError):
    """The policy file is missing, unreadable or inconsistent."""


@dataclass(frozen=True, slots=True)
class BurstLimit:
    window_seconds: int = 60
    limit: int = 20
    weight: float = 0.5


@dataclass(frozen=True, slots=True)
class Policy:
    version: str
    label_min_score: float
    thresholds: Mapping[str, Mapping[str, float]]  # surface -> action -> minimum score
    allowlist: frozenset[str] = frozenset()
    max_text_chars: int = 20_000
    lateness_seconds: int = 300
    burst: BurstLimit = field(default_factory=BurstLimit)

    def action_for(self, surface: str, score: float, account_id: str) -> str:
        if account_id in self.allowlist:
            return "allow"
        chosen = "allow"
        for action, minimum in self.thresholds[surface].items():
            if score >= minimum:
                chosen = action
        return chosen


def parse_policy(data: dict) -> Policy:
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
        counters = data.get("counters", {})
        burst = BurstLimit(**counters.get("burst", {}))
        return Policy(
            version=version,
            label_min_score=float(data.get("labels", {}).get("min_score", 0.5)),
            thresholds=MappingProxyType(thresholds),
            allowlist=frozenset(data.get("allowlist", {}).get("accounts", [])),
            max_text_chars=int(data.get("limits", {}).get("max_text_chars", 20_000)),
            lateness_seconds=int(counters.get("lateness_seconds", 300)),
            burst=burst,
        )
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, PolicyError):
            raise
        raise PolicyError(f"invalid policy: {exc!r}") from exc


def load_policy(path: str | Path) -> Policy:
    try:
        with open(path, "rb") as fh:
            return parse_policy(tomllib.load(fh))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise PolicyError(f"cannot read policy file {path}: {exc}") from exc
