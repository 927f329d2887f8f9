"""Paid help for strangers' identity checks: friend verification, QR scans to unblock or register accounts,
face or real-name verification with one's own ID, receiving their verification codes.

Verification itself is everyday (a mother asking her son, a bank's annual check): only pay, a rate or
recruiting around it makes the label; a bare mention is weak evidence. A verified account offered for sale
is the account-rental trade, not this.
"""
from __future__ import annotations

from workers.core.detectors.base import Context, Lexicon, emit, near
from workers.core.detectors.lexicon import PAY_WORDS, pay_spans
from workers.core.detectors.kinds import TopicDetector
from workers.core.findings import Finding

NAME = "identity_verification"
LABEL = "recruitment_scam.identity_verification"

LEX = Lexicon({
    # the act of verifying for someone; "实名号" (a verified account for sale) is not it
    "verify": (
        "辅助验证|辅助解封|辅助注册|辅助认证|辅助解冻|辅助|好友验证|解封|解冻|解除限制|人脸识别|人脸验证|人脸认证|人脸|刷脸|"
        "过人脸|脸部识别|实名认证|实名验证|帮[^，。！？!?\\n]{0,3}实名|替[^，。！？!?\\n]{0,3}实名|代[^，。！？!?\\n]{0,3}实名|"
        "实名代认|代认|代验|认证|验证(?!码)|收验证码|verify|verification|verifier|"
        "(?:帮忙?|help|微信|wechat|qq) ?(?:unlock|unblock|unban|unfreeze)|"
        "(?:unlock|unblock|unban|unfreeze)[a-z]{0,3}[^.!?\\n]{0,15}(?:accounts?|wechat|微信|qq|号|help|specialist)|"
        "face (?:scan|verif|recognition|id)|real-?name|receive (?:the )?(?:code|otp)|login code|otp\\b|vouch"
    ),
    # scanning a QR code for someone (not "扫码进群", scanning to join a group)
    "scan": "扫(?:个|一下|一个|下)?码(?![进加入领关下购支付])|扫一下|scan (?:a |the )?qr|scan\\b|scanning (?:my|the|this|a) (?:qr|code)|qr code",
    "recruit": (
        "兼职|招(?!呼)|接单|派单|单子|收人|大量|长期|做[^，。！？!?\\n]{0,4}的进来|帮陌生人|帮别人|帮人|帮新人|帮新号|帮新用户|"
        "帮客户|帮商户|帮公司|替人|陌生人|part-time|part time|side job|job\\b|helper|specialist|wanted|strangers?|"
        "new users?|new accounts?|quick cash|for cash|4 cash|unlimited|无限次|多号多得|重复做|每天都能"
    ),
    "use_id": (
        "(?:用你的?|拿你的?|借你的?|你的)(?:身份证|证件|id\\b|手机号)[^。！？!?\\n]{0,12}(?:帮|认证|实名|verify|注册|收验证码)|"
        "身份证[^。！？!?\\n]{0,6}(?:闲着|赚钱|借)"
    ),
    "pay_word": PAY_WORDS + "|就给钱|有报酬|按次付费|per time|per scan",
    "account_trade": (
        "收号|租号|(?:收|租|卖|买|收购|出租)[^，。！？!?\\n]{0,4}(?:微信|qq|号|账号|帐号)|"
        "(?:微信号?|qq号?|号|账号|帐号)[^，。！？!?\\n]{0,2}(?:出租|出售|回收|借用)|"
        "(?:rent|buy|sell)[a-z]{0,3}[^.!?\\n]{0,12}(?:accounts?|wechat|whatsapp|qq|微信)|accounts? for|"
        "for (?:[a-z-]{1,12} )?accounts"
    ),
}, triggers=("verify", "scan", "use_id"))


class IdentityVerification(TopicDetector):
    name = NAME
    lexicon = LEX

    def find(self, ctx: Context) -> list[Finding]:
        text = ctx.norm.text
        hits = LEX.hits(ctx)
        verify, scan = hits.get("verify"), hits.get("scan")
        out: list[Finding] = []

        def add(rule: str, weight: float, span: tuple[int, int]) -> None:
            out.append(emit(NAME, ctx, f"identity_verification.{rule}", LABEL, weight, span))

        act = verify or scan
        if act:
            pays = hits.get("pay_word", []) + pay_spans(ctx)
            span = near(text, verify, pays, 16) or near(text, scan, pays, 16, after=True)
            if span:
                add("verify_for_pay", 0.5, span)
            elif pays and "account_trade" not in hits:
                add("verify_with_pay", 0.45 if verify else 0.25, act[0])
            if "recruit" in hits:
                add("verify_recruit", 0.3 if out else 0.35, hits["recruit"][0])
        if "use_id" in hits:
            add("use_your_id", 0.4, hits["use_id"][0])
        if not out and act:
            add("verify", 0.15, act[0])
        return out
