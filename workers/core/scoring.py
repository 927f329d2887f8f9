"""Scores from findings. Kept apart from detection (what matched) and policy (what to do about it).

Per label: the sum of its topic findings' weights; if there is any, the label-less support findings
(money offer, contact call-to-action, counters) add to it, and context findings with negative weight
(warning, news, question) subtract. Scores are clipped to [0, 1].
"""
from __future__ import annotations

from collections import defaultdict
from typing import Iterable

from workers.core.findings import Finding

SUPPORT_CAP = 0.45  # support cues alone can never carry a label to the top


def label_scores(findings: Iterable[Finding]) -> dict[str, float]:
    topic: dict[str, float] = defaultdict(float)
    support = 0.0
    damp = 0.0
    for f in findings:
        if f.label is not None:
            topic[f.label] += f.weight
        elif f.weight >= 0:
            support += f.weight
        else:
            damp += f.weight
    support = min(support, SUPPORT_CAP)
    scores = {}
    for label, weight in topic.items():
        if weight > 0:
            scores[label] = max(0.0, min(1.0, weight + support + damp))
    return scores
