"""Scores from findings. Kept apart from detection (what matched) and policy (what to do about it).

Per label:
  topic   = the sum of the weights of the findings with that label (topic detectors, counters such as
            `behavior.burst`, and label-specific context with negative weight, e.g. family for verification)
  support = the sum of the label-less findings with positive weight (money offer, contact, urgency, ...),
            capped at SUPPORT_CAP and at SUPPORT_RATIO x topic: support confirms what a topic found, it never
            outweighs it, so weak topic evidence cannot be carried to a decision by generic cues alone
  damping = the sum of the label-less findings with negative weight (warning, news, question context)
  score   = min(1, topic + support) + damping, clipped to [0, 1]; a label is scored only if its topic > 0.
"""
from __future__ import annotations

from typing import Iterable

from workers.core.findings import Finding

SUPPORT_CAP = 0.45  # support cues alone can never carry a label to the top
SUPPORT_RATIO = 0.8  # ... nor add more than the topic evidence itself


def label_scores(findings: Iterable[Finding]) -> dict[str, float]:
    topic: dict[str, float] = {}
    support = 0.0
    damp = 0.0
    for f in findings:
        if f.label is not None:
            topic[f.label] = topic.get(f.label, 0.0) + f.weight
        elif f.weight >= 0:
            support += f.weight
        else:
            damp += f.weight
    support = min(support, SUPPORT_CAP)
    scores = {}
    for label, weight in topic.items():
        if weight > 0:
            raised = min(1.0, weight + min(support, SUPPORT_RATIO * weight))
            scores[label] = round(max(0.0, raised + damp), 4)
    return scores
