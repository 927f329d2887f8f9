"""Scoring contract: topic findings per label, label-less support capped (and never more than the topic),
label-less negative findings damp every label; behavior.* counter findings are topic findings."""
from __future__ import annotations

import math
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from workers.core.findings import Finding
from workers.core.scoring import SUPPORT_CAP, SUPPORT_RATIO, label_scores, round4

L = "recruitment_scam.paid_posting"


def f(label, weight):
    return Finding("t", "r", label, weight)


def test_support_alone_creates_no_label():
    assert label_scores([f(None, 0.2), f(None, 0.3)]) == {}


def test_support_raises_a_topic_up_to_its_caps():
    assert label_scores([f(L, 0.5), f(None, 0.2)])[L] == 0.7
    assert label_scores([f(L, 0.5)] + [f(None, 0.2)] * 5)[L] == round(0.5 + min(SUPPORT_CAP, 0.5 * SUPPORT_RATIO), 4)
    # weak topic evidence cannot be carried to a decision by generic cues
    assert label_scores([f(L, 0.2)] + [f(None, 0.2)] * 5)[L] == round(0.2 * (1 + SUPPORT_RATIO), 4)


def test_damping_lowers_every_label_and_scores_stay_in_range():
    scores = label_scores([f(L, 0.9), f("marketing_spam.fraud_drainage", 0.5), f(None, 0.4), f(None, -0.6)])
    assert scores[L] == 0.4 and scores["marketing_spam.fraud_drainage"] == 0.3
    assert label_scores([f(L, 0.3), f(None, -0.9)])[L] == 0.0
    assert label_scores([f(L, 2.0), f(None, 0.4)])[L] == 1.0


def test_label_specific_negative_findings_only_lower_their_label():
    scores = label_scores([f(L, 0.5), f("recruitment_scam.fake_job", 0.5), f("recruitment_scam.fake_job", -0.3)])
    assert scores[L] == 0.5 and scores["recruitment_scam.fake_job"] == 0.2
    assert "recruitment_scam.fake_job" not in label_scores([f("recruitment_scam.fake_job", -0.3)])


def test_behavior_findings_are_topics_with_their_own_label():
    scores = label_scores([Finding("counters", "behavior.burst", "behavior.burst", 0.7, evidence="x"), f(None, 0.2)])
    assert scores == {"behavior.burst": 0.9}


# --- the text model's share (policy text_model.share) ---

def m(label, score):
    return Finding("text_model", f"model.{label}", label, score)


def test_model_and_rules_blend_by_the_share():
    # rules alone: 0.5 + support 0.2 = 0.7; model 0.9; share 0.75 -> 0.75 * 0.9 + 0.25 * 0.7
    assert label_scores([f(L, 0.5), f(None, 0.2), m(L, 0.9)], 0.75)[L] == round(0.75 * 0.9 + 0.25 * 0.7, 4)
    # a label only the model found, and one only the rules found
    scores = label_scores([m(L, 0.8), f("marketing_spam.fraud_drainage", 0.6)], 0.75)
    assert scores == {L: 0.6, "marketing_spam.fraud_drainage": 0.15}


def test_context_lowers_the_blend_as_it_lowers_the_rules():
    # a warning quoting a scam: the model is fooled, the warning context is not
    assert label_scores([m(L, 0.9), f(None, -0.6)], 0.75)[L] == round(0.75 * 0.9 - 0.6, 4)
    # family context is specific to its label
    fam = "recruitment_scam.identity_verification"
    scores = label_scores([m(fam, 0.9), f(fam, 0.4), f(fam, -0.5), m(L, 0.9)], 0.75)
    assert scores[fam] == round(0.75 * 0.9 + 0.25 * 0.4 - 0.5, 4) and scores[L] == 0.675


def test_counter_labels_are_scored_by_the_rules_alone_and_share_0_is_the_rules():
    burst = Finding("counters", "behavior.burst", "behavior.burst", 0.7, evidence="x")
    assert label_scores([burst, m(L, 0.2)], 0.75)["behavior.burst"] == 0.7
    findings = [f(L, 0.5), f(None, 0.2), f("recruitment_scam.fake_job", 0.4), f("recruitment_scam.fake_job", -0.1)]
    assert label_scores(findings, 0.0) == label_scores(findings)


def test_a_label_only_the_model_found_needs_the_alone_bar_and_one_the_rules_back_does_not():
    # policy text_model.alone_min_score 0.58: model 0.76 alone -> 0.57, below the bar: not scored at all
    assert label_scores([m(L, 0.76)], 0.75, 0.58) == {}
    # model 0.8 alone -> 0.6: scored
    assert label_scores([m(L, 0.8)], 0.75, 0.58) == {L: 0.6}
    # the same model score with a rule topic for the label: the bar does not apply
    assert label_scores([m(L, 0.76), f(L, 0.1)], 0.75, 0.58) == {L: round(0.75 * 0.76 + 0.25 * 0.1, 4)}
    # a rule topic for ANOTHER label does not back this one
    other = "marketing_spam.fraud_drainage"
    assert label_scores([m(L, 0.76), f(other, 0.9)], 0.75, 0.58) == {other: 0.225}
    # context damping counts before the bar: 0.8 alone (0.6) minus a warning falls under it
    assert label_scores([m(L, 0.8), f(None, -0.1)], 0.75, 0.58) == {}
    # 0 (the default) adds no bar
    assert label_scores([m(L, 0.76)], 0.75) == {L: 0.57}


# --- round4: round(x, 4), the same float -------------------------------------------------------------------

def _same(a: float, b: float) -> bool:
    return (a != a and b != b) or (a == b and math.copysign(1.0, a) == math.copysign(1.0, b))


def test_round4_gives_round_on_a_million_scores():
    rng = random.Random(20261130)
    for _ in range(1_000_000):
        x = rng.random() * rng.choice((1.0, 1.0, 2.0, 1e-3))
        assert _same(round4(x), round(x, 4)), x


def test_round4_gives_round_at_and_around_every_half_way_point():
    """The half-way points k + 0.5 (in units of 1e-4) and the floats next to them, where a shortcut would err."""
    for k in range(-10_001, 10_001):
        x = (k + 0.5) / 10000.0
        for y in (x, math.nextafter(x, math.inf), math.nextafter(x, -math.inf),
                  math.nextafter(math.nextafter(x, math.inf), math.inf), k / 10000.0):
            assert _same(round4(y), round(y, 4)), y


@given(st.floats(allow_nan=True, allow_infinity=True))
@settings(max_examples=3000, deadline=None)
def test_round4_gives_round_on_any_float(x):
    assert _same(round4(x), round(x, 4))


def test_round4_keeps_the_sign_of_zero():
    assert math.copysign(1.0, round4(-0.00001)) == -1.0 and math.copysign(1.0, round(-0.00001, 4)) == -1.0
    assert math.copysign(1.0, round4(0.00001)) == 1.0


def _reference_label_scores(findings, model_share=0.0, model_alone_min=0.0):
    """label_scores as first written, with the builtins (the compiled one writes min and max out)."""
    positive, negative, model, support, damp = {}, {}, {}, 0.0, 0.0
    for f in findings:
        if f.detector == "text_model":
            model[f.label] = f.weight
        elif f.label is not None:
            side = positive if f.weight > 0 else negative
            side[f.label] = side.get(f.label, 0.0) + f.weight
        elif f.weight >= 0:
            support += f.weight
        else:
            damp += f.weight
    support = min(support, SUPPORT_CAP)
    scores = {}
    for label in set(positive) | set(model):
        weight = positive.get(label, 0.0)
        if model_share <= 0 or label.startswith("behavior."):
            if label not in positive:
                continue
            topic = weight + negative.get(label, 0.0)
            if topic > 0:
                scores[label] = round(max(0.0, min(1.0, topic + min(support, SUPPORT_RATIO * topic)) + damp), 4)
            continue
        raised = min(1.0, weight + min(support, SUPPORT_RATIO * weight)) if weight > 0 else 0.0
        blended = model_share * model.get(label, 0.0) + (1.0 - model_share) * raised
        score = round(min(1.0, max(0.0, blended + damp + negative.get(label, 0.0))), 4)
        if weight > 0 or score >= model_alone_min:
            scores[label] = score
    return scores


def test_label_scores_equal_the_reference_on_random_findings():
    rng = random.Random(7)
    labels = ["recruitment_scam.paid_posting", "marketing_spam.fraud_drainage", "behavior.burst", None]
    weights = [0.0, -0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.45, 0.55, 0.7, 1.0, -0.1, -0.25, -0.3, -0.6, -0.9]
    for _ in range(20_000):
        findings = [Finding("text_model" if rng.random() < 0.2 else "t", "r", rng.choice(labels), rng.choice(weights))
                    for _ in range(rng.randint(0, 9))]
        findings = [f for f in findings if not (f.detector == "text_model" and f.label is None)]
        share, alone = rng.choice([(0.0, 0.0), (0.75, 0.65), (0.5, 0.0)])
        got, want = label_scores(findings, share, alone), _reference_label_scores(findings, share, alone)
        assert got == want and all(_same(got[k], want[k]) for k in want), (findings, share)
