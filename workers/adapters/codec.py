"""Record bytes <-> contract models. orjson for speed; every failure is a typed DecodeError.

A record is decoded into `Event`, the twin of the contract's `MessageEvent` (schemas/models.py): the same
fields, values and checks, converted by msgspec in C (about 1 us) instead of pydantic (about 4.5 us, a
Python validator for the times included). A record msgspec refuses, or whose times it would read differently
(more than six digits of a second: msgspec rounds them, pydantic truncates), goes through `MessageEvent`
itself, which accepts what it accepts and words the error of what it refuses. Tests hold the twin to the
contract field by field, and both paths to the same events on generated records.
"""
from __future__ import annotations

import hashlib
import re
from datetime import datetime
from typing import Annotated

import msgspec
import orjson
from pydantic import ValidationError

from schemas.models import EnforcementEvent, MessageEvent, Reason, Surface, as_utc
from workers.core.engine import enforcement_id
from workers.core.findings import Decision
from workers.errors import InvalidEncoding, InvalidEvent, InvalidJson, NotAnObject, TooLarge

MAX_RECORD_BYTES = 8 * 1024 * 1024


_Id = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]


class Event(msgspec.Struct, frozen=True):
    """A decoded `MessageEvent` (see the module doc): its fields, in its order, with its defaults and checks."""

    event_id: _Id
    account_id: _Id
    surface: Surface
    text: str
    sent_at: datetime
    message_id: str | None = None
    account_created_at: datetime | None = None
    conversation_id: str | None = None
    urls: list[str] | None = None
    lang: str | None = None


_TIMES = ("sent_at", "account_created_at")
_PAST_MICROSECONDS = re.compile(r"[.,][0-9]{7}")


def _converted(data: dict) -> Event | None:
    """The event msgspec reads in `data`, with its times in UTC as `MessageEvent` gives them; None when msgspec
    refuses it or `MessageEvent` may read it otherwise."""
    try:
        ev = msgspec.convert(data, Event)
    except msgspec.ValidationError:
        return None
    for name in _TIMES:
        raw = data.get(name)
        if type(raw) is str and len(raw) > 26 and _PAST_MICROSECONDS.search(raw):
            return None
    try:
        msgspec.structs.force_setattr(ev, "sent_at", as_utc(ev.sent_at))
        if ev.account_created_at is not None:
            msgspec.structs.force_setattr(ev, "account_created_at", as_utc(ev.account_created_at))
    except ValueError:  # out of range: MessageEvent words the error
        return None
    return ev


def decode_event(value: bytes | None, max_bytes: int = MAX_RECORD_BYTES) -> Event:
    if value is None:
        raise NotAnObject("record has no value (tombstone)")
    if len(value) > max_bytes:
        raise TooLarge(f"record of {len(value)} bytes is over the {max_bytes}-byte limit")
    try:
        data = orjson.loads(value)
    except orjson.JSONDecodeError as exc:
        try:
            value.decode("utf-8")
        except UnicodeDecodeError as uexc:
            raise InvalidEncoding(f"not valid UTF-8: {uexc.reason} at byte {uexc.start}") from None
        raise InvalidJson(f"not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise NotAnObject(f"JSON {type(data).__name__} is not an object")
    ev = _converted(data)
    if ev is not None:
        return ev
    try:
        checked = MessageEvent.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or '(root)'}: {err['msg']}" for err in exc.errors()[:5]
        )
        raise InvalidEvent(problems) from None
    return Event(**dict(checked))


def reasons_of(decision: Decision) -> list[Reason]:
    return [
        Reason(detector=f.detector, rule_id=f.rule_id, label=f.label, weight=f.weight,
               start=f.start, end=f.end, evidence=f.evidence)
        for f in decision.reasons
    ]


def reason_dicts(decision: Decision) -> list[dict]:
    """`[r.model_dump(mode="json") for r in reasons_of(decision)]`, without building the models (a fifth of the
    cost; `modworker scan` writes these). A test checks both give the same on every dev decision."""
    return [
        {"detector": f.detector, "rule_id": f.rule_id, "label": f.label, "weight": f.weight, "start": f.start,
         "end": f.end, "evidence": f.evidence}
        for f in decision.reasons
    ]


def enforcement_event(
    event: Event, decision: Decision, decided_at: datetime, include_text: bool = False
) -> EnforcementEvent:
    return EnforcementEvent(
        enforcement_id=enforcement_id(event.event_id, decision.policy_version),
        event_id=event.event_id,
        account_id=event.account_id,
        surface=event.surface,
        action=decision.action,
        labels=list(decision.labels),
        score=decision.score,
        reasons=reasons_of(decision),
        policy_version=decision.policy_version,
        event_time=event.sent_at,
        decided_at=decided_at,
        degraded=decision.degraded,
        text_sha256=hashlib.sha256(event.text.encode("utf-8", "surrogatepass")).hexdigest(),
        text=event.text if include_text else None,
    )


def encode_model(model) -> bytes:
    return orjson.dumps(model.model_dump(mode="json"))
