from __future__ import annotations

from datetime import timezone

import pytest
from pydantic import ValidationError

from schemas.__main__ import MODELS, render, HERE
from schemas.models import MessageEvent


def test_checked_in_json_schemas_match_the_models():
    for name, model in MODELS.items():
        path = HERE / f"{name}.schema.json"
        assert path.read_text(encoding="utf-8") == render(model), f"{path} drifted: run python -m schemas"


def _event(**over):
    base = {"event_id": "e1", "account_id": "a1", "surface": "group", "text": "hi", "sent_at": "2026-11-28T10:00:00+08:00"}
    base.update(over)
    return base


def test_event_time_is_read_as_utc_and_extras_are_ignored():
    ev = MessageEvent.model_validate(_event(new_field_from_a_newer_producer=1))
    assert ev.sent_at.tzinfo is not None and ev.sent_at.utcoffset().total_seconds() == 0
    assert ev.sent_at.hour == 2
    naive = MessageEvent.model_validate(_event(sent_at="2026-11-28T10:00:00"))
    assert naive.sent_at.tzinfo == timezone.utc and naive.sent_at.hour == 10


@pytest.mark.parametrize("override", [
    {"surface": "email"},
    {"sent_at": "yesterday"},
    {"sent_at": "1970-01-01T00:00:00Z"},
    {"sent_at": "9999-01-01T00:00:00Z"},
    {"account_id": 42},
    {"text": None},
    {"event_id": ""},
])
def test_invalid_events_are_refused(override):
    with pytest.raises(ValidationError):
        MessageEvent.model_validate(_event(**override))
