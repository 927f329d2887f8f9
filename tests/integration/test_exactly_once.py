"""MODWORKER_PROCESSING_GUARANTEE=exactly_once on the real broker (Kafka transactions through faust).

A consumer reading with isolation.level=read_committed must see every expected enforcement exactly once,
even when the worker is killed with SIGKILL mid-stream and restarted: the killed worker's open
transactions are aborted (fenced by the restarted worker's producers), never half-visible.
"""
from __future__ import annotations

import os
import re
import signal
import time
from collections import Counter
from pathlib import Path

import orjson
import pytest

from tests.support import WorkerRun, delivery_policy, expected_enforced, produce, traffic
from workers.commands.topic_io import read_topic

N = 4000
READ_COMMITTED = {"isolation_level": "read_committed"}


@pytest.fixture(scope="module")
def policy(tmp_path_factory) -> str:
    return str(delivery_policy(tmp_path_factory.mktemp("policy")))


def committed_enforcements(run: WorkerRun, expected: set[str], timeout: float = 120) -> Counter:
    """event_id -> how many committed enforcement records carry it, once every expected id is there."""
    deadline = time.monotonic() + timeout
    while True:
        seen = Counter(orjson.loads(line)["value"]["event_id"]
                       for line in read_topic(run.enforcement_topic, run.bootstrap, None, 1.0, READ_COMMITTED))
        if expected <= set(seen) or time.monotonic() > deadline:
            return seen
        time.sleep(1)


def test_exactly_once_kill_9_mid_stream_every_enforcement_committed_once(stack, policy):
    events = traffic(N, seed=23)
    expected = expected_enforced(events, Path(policy))
    with WorkerRun("eos", partitions=2, policy_file=policy, processing_guarantee="exactly_once") as run:
        produce(run.input_topic, events)
        run.start_worker()
        run.wait_consumed(N // 4, timeout=90)
        before_kill = run.consumed()
        proc = run.procs[0][0]
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        run.start_worker()
        seen = committed_enforcements(run, expected)
        resumed = run.consumed()
        uncommitted = sum(1 for _ in read_topic(run.enforcement_topic, run.bootstrap, None, 1.0))
        ids = [set(re.findall(r"transactional id ([\w.-]+)", log.read_text())) for _, _, log in run.procs]
    assert resumed > 0, "the first worker had finished before the kill: the test proved nothing"
    # the restarted worker uses the killed one's transactional ids, so its producers fence the old ones
    assert ids[0] and ids[0] == ids[1], ids
    missing = expected - set(seen)
    assert not missing, f"{len(missing)} decisions lost, e.g. {sorted(missing)[:5]}"
    assert set(seen) == expected
    doubled = {k: n for k, n in seen.items() if n != 1}
    assert not doubled, f"committed more than once: {list(doubled.items())[:5]}"
    print(f"killed after {before_kill:.0f}, restarted worker consumed {resumed:.0f} of {N} "
          f"({before_kill + resumed - N:.0f} decided twice); {len(expected)} committed once each; "
          f"{uncommitted} records on the topic read uncommitted (aborted included)")
