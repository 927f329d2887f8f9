"""Client configuration for Kafka (faust and kafka-python) and Redis from the one settings object.

Secrets come from SecretStr settings and are only unwrapped here, when a client is built; `redact_url`
is what any log line or error message may show of a URL.
"""
from __future__ import annotations

import ssl
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import redis.asyncio as redis

from workers.settings import Settings


def redact_url(url: str) -> str:
    """The URL with any password replaced by ***."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    user = parts.username or ""
    netloc = f"{user}:***@{parts.hostname}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def redis_client(settings: Settings) -> redis.Redis:
    kwargs: dict[str, Any] = {"socket_timeout": 5, "socket_connect_timeout": 5, "health_check_interval": 10}
    if settings.redis_password is not None:
        kwargs["password"] = settings.redis_password.get_secret_value()
    url = settings.redis_url.get_secret_value()
    if url.startswith("rediss://") and settings.redis_ssl_cafile:
        kwargs["ssl_ca_certs"] = str(settings.redis_ssl_cafile)
    return redis.Redis.from_url(url, **kwargs)


def _ssl_context(settings: Settings) -> ssl.SSLContext:
    cafile = str(settings.kafka_ssl_cafile) if settings.kafka_ssl_cafile else None
    return ssl.create_default_context(cafile=cafile)


def kafka_python_kwargs(settings: Settings) -> dict[str, Any]:
    """Connection arguments for kafka-python clients (admin, replay, record)."""
    kw: dict[str, Any] = {"bootstrap_servers": settings.kafka_bootstrap.split(","),
                          "security_protocol": settings.kafka_security_protocol}
    if settings.kafka_security_protocol.startswith("SASL"):
        kw["sasl_mechanism"] = settings.kafka_sasl_mechanism
        kw["sasl_plain_username"] = settings.kafka_sasl_username
        kw["sasl_plain_password"] = (settings.kafka_sasl_password.get_secret_value()
                                     if settings.kafka_sasl_password else None)
    if settings.kafka_security_protocol.endswith("SSL"):
        kw["ssl_context"] = _ssl_context(settings)
    return kw


def faust_broker_credentials(settings: Settings):
    """faust's broker_credentials for the configured security protocol (None for PLAINTEXT)."""
    import faust

    protocol = settings.kafka_security_protocol
    if protocol == "PLAINTEXT":
        return None
    if protocol == "SSL":
        return faust.SSLCredentials(_ssl_context(settings))
    password = settings.kafka_sasl_password.get_secret_value() if settings.kafka_sasl_password else None
    return faust.SASLCredentials(
        username=settings.kafka_sasl_username,
        password=password,
        mechanism=settings.kafka_sasl_mechanism,
        ssl_context=_ssl_context(settings) if protocol == "SASL_SSL" else None,
    )
