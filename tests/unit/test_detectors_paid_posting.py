"""Paid posting: money for posting or forwarding ads; disguised offers caught, everyday forwarding left alone."""
from __future__ import annotations

import pytest

from tests.unit.detector_helpers import ctx, labels
from workers.core.detectors.paid_posting import LABEL, PaidPosting


@pytest.mark.parametrize("text", [
    "帮发朋友圈一条10元，日结，加我微信 xiaomei_8899",
    "转·发·广·告·日·结 / 一·条·３·元 / 加·Ｑ：２８８７６５４３１",  # separators between characters
    "發\u200b圈\u200b賺\u200b錢，一\u200b條\u200b6\u200b塊",  # traditional, zero-width characters
    "每天帮我转发几条广告到你的群里，一个群2元，当天结",
    "Earn ¥20/day just reposting ads on your WeChat Moments, paid daily",
    "招聘发圈员，每天两条，5元/条，周结",
    "my team is looking for girls to post photos on your insta stories, $12 per story, paid daily",
    "Pls share this to your status and get ₹50 paytm cashback instantly, paid daily",
    "I send you a message, you paste it in any 10 groups you're in. 2 dollars a group, paid daily",
])
def test_paid_posting_offers_are_caught(text):
    assert sum(f.weight for f in PaidPosting().detect(ctx(text)) if f.label == LABEL) >= 0.4
    assert LABEL in labels(text)


@pytest.mark.parametrize("text", [
    "各位家长好，请大家帮忙把学校的防溺水告知书转发到朋友圈，截图发给我统计。",
    "我们乐队周六演出，门票60，帮忙转发一下朋友圈呗，转发的朋友来现场找我请你喝一杯",
    "帮朋友转发一下：他们民宿国庆需要两个帮手，包吃住，一天200，有意的联系我",
    "大家注意！有人私信说'帮发朋友圈赚钱日结'，这是诈骗，别信！",
    "央视曝光代发广告黑产链条：以发一条朋友圈赚5元为诱饵收集微信号",
    "家族群里发红包啦，快来抢",
    "Can someone paste the meeting link in the parents group? I'm driving",
])
def test_everyday_forwarding_and_warnings_are_allowed(text):
    assert LABEL not in labels(text)
