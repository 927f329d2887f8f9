"""`modworker eval --input EVENTS --labels LABELS`: quality of the core and policy on a labeled corpus.

Runs the same engine and policy as the worker (counters on the in-memory store, fed in file order) and prints
precision, recall and F1 per category and subtype, false-positive rates on benign and hard-negative messages,
a confusion matrix, and the worst misses and false alarms with their evidence. `--json` prints one object.

A corpus it cannot score is refused with every problem named (file, line, what is wrong) and exit status 2,
never a traceback and never a partial score: an event line the worker would dead-letter, a label line that is
not `{"event_id", "labels": [...]}`, an id given twice in one file, a labeled event missing from the events.
Events without a label line are decided but not scored (their number is printed on standard error).
"""
from __future__ import annotations

import sys

import orjson

from workers.adapters.codec import decode_event
from workers.core.engine import Engine
from workers.core.evaluation import BENIGN, Gold, Predicted, Report, evaluate
from workers.core.policy import Policy
from workers.core.memory_store import InMemoryCounters
from workers.core.signals import counter_findings, observation
from workers.errors import DecodeError, EvalInputError
from workers.gc_tuning import freeze_static_heap

KINDS = ("abuse", "benign", "hard_negative")
_SHOWN = 20  # problems named in an EvalInputError; the rest are counted


def _refuse(what: str, problems: list[str]) -> EvalInputError:
    shown = problems[:_SHOWN]
    more = f"\n  ... and {len(problems) - _SHOWN} more" if len(problems) > _SHOWN else ""
    return EvalInputError(f"{what}: {len(problems)} problem(s)\n  " + "\n  ".join(shown) + more)


def predict(events_path: str, policy: Policy) -> dict[str, Predicted]:
    engine = Engine(policy, defer_rules=False)  # every miss shows its rule evidence; same actions and labels
    freeze_static_heap()
    counters = InMemoryCounters(policy)
    out: dict[str, Predicted] = {}
    seen: set[str] = set()
    problems: list[str] = []
    with open(events_path, "rb") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                ev = decode_event(line)
            except DecodeError as exc:
                problems.append(f"{events_path} line {number}: {type(exc).__name__}: {exc}")
                continue
            if ev.event_id in seen:
                problems.append(f"{events_path} line {number}: event_id {ev.event_id!r} given twice")
                continue
            seen.add(ev.event_id)
            if problems:  # the corpus will be refused: only its remaining problems are still wanted
                continue
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
    if problems:
        raise _refuse(f"cannot evaluate {events_path}", problems)
    return out


def _gold_row(row: object) -> Gold | str:
    """A label line as Gold, or what is wrong with it."""
    if not isinstance(row, dict):
        return "not a JSON object"
    event_id, labels = row.get("event_id"), row.get("labels")
    if not isinstance(event_id, str) or not event_id:
        return 'no "event_id" string'
    if not isinstance(labels, list) or not all(isinstance(l, str) and l for l in labels):
        return '"labels" is not a list of label strings (use [] for an innocent message)'
    kind = row.get("kind", "abuse" if labels else "benign")
    if kind not in KINDS:
        return f'"kind" {kind!r} is not one of {", ".join(KINDS)}'
    if (kind == "abuse") != bool(labels):
        return f'"kind" {kind!r} does not agree with labels {labels}'
    hn_kind = row.get("hn_kind")
    if hn_kind is not None and not isinstance(hn_kind, str):
        return '"hn_kind" is not a string'
    return Gold(event_id, tuple(labels), kind, hn_kind)


def load_gold(labels_path: str) -> list[Gold]:
    gold: list[Gold] = []
    seen: set[str] = set()
    problems: list[str] = []
    with open(labels_path, "rb") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                row = orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                problems.append(f"{labels_path} line {number}: not JSON: {exc}")
                continue
            g = _gold_row(row)
            if isinstance(g, str):
                problems.append(f"{labels_path} line {number}: {g}")
            elif g.event_id in seen:
                problems.append(f"{labels_path} line {number}: event_id {g.event_id!r} labeled twice")
            else:
                seen.add(g.event_id)
                gold.append(g)
    if problems:
        raise _refuse(f"cannot evaluate {labels_path}", problems)
    return gold


def score(gold: list[Gold], predicted: dict[str, Predicted], events_path: str = "the events") -> Report:
    """The report, once every labeled event has a decision."""
    missing = [g.event_id for g in gold if g.event_id not in predicted]
    if missing:
        raise _refuse(f"cannot evaluate: labeled events missing from {events_path}",
                      [f"event_id {e!r}" for e in missing])
    return evaluate(gold, predicted)


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
    gold = load_gold(labels_path)  # first: a broken label file is refused before the engine is built
    predicted = predict(events_path, policy)
    report = score(gold, predicted, events_path)
    unlabeled = len(predicted) - len(gold)
    if unlabeled:
        print(f"modworker eval: {unlabeled} event(s) of {events_path} have no label line and are not scored",
              file=sys.stderr)
    if as_json:
        sys.stdout.write(orjson.dumps(report.as_dict(top), option=orjson.OPT_INDENT_2).decode() + "\n")
    else:
        print(format_report(report, top))
    return 0
