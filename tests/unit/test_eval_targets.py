"""Issue #3's quality targets, measured by `modworker eval`'s code on the two held-out splits.

The test split (tests/data/corpus/test.*.jsonl, built from holdout14/) and the transfer split (transfer.*.jsonl,
built from transfer6/: other writers, other briefs) are read by this test only: nothing is tuned against them.
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
# Policy 2026-11-29.29 (session 13: the model retrained, C = 100, on 39,417 dev messages: holdout13/ and transfer5/
# retired into dev, 1,199 messages aimed at plainly worded offers and 1,200 from six communities no brief had
# covered; alone_min_score 0.65, review bar 0.62, 0.67 in direct messages: the operating point cross-validation's
# rule picks, README). Both splits were committed before .27, .28 and .29 were trained, and first evaluated with .26.
# holdout14/ (1,316 messages by seven new writers to the holdout briefs): .26 (first sight) recruitment 0.984 /
# 0.921, marketing 0.997 / 0.959, benign flagged 0.63% (4/636), hard negatives 0.50% (2/400); .27 0.981 / 0.924,
# 0.997 / 0.974, 0.79%, 0.75%; .28 0.988 / 0.924, 0.994 / 0.974, 0.63%, 0.75%; .29 0.975 / 0.927 (317/342), 0.997 /
# 0.974, 1.10% (7/636: one message over the bound), 1.25% (5/400). .29 was chosen on dev alone (cross-validated on
# the same 38,217 messages it flags fewer innocent ones than .28: 0.54% against 0.58%) and is shipped as chosen:
# the test split does not pick the model, so its benign rate is recorded here, not tuned away.
# transfer6/ (1,319 messages by six new writers given six other briefs): .26 0.997 / 0.945, 0.974 / 0.900, 0.28%
# (2/719), 0.28% (1/361); .27 0.997 / 0.935, 0.975 / 0.914, 0.28%, 0.28%; .28 0.997 / 0.948, 0.975 / 0.914, 0.28%,
# 0.28%; .29 0.997 / 0.943 (379/402), 0.980 / 0.924 (194/210), 0.14% (1/719), 0.28% (1/361). Cross-validation by
# writer on dev predicts 0.989 / 0.926, 0.989 / 0.891, 0.54%, 0.74% for .29 (README). Neither split's errors have
# been read.
SHORTFALLS: dict[tuple[str, str], str] = {
    ("test", "benign flagged"): (
        "policy .29 flags 7 of holdout14/'s 636 innocent messages (1.10%, bound 1%: one message over); .26 to .28 "
        "flagged 4-5. Not tuned away: the test split does not choose the model"),
}


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
