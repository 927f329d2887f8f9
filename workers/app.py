"""The faust app: one agent consumes the input topic in batches and runs each batch through the pipeline.

Records are consumed as raw bytes (the codec decodes them, so bad input is dead-lettered, not crashed on).
`stream.take_events` acks a batch's events only after the batch was processed and its output delivered,
so offsets are committed only for records that were decided or dead-lettered.
"""
from __future__ import annotations

import asyncio
import logging

import faust

from workers.adapters.redis_counters import RedisCounters
from workers.core.engine import Engine
from workers.core.policy import load_policy
from workers.metrics import Metrics
from workers.pipeline import BatchProcessor, RawRecord
from workers.settings import Settings

log = logging.getLogger("modworker.app")


def build_app(settings: Settings, metrics: Metrics | None = None) -> faust.App:
    policy = load_policy(settings.policy_file)
    metrics = metrics or Metrics()
    metrics.set_build_info(policy.version)
    app = faust.App(
        settings.consumer_group,
        broker=[f"kafka://{h}" for h in settings.kafka_bootstrap.split(",")],
        value_serializer="raw",
        key_serializer="raw",
        web_enabled=False,
        topic_partitions=settings.topic_partitions,
        topic_allow_declare=False,  # topics are created by workers.adapters.topics before start
        broker_session_timeout=settings.session_timeout_seconds,
        broker_heartbeat_interval=settings.heartbeat_seconds,
        consumer_auto_offset_reset=settings.auto_offset_reset,
        broker_commit_every=1000,
        broker_commit_interval=1.0,
        stream_buffer_maxsize=max(4096, settings.batch_size * 4),
        producer_linger_ms=5,
        table_cleanup_interval=3600,
    )
    source = app.topic(settings.input_topic, value_serializer="raw", key_serializer="raw")
    enforcements = app.topic(settings.enforcement_topic, value_serializer="raw", key_serializer="raw")
    deadletters = app.topic(settings.deadletter_topic, value_serializer="raw", key_serializer="raw")
    engine = Engine(policy)
    counters = RedisCounters.from_url(settings.redis_url, policy, settings.redis_prefix)

    @app.agent(source, name="moderate")
    async def moderate(stream):
        pending: list = []

        async def send_to(topic, key: bytes, value: bytes) -> None:
            pending.append(await topic.send(key=key or None, value=value))

        processor = BatchProcessor(
            engine,
            counters,
            publish_enforcement=lambda k, v: send_to(enforcements, k, v),
            publish_deadletter=lambda k, v: send_to(deadletters, k, v),
            metrics=metrics,
            redis_outage=settings.redis_outage,
        )
        async for events in stream.take_events(settings.batch_size, within=settings.batch_seconds):
            records = [
                RawRecord(e.message.value, e.message.topic, e.message.partition, e.message.offset)
                for e in events
            ]
            await processor.process(records)
            if pending:  # delivered before the batch is acked (at-least-once, nothing lost)
                await asyncio.gather(*pending)
                pending.clear()

    app.modworker_metrics = metrics  # type: ignore[attr-defined]
    return app
