"""Logging of `modworker worker`: one JSON object per line, secrets redacted, no message text.

Every line has `time` (UTC, ISO-8601), `level`, `logger` and `message`; fields passed with
`log.info(..., extra={"event_id": ..., "decision": ...})` are added as they are, and an exception as
`exception`. Whatever is logged, by modworker or by faust, aiokafka and redis, goes through `redact`:
passwords in URLs (`redis://user:PASSWORD@host`) and `password=...`-style values never reach the log.
Message text is never logged: decisions are logged by event id, action, labels and rule ids.
"""
from __future__ import annotations

import logging
import re
import sys
from datetime import datetime, timezone
from typing import Any

import orjson

# userinfo of a URL: scheme://user:PASSWORD@host -> scheme://user:***@host
_URL_PASSWORD = re.compile(r"(?P<head>[a-zA-Z][a-zA-Z0-9+.-]*://[^:/@\s]*:)[^@\s]+(?P<at>@)")
# password=..., "sasl_plain_password": "...", secret: ..., token=...
_KEY_VALUE = re.compile(
    r"(?P<key>(?:[a-z_]*password|passwd|secret|token|api[_-]?key)[\"']?\s*[=:]\s*[\"']?)[^\s\"',;&}]+",
    re.IGNORECASE,
)
REDACTED = "***"
# fields (extra=... keys, dict keys) whose values are secrets whatever they hold
_SECRET_KEY = re.compile(r"password|passwd|secret|token|api[_-]?key|credential", re.IGNORECASE)

# Attributes every LogRecord has; anything else on a record came from `extra=` and is logged as a field.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "taskName"}


def redact(text: str) -> str:
    """The text with URL passwords and password/secret/token values replaced by ***."""
    if not text:
        return text
    text = _URL_PASSWORD.sub(lambda m: m.group("head") + REDACTED + m.group("at"), text)
    return _KEY_VALUE.sub(lambda m: m.group("key") + REDACTED, text)


def _clean(value: Any, key: str = "") -> Any:
    if key and _SECRET_KEY.search(key) and value is not None:
        return REDACTED
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _clean(v, str(k)) for k, v in value.items()}
    if value is None or isinstance(value, (bool, int, float)):
        return value
    return redact(str(value))


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, then the record's extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_") and key not in out:
                out[key] = _clean(value, key)
        if record.exc_info and record.exc_info[0] is not None:
            out["exception"] = redact(self.formatException(record.exc_info))
        elif record.exc_text:
            out["exception"] = redact(record.exc_text)
        return orjson.dumps(out, default=str).decode("utf-8")


class RedactingTextFormatter(logging.Formatter):
    """The plain-text format (MODWORKER_LOG_FORMAT=text), with the same redaction."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def setup_logging(level: str = "info", fmt: str = "json", stream=None) -> logging.Handler:
    """Route every logger to one handler on stderr (or `stream`); returns that handler."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else RedactingTextFormatter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
    # kafka-python (topic admin) is chatty at INFO and of no use to an operator: warnings and errors only.
    logging.getLogger("kafka").setLevel(max(logging.WARNING, root.level))
    logging.captureWarnings(True)
    return handler
