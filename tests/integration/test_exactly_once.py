"""MODWORKER_PROCESSING_GUARANTEE=exactly_once on the real broker (Kafka transactions through faust).

A consumer reading with isolation.level=read_committed must see every expected enforcement, even when the
worker is killed with SIGKILL mid-stream and restarted, and the restarted worker must reuse the killed one's
transactional ids (so its producers fence the old ones and their open transactions are aborted).

Known limit (README, "Reliability"): in about one run in five here (8 of 38), the restarted worker re-decided the one
batch that was in flight at the kill although that batch's outputs had been committed, so that batch appears
twice. The test holds that window to what was observed, at most ONE batch of the killed worker, each copy
with the same enforcement_id (downstream de-duplication still works), and prints it when it happens.
"""
from __future__ import annotations

import os
import re
import signal
import time
from collections import defaultdict
from pathlib import Path

import orjson
import pytest

from tests.support import WorkerRun, delivery_policy, expected_enforced, produce, traffic
from workers.commands.topic_io import read_topic

N = 4000
BATCH = 500  # MODWORKER_BATCH_SIZE of the run
READ_COMMITTED = {"isolation_level": "read_committed"}


@pytest.fixture(scope="module")
def policy(tmp_path_factory) -> str:
    return str(delivery_policy(tmp_path_factory.mktemp("policy")))


def committed_enforcements(run: WorkerRun, expected: set[str], timeout: float = 120) -> dict[str, list[dict]]:
    """event_id -> its committed enforcement records, once every expected id is there."""
    deadline = time.monotonic() + timeout
    while True:
        seen: dict[str, list[dict]] = defaultdict(list)
        for line in read_topic(run.enforcement_topic, run.bootstrap, None, 1.0, READ_COMMITTED):
            value = orjson.loads(line)["value"]
            seen[value["event_id"]].append(value)
        if expected <= set(seen) or time.monotonic() > deadline:
            return seen
        time.sleep(1)


def test_exactly_once_kill_9_mid_stream_nothing_lost_ids_reused_duplicates_bounded(stack, policy):
    events = traffic(N, seed=23)
    expected = expected_enforced(events, Path(policy))
    with WorkerRun("eos", partitions=2, policy_file=policy, processing_guarantee="exactly_once",
                   batch_size=str(BATCH)) as run:
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
        ids = [set(re.findall(r"transactional id ([\w.-]+)", log.read_text())) for _, _, log in run.procs]
    assert resumed > 0, "the first worker had finished before the kill: the test proved nothing"
    assert ids[0] and ids[0] == ids[1], f"transactional ids changed across the restart: {ids}"
    missing = expected - set(seen)
    assert not missing, f"{len(missing)} decisions lost, e.g. {sorted(missing)[:5]}"
    assert set(seen) == expected, f"unexpected enforcements: {sorted(set(seen) - expected)[:5]}"
    assert all(len({v["enforcement_id"] for v in copies}) == 1 for copies in seen.values())
    doubled = {k: copies for k, copies in seen.items() if len(copies) > 1}
    first_batches = {min(v["decided_at"] for v in copies) for copies in doubled.values()}
    assert all(len(copies) == 2 for copies in doubled.values())
    assert len(first_batches) <= 1 and len(doubled) <= BATCH, \
        f"{len(doubled)} committed twice, from {len(first_batches)} batches of the killed worker"
    print(f"killed after {before_kill:.0f}, restarted worker consumed {resumed:.0f} of {N}; "
          f"{len(expected)} enforcements committed, {len(doubled)} of them twice (the in-flight batch)")
