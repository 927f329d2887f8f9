"""The decoder never raises anything but a typed DecodeError, whatever bytes or JSON it is given."""
from __future__ import annotations

import json
from hypothesis import given, settings
from hypothesis import strategies as st

from workers.adapters.codec import Event, decode_event
from workers.errors import DecodeError

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=10), children, max_size=5),
    max_leaves=30,
)

FIELDS = ("event_id", "account_id", "surface", "text", "sent_at", "account_created_at", "conversation_id", "urls")
event_like = st.dictionaries(
    st.sampled_from(FIELDS) | st.text(max_size=8),
    json_values | st.sampled_from(["moments", "group", "direct", "2026-11-28T10:00:00Z", "9999-99-99"]),
    max_size=9,
)


def _decode_or_typed_error(raw: bytes) -> None:
    try:
        assert isinstance(decode_event(raw), Event)
    except DecodeError:
        pass


@settings(max_examples=400, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes(raw):
    _decode_or_typed_error(raw)


@settings(max_examples=400, deadline=None)
@given(json_values)
def test_random_json(value):
    _decode_or_typed_error(json.dumps(value).encode())


@settings(max_examples=400, deadline=None)
@given(event_like)
def test_random_event_shaped_objects(obj):
    _decode_or_typed_error(json.dumps(obj).encode())
