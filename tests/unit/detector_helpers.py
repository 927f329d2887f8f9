"""Shared by the detector tests: a detection context for one detector, and the labels the whole engine gives."""
from __future__ import annotations

from datetime import datetime, timezone

from schemas.models import MessageEvent
from workers.core.detectors import Context
from workers.core.engine import Engine
from workers.core.handles import extract_handles
from workers.core.normalize import normalize
from workers.core.policy import load_policy
from workers.settings import DEFAULT_POLICY

ENGINE = Engine(load_policy(DEFAULT_POLICY))


def ctx(text: str) -> Context:
    norm = normalize(text)
    return Context(norm, extract_handles(norm), "group", datetime(2026, 11, 28, tzinfo=timezone.utc), None)


def labels(text: str, surface: str = "group") -> tuple[str, ...]:
    """The labels the whole engine reports (empty when the message is allowed)."""
    event = MessageEvent(event_id="t", account_id="a", surface=surface, text=text,
                         sent_at=datetime(2026, 11, 28, tzinfo=timezone.utc))
    return ENGINE.decide_text_only(event).labels
