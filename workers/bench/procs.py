"""Child processes of the bench (workers and ceiling apps), their metrics, and throughput from their progress.

Each child runs in a namespace of its own (MODWORKER_* topics, group, Redis prefix, metrics port) and is
told by the kernel to stop if the bench dies (PR_SET_PDEATHSIG), besides the bench's own clean-up.
Throughput comes from each process's `modworker_records_consumed_total`, polled every ~100 ms: the combined
rate is the sum of the processes' counters over their common interval, from the poll at which the last of
them had consumed its first records to the poll at which the first of them had consumed all it would.
"""
from __future__ import annotations

import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

CONSUMED = "modworker_records_consumed_total"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _die_with_parent() -> None:  # runs in the child, before exec
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def scrape(port: int, name: str = CONSUMED) -> float | None:
    """Sum of one metric family's samples (or of one labelled series, `name{label="x"}`); None while the
    endpoint does not answer.

    Asks for that family only (prometheus-client's `name[]` filter): a full scrape renders every series and
    reads /proc for the process collector, and at 10 Hz that was a few percent of a worker's CPU (it would
    be 0.007% at Prometheus's 15 s). An endpoint ignoring the filter answers with everything, which parses
    the same.
    """
    query = urllib.parse.urlencode({"name[]": name.split("{", 1)[0]})
    try:
        body = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics?{query}", timeout=2).read().decode()
    except OSError:
        return None
    total = 0.0
    for line in body.splitlines():
        if line.startswith(name) and line[len(name):len(name) + 1] in (" ", "{"):
            total += float(line.rsplit(" ", 1)[1])
    return total


@dataclass
class Child:
    name: str
    proc: subprocess.Popen
    port: int
    log_path: Path

    def tail(self, chars: int = 3000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""


@dataclass
class Group:
    """Processes started together in one consumer group."""

    children: list[Child] = field(default_factory=list)

    @classmethod
    def start(cls, name: str, module: str, env: dict[str, str], count: int, log_dir: Path,
              cwd: Path | None = None) -> "Group":
        group = cls()
        for i in range(count):
            port = free_port()
            child_env = dict(env, MODWORKER_METRICS_PORT=str(port))
            log_path = log_dir / f"{name}-{i}.log"
            with open(log_path, "wb") as log:
                proc = subprocess.Popen([sys.executable, "-m", *module.split()], env=child_env, stdout=log,
                                        stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=cwd,
                                        preexec_fn=_die_with_parent)
            group.children.append(Child(f"{name}-{i}", proc, port, log_path))
        return group

    def check_alive(self) -> None:
        for c in self.children:
            if c.proc.poll() is not None:
                raise RuntimeError(f"{c.name} exited with {c.proc.returncode}; its log ({c.log_path}) ends:\n"
                                   f"{c.tail()}")

    def wait_up(self, timeout: float = 90.0) -> None:
        """Until every process's metrics endpoint answers."""
        deadline = time.monotonic() + timeout
        waiting = list(self.children)
        while waiting:
            self.check_alive()
            waiting = [c for c in waiting if scrape(c.port) is None]
            if waiting and time.monotonic() > deadline:
                raise TimeoutError(f"{waiting[0].name} never served metrics; its log ends:\n{waiting[0].tail()}")
            if waiting:
                time.sleep(0.2)

    def counts(self, name: str = CONSUMED) -> list[float]:
        return [scrape(c.port, name) or 0.0 for c in self.children]

    def total(self, name: str = CONSUMED) -> float:
        return sum(self.counts(name))

    def stop(self, timeout: float = 20.0) -> None:
        for c in self.children:
            if c.proc.poll() is None:
                c.proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for c in self.children:
            try:
                c.proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                c.proc.kill()
                c.proc.wait()

    @property
    def pids(self) -> list[int]:
        return [c.proc.pid for c in self.children]


@dataclass
class Progress:
    """Polls of the processes' counters: (seconds since the first poll, counts per process)."""

    samples: list[tuple[float, list[float]]]
    total: int

    def rate(self) -> dict:
        """events/s of the group over the common interval, and how it was measured."""
        finals = self.samples[-1][1]
        active = [i for i, f in enumerate(finals) if f > 0]
        if not active:
            return {"eps": 0.0, "seconds": 0.0, "counted": 0, "per_process": finals}

        def first_poll(pred) -> int:
            return next(k for k, (_, c) in enumerate(self.samples) if pred(c))

        starts = [first_poll(lambda c, i=i: c[i] > 0) for i in active]
        ends = [first_poll(lambda c, i=i: c[i] >= finals[i]) for i in active]
        a, b = max(starts), min(ends)
        common = b > a
        if not common:  # one process was done before another began: whole span instead
            a, b = min(starts), max(ends)
        if b <= a:  # all of it came between two polls: count from the poll before
            a = max(0, a - 1)
        (ta, ca), (tb, cb) = self.samples[a], self.samples[b]
        counted = sum(cb) - sum(ca)
        seconds = tb - ta
        return {"eps": counted / seconds if seconds > 0 else 0.0, "seconds": round(seconds, 3),
                "counted": int(counted), "common_interval": common, "per_process": [int(f) for f in finals],
                "per_process_eps": [round(f / (self.samples[e][0] - self.samples[s][0]), 1)
                                    if self.samples[e][0] > self.samples[s][0] else 0.0
                                    for f, s, e in zip((finals[i] for i in active), starts, ends)]}

    def curve(self) -> list[tuple[float, float]]:
        """(seconds since the first consumed record, total consumed) for the plot."""
        t0 = next((t for t, c in self.samples if sum(c) > 0), 0.0)
        return [(round(t - t0, 3), sum(c)) for t, c in self.samples if t >= t0]


def follow(group: Group, total: int, timeout: float, interval: float = 0.1,
           progress: Callable[[str], None] | None = None,
           on_first: Callable[[], None] | None = None) -> Progress:
    """Poll the group's counters every `interval` until they add up to `total`."""
    samples: list[tuple[float, list[float]]] = []
    t0 = time.monotonic()
    last_note = t0
    started = False
    while True:
        before = time.monotonic()
        counts = group.counts()
        now = time.monotonic()
        samples.append(((before + now) / 2 - t0, counts))
        done = sum(counts)
        if done > 0 and not started:
            started = True
            if on_first:
                on_first()
        if done >= total:
            return Progress(samples, total)
        group.check_alive()
        if now - t0 > timeout:
            raise TimeoutError(f"consumed {done:.0f}/{total} after {timeout:.0f} s")
        if progress and now - last_note >= 2.0:
            progress(f"  consumed {done:.0f}/{total}")
            last_note = now
        time.sleep(max(0.0, interval - (time.monotonic() - before)))


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (Linux /proc), 0 when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def machine_cpu_seconds() -> float:
    """Busy CPU time of the whole machine, all cores (Linux /proc/stat)."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
        return (sum(fields[:8]) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return 0.0


def listening_pid(port: int) -> int | None:
    """The process listening on a local TCP port (Linux /proc; None when not found or not visible)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            cols = row.split()
            if len(cols) > 9 and cols[3] == "0A" and int(cols[1].rsplit(":", 1)[1], 16) == port:
                inodes.add(f"socket:[{cols[9]}]")
    if not inodes:
        return None
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            for fd in (proc / "fd").iterdir():
                if os.readlink(fd) in inodes:
                    return int(proc.name)
        except OSError:
            continue
    return None


class CpuMeter:
    """CPU used by named processes and by the whole machine between start() and stop(), in cores."""

    def __init__(self, pids: dict[str, list[int]]):
        self.pids = {k: v for k, v in pids.items() if v}
        self.t0 = 0.0
        self.c0: dict[str, float] = {}
        self.result: dict[str, float] = {}

    def _now(self) -> dict[str, float]:
        out = {name: sum(cpu_seconds(p) for p in pids) for name, pids in self.pids.items()}
        out["machine"] = machine_cpu_seconds()
        return out

    def start(self) -> None:
        self.t0, self.c0 = time.monotonic(), self._now()

    def stop(self) -> dict[str, float]:
        if not self.c0:
            return {}
        wall = time.monotonic() - self.t0
        now = self._now()
        self.result = {k: round((now[k] - self.c0[k]) / wall, 2) for k in now} if wall > 0 else {}
        return self.result
