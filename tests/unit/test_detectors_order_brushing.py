"""Order brushing: paid fake engagement, cash-back and "double return" tasks."""
from __future__ import annotations

import pytest

from tests.unit.detector_helpers import ctx, labels
from workers.core.detectors.order_brushing import LABEL, OrderBrushing


@pytest.mark.parametrize("text", [
    "刷单返利，一单返佣金5%-15%，本金秒退，加微信 shuadan_001",
    "刷·单·日·结｜垫·付·返·本｜佣·金·10%",
    "关注一个抖音号给2块，点赞一个视频给1块，截图发我就结",
    "垫\u200b付\u200b返\u200b双\u200b倍 👉 1\u200b0\u200b0\u200b返\u200b2\u200b0\u200b0",
    "Boost seller ratings from home: buy, review, get refunded + 15%. WhatsApp +1 786 555 0131",
    "幫忙按讚追蹤，一個任務３元，每天可以做５０個，當天結算",
    "Get paid $5 for each 5-star review you leave on Google Maps",
    "Like 5 posts a day on IG and get paid $10, DM me to start",
])
def test_brushing_tasks_are_caught(text):
    assert sum(f.weight for f in OrderBrushing().detect(ctx(text)) if f.label == LABEL) >= 0.35
    assert LABEL in labels(text)


@pytest.mark.parametrize("text", [
    "今晚聚餐 AA，人均大概 120，我先垫付，回头大家转我就行",
    "【反诈提醒】市公安局反诈中心：近期刷单返利类诈骗高发，凡是要求先垫付资金的网络兼职，都是诈骗！",
    "室友说她在做一个点赞关注的兼职，一天能赚七八十，我要不要提醒她？",
    "帮我投个票呗，我女儿参加幼儿园绘画比赛，点进去给12号投票就行",
    "I like this cafe, the cheesecake is $8 and worth it",
    "dinner was like $45 for the two of us, just send me half whenever",
    "the tickets were like 20 bucks each, pay me back later lol",
])
def test_lookalikes_are_allowed(text):
    assert LABEL not in labels(text)
