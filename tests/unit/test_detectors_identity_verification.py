"""Identity verification: paid help for strangers' verification; family and official checks left alone."""
from __future__ import annotations

import pytest

from tests.unit.detector_helpers import ctx, labels
from workers.core.detectors.identity_verification import LABEL, IdentityVerification


@pytest.mark.parametrize("text", [
    "好友辅助验证兼职，注册半年以上的号可做，单价50元，联系QQ：864209753",
    "辅 助 验 证 ， 一 次 五 十 ， 日 结 ， 私 聊",
    "你好，我微信号被限制了，能帮我辅助验证一下吗？就扫个码，我给你发个50的红包感谢",
    "帮人过人脸识别，对着摄像头点点头就行，一次给你一百，要的私我",
    "Help unlock WeChat accounts — ¥50 each scan, DM for info",
    "你的身份證可以幫別人實名，一次就賺５００，很多大學生都在做",
    # a stranger's form of address is no kin; mothers as an audience ("宝妈们") are no family
    "hi 姐姐 sorry 打扰，我 WeChat 被 ban 了，需要老 friend 帮我辅助验证一下，给你发50红包",
    "宝妈们有空的帮忙做个人脸认证，就是拿手机对着脸拍一下，一次给80，不用出门",
])
def test_paid_verification_is_caught(text):
    assert sum(f.weight for f in IdentityVerification().detect(ctx(text)) if f.label == LABEL) >= 0.4
    assert LABEL in labels(text)


@pytest.mark.parametrize("text", [
    "老婆，我微信被限制登录了，说要辅助验证，你打开微信扫一下我手机上这个二维码就行",
    "家族群通知：奶奶的微信被冻结了，说要两个好友辅助解封，二叔或者小姑谁再帮一下？",
    "儿子，帮妈妈做一下微信的好友辅助验证好吗",
    "千万不要帮陌生人辅助验证！有人说给你20红包，帮了之后你也会被连带封号",
    "爸爸的手机银行需要重新做实名认证，我在旁边看着他弄的，就是官方APP的流程",
    "Can someone help me scan this QR code to join the parents group?",
    "姐姐，我微信被限制了，要好友辅助验证，你回家帮我扫一下码",  # a sister, no pay, no stranger's introduction
])
def test_family_official_and_warnings_are_allowed(text):
    assert LABEL not in labels(text)


def test_a_verified_account_for_sale_is_rental_not_verification():
    assert LABEL not in labels("We buy verified WeChat accounts — real-name + bank card linked = ¥400")
