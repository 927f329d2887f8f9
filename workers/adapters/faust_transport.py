"""faust's aiokafka transport with the consumer's fetch wait as a setting (MODWORKER_FETCH_MAX_WAIT_MS).

faust-streaming 0.15.3 builds the worker's AIOKafkaConsumer with `fetch_max_wait_ms=1500` and offers no setting
for it. Measured with `modworker bench --offered 1000` on the local broker: batches then arrived in bursts with
gaps of 0.3-1.3 s between them although records were produced every millisecond, and the worker fell behind
(p50 1.6 s, p99 2.0 s). With 100 ms: p50 0.20 s, p99 0.42 s, the worker keeping up. A fetch returns as soon as
any record is there (fetch_min_bytes 1); the wait only bounds how long the broker may hold an answer, so a short
one costs an idle consumer a few empty fetches a second.

The consumer thread below sets aiokafka's `_fetch_max_wait_ms` after faust built the consumer and before it
starts (aiokafka reads it when `start()` creates its Fetcher). Everything else is faust's own transport.
"""
from __future__ import annotations

from typing import Any

import aiokafka
import faust
from faust.transport.drivers import aiokafka as faust_aiokafka


class ConsumerThread(faust_aiokafka.AIOKafkaConsumerThread):
    def _create_worker_consumer(self, transport: Any) -> aiokafka.AIOKafkaConsumer:
        consumer = super()._create_worker_consumer(transport)
        wait = getattr(self.app, "modworker_fetch_max_wait_ms", None)
        if wait is not None:
            if not hasattr(consumer, "_fetch_max_wait_ms"):  # an aiokafka that no longer reads it: say so
                raise RuntimeError("aiokafka's consumer has no _fetch_max_wait_ms: check the pinned versions")
            consumer._fetch_max_wait_ms = int(wait)
        return consumer


class Consumer(faust_aiokafka.Consumer):
    def _new_consumer_thread(self) -> ConsumerThread:
        return ConsumerThread(self, loop=self.loop, beacon=self.beacon)


class Transport(faust_aiokafka.Transport):
    Consumer = Consumer


class App(faust.App):
    """faust.App whose consumer transport is the one above; `fetch_max_wait_ms` None keeps faust's 1500."""

    def __init__(self, *args: Any, fetch_max_wait_ms: int | None = None, **kwargs: Any) -> None:
        self.modworker_fetch_max_wait_ms = fetch_max_wait_ms
        super().__init__(*args, **kwargs)

    def _new_transport(self) -> Transport:
        return Transport(self.conf.broker_consumer, self)
