"""Issue #3's quality targets, measured by `modworker eval`'s code on the two held-out splits.

The test split (tests/data/corpus/test.*.jsonl, built from holdout13/) and the transfer split (transfer.*.jsonl,
built from transfer5/: other writers, other briefs) are read by this test only: nothing is tuned against them.
A target not met yet on a split is listed in SHORTFALLS with the figure measured, as a strict xfail: the suite
stays honest about it (the README and the issue say so), and when a change meets it the xfail turns into a
failure that asks for the entry to be removed.
"""
from __future__ import annotations

import pytest

from workers.commands.evaluate import load_gold, predict
from workers.core.evaluation import QUALITY_TARGETS, evaluate
from workers.core.policy import load_policy
from workers.settings import DEFAULT_POLICY, REPO_ROOT

CORPUS = REPO_ROOT / "tests" / "data" / "corpus"

TARGETS = QUALITY_TARGETS  # target -> bound: precision/recall at least the bound, flagged rates at most it
# Policy 2026-11-29.26 (session 12: the model retrained, C = 100, on 34,376 dev messages, transfer3/ and transfer4/
# among them; rules read from dev's cross-validated misses; alone_min_score 0.65, review bar 0.62, 0.67 in direct
# messages: the operating point cross-validation's rule picks, README).
# holdout13/ (1,325 messages), its eighth evaluation: every target met; recruitment 0.994 / 0.974, marketing
# 0.997 / 0.965, benign flagged 0.16% (1/645), hard negatives 0.25% (1/400). Cross-validation by writer on dev
# predicts 0.989 / 0.923, 0.987 / 0.888, 0.56%, 0.77% (README), the honest expectation.
# transfer5/ (1,317 messages by six new writers given six other briefs): every target met on both its
# evaluations. The first, with .25 (before .26 was trained): recruitment 0.997 / 0.917 (331/361), marketing 0.996 /
# 0.931 (231/248), benign flagged 0.14% (1/717), hard negatives 0.28% (1/360). With .26: 0.997 / 0.920 (332/361),
# 1.000 / 0.911 (226/248), 0/717, 0/360. Its errors are unread. The splits before it, first seen with the policy of
# the day, missed recall: transfer3/ 0.853 (.23), transfer4/ 0.890 and 0.842 (.24).
SHORTFALLS: dict[tuple[str, str], str] = {}


SPLITS = ("test", "transfer")
_REPORTS: dict[str, object] = {}


def report_of(split: str):
    if split not in _REPORTS:
        gold = load_gold(str(CORPUS / f"{split}.labels.jsonl"))
        predicted = predict(str(CORPUS / f"{split}.events.jsonl"), load_policy(DEFAULT_POLICY))
        _REPORTS[split] = evaluate(gold, predicted)
    return _REPORTS[split]


def measured(report, target: str) -> float:
    if target == "benign flagged":
        return report.rate(report.benign_flagged)
    if target == "hard negatives flagged":
        return report.rate(report.hard_negative_flagged)
    category, what = target.split()
    return getattr(report.categories[category], what)


@pytest.mark.parametrize("split, target", [
    pytest.param(split, t, marks=pytest.mark.xfail(strict=True, reason=SHORTFALLS[(split, t)]))
    if (split, t) in SHORTFALLS else (split, t)
    for split in SPLITS for t in TARGETS
])
def test_quality_target_on_the_held_out_splits(split, target):
    value, bound = measured(report_of(split), target), TARGETS[target]
    if "flagged" in target:
        assert value <= bound, f"{target}: {value:.2%} > {bound:.0%}"
    else:
        assert value >= bound, f"{target}: {value:.3f} < {bound}"


@pytest.mark.parametrize("split", SPLITS)
def test_the_held_out_splits_are_big_and_hard_enough_to_mean_something(split):
    report = report_of(split)
    assert report.n >= 600
    assert report.hard_negative_flagged[1] >= 0.4 * report.benign_flagged[1]
    assert all(prf.tp + prf.fn >= 150 for prf in report.categories.values())
