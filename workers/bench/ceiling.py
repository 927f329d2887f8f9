"""The ceiling of `modworker bench`: what faust itself does on this machine, without the worker's work.

A faust app with the worker's configuration (workers/app.py: raw serializers, no web server, the same
session timeouts, commit cadence, buffer and producer linger, `stream.take_events` with the same batch size
and age, the same event loop) whose one agent only decodes each record (orjson) and forwards one small
record per event to an output topic, sent and delivered before the batch is acked the way the worker sends
its enforcements (`Outbox` in workers/app.py). It runs as its own process like the worker
(`python -m workers.bench.ceiling`, settings from the same MODWORKER_* variables: input topic,
MODWORKER_ENFORCEMENT_TOPIC as its output, consumer group, metrics port, event loop) and serves the worker's
own metrics (workers/metrics.py, so the bench's 10 Hz polling costs it what it costs the worker), counting
consumed records in `modworker_records_consumed_total` where the worker's pipeline counts them (when a batch
arrives), so both are measured the same way.

Its faust configuration is the worker's own `faust_kwargs` (workers/app.py).
"""
from __future__ import annotations

import os

import faust
import orjson
from workers.adapters.faust_transport import App as FaustApp
from workers.app import Outbox, faust_kwargs, use_event_loop
from workers.metrics import Metrics
from workers.settings import Settings


def build_ceiling_app(settings: Settings, metrics: Metrics) -> faust.App:
    app = FaustApp(settings.effective_consumer_group, **faust_kwargs(settings))
    source = app.topic(settings.input_topic, value_serializer="raw", key_serializer="raw")
    output = app.topic(settings.decision_topic, value_serializer="raw", key_serializer="raw")

    @app.agent(source, name="ceiling")
    async def forward(stream):
        outbox = Outbox(app)  # the worker's way of sending (workers/app.py)
        name = output.get_topic_name()
        async for events in stream.take_events(settings.batch_size, within=settings.batch_seconds):
            metrics.records_consumed.inc(len(events))
            for e in events:
                try:
                    ev = orjson.loads(e.message.value)
                    small = orjson.dumps({"event_id": ev["event_id"], "account_id": ev["account_id"]})
                except (orjson.JSONDecodeError, TypeError, KeyError):
                    small = b"{}"
                await outbox.send(name, e.message.key or None, small, None)
            await outbox.delivered()  # delivered before the batch is acked, as the worker does

    return app


def main() -> None:
    settings = Settings()
    metrics = Metrics()
    metrics.serve(settings.metrics_port)

    from faust.worker import Worker

    use_event_loop(settings.event_loop)  # the worker's loop (MODWORKER_EVENT_LOOP), as in workers/commands/worker.py

    app = build_ceiling_app(settings, metrics)
    workdir = os.environ.get("MODWORKER_WORKDIR", os.path.join(os.getcwd(), ".stack", "faust"))
    os.makedirs(workdir, exist_ok=True)
    worker = Worker(app, loglevel="warning", workdir=workdir, quiet=True, override_logging=False)
    worker.spinner = None
    worker.execute_from_commandline()


if __name__ == "__main__":
    main()
