"""Quality of decisions against gold labels: precision/recall/F1 per category and subtype, false-positive
rates on benign and hard-negative messages, a confusion matrix, and the worst errors. Pure, no I/O."""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

BENIGN = "benign"

# Issue #3's quality targets, in one place (tests/unit/test_eval_targets.py checks them on the held-out splits,
# ops/model/cv.py measures every operating point's distance from them): precision and recall at least the bound,
# the flagged rates at most it.
QUALITY_TARGETS = {
    "recruitment_scam precision": 0.97,
    "recruitment_scam recall": 0.90,
    "marketing_spam precision": 0.95,
    "marketing_spam recall": 0.85,
    "benign flagged": 0.01,
    "hard negatives flagged": 0.03,
}


@dataclass(frozen=True, slots=True)
class Gold:
    event_id: str
    labels: tuple[str, ...]
    kind: str  # abuse | benign | hard_negative
    hn_kind: str | None = None


@dataclass(frozen=True, slots=True)
class Predicted:
    event_id: str
    action: str
    labels: tuple[str, ...]
    primary: str  # highest-scoring reported label, or "benign" when allowed
    score: float
    evidence: tuple[str, ...] = ()


@dataclass
class Prf:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


@dataclass
class Report:
    n: int
    categories: dict[str, Prf]
    subtypes: dict[str, Prf]
    benign_flagged: tuple[int, int]  # (flagged, total) over benign + hard negatives
    hard_negative_flagged: tuple[int, int]
    hard_negative_by_kind: dict[str, tuple[int, int]]
    confusion: dict[str, Counter]  # gold primary -> predicted primary -> count
    misses: list[tuple[Gold, Predicted]] = field(default_factory=list)
    false_alarms: list[tuple[Gold, Predicted]] = field(default_factory=list)

    @staticmethod
    def rate(pair: tuple[int, int]) -> float:
        return pair[0] / pair[1] if pair[1] else 0.0

    def as_dict(self, top: int = 10) -> dict:
        def err(g: Gold, p: Predicted) -> dict:
            return {"event_id": g.event_id, "gold": list(g.labels), "kind": g.kind, "action": p.action,
                    "predicted": list(p.labels), "score": p.score, "evidence": list(p.evidence)}

        return {
            "events": self.n,
            "categories": {k: v.as_dict() for k, v in sorted(self.categories.items())},
            "subtypes": {k: v.as_dict() for k, v in sorted(self.subtypes.items())},
            "benign_flagged_rate": round(self.rate(self.benign_flagged), 4),
            "benign_flagged": list(self.benign_flagged),
            "hard_negative_flagged_rate": round(self.rate(self.hard_negative_flagged), 4),
            "hard_negative_flagged": list(self.hard_negative_flagged),
            "hard_negative_by_kind": {k: list(v) for k, v in sorted(self.hard_negative_by_kind.items())},
            "confusion": {g: dict(sorted(c.items())) for g, c in sorted(self.confusion.items())},
            "worst_misses": [err(g, p) for g, p in self.misses[:top]],
            "worst_false_alarms": [err(g, p) for g, p in self.false_alarms[:top]],
        }


def _category(label: str) -> str:
    return label.split(".", 1)[0]


def evaluate(gold: list[Gold], predicted: dict[str, Predicted]) -> Report:
    categories: dict[str, Prf] = defaultdict(Prf)
    subtypes: dict[str, Prf] = defaultdict(Prf)
    confusion: dict[str, Counter] = defaultdict(Counter)
    benign = [0, 0]
    hard = [0, 0]
    hard_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    misses, false_alarms = [], []
    for g in gold:
        p = predicted[g.event_id]
        flagged = p.action != "allow"
        pred_labels = {l for l in p.labels if not l.startswith("behavior.")} if flagged else set()
        gold_labels = set(g.labels)
        for cat in {_category(l) for l in gold_labels} | {_category(l) for l in pred_labels}:
            inp, ing = cat in {_category(l) for l in pred_labels}, cat in {_category(l) for l in gold_labels}
            categories[cat].tp += inp and ing
            categories[cat].fp += inp and not ing
            categories[cat].fn += ing and not inp
        for sub in gold_labels | pred_labels:
            inp, ing = sub in pred_labels, sub in gold_labels
            subtypes[sub].tp += inp and ing
            subtypes[sub].fp += inp and not ing
            subtypes[sub].fn += ing and not inp
        gold_primary = g.labels[0] if g.labels else BENIGN
        confusion[gold_primary][p.primary if flagged else BENIGN] += 1
        if not g.labels:
            benign[0] += flagged
            benign[1] += 1
            if g.kind == "hard_negative":
                hard[0] += flagged
                hard[1] += 1
                hard_kind[g.hn_kind or "?"][0] += flagged
                hard_kind[g.hn_kind or "?"][1] += 1
            if flagged:
                false_alarms.append((g, p))
        elif not flagged or not (gold_labels & pred_labels):
            misses.append((g, p))
    misses.sort(key=lambda gp: gp[1].score)
    false_alarms.sort(key=lambda gp: -gp[1].score)
    return Report(
        n=len(gold),
        categories=dict(categories),
        subtypes=dict(subtypes),
        benign_flagged=(benign[0], benign[1]),
        hard_negative_flagged=(hard[0], hard[1]),
        hard_negative_by_kind={k: (v[0], v[1]) for k, v in hard_kind.items()},
        confusion=dict(confusion),
        misses=misses,
        false_alarms=false_alarms,
    )
