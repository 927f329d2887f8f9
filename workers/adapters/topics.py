"""Topic admin with kafka-python: create the topics the worker needs when they are missing."""
from __future__ import annotations

import logging
import time

from kafka import KafkaAdminClient
from kafka.admin import NewTopic
from kafka.errors import KafkaError, TopicAlreadyExistsError

from workers.errors import KafkaAuthenticationError

log = logging.getLogger(__name__)

# One bootstrap attempt of the admin client (kafka-python's default is 30 s); the loop retries until timeout_s.
_ATTEMPT_MS = 10_000


def _servers(bootstrap: str, kwargs: dict) -> list[str]:
    servers = kwargs.get("bootstrap_servers", bootstrap)
    return list(servers) if isinstance(servers, (list, tuple)) else servers.split(",")


def _refused_login(servers: list[str], kwargs: dict) -> Exception | None:
    """The broker's refusal of the configured SASL login, or None (accepted, or not known).

    kafka-python 3.0.12 retries a refused login until its bootstrap timeout and then raises a bare
    KafkaTimeoutError ("Unable to bootstrap"); it usually does not even see the broker's answer, because the
    broker closes the connection right after it and kafka-python drops data that arrives with the close.
    aiokafka (faust's client, already installed) reads the answer: one login with it tells.
    """
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from aiokafka.conn import create_conn
    from aiokafka.errors import AuthenticationFailedError, SaslAuthenticationFailed

    host, _, port = servers[0].strip().rpartition(":")

    async def login() -> None:
        conn = await create_conn(
            host.strip("[]"), int(port), client_id="modworker-admin", request_timeout_ms=5000,
            security_protocol=kwargs["security_protocol"], ssl_context=kwargs.get("ssl_context"),
            sasl_mechanism=kwargs.get("sasl_mechanism"), sasl_plain_username=kwargs.get("sasl_plain_username"),
            sasl_plain_password=kwargs.get("sasl_plain_password"))
        conn.close()

    def run() -> Exception | None:
        try:
            asyncio.run(asyncio.wait_for(login(), 10))
        except (SaslAuthenticationFailed, AuthenticationFailedError) as exc:
            return exc
        except Exception:  # unreachable, timed out, ...: not a refused login
            return None
        return None

    with ThreadPoolExecutor(1) as pool:  # its own thread: whatever event loop the caller has stays untouched
        return pool.submit(run).result()


def ensure_topics(bootstrap: str, topics: dict[str, int], timeout_s: float = 60.0,
                  client: dict | None = None) -> None:
    """Create each missing topic with its partition count (replication 1 locally; brokers may override).

    `client` holds kafka-python connection arguments (security settings); it overrides `bootstrap`.
    Raises KafkaAuthenticationError as soon as the broker refuses the SASL login (the message names the
    servers, protocol, mechanism and user, never the password), KafkaError when no broker answered within
    `timeout_s`.
    """
    kwargs = {"bootstrap_servers": bootstrap, **(client or {})}
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            attempt_ms = int(min(_ATTEMPT_MS, max(1.0, deadline - time.monotonic()) * 1000))
            admin = KafkaAdminClient(client_id="modworker-admin", bootstrap_timeout_ms=attempt_ms, **kwargs)
            break
        except KafkaError as exc:
            servers = _servers(bootstrap, kwargs)
            refused = _refused_login(servers, kwargs) if str(kwargs.get("security_protocol")).startswith("SASL") \
                else None
            if refused is not None:
                msg = (f"kafka authentication failed at {','.join(servers)} ({kwargs['security_protocol']}, "
                       f"SASL mechanism {kwargs.get('sasl_mechanism')}, user {kwargs.get('sasl_plain_username')!r}): "
                       f"{refused}; check MODWORKER_KAFKA_SASL_USERNAME, MODWORKER_KAFKA_SASL_PASSWORD and "
                       "MODWORKER_KAFKA_SASL_MECHANISM")
                log.error(msg)
                raise KafkaAuthenticationError(msg) from None
            if time.monotonic() > deadline:
                raise
            log.warning("kafka not reachable at %s yet (%s), retrying", bootstrap, exc)
            time.sleep(1)
    try:
        existing = set(admin.list_topics())
        missing = [NewTopic(name, n, 1) for name, n in topics.items() if name not in existing]
        if missing:
            try:
                admin.create_topics(missing)
                log.info("created topics %s", [t.name for t in missing])
            except TopicAlreadyExistsError:
                pass
    finally:
        admin.close()
