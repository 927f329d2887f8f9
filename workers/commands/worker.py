"""`modworker worker`: create missing topics, serve metrics, run the faust worker."""
from __future__ import annotations

import logging
import os

from workers.adapters.connections import kafka_python_kwargs, redact_url
from workers.adapters.topics import ensure_topics
from workers.logging_setup import setup_logging
from workers.metrics import Metrics
from workers.settings import Settings

log = logging.getLogger("modworker.worker")


def run_worker(settings: Settings) -> None:
    # JSON lines on stderr, secrets redacted (workers/logging_setup.py); faust is told to leave it alone.
    setup_logging(settings.log_level, settings.log_format)
    log.info("worker starting", extra={
        "mode": "shadow" if settings.shadow else "live",
        "consumer_group": settings.effective_consumer_group,
        "input_topic": settings.input_topic,
        "decision_topic": settings.decision_topic,
        "deadletter_topic": settings.failure_topic,
        "kafka_bootstrap": settings.kafka_bootstrap,
        "kafka_security_protocol": settings.kafka_security_protocol,
        "redis": redact_url(settings.redis_url.get_secret_value()),
        "policy_file": str(settings.policy_file),
        "metrics_port": settings.metrics_port,
    })
    exactly_once = settings.processing_guarantee == "exactly_once"
    ensure_topics(
        settings.kafka_bootstrap,
        {
            settings.input_topic: settings.topic_partitions,
            settings.decision_topic: settings.topic_partitions,  # the shadow topic in shadow mode
            # exactly_once: dead letters join the input partition's transaction too (workers/app.py)
            settings.failure_topic: settings.topic_partitions if exactly_once else 1,
            # faust's assignor topic, created by faust itself after the first group join otherwise. faust
            # numbers topic groups by partition count, and transactional ids carry that number: created
            # late, it shifted the ids between the first start and a restart, so a restarted worker did not
            # fence its killed predecessor's producers (exactly_once duplicates). Present from the start,
            # the numbering is the same on every start.
            f"{settings.effective_consumer_group}-__assignor-__leader": 1,
        },
        client=kafka_python_kwargs(settings),
    )
    metrics = Metrics()
    metrics.serve(settings.metrics_port)

    # Imported here: faust is heavy and only this command needs it.
    from faust.worker import Worker

    from workers.app import build_app, use_event_loop

    loop = use_event_loop(settings.event_loop)  # before faust makes its loops (MODWORKER_EVENT_LOOP)
    log.info("event loop %s", loop, extra={"event_loop": settings.event_loop})
    app = build_app(settings, metrics)
    workdir = os.environ.get("MODWORKER_WORKDIR", os.path.join(os.getcwd(), ".stack", "faust"))
    os.makedirs(workdir, exist_ok=True)
    # web is off in the app config; no web server, so replicas never collide on port 6066.
    worker = Worker(app, loglevel=settings.log_level, workdir=workdir, quiet=True, override_logging=False)
    worker.spinner = None  # no terminal escapes between the JSON log lines
    worker.execute_from_commandline()
