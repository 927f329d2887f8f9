"""Record bytes <-> contract models. orjson for speed; every failure is a typed DecodeError."""
from __future__ import annotations

import hashlib
from datetime import datetime

import orjson
from pydantic import ValidationError

from schemas.models import EnforcementEvent, MessageEvent, Reason
from workers.core.engine import enforcement_id
from workers.core.findings import Decision
from workers.errors import InvalidEncoding, InvalidEvent, InvalidJson, NotAnObject, TooLarge

MAX_RECORD_BYTES = 8 * 1024 * 1024


def decode_event(value: bytes | None, max_bytes: int = MAX_RECORD_BYTES) -> MessageEvent:
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
    try:
        return MessageEvent.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or '(root)'}: {err['msg']}" for err in exc.errors()[:5]
        )
        raise InvalidEvent(problems) from None


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
    event: MessageEvent, decision: Decision, decided_at: datetime, include_text: bool = False
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
