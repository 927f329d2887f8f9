"""py-spy on one worker process during the throughput phase (`modworker bench --profile FILE`).

py-spy (extra `bench`) samples the running process from outside, 100 times a second, from its first
consumed record to the end of the phase. FILE gets the raw collapsed stacks (one `frame;frame;... count`
line per distinct stack: speedscope and flamegraph.pl read it); the summary lists where the samples are,
by function (self: the innermost frame; total: anywhere on the stack) and by module.
"""
from __future__ import annotations

import re
import shutil
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

_LINE = re.compile(r":\d+\)$")


def py_spy() -> str | None:
    beside = Path(sys.executable).with_name("py-spy")
    return str(beside) if beside.exists() else shutil.which("py-spy")


class Profiler:
    def __init__(self, pid: int, output: str):
        exe = py_spy()
        if exe is None:
            raise RuntimeError("py-spy is not installed: pip install 'modworker[bench]'")
        self.output = output
        self.log = open(Path(output).with_suffix(".py-spy.log"), "wb")
        self.proc = subprocess.Popen([exe, "record", "--pid", str(pid), "--format", "raw", "--output", output,
                                      "--rate", "100"], stdout=self.log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)  # py-spy writes its file on SIGINT
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


def _frame(frame: str) -> str:
    return _LINE.sub(")", frame.strip())


def _module(frame: str) -> str:
    inside = frame[frame.rfind("(") + 1:-1] if frame.endswith(")") else frame
    return inside.split(":")[0]


def summarize(raw_path: str, top: int = 15) -> dict:
    """Shares of the samples by function (self and total) and by module (self)."""
    self_c: Counter = Counter()
    total_c: Counter = Counter()
    module_c: Counter = Counter()
    n = 0
    for line in Path(raw_path).read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        k = int(count)
        frames = [_frame(f) for f in stack.split(";")]
        n += k
        self_c[frames[-1]] += k
        module_c[_module(frames[-1])] += k
        for f in set(frames):
            total_c[f] += k

    def share(c: Counter) -> list[tuple[str, float]]:
        return [(name, round(100.0 * v / n, 1)) for name, v in c.most_common(top)] if n else []

    return {"samples": n, "self": share(self_c), "total": share(total_c), "modules": share(module_c)}


def format_summary(s: dict) -> str:
    lines = [f"profile: {s['samples']} samples of one worker process"]
    for title, key in (("self time by function", "self"), ("total time by function", "total"),
                       ("self time by module", "modules")):
        lines.append(f"  {title}:")
        lines.extend(f"    {pct:5.1f}%  {name}" for name, pct in s[key])
    return "\n".join(lines)
