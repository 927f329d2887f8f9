"""`modworker worker`'s logs: one JSON object per line, extra fields kept, secrets redacted."""
from __future__ import annotations

import io
import logging

import orjson
import pytest

from workers.logging_setup import JsonFormatter, redact


@pytest.fixture
def captured(json_log):
    return json_log


def _lines(stream: io.StringIO) -> list[dict]:
    return [orjson.loads(line) for line in stream.getvalue().splitlines()]


def test_each_record_is_one_json_object_with_the_standard_fields_and_extras(captured):
    log = logging.getLogger("modworker.pipeline")
    log.info("enforced %s: %s", "ev-1", "remove", extra={"event_id": "ev-1", "decision": "remove",
                                                        "labels": ["marketing_spam.drainage"]})
    log.warning("multi\nline message")
    logging.getLogger("faust.worker").debug("not shown at info")
    first, second = _lines(captured)
    assert set(first) >= {"time", "level", "logger", "message"}
    assert first["level"] == "info" and first["logger"] == "modworker.pipeline"
    assert first["message"] == "enforced ev-1: remove"
    assert first["event_id"] == "ev-1" and first["decision"] == "remove"
    assert first["labels"] == ["marketing_spam.drainage"]
    assert first["time"].endswith("+00:00")
    assert second["message"] == "multi\nline message" and second["level"] == "warning"


def test_exceptions_are_one_field_of_the_same_line(captured):
    try:
        raise ValueError("boom with redis://:hunter2@cache:6379/0")
    except ValueError:
        logging.getLogger("x").exception("failed")
    (line,) = _lines(captured)
    assert "ValueError" in line["exception"] and "hunter2" not in line["exception"]


def test_passwords_never_reach_the_log(captured):
    log = logging.getLogger("modworker.worker")
    log.info("connecting to %s", "redis://:redis-pw-1@10.0.0.5:6379/0")
    log.info("kafka %s", {"sasl_plain_username": "svc", "sasl_plain_password": "kafka-pw-2"})
    log.info("settings", extra={"redis": "rediss://user:redis-pw-3@host/1", "nested": {"token": "tok=abc"}})
    text = captured.getvalue()
    for secret in ("redis-pw-1", "kafka-pw-2", "redis-pw-3"):
        assert secret not in text
    lines = _lines(captured)
    assert lines[0]["message"] == "connecting to redis://:***@10.0.0.5:6379/0"
    assert lines[2]["redis"] == "rediss://user:***@host/1"
    assert lines[2]["nested"] == {"token": "***"}
    assert "svc" in lines[1]["message"]  # user names are not secrets


def test_redact_leaves_ordinary_text_alone():
    assert redact("redis://127.0.0.1:6379/0") == "redis://127.0.0.1:6379/0"
    assert redact("kafka://kafka:29092") == "kafka://kafka:29092"
    assert redact("password=abc&x=1") == "password=***&x=1"
    assert redact("消息 event_id=e1 decided") == "消息 event_id=e1 decided"


def test_text_format_is_redacted_too(capture_log):
    stream = capture_log("text")
    logging.getLogger("t").info("url %s", "redis://:pw-text@h:1/0")
    assert "pw-text" not in stream.getvalue() and "redis://:***@h:1/0" in stream.getvalue()


def test_formatter_survives_values_json_cannot_hold():
    rec = logging.LogRecord("n", logging.INFO, __file__, 1, "m", (), None)
    rec.obj = object()
    rec.bytes_ = b"\xff"
    out = orjson.loads(JsonFormatter().format(rec))
    assert out["message"] == "m" and "object" in out["obj"]


def _redact_by_regex_only(text: str) -> str:
    from workers.logging_setup import _KEY_VALUE, _URL_PASSWORD

    text = _URL_PASSWORD.sub(lambda m: m.group("head") + "***" + m.group("at"), text)
    return _KEY_VALUE.sub(lambda m: m.group("key") + "***", text)


def test_redact_fast_path_gives_what_the_regexes_give():
    import random

    rng = random.Random(5)
    pieces = ["password=", "PassWord: ", "passwd=", "SECRET=", "token:", "Api-Key=", "apikey=", "api_key: ",
              "redis://", "u:", "pw", "@", "host", "://", " ", "=", "x", "enforced ev-1: remove", "\u017f",
              "pa\u017f\u017fword=", "\u0131", "secret", "\u212aey", "TOKEN", "消息", "&", "\"", "'", ",", "e1"]
    cases = ["", "plain", "enforced ev-1: remove", "pa\u017f\u017fword=hunter2", "api_\u212aey=abc",
             "redis://:pw@h:1/0", "REDIS://user:pw@h", "tok=abc", "Token = 'x y'"]
    cases += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 8))) for _ in range(5000)]
    for text in cases:
        assert redact(text) == _redact_by_regex_only(text), text


def test_time_field_is_utc_iso_with_milliseconds():
    import random
    from datetime import datetime, timezone

    fmt = JsonFormatter()
    rng = random.Random(3)
    for created in [0.0, 1764341881.9995, 1764341881.9999996, 1710412322.8969996, 1764341882.0004] + \
            [rng.uniform(1e9, 2e9) for _ in range(20000)]:
        assert fmt._time(created) == datetime.fromtimestamp(created, timezone.utc).isoformat(timespec="milliseconds")
