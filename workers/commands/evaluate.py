"""`modworker eval --input EVENTS --labels LABELS`: quality of the core and policy on a labeled corpus.

Runs the same engine and policy as the worker (counters on the in-memory store, fed in file order) and prints
precision, recall and F1 per category and subtype, false-positive rates on benign and hard-negative messages,
a confusion matrix, and the worst misses and false alarms with their evidence. `--json` prints one object.
"""
from __future__ import annotations

import sys

import orjson

from workers.adapters.codec import decode_event
from workers.core.engine import Engine
from workers.core.evaluation import BENIGN, Gold, Predicted, Report, evaluate
from workers.core.policy import Policy
from workers.core.signals import InMemoryCounters, counter_findings, observation
from workers.gc_tuning import freeze_static_heap


def predict(events_path: str, policy: Policy) -> dict[str, Predicted]:
    engine = Engine(policy)
    freeze_static_heap()
    counters = InMemoryCounters(policy)
    out = {}
    with open(events_path, "rb") as fh:
        for line in fh:
            if not line.strip():
                continue
            ev = decode_event(line)
            analysis = engine.analyze(ev)
            reading = counters.observe_sync([observation(ev, analysis, policy)])[0]
            d = engine.decide(ev, analysis, counter_findings(reading, policy))
            primary = max(d.labels, key=lambda l: d.label_scores.get(l, 0.0)) if d.labels else BENIGN
            all_findings = analysis.findings
            evidence = tuple(
                f"{f.rule_id}:{ev.text[f.start:f.end]}" if f.end > f.start else f"{f.rule_id}:{f.evidence}"
                for f in all_findings
            )
            out[ev.event_id] = Predicted(ev.event_id, d.action, d.labels, primary, d.score, evidence)
    return out


def load_gold(labels_path: str) -> list[Gold]:
    gold = []
    with open(labels_path, "rb") as fh:
        for line in fh:
            if line.strip():
                row = orjson.loads(line)
                gold.append(Gold(row["event_id"], tuple(row["labels"]), row.get("kind", "abuse" if row["labels"]
                                 else "benign"), row.get("hn_kind")))
    return gold


def format_report(r: Report, top: int) -> str:
    lines = [f"events: {r.n}", "", f"{'category':<44}{'prec':>7}{'recall':>8}{'f1':>7}{'tp':>6}{'fp':>5}{'fn':>5}"]
    for name, prf in sorted(r.categories.items()):
        lines.append(f"{name:<44}{prf.precision:>7.3f}{prf.recall:>8.3f}{prf.f1:>7.3f}{prf.tp:>6}{prf.fp:>5}{prf.fn:>5}")
    lines.append("")
    lines.append(f"{'subtype':<44}{'prec':>7}{'recall':>8}{'f1':>7}{'tp':>6}{'fp':>5}{'fn':>5}")
    for name, prf in sorted(r.subtypes.items()):
        lines.append(f"{name:<44}{prf.precision:>7.3f}{prf.recall:>8.3f}{prf.f1:>7.3f}{prf.tp:>6}{prf.fp:>5}{prf.fn:>5}")
    lines.append("")
    b, h = r.benign_flagged, r.hard_negative_flagged
    lines.append(f"benign flagged (any action but allow): {b[0]}/{b[1]} = {r.rate(b):.2%}")
    lines.append(f"hard negatives flagged: {h[0]}/{h[1]} = {r.rate(h):.2%}")
    for kind, (f, n) in sorted(r.hard_negative_by_kind.items()):
        lines.append(f"  {kind:<22}{f}/{n}")
    lines.append("")
    lines.append("confusion (gold primary -> predicted primary):")
    for g, row in sorted(r.confusion.items()):
        lines.append(f"  {g:<42} " + ", ".join(f"{p}={n}" for p, n in sorted(row.items(), key=lambda x: -x[1])))
    for title, rows in (("worst misses", r.misses), ("worst false alarms", r.false_alarms)):
        lines.append("")
        lines.append(f"{title} ({len(rows)}):")
        for g, p in rows[:top]:
            lines.append(f"  {g.event_id} gold={','.join(g.labels) or g.kind} action={p.action} "
                         f"pred={','.join(p.labels) or '-'} score={p.score}")
            if p.evidence:
                lines.append("    evidence: " + " | ".join(p.evidence)[:300])
    return "\n".join(lines)


def run_eval(events_path: str, labels_path: str, policy: Policy, as_json: bool, top: int) -> int:
    report = evaluate(load_gold(labels_path), predict(events_path, policy))
    if as_json:
        sys.stdout.write(orjson.dumps(report.as_dict(top), option=orjson.OPT_INDENT_2).decode() + "\n")
    else:
        print(format_report(report, top))
    return 0
