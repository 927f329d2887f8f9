"""The PNG of `modworker bench --plot FILE` (matplotlib, extra `bench`): three panels of one run.

1. throughput: events/s of the ceiling and of the worker (stacked by process when there are replicas),
   with the ratio;
2. progress: events consumed against seconds since the first one, for both (the slope is the rate);
3. latency: the distribution of decided_at - event_time at the offered load, log scale, p50 and p99 marked.
"""
from __future__ import annotations

import math

CEILING_COLOR = "#8c8c8c"
WORKER_COLOR = "#1f77b4"
SHADES = ("#1f77b4", "#6baed6", "#08519c", "#9ecae1", "#3182bd", "#c6dbef")


def _stack(ax, x: float, total: float, per_process: list[float], color: str, label: str) -> None:
    """One bar of `total`, split in proportion to each process's share of the records."""
    parts = [p for p in per_process if p > 0] or [1.0]
    whole = sum(parts)
    bottom = 0.0
    for i, part in enumerate(parts):
        height = total * part / whole
        shade = color if len(parts) == 1 else SHADES[i % len(SHADES)] if color == WORKER_COLOR else \
            ("#8c8c8c", "#bdbdbd", "#636363", "#d9d9d9")[i % 4]
        ax.bar(x, height, bottom=bottom, color=shade, width=0.6, edgecolor="white",
               label=label if i == 0 else None)
        if len(parts) > 1:
            ax.text(x, bottom + height / 2, f"process {i + 1}", ha="center", va="center", fontsize=8,
                    color="white")
        bottom += height
    ax.text(x, total, f"{total:,.0f}", ha="center", va="bottom", fontsize=10, fontweight="bold")


def write_plot(result: dict, curves: dict[str, list], latencies_ms: list[float], path: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax1, ax2, ax3) = plt.subplots(1, 3, figsize=(15, 4.8), gridspec_kw={"width_ratios": [0.8, 1.1, 1.3]})
    k, p = result["replicas"], result["partitions"]
    fig.suptitle(f"modworker bench: {result['events']:,} events, {p} partition{'s' if p > 1 else ''}, "
                 f"{k} process{'es' if k > 1 else ''} per phase (shared 2-core machine, broker and Redis on it)",
                 fontsize=12)

    # 1. throughput
    _stack(ax1, 0, result["ceiling_eps"], result["ceiling"]["per_process"], CEILING_COLOR, "ceiling")
    _stack(ax1, 1, result["worker_eps"], result["worker"]["per_process"], WORKER_COLOR, "worker")
    ax1.set_xticks([0, 1], ["ceiling\nfaust only:\ndecode + forward", "worker\ndetectors, Redis,\nenforcements"])
    ax1.axhline(0.8 * result["ceiling_eps"], color="#2ca02c", ls=":", lw=1.5, label="target: 0.8 × ceiling")
    ax1.legend(loc="upper right", fontsize=9)
    ax1.set_ylabel("events per second")
    ax1.set_ylim(0, max(result["ceiling_eps"], result["worker_eps"], 1) * 1.3)
    title = f"throughput: worker / ceiling = {result['ratio']:.2f}"
    if result.get("ratio_per_cpu"):
        title += f"\nper CPU-second of the processes: {result['ratio_per_cpu']:.2f}"
    ax1.set_title(title, fontsize=11)
    ax1.grid(axis="y", alpha=0.3)

    # 2. progress
    for phase, color in (("ceiling", CEILING_COLOR), ("worker", WORKER_COLOR)):
        pts = curves.get(phase) or []
        if pts:
            ax2.plot([t for t, _ in pts], [c / 1000 for _, c in pts], color=color, lw=2,
                     label=f"{phase}: {result[phase + '_eps']:,.0f} events/s")
    ax2.set_xlabel("seconds since the first consumed event")
    ax2.set_ylabel("events consumed (thousands)")
    ax2.set_title("progress (polled every 100 ms from each process)", fontsize=11)
    ax2.legend(loc="lower right")
    ax2.grid(alpha=0.3)

    # 3. latency
    lat = [max(v, 0.1) for v in latencies_ms]
    if lat:
        lo, hi = math.log10(min(lat)), math.log10(max(lat))
        bins = [10 ** (lo + (hi - lo + 1e-9) * i / 60) for i in range(61)]
        ax3.hist(lat, bins=bins, color=WORKER_COLOR, alpha=0.85)
        ax3.set_xscale("log")
        for q, style in (("p50_ms", "--"), ("p99_ms", "-")):
            ax3.axvline(max(result[q], 0.1), color="#d62728", ls=style, lw=1.5,
                        label=f"{q[:3]} = {result[q]:.1f} ms")
        ax3.axvline(100, color="#2ca02c", ls=":", lw=1.5, label="target p99 < 100 ms")
        ax3.legend(loc="upper left", fontsize=9, framealpha=0.9)
        ax3.set_ylim(0, ax3.get_ylim()[1] * 1.3)
    ax3.set_xlabel("event time to decision (ms, log scale)")
    ax3.set_ylabel("enforced events")
    basis = "" if result.get("offered_basis", "").startswith("half") else " (--offered)"
    title = f"latency at {result['offered_eps_actual']:,.0f} events/s offered{basis}, {result['samples']:,} samples"
    if result.get("overloaded") or not result.get("latency_drained", True):
        title += "\nthe workers fell behind: the latency is queueing"
    ax3.set_title(title, fontsize=11)
    ax3.grid(alpha=0.3)

    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
