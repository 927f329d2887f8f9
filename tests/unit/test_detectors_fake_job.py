"""Fake jobs: overseas "customer service", paid typing, fee-first jobs, easy daily pay; real employers left alone."""
from __future__ import annotations

import pytest

from tests.unit.detector_helpers import ctx, labels
from workers.core.detectors.fake_job import LABEL, FakeJob


@pytest.mark.parametrize("text", [
    "高薪急聘 柬埔寨客服 月薪２万＋ 包吃包住 包机票 不需要经验 会打字就行",
    "打\u200b字\u200b员\u200b招\u200b聘\u200b，\u200b日\u200b结\u200b２\u200b０\u200b０",
    "在家手工活外发，串珠子，计件结算，每月三四千，需先交押金500拿材料",
    "Remote data entry job, $400/week, no experience, small registration fee of $35 required",
    "日結job 不需經驗 不需學歷 日薪¥５００ 報名費¥５０",
    "Come work in Cambodia as online CS, salary $3000, flight paid, no interview",
])
def test_fake_jobs_are_caught(text):
    assert sum(f.weight for f in FakeJob().detect(ctx(text)) if f.label == LABEL) >= 0.35
    assert LABEL in labels(text)


@pytest.mark.parametrize("text", [
    "【招聘】老街口川菜馆招服务员2名，月薪4500+提成，包两餐，有意者请到店面试：和平路88号",
    "搬家公司招跟车师傅两名，有力气就行，日结250，公司在城北货运市场",
    "Part-time warehouse help, $18/hr, apply at the front office, 1200 Industrial Pkwy. No fees, no experience needed.",
    "我表哥在迪拜工作，公司正规的，过年回来了",
    "朋友們小心，有人在群組裡發「高薪誠聘打字員，在家工作，日結500」，要你先交押金，根本是騙局",
    "Reuters: 200 people rescued after being lured by fake high-paying customer service jobs abroad",
])
def test_real_employers_and_reports_are_allowed(text):
    assert LABEL not in labels(text)


def test_a_reviewed_resume_is_no_review_task():
    # "review" guards the subtypes that pay for reviews (order brushing); "we reviewed your resume" is none
    found = FakeJob().detect(ctx("Hi, we reviewed your resume and you are shortlisted for a remote assistant position "
                                 "from home, $800/week."))
    assert [f.rule_id for f in found] == ["fake_job.easy_money_job"]
    assert FakeJob().detect(ctx("Remote job from home: write 5 reviews a day on Amazon, $300/week.")) == []
