"""Fault tests on the real broker and Redis: kill -9, broker restart, rebalance. Each ends with every
expected decision on the enforcement topic (none missing) and re-decisions carrying the same id."""
from __future__ import annotations

import os
import signal
import subprocess
import time
from collections import defaultdict
from pathlib import Path

import pytest

from tests.support import ROOT, WorkerRun, delivery_policy, expected_enforced, free_port, produce, traffic
from workers.commands.topic_io import read_topic

N = 6000


@pytest.fixture(scope="module")
def policy(tmp_path_factory) -> str:
    return str(delivery_policy(tmp_path_factory.mktemp("policy")))


def wait_enforced(run: WorkerRun, expected: set[str], timeout: float = 120, bootstrap: str | None = None) -> dict:
    """event_id -> set of enforcement ids seen, once every expected event id is on the topic."""
    import orjson

    deadline = time.monotonic() + timeout
    while True:
        seen: dict[str, set[str]] = defaultdict(set)
        for line in read_topic(run.enforcement_topic, bootstrap or run.bootstrap, None, 1.0):
            v = orjson.loads(line)["value"]
            seen[v["event_id"]].add(v["enforcement_id"])
        if expected <= set(seen) or time.monotonic() > deadline:
            return seen
        time.sleep(1)


def _assert_nothing_lost(seen: dict, expected: set[str]) -> None:
    missing = expected - set(seen)
    assert not missing, f"{len(missing)} decisions lost, e.g. {sorted(missing)[:5]}"
    assert set(seen) == expected, f"unexpected enforcements: {sorted(set(seen) - expected)[:5]}"
    doubled = {k: v for k, v in seen.items() if len(v) != 1}
    assert not doubled, f"re-decided events got different enforcement ids: {list(doubled.items())[:3]}"


def test_kill_9_mid_stream_then_restart_loses_nothing(stack, policy):
    events = traffic(N, seed=11)
    expected = expected_enforced(events, Path(policy))
    with WorkerRun("kill9", partitions=4, policy_file=policy) as run:
        produce(run.input_topic, events)
        run.start_worker()
        run.wait_consumed(N // 4, timeout=90)
        proc = run.procs[0][0]
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        run.start_worker()
        seen = wait_enforced(run, expected)
        resumed = run.consumed()  # only the restarted worker is alive now
    assert resumed > 0, "the first worker had finished before the kill: the test proved nothing"
    _assert_nothing_lost(seen, expected)
    print(f"restarted worker consumed {resumed:.0f} of {N} records")


def test_second_worker_joins_and_leaves_mid_run(stack, policy):
    events = traffic(N, seed=12)
    expected = expected_enforced(events, Path(policy))
    with WorkerRun("rebalance", partitions=4, policy_file=policy) as run:
        run.start_worker()
        produce(run.input_topic, events[: N // 3])
        run.wait_consumed(N // 6, timeout=90)
        run.start_worker()  # same group: partitions are rebalanced between the two
        produce(run.input_topic, events[N // 3: 2 * N // 3])
        second = run.procs[1][0]
        time.sleep(3)
        second.terminate()  # graceful leave: the first worker takes its partitions back
        assert second.wait(timeout=30) == 0 or second.returncode is not None
        produce(run.input_topic, events[2 * N // 3:])
        seen = wait_enforced(run, expected)
    _assert_nothing_lost(seen, expected)


@pytest.fixture
def own_broker(stack):
    """A broker of this test's own (another port): restarting it must not disturb other tests."""
    port = free_port()
    env = dict(os.environ, KAFKA_PORT=str(port), KAFKA_CONTROLLER_PORT=str(free_port()),
               KAFKA_SASL_PORT=str(free_port()))  # every listener on a free port: port+1, port+2 may be taken
    stack_cmd = str(ROOT / "ops" / "stack")
    subprocess.run([stack_cmd, "up", "kafka"], env=env, check=True, capture_output=True)
    try:
        yield port, env
    finally:
        subprocess.run([stack_cmd, "down", "kafka"], env=env, capture_output=True)


def test_broker_restart_mid_run_loses_nothing(own_broker, policy):
    port, env = own_broker
    bootstrap = f"127.0.0.1:{port}"
    events = traffic(N, seed=13)
    expected = expected_enforced(events, Path(policy))
    with WorkerRun("brokerrestart", partitions=4, bootstrap=bootstrap, policy_file=policy) as run:
        run.start_worker()
        produce(run.input_topic, events[: N // 2], bootstrap=bootstrap)
        run.wait_consumed(N // 4, timeout=90)
        subprocess.run([str(ROOT / "ops" / "stack"), "restart", "kafka"], env=env, check=True, capture_output=True)
        produce(run.input_topic, events[N // 2:], bootstrap=bootstrap)
        seen = wait_enforced(run, expected, timeout=180)
        alive = all(p.poll() is None for p, _, _ in run.procs)
    _assert_nothing_lost(seen, expected)
    assert alive, "the worker died when the broker restarted"


def test_sigterm_stops_within_bounds_and_commits_what_it_decided(stack, policy):
    events = traffic(N, seed=14)
    expected = expected_enforced(events, Path(policy))
    with WorkerRun("sigterm", partitions=4, policy_file=policy) as run:
        produce(run.input_topic, events)
        run.start_worker()
        run.wait_consumed(N // 4, timeout=90)
        proc = run.procs[0][0]
        started = time.monotonic()
        proc.terminate()
        code = proc.wait(timeout=60)
        stop_seconds = time.monotonic() - started
        run.start_worker()
        seen = wait_enforced(run, expected)
        resumed = run.consumed()
    assert code == 0, f"worker exited with {code} on SIGTERM"
    assert stop_seconds < 30, f"took {stop_seconds:.1f}s to stop"
    assert resumed < N, "nothing was committed before the graceful stop"
    _assert_nothing_lost(seen, expected)
    print(f"graceful stop in {stop_seconds:.1f}s; restarted worker consumed {resumed:.0f} of {N}")
