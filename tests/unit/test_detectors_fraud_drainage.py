"""Fraud drainage: investment teachers, red-packet groups, loans, gambling, fake prizes; real life left alone."""
from __future__ import annotations

import pytest

from tests.unit.detector_helpers import ctx, labels
from workers.core.detectors.fraud_drainage import LABEL, FraudDrainage


@pytest.mark.parametrize("text", [
    "股票老师免费带单 每天3-5个涨停板 加微信进VIP群 zhaolaoshi_888",
    "百\u200b家\u200b乐 龙\u200b虎\u200b斗 真\u200b人 在\u200b线 首\u200b充 送 50%",
    "网贷逾期？征信花了？不看流水 不看负债 当天下款 联系专员",
    "恭喜您 在本平台周年庆活动中抽中二等奖 现金8888元 请添加客服微信领取 过期作废",
    "Congratulations!! You've been selected to win an iPhone 15 Pro, claim within 24h → bit.ly/win-ip15x",
    "hey stranger, got a quick way to double your money this week, no joke. interested?",
    "进群抢红包，每天不定时发，群满即止，群号看我朋友圈",
    # "fund recovery": the second fraud on the same victims, its talk of scams no warning
    "Lost money to a crypto scam? Our certified recovery agents got back $2.3M for clients. Contact Agent Mark on WhatsApp",
    "被詐騙的錢可以追回來！專業律師團隊，先追回後收費，不成功不收費，加Line：zhuihui66",
])
def test_drainage_is_caught(text):
    assert sum(f.weight for f in FraudDrainage().detect(ctx(text)) if f.label == LABEL) >= 0.3
    assert LABEL in labels(text)


@pytest.mark.parametrize("text", [
    "卧槽我们宿舍合买的双色球中了五等奖！！10块钱！！",
    "房贷下来了！工商银行批了，30年等额本息，利率3.5%",
    "Congrats to Sarah for winning our book club raffle, the prize is a $50 bookstore gift card",
    "昨天看了个纪录片讲澳门赌场的历史，挺有意思的",
    "有人在群里发“跟着老师买币，一周翻倍”，我叔叔已经投了2万，这还能要回来吗？",
    "我们家族群今年除夕抢红包，外婆一个人包了二十个",
    "PSA: people DMing members as a 'recovery agency' that will get back crypto lost to scams are scammers too. Don't reply",
    "凡是说“帮你把被骗的钱追回来”“律师团队代追回损失”的，都是二次诈骗！真正要追回只能报警",
])
def test_everyday_money_talk_and_questions_are_allowed(text):
    assert LABEL not in labels(text)
