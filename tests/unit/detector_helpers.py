"""Shared by the detector tests: a detection context for one detector, and the labels the engine gives with
the hand-written detectors alone.

These tests pin down what each RULE detector catches and leaves alone, so the learned text model is off here
(policy `text_model` removed). The rules and the model together are judged by `modworker eval` on the test
split (tests/unit/test_eval_targets.py) and by tests/unit/test_text_model.py."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone

from schemas.models import MessageEvent
from workers.core.detectors import Context
from workers.core.engine import Engine
from workers.core.handles import extract_handles
from workers.core.normalize import normalize
from workers.core.policy import load_policy
from workers.settings import DEFAULT_POLICY


def _rules_policy():
    """The shipped policy without the text model, and with every surface's review bar at the label bar: these tests
    ask whether the rules bring a label to the label bar, not whether the shipped operating point acts on it. The
    operating point (the review bars) is chosen for rules and model together, from cross-validation, and moves when
    the model is retrained (README, "Detection quality"); a detector's tests must not move with it."""
    policy = load_policy(DEFAULT_POLICY)
    bar = policy.label_min_score
    thresholds = {surface: {**t, "review": bar} for surface, t in policy.thresholds.items()}
    return replace(policy, text_model=None, thresholds=thresholds)


ENGINE = Engine(_rules_policy())


def ctx(text: str) -> Context:
    norm = normalize(text)
    return Context(norm, extract_handles(norm), "group", datetime(2026, 11, 28, tzinfo=timezone.utc), None)


def labels(text: str, surface: str = "group") -> tuple[str, ...]:
    """The labels the rules-only engine reports (empty when the message is allowed)."""
    event = MessageEvent(event_id="t", account_id="a", surface=surface, text=text,
                         sent_at=datetime(2026, 11, 28, tzinfo=timezone.utc))
    return ENGINE.decide_text_only(event).labels
