"""The worker's faust app builds its Kafka consumer with MODWORKER_FETCH_MAX_WAIT_MS (faust hard-codes 1500 ms,
which made batches arrive in bursts seconds apart: workers/adapters/faust_transport.py). No broker needed: the
aiokafka consumer is built, not started."""
from __future__ import annotations

import asyncio

from workers.adapters.faust_transport import App, Transport
from workers.app import build_app
from workers.bench.ceiling import build_ceiling_app
from workers.metrics import Metrics
from workers.settings import Settings


def consumer_fetch_wait(app) -> int:
    async def build() -> int:
        consumer = app.consumer._thread._create_worker_consumer(app.transport)
        try:
            return consumer._fetch_max_wait_ms
        finally:
            await consumer.stop()
    return asyncio.run(build())


def test_the_worker_consumer_uses_the_configured_fetch_wait():
    app = build_app(Settings(fetch_max_wait_ms=123), Metrics())
    assert isinstance(app, App) and isinstance(app.transport, Transport)
    assert consumer_fetch_wait(app) == 123


def test_the_default_is_short_and_the_bench_ceiling_uses_the_same_transport():
    assert Settings().fetch_max_wait_ms == 100
    ceiling = build_ceiling_app(Settings(consumer_group="ceiling-test"), Metrics())
    assert consumer_fetch_wait(ceiling) == 100
