"""Topic admin with kafka-python: create the topics the worker needs when they are missing."""
from __future__ import annotations

import logging
import time

from kafka import KafkaAdminClient
from kafka.admin import NewTopic
from kafka.errors import KafkaError, TopicAlreadyExistsError

log = logging.getLogger(__name__)


def ensure_topics(bootstrap: str, topics: dict[str, int], timeout_s: float = 60.0,
                  client: dict | None = None) -> None:
    """Create each missing topic with its partition count (replication 1 locally; brokers may override).

    `client` holds kafka-python connection arguments (security settings); it overrides `bootstrap`.
    """
    kwargs = {"bootstrap_servers": bootstrap, **(client or {})}
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            admin = KafkaAdminClient(client_id="modworker-admin", **kwargs)
            break
        except KafkaError as exc:
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
