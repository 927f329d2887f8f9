"""Scores from findings. Kept apart from detection (what matched) and policy (what to do about it).

Per label:
  topic   = the sum of the weights of the findings with that label (topic detectors, counters such as
            `behavior.burst`, and label-specific context with negative weight, e.g. family for verification)
  support = the sum of the label-less findings with positive weight (money offer, contact, urgency, ...),
            capped at SUPPORT_CAP and at SUPPORT_RATIO x topic: support confirms what a topic found, it never
            outweighs it, so weak topic evidence cannot be carried to a decision by generic cues alone
  damping = the sum of the label-less findings with negative weight (warning, news, question context)
  score   = min(1, topic + support) + damping, clipped to [0, 1]; a label is scored only if its topic > 0.

With the text model on (policy `text_model.share` > 0), the model's findings (detector `text_model`, weight =
its calibrated score) are not summed with the rules: every category label (not `behavior.*`) is scored
  share * model score + (1 - share) * rules score
so the model lifts what the rules missed and the rules' context (warnings, news, family) still pulls down.
A category label that the model alone found (no rule topic finding for it) is scored only from `model_alone_min`
on (policy `text_model.alone_min_score`): without a rule to back it, the model needs a clearer margin.
Counter labels (`behavior.*`) are scored by the rules alone.
"""
from __future__ import annotations

import math
from typing import Iterable

from workers.core.findings import Finding

SUPPORT_CAP = 0.45  # support cues alone can never carry a label to the top
SUPPORT_RATIO = 0.8  # ... nor add more than the topic evidence itself


MODEL_DETECTOR = "text_model"  # workers.core.text_model.DETECTOR (not imported: it pulls in numpy)
BEHAVIOR = "behavior."


def round4(x: float) -> float:
    """`round(x, 4)`, the same float, in a tenth of its time: Python rounds through the decimal digits of x
    (0.23 us a call). x * 10000 is within 1e-12 of its exact value (x below 1e4), so unless it lies within
    1e-7 of a half-way point its nearest integer k is the exact value's, and k / 10000 (a correctly rounded
    division) is the float nearest to k / 10^4, which is what `round` returns. Near a half-way point, and for
    anything else (large, infinite or NaN), `round` itself."""
    y = x * 10000.0
    if -1e8 < y < 1e8:
        low = float(math.floor(y))  # a float, exactly (|y| < 1e8): `k` below stays an unboxed float when compiled
        frac = y - low
        if abs(frac - 0.5) > 1e-7:
            k = low + 1.0 if frac > 0.5 else low
            return k / 10000.0 if k != 0.0 else math.copysign(0.0, x)
    return round(x, 4)


def label_scores(
    findings: Iterable[Finding], model_share: float = 0.0, model_alone_min: float = 0.0
) -> dict[str, float]:
    positive: dict[str, float] = {}  # per label, the sum of its positive findings
    negative: dict[str, float] = {}  # ... and of its negative ones (label-specific context, e.g. family)
    model: dict[str, float] = {}
    support = 0.0
    damp = 0.0
    for f in findings:
        label = f.label
        weight = f.weight
        if f.detector == MODEL_DETECTOR:
            model[label] = weight  # type: ignore[index]
        elif label is not None:
            if weight > 0:
                positive[label] = positive.get(label, 0.0) + weight
            else:
                negative[label] = negative.get(label, 0.0) + weight
        elif weight >= 0:
            support += weight
        else:
            damp += weight
    if support > SUPPORT_CAP:
        support = SUPPORT_CAP
    scores: dict[str, float] = {}
    if model_share <= 0:
        for label, weight in positive.items():
            topic = weight + negative.get(label, 0.0)
            if topic > 0:
                scores[label] = _rules_score(topic, support, damp)
        return scores
    rules_share = 1.0 - model_share
    # every label with a positive finding or a model score, each once (min and max written out below: the
    # builtins box their floats in the compiled core)
    for label, weight in positive.items():
        _blend(scores, label, weight, negative, model, support, damp, model_share, rules_share, model_alone_min)
    for label in model:
        if label not in positive:
            _blend(scores, label, 0.0, negative, model, support, damp, model_share, rules_share, model_alone_min)
    return scores


def _raised(topic: float, support: float) -> float:
    """min(1, topic + min(support, SUPPORT_RATIO * topic)): topic evidence with its support."""
    cap = SUPPORT_RATIO * topic
    raised = topic + (support if support < cap else cap)
    return raised if raised < 1.0 else 1.0


def _rules_score(topic: float, support: float, damp: float) -> float:
    """The rules' score: the raised topic plus damping, at least 0, rounded."""
    score = _raised(topic, support) + damp
    return round4(score if score > 0.0 else 0.0)


def _blend(scores: dict[str, float], label: str, weight: float, negative: dict[str, float], model: dict[str, float],
           support: float, damp: float, model_share: float, rules_share: float, model_alone_min: float) -> None:
    """The score of one label with the model on (see the module's docstring), into `scores` when it counts."""
    if label.startswith(BEHAVIOR):  # counters: rules alone
        topic = weight + negative.get(label, 0.0)
        if topic > 0:
            scores[label] = _rules_score(topic, support, damp)
        return
    raised = _raised(weight, support) if weight > 0 else 0.0
    blended = model_share * model.get(label, 0.0) + rules_share * raised
    # context (warning, news, question; family for verification) lowers the blend as it lowers the rules
    score = blended + damp + negative.get(label, 0.0)
    if not score > 0.0:  # as max(0.0, score): -0.0 becomes 0.0 too
        score = 0.0
    if score > 1.0:
        score = 1.0
    score = round4(score)
    if weight > 0 or score >= model_alone_min:
        scores[label] = score
