"""`modworker bench` without services: the traffic mix, the throughput arithmetic, the ceiling's fairness,
the latency percentiles, the profile summary and the plot."""
from __future__ import annotations

from datetime import datetime

import orjson
import pytest

from workers.adapters.codec import decode_event
from workers.bench.latency import percentile
from workers.bench.load import CORPUS_EVENTS, LatencyTraffic, load_pools, throughput_events
from workers.bench.procs import Progress
from workers.settings import REPO_ROOT, Settings


@pytest.fixture(scope="module")
def pools():
    return load_pools()


def test_texts_come_from_the_dev_split_only(pools):
    assert pools.source.endswith("dev.events.jsonl")
    dev = {orjson.loads(l)["text"] for l in CORPUS_EVENTS.read_bytes().splitlines() if l.strip()}
    test_only = {orjson.loads(l)["text"] for l in
                 (REPO_ROOT / "tests/data/corpus/test.events.jsonl").read_bytes().splitlines() if l.strip()} - dev
    texts = {t.text for t in pools.benign + pools.abusive}
    assert texts <= dev
    assert not texts & test_only
    assert len(pools.abusive) > 100 and len(pools.benign) > 100


def test_throughput_mix(pools):
    records = throughput_events(5000, pools, "unit")
    assert len(records) == 5000
    events = [decode_event(v) for _, v in records]  # every record is a valid MessageEvent
    assert [k.decode() for k, _ in records] == [e.account_id for e in events]  # keyed by account
    assert len({e.event_id for e in events}) == 5000
    times = [e.sent_at for e in events]
    assert times == sorted(times)
    abusive_texts = {t.text for t in pools.abusive}
    campaign = [e for e in events if e.account_id.startswith("camp-")]
    flood = [e for e in events if e.account_id.startswith("flood-")]
    scattered = [e for e in events if e.text in abusive_texts and not e.account_id.startswith(("camp-", "flood-"))]
    abusive = len(campaign) + len(flood) + len(scattered)
    assert 0.08 <= abusive / 5000 <= 0.12
    assert len({e.account_id for e in campaign}) == len(campaign)  # campaigns: many accounts, one post each
    assert campaign and flood and scattered
    # per-account bursts go over the burst limit (20 a minute) of the default policy
    by_account: dict[str, list[datetime]] = {}
    for e in flood:
        by_account.setdefault(e.account_id, []).append(e.sent_at)
    assert all(len(ts) >= 25 and (max(ts) - min(ts)).total_seconds() <= 50 for ts in by_account.values())


def test_latency_traffic_is_stamped_now_and_mostly_abusive_when_asked(pools):
    traffic = LatencyTraffic(pools, "unit", abusive_share=0.5, accounts=1000)
    abusive_texts = {t.text for t in pools.abusive}
    events = [decode_event(traffic.next()[1]) for _ in range(2000)]
    share = sum(e.text in abusive_texts for e in events) / len(events)
    assert 0.45 <= share <= 0.55
    age = (datetime.now(events[-1].sent_at.tzinfo) - events[-1].sent_at).total_seconds()
    assert 0 <= age < 5


def test_rate_of_one_process_is_from_its_first_consumed_poll_to_its_last():
    samples = [(0.0, [0.0]), (0.1, [0.0]), (0.2, [500.0]), (0.3, [1500.0]), (0.4, [2500.0]), (0.5, [3000.0])]
    r = Progress(samples, 3000).rate()
    assert r["counted"] == 2500 and r["seconds"] == pytest.approx(0.3)
    assert r["eps"] == pytest.approx(2500 / 0.3)


def test_rate_of_replicas_is_the_sum_over_their_common_interval():
    samples = [
        (0.0, [0.0, 0.0]),
        (1.0, [1000.0, 0.0]),      # the first process starts alone
        (2.0, [2000.0, 500.0]),    # both consume from here ...
        (3.0, [3000.0, 1500.0]),
        (4.0, [4000.0, 2500.0]),   # ... to here, where the second is done
        (5.0, [5000.0, 2500.0]),
        (6.0, [5500.0, 2500.0]),
    ]
    r = Progress(samples, 8000).rate()
    assert r["common_interval"] is True
    assert r["seconds"] == pytest.approx(2.0)
    assert r["counted"] == (4000 + 2500) - (2000 + 500)
    assert r["per_process"] == [5500, 2500]


def test_rate_when_everything_came_between_two_polls():
    r = Progress([(0.0, [0.0]), (0.1, [0.0]), (0.2, [3000.0])], 3000).rate()
    assert r["eps"] == pytest.approx(3000 / 0.1)


def test_percentile_is_nearest_rank():
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == 50.0
    assert percentile(values, 99) == 99.0
    assert percentile(values, 100) == 100.0
    assert percentile([7.0], 99) == 7.0
    assert percentile([], 50) == 0.0


def test_ceiling_runs_faust_as_the_worker_does():
    """The ceiling is only fair if its faust configuration is the worker's (workers/app.py)."""
    from workers.app import build_app
    from workers.bench.ceiling import build_ceiling_app
    from workers.metrics import Metrics

    settings = Settings(consumer_group="unit-bench", input_topic="unit.in", enforcement_topic="unit.out")
    worker = build_app(settings)
    ceiling = build_ceiling_app(settings, Metrics())
    for name in ("broker_session_timeout", "broker_heartbeat_interval", "broker_commit_every",
                 "broker_commit_interval", "stream_buffer_maxsize", "producer_linger", "web_enabled",
                 "topic_partitions", "topic_allow_declare", "consumer_auto_offset_reset", "value_serializer",
                 "key_serializer", "broker_credentials", "broker"):
        assert getattr(ceiling.conf, name) == getattr(worker.conf, name), name
    assert ceiling.conf.id == worker.conf.id


def test_profile_summary(tmp_path):
    from workers.bench.profile import summarize

    raw = tmp_path / "p.txt"
    raw.write_text("main (a.py:1);work (b.py:10);scan (c.py:5) 60\n"
                   "main (a.py:1);work (b.py:12) 30\n"
                   "main (a.py:1);idle (d.py:3) 10\n")
    s = summarize(str(raw))
    assert s["samples"] == 100
    assert s["self"][0] == ("scan (c.py)", 60.0)
    assert ("work (b.py)", 90.0) in s["total"]
    assert s["modules"][0] == ("c.py", 60.0)


def test_plot_is_written(tmp_path):
    from workers.bench.plot import write_plot

    result = {"events": 1000, "replicas": 2, "partitions": 4, "ceiling_eps": 5000.0, "worker_eps": 4000.0,
              "ratio": 0.8, "ceiling": {"per_process": [500, 500]}, "worker": {"per_process": [400, 600]},
              "offered_eps_actual": 2500.0, "samples": 3, "p50_ms": 5.0, "p99_ms": 40.0,
              "latency_drained": True, "overloaded": False, "offered_basis": "half the ceiling"}
    curves = {"ceiling": [(0.0, 0), (0.1, 500), (0.2, 1000)], "worker": [(0.0, 0), (0.25, 1000)]}
    out = tmp_path / "bench.png"
    write_plot(result, curves, [3.0, 5.0, 40.0], str(out))
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_event_loop_setting_and_the_loop_it_installs():
    import asyncio

    from workers.app import use_event_loop

    assert Settings().event_loop == "uvloop"
    try:
        assert use_event_loop("uvloop") == "uvloop.Loop"
        assert use_event_loop("asyncio").startswith("asyncio.")
    finally:
        asyncio.set_event_loop_policy(None)
    with pytest.raises(ValueError):
        Settings(event_loop="trio")


class _FakeProducer:
    def __init__(self, loop, fail_at: int | None = None):
        self.loop, self.fail_at, self.sent, self.futures = loop, fail_at, [], []

    async def send(self, topic, key, value, partition, timestamp, headers):
        self.sent.append((topic, key, value, partition))
        fut = self.loop.create_future()
        self.futures.append(fut)
        return fut

    def deliver(self):
        for i, fut in enumerate(self.futures):
            if not fut.done():
                if i == self.fail_at:
                    fut.set_exception(RuntimeError("not delivered"))
                else:
                    fut.set_result(i)


class _FakeApp:
    def __init__(self, producer):
        self.producer, self.asked = producer, 0

    async def maybe_start_producer(self):
        self.asked += 1
        return self.producer


def test_outbox_delivers_every_record_before_it_returns():
    from workers.app import Outbox

    async def go():
        producer = _FakeProducer(asyncio.get_running_loop())
        app = _FakeApp(producer)
        outbox = Outbox(app)
        for i in range(5):
            await outbox.send("out", b"k%d" % i, b"v", i % 2)
        waiter = asyncio.ensure_future(outbox.delivered())
        await asyncio.sleep(0)
        assert not waiter.done()  # nothing acknowledged yet
        producer.deliver()
        await waiter
        assert app.asked == 1  # faust's producer asked once per batch, not once per record
        await outbox.send("out", None, b"v", None)
        producer.deliver()
        await outbox.delivered()
        assert app.asked == 2
        return producer.sent

    import asyncio

    sent = asyncio.run(go())
    assert sent[:2] == [("out", b"k0", b"v", 0), ("out", b"k1", b"v", 1)] and sent[-1] == ("out", None, b"v", None)


def test_outbox_raises_a_failed_delivery():
    import asyncio

    from workers.app import Outbox

    async def go():
        producer = _FakeProducer(asyncio.get_running_loop(), fail_at=1)
        outbox = Outbox(_FakeApp(producer))
        for _ in range(3):
            await outbox.send("out", None, b"v", None)
        producer.deliver()
        with pytest.raises(RuntimeError, match="not delivered"):
            await outbox.delivered()
        assert outbox.pending == []

    asyncio.run(go())


def test_scrape_asks_for_one_family_and_sums_it():
    from workers.bench.procs import free_port, scrape
    from workers.metrics import Metrics

    port = free_port()
    metrics = Metrics()
    server = metrics.serve(port)
    try:
        metrics.records_consumed.inc(7)
        metrics.decisions_by("remove").inc(3)
        metrics.decisions_by("allow").inc(4)
        metrics.batch_seconds.observe(0.25)
        assert scrape(port) == 7
        assert scrape(port, "modworker_decisions_total") == 7
        assert scrape(port, 'modworker_decisions_total{action="remove"}') == 3
        assert scrape(port, "modworker_batch_processing_seconds_count") == 1
        assert scrape(port, "modworker_batch_processing_seconds_sum") == 0.25
    finally:
        server.shutdown()
        server.server_close()
    assert scrape(port) is None
