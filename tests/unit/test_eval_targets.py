"""Issue #3's quality targets, measured by `modworker eval`'s code on the two held-out splits.

The test split (tests/data/corpus/test.*.jsonl, built from holdout16/) and the transfer split (transfer.*.jsonl,
built from transfer8/: other writers, other briefs) are read by this test only: nothing is tuned against them.
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
# Policy 2026-11-29.32 (session 15: the model retrained, C = 100, on 47,787 dev messages: holdout15/ and transfer7/
# retired into dev; 1,298 new messages aimed at what transfer7/'s aggregate figures and cross-validation missed most:
# very short messages, long ones (some with the offer late in the message), and questions about offers received;
# alone_min_score 0.65, review bar 0.62, 0.67 in direct messages: the operating point cross-validation's rule picks,
# README). Both splits were committed before .32 was trained, and evaluated first with .31 (first sight).
# holdout16/ (1,315 messages by seven new writers to the holdout briefs): .31 (first sight) recruitment 0.997 /
# 0.968, marketing 0.997 / 0.980, benign flagged 0.31% (2/635), hard negatives 0.50% (2/400); .32 0.997 / 0.974
# (331/340), 0.994 / 0.985 (338/343), 0.47% (3/635), 0.50% (2/400).
# transfer8/ (1,320 messages by six new writers given six other briefs): .31 (first sight) and .32 alike, 0.997 /
# 0.983 (355/361), 0.992 / 0.975 (235/241), 0.28% (2/720), 0.28% (1/360). Cross-validation by writer on dev predicts
# 0.990 / 0.925, 0.989 / 0.894, 0.52%, 0.75% for .32 (README). Neither split's errors have been read.
# Policy 2026-11-30.33 is .32 with the model file's rows in train.py's new order (most frequent features first;
# the weights unchanged): every decision, label score and reason on dev, test and transfer is .32's.
# No target is missed on either split: SHORTFALLS is empty. (transfer7/'s recruitment recall, 0.879 with .31, was
# the last entry; transfer7/ is dev now.)
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
