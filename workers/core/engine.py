"""The decision path of one event, read straight down:
event -> normalized text and handles -> findings -> (+ counter findings) -> scores -> policy action.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Sequence

from schemas.models import MessageEvent
from workers.core.detectors import DETECTORS, Context, Detector
from workers.core.findings import Decision, Finding
from workers.core.handles import Handle, extract_handles
from workers.core.normalize import Normalized, normalize
from workers.core.policy import Policy
from workers.core.scoring import label_scores


@dataclass(frozen=True, slots=True)
class Analysis:
    """What the text alone says; counters use its handles before the decision is made."""

    norm: Normalized
    handles: tuple[Handle, ...]
    findings: tuple[Finding, ...]


def enforcement_id(event_id: str, policy_version: str) -> str:
    """Deterministic: the same event under the same policy always gets the same id (downstream dedup)."""
    digest = hashlib.sha256(f"{policy_version}\x1f{event_id}".encode("utf-8")).hexdigest()
    return digest[:32]


class Engine:
    def __init__(self, policy: Policy, detectors: Sequence[Detector] = DETECTORS):
        self.policy = policy
        self.detectors = tuple(detectors)

    def analyze(self, event: MessageEvent) -> Analysis:
        # Over-long text is truncated for detection, never dropped.
        text = event.text[: self.policy.max_text_chars]
        norm = normalize(text)
        handles = extract_handles(norm)
        ctx = Context(norm, handles, event.surface.value, event.sent_at, event.account_created_at)
        findings: list[Finding] = []
        for detector in self.detectors:
            findings.extend(detector.detect(ctx))
        return Analysis(norm, handles, tuple(findings))

    def decide(
        self,
        event: MessageEvent,
        analysis: Analysis,
        extra: Sequence[Finding] = (),
        degraded: bool = False,
    ) -> Decision:
        findings = analysis.findings + tuple(extra)
        scores = label_scores(findings)
        labels = tuple(sorted(l for l, s in scores.items() if s >= self.policy.label_min_score))
        score = round(max(scores.values(), default=0.0), 4)
        action = self.policy.action_for(event.surface.value, score, event.account_id)
        if action == "allow":
            labels = ()
        reasons = tuple(f for f in findings if action != "allow" and (f.label is None or f.label in labels))
        return Decision(
            event_id=event.event_id,
            action=action,
            labels=labels,
            score=score,
            reasons=reasons,
            policy_version=self.policy.version,
            degraded=degraded,
            label_scores=scores,
        )

    def decide_text_only(self, event: MessageEvent) -> Decision:
        return self.decide(event, self.analyze(event))
