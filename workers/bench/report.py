"""The human-readable report of `modworker bench` (without --json)."""
from __future__ import annotations


def format_report(r: dict) -> str:
    k = r["replicas"]
    procs = f"{k} process{'es' if k > 1 else ''}"
    lines = [
        f"modworker bench {r['run_id']}: {r['events']:,} events, {r['partitions']} partition(s), {procs} per phase",
        f"  ceiling (faust, decode + forward)  {r['ceiling_eps']:>10,.0f} events/s",
        f"  worker                             {r['worker_eps']:>10,.0f} events/s   ratio {r['ratio']:.2f}",
        f"  per CPU-second of the processes: ceiling {r['ceiling']['events_per_cpu_second'] or 0:,.0f}, "
        f"worker {r['worker']['events_per_cpu_second'] or 0:,.0f} events (ratio {r.get('ratio_per_cpu', 0):.2f})",
        f"  latency at {r['offered_eps']:,.0f} events/s offered ({r['offered_basis']}; "
        f"{r['offered_eps_actual']:,.0f} achieved), {r['samples']:,} enforced events:",
        f"    p50 {r['p50_ms']:.1f} ms   p90 {r['p90_ms']:.1f} ms   p99 {r['p99_ms']:.1f} ms   max {r['max_ms']:.1f} ms",
    ]
    b = r.get("latency_batches") or {}
    if b.get("batches"):
        lines.append(f"    worker batches meanwhile: {b['batches']:,}, {b['mean_batch_events']} events and "
                     f"{b['mean_batch_ms']} ms of processing each on average (Redis {b['mean_redis_ms']} ms)")
    if r["overloaded"]:
        lines.append(f"    the workers fell behind ({r['latency_backlog_at_end']:,} events when production stopped):"
                     " queueing sets these figures")
    if not r["latency_drained"]:
        lines.append("    the workers had not caught up when the phase ended: the figures are a lower bound")
    lines += [
        f"  CPU busy before the run (others): {r['background_cores']} cores",
        f"  CPU in cores, ceiling phase: {r['ceiling']['cpu_cores']}",
        f"  CPU in cores, worker phase:  {r['worker']['cpu_cores']}",
        f"  took {r['duration_s']:.0f} s",
    ]
    return "\n".join(lines)
