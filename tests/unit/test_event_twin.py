"""The codec's `Event` (msgspec) against the contract's `MessageEvent` (pydantic): the same fields, and for every
record the same event or the same refusal (workers/adapters/codec.py)."""
from __future__ import annotations

import itertools
import json

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from schemas.models import MessageEvent
from workers.adapters.codec import Event, _converted, decode_event
from workers.errors import InvalidEvent


def _contract(data: dict) -> Event | None:
    """What MessageEvent makes of `data`, as an Event; None when it refuses it."""
    try:
        return Event(**dict(MessageEvent.model_validate(data)))
    except ValidationError:
        return None


def _same(fast: Event, slow: Event) -> None:
    assert msgspec.structs.asdict(fast) == msgspec.structs.asdict(slow)
    for name in ("sent_at", "account_created_at"):  # equal instants, and both in UTC
        a, b = getattr(fast, name), getattr(slow, name)
        assert (a is None and b is None) or (a.utcoffset().total_seconds() == 0 and a.tzinfo == b.tzinfo)
    assert type(fast.surface) is type(slow.surface)


def test_the_twin_has_the_contracts_fields_defaults_and_length_checks():
    fields = msgspec.structs.fields(Event)
    assert [f.name for f in fields] == list(MessageEvent.model_fields)
    for f in fields:
        contract = MessageEvent.model_fields[f.name]
        assert f.required == contract.is_required(), f.name
        if not f.required:
            assert f.default == contract.default, f.name
    for name in ("event_id", "account_id"):
        limits = {type(m).__name__: m for m in MessageEvent.model_fields[name].metadata}
        low, high = limits["MinLen"].min_length, limits["MaxLen"].max_length
        for length, ok in ((low - 1, False), (low, True), (high, True), (high + 1, False)):
            data = {**BASE, name: "号" * length}
            assert (_converted(data) is not None) == ok == (_contract(data) is not None), (name, length)


BASE = {"event_id": "e1", "account_id": "a1", "surface": "group", "text": "加我微信", "sent_at": "2026-11-28T10:00:00Z"}

DATES = ["2026-11-28", "1999-12-31", "2000-01-01", "2099-12-31", "2100-01-01", "2026-02-29", "2028-02-29",
         "2026-13-01", "26-11-28", "2026-11-28 "]
SEPARATORS = ["T", "t", " ", "_", ""]
CLOCKS = ["10:00:00", "00:00:00", "23:59:59", "23:59:60", "24:00:00", "10:00", "10:60:00", "1:00:00"]
FRACTIONS = ["", ".", ".1", ".123", ".123456", ".1234564", ".1234565", ".9999995", ".123456789", ",5"]
OFFSETS = ["", "Z", "z", "+00:00", "-00:00", "+08:00", "-05:30", "+0800", "+08", "+24:00", "+23:59", " Z"]


def _stamps():
    for date, sep, clock, frac, off in itertools.product(DATES[:3], SEPARATORS, CLOCKS[:3], FRACTIONS, OFFSETS):
        yield f"{date}{sep}{clock}{frac}{off}"
    for date in DATES:
        yield f"{date}T10:00:00Z"
    for clock in CLOCKS:
        yield f"2026-11-28T{clock}Z"
    yield from ["1764324000", "1764324000.5", "", "now", "2026-11-28T10:00:00.123456+08:00:30"]


@pytest.mark.parametrize("field", ["sent_at", "account_created_at"])
def test_every_time_the_contract_reads_is_read_alike_and_every_one_it_refuses_is_refused(field):
    """msgspec reads RFC 3339 (and rounds past the microsecond); pydantic reads more forms (and truncates):
    the fast path must never accept what the contract refuses, nor read a time otherwise."""
    fast_read = 0
    for stamp in list(_stamps()) + [1764324000, 1764324000.5, None, True, [1]]:
        data = {**BASE, field: stamp}
        fast, slow = _converted(data), _contract(data)
        if fast is not None:
            fast_read += 1
            assert slow is not None, stamp
            _same(fast, slow)
        decoded = None
        try:
            decoded = decode_event(json.dumps(data).encode())
        except InvalidEvent:
            assert slow is None, stamp
        if decoded is not None:
            assert slow is not None, stamp
            _same(decoded, slow)
    assert fast_read > 300  # the usual forms take the fast path


values = st.none() | st.booleans() | st.integers(-3, 3) | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=3) | \
    st.sampled_from(["moments", "group", "direct", "Group", "2026-11-28T10:00:00Z", "2026-11-28T10:00:00.1234567",
                     "1999-01-01T00:00:00Z", "x" * 201, "2026-11-28", "10:00"]) | \
    st.lists(st.text(max_size=2) | st.none() | st.integers(0, 2), max_size=3)
FIELDS = list(MessageEvent.model_fields) + ["extra"]


@settings(max_examples=1500, deadline=None)
@given(st.dictionaries(st.sampled_from(FIELDS), values, max_size=11), st.booleans())
def test_both_paths_make_the_same_event_or_both_refuse(changes, from_base):
    data = {**BASE, **changes} if from_base else changes
    slow = _contract(data)
    fast = _converted(data)
    if fast is not None:
        assert slow is not None, data
        _same(fast, slow)
    raw = json.dumps(data).encode()
    if slow is None:
        with pytest.raises(InvalidEvent):
            decode_event(raw)
    else:
        _same(decode_event(raw), slow)


def test_a_refused_event_is_worded_by_the_contract():
    with pytest.raises(InvalidEvent, match=r"event_id: String should have at least 1 character"):
        decode_event(json.dumps({**BASE, "event_id": ""}).encode())
    with pytest.raises(InvalidEvent, match=r"sent_at: Value error, timestamp 1999-12-31T23:00:00\+00:00 is outside"):
        decode_event(json.dumps({**BASE, "sent_at": "1999-12-31T23:00:00Z"}).encode())
