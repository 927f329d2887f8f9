"""`modworker worker`: create missing topics, serve metrics, run the faust worker."""
from __future__ import annotations

import logging
import os

from workers.adapters.topics import ensure_topics
from workers.metrics import Metrics
from workers.settings import Settings


def run_worker(settings: Settings) -> None:
    logging.basicConfig(level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s %(message)s")
    ensure_topics(
        settings.kafka_bootstrap,
        {
            settings.input_topic: settings.topic_partitions,
            settings.enforcement_topic: settings.topic_partitions,
            settings.deadletter_topic: 1,
        },
    )
    metrics = Metrics()
    metrics.serve(settings.metrics_port)

    # Imported here: faust is heavy and only this command needs it.
    from faust.worker import Worker

    from workers.app import build_app

    app = build_app(settings, metrics)
    workdir = os.environ.get("MODWORKER_WORKDIR", os.path.join(os.getcwd(), ".stack", "faust"))
    os.makedirs(workdir, exist_ok=True)
    # web is off in the app config; no web server, so replicas never collide on port 6066.
    Worker(app, loglevel=settings.log_level, workdir=workdir, quiet=True).execute_from_commandline()
