"""The faust app: one agent consumes the input topic in batches and runs each batch through the pipeline.

Records are consumed as raw bytes (the codec decodes them, so bad input is dead-lettered, not crashed on).
`stream.take_events` acks a batch's events only after the batch was processed and its output delivered,
so offsets are committed only for records that were decided or dead-lettered.
"""
from __future__ import annotations

import asyncio
import logging

import faust

from workers.adapters.connections import faust_broker_credentials, kafka_python_kwargs, redis_client
from workers.adapters.consumer_lag import ConsumerLagProbe
from workers.adapters.faust_transport import App as FaustApp
from workers.adapters.redis_counters import RedisCounters
from workers.adapters.redis_seen import RedisSeen
from workers.core.engine import Engine
from workers.core.policy import load_policy
from workers.gc_tuning import freeze_static_heap
from workers.metrics import Metrics
from workers.pipeline import BatchProcessor, RawRecord
from workers.settings import Settings

log = logging.getLogger("modworker.app")
NEVER = 10**9  # commit settings that never fire (seconds, acks)


def use_event_loop(name: str) -> str:
    """Make `name` ("uvloop" or "asyncio") the event loop of this process; call it before faust makes one.

    faust (mode) takes its loop, and the loop of its consumer thread, from the asyncio policy, as
    `faust worker -L uvloop` would set it. Returns the loop class that new loops get.
    """
    if name == "uvloop":
        import uvloop

        asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    else:
        asyncio.set_event_loop_policy(None)  # the default: asyncio's selector loop
    loop = asyncio.new_event_loop()
    try:
        return f"{type(loop).__module__}.{type(loop).__name__}"
    finally:
        loop.close()


class Outbox:
    """The output records of one batch, sent through faust's producer and delivered before the batch is acked.

    `topic.send()` wraps every record in faust's PendingMessage and FutureMessage, a done-callback and the
    sensors' send statistics (nothing here reads them: no web server); this asks the producer faust would
    use directly. Under exactly_once that is faust's transaction manager, which sends each record with the
    transactional producer of its partition (the input record's, see send_to below), as topic.send does.
    """

    def __init__(self, app: faust.App) -> None:
        self.app = app
        self.producer = None
        self.pending: list[asyncio.Future] = []

    async def send(self, topic: str, key: bytes | None, value: bytes, partition: int | None) -> None:
        producer = self.producer
        if producer is None:
            # the producer, or under exactly_once the transaction manager (app.in_transaction)
            producer = self.producer = await self.app.maybe_start_producer()
        self.pending.append(await producer.send(topic, key, value, partition, None, None))

    async def delivered(self) -> None:
        """Until every record sent so far is acknowledged by the broker; raises the first failure."""
        pending, self.pending = self.pending, []
        self.producer = None  # asked of faust again by the next batch (once a batch, not once a record)
        for i, fut in enumerate(pending):
            try:
                await fut  # resolved a produce batch at a time: the rest of its batch is done already
            except BaseException:
                for rest in pending[i + 1:]:  # their failures are the same failure: retrieved, not reported
                    rest.add_done_callback(_retrieve)
                raise


def _retrieve(fut: asyncio.Future) -> None:
    if not fut.cancelled():
        fut.exception()


def faust_kwargs(settings: Settings) -> dict:
    """The arguments of the worker's faust app (workers.adapters.faust_transport.App: faust.App with the consumer's
    fetch wait as a setting); the bench's ceiling (workers/bench/ceiling.py) uses them too."""
    transactional = settings.processing_guarantee == "exactly_once"
    return dict(
        broker=[f"kafka://{h}" for h in settings.kafka_bootstrap.split(",")],
        broker_credentials=faust_broker_credentials(settings),
        value_serializer="raw",
        key_serializer="raw",
        web_enabled=False,
        topic_partitions=settings.topic_partitions,
        topic_allow_declare=False,  # topics are created by workers.adapters.topics before start
        broker_session_timeout=settings.session_timeout_seconds,
        broker_heartbeat_interval=settings.heartbeat_seconds,
        consumer_auto_offset_reset=settings.auto_offset_reset,
        # exactly_once: no commits from faust's timer or ack count; the agent commits after each batch
        broker_commit_every=NEVER if transactional else 1000,
        broker_commit_interval=float(NEVER) if transactional else 1.0,
        stream_buffer_maxsize=max(4096, settings.batch_size * 4),
        producer_linger_ms=5,
        fetch_max_wait_ms=settings.fetch_max_wait_ms,  # workers/adapters/faust_transport.py
        table_cleanup_interval=3600,
        processing_guarantee=settings.processing_guarantee,
    )


def build_app(settings: Settings, metrics: Metrics | None = None) -> faust.App:
    policy = load_policy(settings.policy_file)
    metrics = metrics or Metrics()
    metrics.set_build_info(policy.version, mode="shadow" if settings.shadow else "live")
    log.info("policy loaded", extra={"policy_version": policy.version, "policy_file": str(settings.policy_file),
                                     "mode": "shadow" if settings.shadow else "live"})
    # Shadow mode (issue #6): own group and Redis prefix, decisions to the shadow topic (workers/settings.py).
    transactional = settings.processing_guarantee == "exactly_once"
    app = FaustApp(settings.effective_consumer_group, **faust_kwargs(settings))
    source = app.topic(settings.input_topic, value_serializer="raw", key_serializer="raw")
    enforcements = app.topic(settings.decision_topic, value_serializer="raw", key_serializer="raw")
    deadletters = app.topic(settings.failure_topic, value_serializer="raw", key_serializer="raw")
    engine = Engine(policy)
    if engine.model is not None and not engine.model.compiled:
        log.warning("the text model runs on its Python path: workers/core/text/_ngrams.c is not built (run "
                    "ops/setup, or install with a C compiler); the same decisions, several times slower")
    freeze_static_heap()  # the model and tables stay out of every garbage collection (workers/gc_tuning.py)
    client = redis_client(settings) if settings.counters_enabled or settings.dedup_ttl_seconds > 0 else None
    counters = (RedisCounters(client, policy, settings.effective_redis_prefix,
                              buckets=settings.redis_tag_buckets)
                if settings.counters_enabled else None)
    seen = (RedisSeen(client, settings.effective_redis_prefix, settings.dedup_ttl_seconds,
                      buckets=settings.redis_tag_buckets)
            if settings.dedup_ttl_seconds > 0 else None)

    @app.agent(source, name="moderate")
    async def moderate(stream):
        outbox = Outbox(app)
        enforcement_topic, deadletter_topic = enforcements.get_topic_name(), deadletters.get_topic_name()

        async def send_to(topic: str, key: bytes, value: bytes, partition: int) -> None:
            # exactly_once: the partition of the input record, whose transaction the output must join
            await outbox.send(topic, key or None, value, partition if transactional else None)

        processor = BatchProcessor(
            engine,
            counters,
            publish_enforcement=lambda k, v, p: send_to(enforcement_topic, k, v, p),
            publish_deadletter=lambda k, v, p: send_to(deadletter_topic, k, v, p),
            metrics=metrics,
            redis_outage=settings.redis_outage,
            max_record_bytes=settings.max_record_bytes,
            include_text=settings.include_text,
            seen=seen,
        )
        async for events in stream.take_events(settings.batch_size, within=settings.batch_seconds):
            records = [
                RawRecord(e.message.value, e.message.topic, e.message.partition, e.message.offset)
                for e in events
            ]
            await processor.process(records)
            await outbox.delivered()  # delivered before the batch is acked (at-least-once, nothing lost)
            if transactional:
                # Commit the transactions now, when they hold exactly this batch's outputs and offsets. A
                # commit from faust's timer could land mid-batch: outputs of records whose offsets are not
                # yet acked would be committed, and a crash would then decide (and publish) them twice.
                for event in events:
                    await stream.ack(event)  # take_events acks them again after the body: a no-op
                await app.consumer.commit()

    # --- consumer lag per assigned partition (issue #6): modworker_consumer_lag{topic,partition} ---
    lag_probe = ConsumerLagProbe(kafka_python_kwargs(settings), settings.effective_consumer_group,
                                 {settings.input_topic}, metrics, settings.auto_offset_reset)

    @app.timer(interval=settings.lag_interval_seconds, name="consumer_lag")
    async def measure_consumer_lag() -> None:
        await lag_probe.update(app.consumer)

    @app.on_before_shutdown.connect
    async def close_lag_probe(app, **kwargs) -> None:
        await lag_probe.close()

    app.modworker_metrics = metrics  # type: ignore[attr-defined]
    return app
