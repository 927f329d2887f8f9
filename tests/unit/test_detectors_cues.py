"""Support cues (label-less, positive): money offered, contact call-to-action, urgency, low effort, upfront
fee. They only speak when some topic cue is present, and never create a label on their own."""
from __future__ import annotations

import pytest

from tests.unit.detector_helpers import ctx, labels
from workers.core.detectors.contact_cta import ContactCta
from workers.core.detectors.low_effort import LowEffort
from workers.core.detectors.money_offer import MoneyOffer
from workers.core.detectors.upfront_fee import UpfrontFee
from workers.core.detectors.urgency import Urgency


def rules(detector, text: str) -> set[str]:
    found = detector.detect(ctx(text))
    assert all(f.label is None and f.weight > 0 for f in found)
    return {f.rule_id for f in found}


@pytest.mark.parametrize("text, rule", [
    ("转发广告一条5元，日结", "money.daily_pay"),
    ("帮发朋友圈 一·条·３·元", "money.rate"),
    ("Paid posting gig: ¥6/moment, payout 9pm daily", "money.rate"),
    ("刷单返利，躺赚，月入过万", "money.income_claim"),
    ("辅助验证，事后给你发个红包", "money.reward"),
])
def test_money_offer(text, rule):
    assert rule in rules(MoneyOffer(), text)


@pytest.mark.parametrize("text, rule", [
    ("刷单返利 加我 vx：rebate_king1", "cta.handle.wechat"),
    ("收号，有意私聊", "cta.add_contact"),
    ("同城约，看我头像", "cta.add_contact"),
    ("casino bonus, link in bio", "cta.add_contact"),
])
def test_contact_cta(text, rule):
    assert rule in rules(ContactCta(), text)


def test_urgency_low_effort_and_fee():
    assert "urgency.scarcity" in rules(Urgency(), "刷单返利，名额有限，今天最后一期")
    assert "effort.easy_task" in rules(LowEffort(), "转发广告，手机就能做")
    assert "effort.no_risk" in rules(LowEffort(), "出租微信号，零风险，不会封号")
    assert "fee.upfront" in rules(UpfrontFee(), "打字员日结，需先交押金100")
    assert "fee.upfront" in rules(UpfrontFee(), "Typing job, pay ¥50 membership to start")


@pytest.mark.parametrize("text", [
    "Remote data annotation, $25/hr, start tomorrow. Just a small registration fee.",
    "Translation job, RM1 per line. Test fee RM40 to confirm your level, refunded after you pass.",
    "Hotel front desk in Malaysia, no experience needed. The agent fee is 3000 and covers your visa.",
    "Assistant role, 600 weekly. One-time training fee, then you start.",
])
def test_a_fee_named_as_such_in_english_is_a_fee(text):
    assert "fee.upfront" in rules(UpfrontFee(), text)


@pytest.mark.parametrize("text", [
    "Typing job from home, daily pay, free training, no fee at all",  # negated
    "Data entry job, $25/hr, paid weekly, we cover all costs",  # no fee named
])
def test_a_job_without_a_named_fee_has_none(text):
    assert "fee.upfront" not in rules(UpfrontFee(), text)


@pytest.mark.parametrize("text", [
    "打字员日结，无需交押金，不收任何费用",
    "Typing job, no fees, no deposit",
])
def test_a_negated_fee_is_no_fee(text):
    assert not rules(UpfrontFee(), text)


@pytest.mark.parametrize("detector", [MoneyOffer(), ContactCta(), Urgency(), LowEffort(), UpfrontFee()])
def test_cues_stay_silent_without_a_topic(detector):
    # a restaurant paying daily, a friend's handle, "limited" seats: nothing for a support cue to support
    assert detector.detect(ctx("今晚聚餐，人均120元，名额有限，先到先得，加我 friend_2024 私聊")) == []
