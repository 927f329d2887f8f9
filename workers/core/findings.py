"""What detectors emit and what the engine decides. Plain data, no I/O."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Finding:
    """One piece of evidence: a rule of a detector matched a span of the original text."""

    detector: str
    rule_id: str
    label: str | None  # the category.subtype this supports; None for context findings that only adjust
    weight: float  # contribution to the label's score; negative weights lower it (warnings, news)
    start: int = 0  # span in the ORIGINAL text
    end: int = 0
    evidence: str | None = None  # non-text evidence (counter key and count)


@dataclass(frozen=True, slots=True)
class Decision:
    event_id: str
    action: str
    labels: tuple[str, ...]
    score: float
    reasons: tuple[Finding, ...]
    policy_version: str
    degraded: bool = False
    label_scores: dict[str, float] = field(default_factory=dict)
