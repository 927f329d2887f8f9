"""Logging of `modworker worker`: one JSON object per line, secrets redacted, no message text.

Every line has `time` (UTC, ISO-8601), `level`, `logger` and `message`; fields passed with
`log.info(..., extra={"event_id": ..., "decision": ...})` are added as they are, and an exception as
`exception`. Whatever is logged, by modworker or by faust, aiokafka and redis, goes through `redact`:
passwords in URLs (`redis://user:PASSWORD@host`) and `password=...`-style values never reach the log.
Message text is never logged: decisions are logged by event id, action, labels and rule ids.
"""
from __future__ import annotations

import logging
import math
import re
import sys
import time
from functools import lru_cache
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
    if text.isascii():
        # Most of what is logged holds neither pattern: two substring tests instead of two regex passes.
        # Exact for ASCII text (a match needs "://" and "@", or one of the keywords in some case); other
        # text always takes the regexes (case-insensitive matching folds e.g. U+017F to "s").
        url = "@" in text and "://" in text
        low = text.lower()
        key_value = "pass" in low or "secret" in low or "token" in low or "api" in low
        if not url and not key_value:
            return text
        if url:
            text = _URL_PASSWORD.sub(_url_sub, text)
        return _KEY_VALUE.sub(_key_sub, text) if key_value else text
    text = _URL_PASSWORD.sub(_url_sub, text)
    return _KEY_VALUE.sub(_key_sub, text)


def _url_sub(m: re.Match) -> str:
    return m.group("head") + REDACTED + m.group("at")


def _key_sub(m: re.Match) -> str:
    return m.group("key") + REDACTED


@lru_cache(maxsize=4096)
def _secret_key(key: str) -> bool:
    return bool(_SECRET_KEY.search(key))


def _clean(value: Any, key: str = "") -> Any:
    if key and value is not None and _secret_key(key):
        return REDACTED
    kind = type(value)  # the common exact types first; subclasses take the isinstance chain below
    if kind is str:
        return redact(value)
    if value is None or kind is bool or kind is int or kind is float:
        return value
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

    def __init__(self) -> None:
        super().__init__()
        self._second: tuple[int, str] = (-1, "")  # (Unix second, its date and time): one tuple, thread-safe

    def _time(self, created: float) -> str:
        """ISO-8601 UTC with milliseconds, e.g. 2026-11-28T14:58:01.123+00:00 (the date part once a second)."""
        frac, whole = math.modf(created)
        second, micros = int(whole), round(frac * 1e6)  # as datetime.fromtimestamp rounds
        if micros >= 1_000_000:
            second, micros = second + 1, micros - 1_000_000
        elif micros < 0:
            second, micros = second - 1, micros + 1_000_000
        cached = self._second
        if cached[0] != second:
            cached = self._second = (second, time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second)))
        return f"{cached[1]}.{micros // 1000:03d}+00:00"

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "time": self._time(record.created),
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
    # Neither format shows the caller's file and line, thread or process: do not collect them on every
    # record (logging HOWTO, "Optimization"; the caller lookup walks the stack).
    logging._srcfile = None  # type: ignore[attr-defined]
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
    # kafka-python (topic admin) is chatty at INFO and of no use to an operator: warnings and errors only.
    logging.getLogger("kafka").setLevel(max(logging.WARNING, root.level))
    logging.captureWarnings(True)
    return handler
