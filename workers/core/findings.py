"""What detectors emit and what the engine decides. Plain data, no I/O.

Both are immutable by convention: nothing assigns a field after construction. They are not frozen at run time,
and neither are the other objects the core builds per event (Handle, Analysis, Context, Prediction): a frozen
dataclass sets each field through `object.__setattr__`, which cost 0.85 µs a Finding in the compiled core, and
an event builds several. They hash by their fields (`unsafe_hash`), as frozen ones did. The `__init__` is written
out: the generated one is plain Python, the written one is compiled (same fields, same defaults).
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True, init=False, unsafe_hash=True)  # immutable by convention (see above)
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
        self.detector = detector
        self.rule_id = rule_id
        self.label = label
        self.weight = weight
        self.start = start
        self.end = end
        self.evidence = evidence


@dataclass(slots=True, init=False, unsafe_hash=True)  # immutable by convention (see above)
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
        self.event_id = event_id
        self.action = action
        self.labels = labels
        self.score = score
        self.reasons = reasons
        self.policy_version = policy_version
        self.degraded = degraded
        self.label_scores = {} if label_scores is None else label_scores
