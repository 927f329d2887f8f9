"""Issue #3's quality targets, measured by `modworker eval`'s code on the held-out test split.

The test split (tests/data/corpus/test.*.jsonl, built from holdout13/) is read by this test only:
nothing is tuned against it. A target not met yet is listed in SHORTFALLS with the figure measured, as a
strict xfail: the suite stays honest about it (the README and the issue say so), and when a change meets it the
xfail turns into a failure that asks for the entry to be removed.
"""
from __future__ import annotations

import pytest

from workers.commands.evaluate import load_gold, predict
from workers.core.evaluation import evaluate
from workers.core.policy import load_policy
from workers.settings import DEFAULT_POLICY, REPO_ROOT

CORPUS = REPO_ROOT / "tests" / "data" / "corpus"

# target -> (what, bound): precision/recall at least the bound, flagged rates at most it
TARGETS = {
    "recruitment_scam precision": 0.97,
    "recruitment_scam recall": 0.90,
    "marketing_spam precision": 0.95,
    "marketing_spam recall": 0.85,
    "benign flagged": 0.01,
    "hard negatives flagged": 0.03,
}
# Measured 2026-11-29, policy 2026-11-29.19, 1,325 test messages (holdout13/, its first evaluation): every target
# met; recruitment 1.000 / 0.971, marketing 0.997 / 0.950, benign flagged 0/645, hard negatives 0/400. Better than
# cross-validation by writer on dev predicts for this policy (0.988 / 0.921, 0.988 / 0.891, 0.57%, 0.84%; README),
# which is the honest expectation on new writers. The previous splits: holdout12/ (policy .18) missed the benign
# rate (1.24%, 8/647); holdout11/ (.17) met every target; holdout10/ (.16) missed marketing recall and the benign
# rate by one message each.
SHORTFALLS: dict[str, str] = {}


@pytest.fixture(scope="module")
def report():
    gold = load_gold(str(CORPUS / "test.labels.jsonl"))
    predicted = predict(str(CORPUS / "test.events.jsonl"), load_policy(DEFAULT_POLICY))
    return evaluate(gold, predicted)


def measured(report, target: str) -> float:
    if target == "benign flagged":
        return report.rate(report.benign_flagged)
    if target == "hard negatives flagged":
        return report.rate(report.hard_negative_flagged)
    category, what = target.split()
    return getattr(report.categories[category], what)


@pytest.mark.parametrize("target", [
    pytest.param(t, marks=pytest.mark.xfail(strict=True, reason=SHORTFALLS[t])) if t in SHORTFALLS else t
    for t in TARGETS
])
def test_quality_target_on_the_test_split(report, target):
    value, bound = measured(report, target), TARGETS[target]
    if "flagged" in target:
        assert value <= bound, f"{target}: {value:.2%} > {bound:.0%}"
    else:
        assert value >= bound, f"{target}: {value:.3f} < {bound}"


def test_the_test_split_is_big_and_hard_enough_to_mean_something(report):
    assert report.n >= 600
    assert report.hard_negative_flagged[1] >= 0.4 * report.benign_flagged[1]
    assert all(prf.tp + prf.fn >= 150 for prf in report.categories.values())
