"""`modworker bench`: the worker's throughput against its ceiling, and its latency, on the real broker and Redis.

One run, one namespace (a fresh run id in every topic, consumer group and Redis prefix), three phases:
1. throughput ceiling: N events of the realistic mix (workers/bench/load.py) loaded once into a fresh input
   topic, consumed by the ceiling app (workers/bench/ceiling.py) in K processes of one group;
2. the real worker (`python -m workers.cli worker`, K processes) on the same topic and data, in its own group,
   with detectors, counters in the real Redis and enforcement publishing;
3. latency: fresh events at half the measured ceiling for ~10 s into another fresh topic, consumed by K
   workers that are already running and idle; latency = decided_at - event_time of the enforcement events.
Progress goes to stderr; stdout gets the report (one JSON object with --json). Processes, topics, consumer
groups and Redis keys of the run are removed at the end, on an error and on Ctrl-C alike.
"""
from __future__ import annotations

import os
import shutil
import signal
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import orjson

from workers.adapters.connections import kafka_python_kwargs
from workers.adapters.topics import ensure_topics
from workers.bench import latency as lat
from workers.bench.load import LatencyTraffic, load_pools, produce_all, throughput_events
from workers.bench.procs import CpuMeter, Group, follow, listening_pid, machine_cpu_seconds
from workers.bench.report import format_report
from workers.settings import Settings

LATENCY_SECONDS = 10.0
MIN_SAMPLES = 3000  # enforced events wanted in the latency phase
ACTIONS = ("allow", "review", "limit", "remove", "suspend")


def _say(msg: str) -> None:
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


class Bench:
    def __init__(self, settings: Settings, events: int, replicas: int, partitions: int, bootstrap: str | None,
                 redis_url: str | None, profile: str | None = None, offered: float | None = None):
        self.settings, self.n, self.k, self.p, self.profile = settings, events, replicas, partitions, profile
        self.offered = offered
        self.bootstrap = bootstrap or settings.kafka_bootstrap
        self.redis_url = redis_url or settings.redis_url.get_secret_value()
        self.client = kafka_python_kwargs(settings)
        self.client["bootstrap_servers"] = self.bootstrap.split(",")
        self.run = f"bench-{uuid.uuid4().hex[:8]}"
        self.prefix = f"mwbench:{self.run}:"
        self.tmp = Path(tempfile.mkdtemp(prefix=f"modworker-{self.run}-"))
        self.groups: list[Group] = []
        self.result: dict = {"run_id": self.run, "events": events, "replicas": replicas, "partitions": partitions}
        self.curves: dict[str, list] = {}
        self.latencies: list[float] = []

    # --- namespaces ---
    def topic(self, name: str) -> str:
        return f"{self.run}.{name}"

    def env(self, phase: str, input_topic: str, output_topic: str) -> dict[str, str]:
        env = dict(os.environ)
        env.update({
            "MODWORKER_KAFKA_BOOTSTRAP": self.bootstrap,
            "MODWORKER_REDIS_URL": self.redis_url,
            "MODWORKER_INPUT_TOPIC": input_topic,
            "MODWORKER_ENFORCEMENT_TOPIC": output_topic,
            "MODWORKER_DEADLETTER_TOPIC": self.topic(f"{phase}.deadletter"),
            "MODWORKER_CONSUMER_GROUP": f"{self.run}-{phase}",
            "MODWORKER_REDIS_PREFIX": self.prefix,
            "MODWORKER_TOPIC_PARTITIONS": str(self.p),
            "MODWORKER_AUTO_OFFSET_RESET": "earliest",
            "MODWORKER_SHADOW": "false",
            "MODWORKER_WORKDIR": str(self.tmp / f"faust-{phase}"),
        })
        return env

    def start(self, phase: str, module: str, input_topic: str, output_topic: str) -> Group:
        group = Group.start(phase, module, self.env(phase, input_topic, output_topic), self.k, self.tmp)
        self.groups.append(group)
        group.wait_up()
        return group

    def stop(self, group: Group) -> None:
        group.stop()
        if group in self.groups:
            self.groups.remove(group)

    def _service_pids(self) -> dict[str, list[int]]:
        pids: dict[str, list[int]] = {}
        kafka_port = int(self.bootstrap.split(",")[0].rsplit(":", 1)[1])
        redis_port = urlsplit(self.redis_url).port or 6379
        for name, port in (("broker", kafka_port), ("redis", redis_port)):
            pid = listening_pid(port)
            pids[name] = [pid] if pid else []
        return pids

    # --- phases ---
    def throughput(self, phase: str, module: str, output_topic: str, timeout: float) -> dict:
        _say(f"{phase}: starting {self.k} process(es)")
        group = self.start(phase, module, self.topic("input"), output_topic)
        meter = CpuMeter({phase: group.pids, **self.services})
        profiler = None

        def on_first() -> None:
            nonlocal profiler
            meter.start()
            if self.profile and phase == "worker":
                from workers.bench.profile import Profiler

                profiler = Profiler(group.pids[0], self.profile)

        try:
            progress = follow(group, self.n, timeout, progress=_say, on_first=on_first)
            cpu = meter.stop()
        finally:
            if profiler is not None:
                profiler.stop()
        rate = progress.rate()
        self.curves[phase] = progress.curve()
        out = {"eps": round(rate["eps"], 1), "seconds": rate["seconds"], "per_process": rate["per_process"],
               "per_process_eps": rate.get("per_process_eps", []), "common_interval": rate.get("common_interval"),
               "cpu_cores": cpu,  # less noisy than eps on a shared machine: what one core of ours buys
               "events_per_cpu_second": round(rate["eps"] / cpu[phase], 1) if cpu.get(phase) else None}
        if phase == "worker":  # counted when a batch is done, consumed when it arrives: let the last one end
            deadline = time.monotonic() + 30
            while group.total("modworker_decisions_total") + group.total("modworker_deadletters_total") < self.n \
                    and time.monotonic() < deadline:
                time.sleep(0.1)
            out["actions"] = {a: int(group.total(f'modworker_decisions_total{{action="{a}"}}')) for a in ACTIONS}
            out["deadlettered"] = int(group.total("modworker_deadletters_total"))
        self.stop(group)
        _say(f"{phase}: {out['eps']:,.0f} events/s over {rate['seconds']:.2f} s; CPU (cores) {cpu}")
        return out

    def latency(self, rate: float, pools) -> dict:
        group = self.start("latency", "workers.cli worker", self.topic("latency.input"), self.topic("latency.enf"))
        expected = rate * LATENCY_SECONDS
        share = min(0.5, max(0.1, MIN_SAMPLES / (0.8 * max(1.0, expected))))
        traffic = LatencyTraffic(pools, self.run, share, accounts=max(5000, int(rate * 10)))
        lat.wait_group_stable(self.client, f"{self.run}-latency", group)
        warm = max(200, 50 * self.p)
        _say(f"latency: {self.k} worker(s) up; warming up with {warm} events")
        lat.warm_up(self.client, self.topic("latency.input"), traffic, group, warm)
        time.sleep(1.0)  # idle, as a worker between bursts
        meter = CpuMeter({"worker": group.pids, **self.services})
        meter.start()
        out = lat.measure_latency(self.client, self.topic("latency.input"), self.topic("latency.enf"), group,
                                  traffic, rate, LATENCY_SECONDS, warm, drain_timeout=20.0, progress=_say)
        out["latency_cpu_cores"] = meter.stop()
        self.stop(group)
        self.latencies = out.pop("latency_ms")
        _say(f"latency: p50 {out['p50_ms']} ms, p99 {out['p99_ms']} ms over {out['samples']} enforced events")
        return out

    def run_all(self) -> dict:
        started = time.monotonic()
        busy = machine_cpu_seconds()
        time.sleep(1.0)  # what the machine does without us: other developers' work, the broker, Redis
        self.result["background_cores"] = round(machine_cpu_seconds() - busy, 2)
        p = self.p
        ensure_topics(self.bootstrap, {self.topic("input"): p, self.topic("ceiling.out"): p,
                                       self.topic("worker.enf"): p, self.topic("latency.input"): p,
                                       self.topic("latency.enf"): p, self.topic("ceiling.deadletter"): 1,
                                       self.topic("worker.deadletter"): 1, self.topic("latency.deadletter"): 1},
                      client=self.client)
        self.services = self._service_pids()
        pools = load_pools(self.settings.policy_file)
        self.result["source"] = pools.source
        _say(f"machine busy before the run: {self.result['background_cores']} of {os.cpu_count()} cores")
        _say(f"run {self.run}: {self.n:,} events ({len(pools.benign)} benign and {len(pools.abusive)} abusive "
             f"texts from {pools.source}), {p} partition(s), {self.k} process(es) per phase")
        records = throughput_events(self.n, pools, self.run)
        self.result["load_eps"] = round(produce_all(self.client, self.topic("input"), records, _say), 1)
        del records
        budget = 120.0 + self.n / 100.0  # generous: never a speed threshold, only a hang guard
        ceiling = self.throughput("ceiling", "workers.bench.ceiling", self.topic("ceiling.out"), budget)
        worker = self.throughput("worker", "workers.cli worker", self.topic("worker.enf"), budget)
        r = self.result
        r["ceiling_eps"], r["worker_eps"] = ceiling["eps"], worker["eps"]
        r["ratio"] = round(worker["eps"] / ceiling["eps"], 3) if ceiling["eps"] > 0 else 0.0
        r["ceiling"], r["worker"] = ceiling, worker
        if ceiling["events_per_cpu_second"] and worker["events_per_cpu_second"]:
            r["ratio_per_cpu"] = round(worker["events_per_cpu_second"] / ceiling["events_per_cpu_second"], 3)
        r.update(self.latency(self.offered or max(1.0, ceiling["eps"] / 2), pools))
        r["offered_basis"] = "--offered" if self.offered else "half the ceiling"
        r["duration_s"] = round(time.monotonic() - started, 1)
        return r

    # --- clean-up ---
    def cleanup(self, keep_logs: bool) -> None:
        for group in list(self.groups):
            group.stop()
        self.groups.clear()
        try:
            from kafka import KafkaAdminClient

            admin = KafkaAdminClient(client_id="modworker-bench", **self.client)
            try:
                mine = [t for t in admin.list_topics() if t.startswith(self.run)]
                if mine:
                    admin.delete_topics(mine)
                delete_groups = getattr(admin, "delete_groups", None) or admin.delete_consumer_groups
                for phase in ("ceiling", "worker", "latency"):
                    try:
                        delete_groups([f"{self.run}-{phase}"])
                    except Exception:  # noqa: BLE001 - a group that never formed, or one still leaving
                        pass
            finally:
                admin.close()
        except Exception as exc:  # noqa: BLE001 - clean-up must not hide the run's own outcome
            _say(f"could not delete the run's topics ({type(exc).__name__}: {exc})")
        try:
            import redis

            kwargs = {}
            if self.settings.redis_password is not None:
                kwargs["password"] = self.settings.redis_password.get_secret_value()
            r = redis.Redis.from_url(self.redis_url, socket_timeout=5, **kwargs)
            keys = list(r.scan_iter(match=f"{self.prefix}*", count=1000))
            for i in range(0, len(keys), 1000):
                r.unlink(*keys[i:i + 1000])
            r.close()
        except Exception as exc:  # noqa: BLE001
            _say(f"could not delete the run's Redis keys ({type(exc).__name__}: {exc})")
        if keep_logs:
            _say(f"logs kept in {self.tmp}")
        else:
            shutil.rmtree(self.tmp, ignore_errors=True)


def run_bench(settings: Settings, events: int, as_json: bool, plot: str | None, replicas: int, partitions: int,
              bootstrap: str | None, redis_url: str | None, profile: str | None = None,
              offered: float | None = None) -> int:
    if events < 1 or replicas < 1 or partitions < 1 or (offered is not None and offered <= 0):
        print("modworker bench: --events, --replicas and --partitions must be at least 1, --offered above 0",
              file=sys.stderr)
        return 2
    bench = Bench(settings, events, replicas, partitions, bootstrap, redis_url, profile, offered)

    def on_term(signum, frame):  # SIGTERM cleans up like Ctrl-C
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, on_term)
    failed = False
    try:
        result = bench.run_all()
    except KeyboardInterrupt:
        _say("interrupted: stopping processes and deleting the run's topics")
        return 130
    except Exception as exc:  # noqa: BLE001 - reported, with the logs kept for a look
        failed = True
        _say(f"failed: {type(exc).__name__}: {exc}")
        return 1
    finally:
        bench.cleanup(keep_logs=failed)
        signal.signal(signal.SIGTERM, previous)
    if profile:
        from workers.bench.profile import format_summary, summarize

        summary = summarize(profile)
        result["profile"] = {"file": profile, "samples": summary["samples"], "top_self": summary["self"][:10]}
        _say(format_summary(summary))
    if plot:
        from workers.bench.plot import write_plot

        write_plot(result, bench.curves, bench.latencies, plot)
        result["plot"] = plot
        _say(f"plot written to {plot}")
    if as_json:
        sys.stdout.write(orjson.dumps(result).decode() + "\n")
    else:
        print(format_report(result))
    return 0
