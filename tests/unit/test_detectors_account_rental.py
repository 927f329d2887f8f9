"""Account rental: buying, renting or "borrowing" accounts; warnings, news and questions left alone."""
from __future__ import annotations

import pytest

from tests.unit.detector_helpers import ctx, labels
from workers.core.detectors.account_rental import LABEL, AccountRental


@pytest.mark.parametrize("text", [
    "高价收购闲置微信号，注册满一年，一个号最高收300元，秒结",
    "收\u200b微\u200b号，零钱包实名的一个200",
    "你的QQ号还在用吗？不用的话可以租给我们，每天给你50，不会封号",
    "家里老人的微信不用的也可以拿来，我们只挂机，一天给六十",
    "Rent your WhatsApp / WeChat for 24h, earn $15. We just need the login code.",
    "anyone got spare QQ accounts? paying 20 each",
    "長期收號 微信/QQ/抖音 閒置帳號都收，當天結款",
    "Hey, can we borrow your account for a few days? It's for customer service replies only. $20 a day, returned after.",
    "We are leasing personal LinkedIn profiles for outreach. $300/month per profile, you keep ownership.",
    # bank cards, SIM cards and e-wallets (money mules), and platforms' accounts with "your/idle"
    "谁有不用的银行卡借我走几天账，一天给你五百，卡还在你手上",
    "收 GCash 的 e-wallet 户口，verified 的一个 ₱2,500，私我",
    "你那个闲置的闲鱼号借我卖两周东西，每周给你一百",
    "yo ur old Deliveroo acc still active? my mate wants to rent it, 120 a week",
])
def test_account_trades_are_caught(text):
    assert sum(f.weight for f in AccountRental().detect(ctx(text)) if f.label == LABEL) >= 0.35
    assert LABEL in labels(text)


@pytest.mark.parametrize("text", [
    "妈，以后谁找你说“租你微信号一天给80”都别理，那是拿去诈骗用的",
    "最高法发布典型案例：被告人以每个300元的价格收购微信账号并转卖，被判处有期徒刑一年",
    "有人让我租微信号给他，一天给80，这是不是骗局？",
    "我把 Netflix 账号密码改了，新的发你了",
    "我把闲置的旧手机号注销了，提醒大家不用的号记得销户",
    "你那个 iPad 还用吗？我妈想看剧，借她两周行不行",
    "New guild rules: be kind, no selling accounts, no boosting. Raids every Friday 9pm, DM me to join",
    "本群只交流攻略，不收号不卖号，想组队的私聊群主",
    "Our car lease ends in March, thinking of leasing a hybrid next. Any profiles of good dealers?",
    "Selling my old camera lenses on Shopee and Carousell, DM if you want the links",
    "老婆，我那张招行的银行卡放你包里了，明天你帮我去柜台激活一下",
    "Reminder from the bank: never lend your bank card or share your OTP, even with friends",
])
def test_warnings_news_questions_and_chat_are_allowed(text):
    assert LABEL not in labels(text)
