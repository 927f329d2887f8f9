"""Secrets set in the environment never show in the settings' repr, logs or redacted URLs."""
from __future__ import annotations

import logging

from workers.adapters.connections import kafka_python_kwargs, redact_url
from workers.settings import Settings


def test_secrets_do_not_leak_through_repr_or_logs(monkeypatch, caplog):
    monkeypatch.setenv("MODWORKER_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT")
    monkeypatch.setenv("MODWORKER_KAFKA_SASL_USERNAME", "svc-modworker")
    monkeypatch.setenv("MODWORKER_KAFKA_SASL_PASSWORD", "kafka-pw-s3cret")
    monkeypatch.setenv("MODWORKER_REDIS_URL", "redis://:redis-pw-s3cret@10.0.0.5:6379/0")
    settings = Settings()
    with caplog.at_level(logging.INFO):
        logging.getLogger("test").info("settings: %s / %r", settings, settings)
    for text in (repr(settings), str(settings), caplog.text, settings.model_dump_json()):
        assert "kafka-pw-s3cret" not in text
        assert "redis-pw-s3cret" not in text
    kw = kafka_python_kwargs(settings)
    assert kw["sasl_plain_password"] == "kafka-pw-s3cret" and kw["security_protocol"] == "SASL_PLAINTEXT"


def test_redact_url_hides_only_the_password():
    assert redact_url("redis://:pw@host:6379/0") == "redis://:***@host:6379/0"
    assert redact_url("rediss://user:pw@host/1") == "rediss://user:***@host/1"
    assert redact_url("redis://host:6379/0") == "redis://host:6379/0"
