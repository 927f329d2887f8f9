"""Dead-letter records: everything needed to find, understand and replay a record that was not decided."""
from __future__ import annotations

import base64
from datetime import datetime, timezone

import orjson


def deadletter_record(
    value: bytes | None,
    topic: str,
    partition: int,
    offset: int,
    error: BaseException,
    now: datetime | None = None,
) -> bytes:
    return orjson.dumps(
        {
            "topic": topic,
            "partition": partition,
            "offset": offset,
            "error_class": type(error).__name__,
            "error": str(error)[:1000],
            "value_b64": base64.b64encode(value or b"").decode("ascii"),
            "failed_at": (now or datetime.now(timezone.utc)).isoformat(),
        }
    )
