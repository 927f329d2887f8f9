"""What detectors emit and what the engine decides. Plain data, no I/O.

Both are frozen dataclasses with a hand-written `__init__` (the generated one of a frozen dataclass looks up
`object.__setattr__` for every field; the core builds several per event): same fields, same defaults.
"""
from __future__ import annotations

from dataclasses import dataclass, field

_set = object.__setattr__


@dataclass(frozen=True, slots=True, init=False)
class Finding:
    """One piece of evidence: a rule of a detector matched a span of the original text."""

    detector: str
    rule_id: str
    label: str | None  # the category.subtype this supports; None for context findings that only adjust
    weight: float  # contribution to the label's score; negative weights lower it (warnings, news)
    start: int = 0  # span in the ORIGINAL text
    end: int = 0
    evidence: str | None = None  # non-text evidence (counter key and count)

    def __init__(self, detector: str, rule_id: str, label: str | None, weight: float, start: int = 0,
                 end: int = 0, evidence: str | None = None) -> None:
        _set(self, "detector", detector)
        _set(self, "rule_id", rule_id)
        _set(self, "label", label)
        _set(self, "weight", weight)
        _set(self, "start", start)
        _set(self, "end", end)
        _set(self, "evidence", evidence)


@dataclass(frozen=True, slots=True, init=False)
class Decision:
    event_id: str
    action: str
    labels: tuple[str, ...]
    score: float
    reasons: tuple[Finding, ...]
    policy_version: str
    degraded: bool = False
    label_scores: dict[str, float] = field(default_factory=dict)

    def __init__(self, event_id: str, action: str, labels: tuple[str, ...], score: float,
                 reasons: tuple[Finding, ...], policy_version: str, degraded: bool = False,
                 label_scores: dict[str, float] | None = None) -> None:
        _set(self, "event_id", event_id)
        _set(self, "action", action)
        _set(self, "labels", labels)
        _set(self, "score", score)
        _set(self, "reasons", reasons)
        _set(self, "policy_version", policy_version)
        _set(self, "degraded", degraded)
        _set(self, "label_scores", {} if label_scores is None else label_scores)
