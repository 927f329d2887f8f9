"""Recruitment into renting out, selling or "lending" accounts: "收号", "租你的微信一天80", "rent your WeChat".

Trade jargon ("收号", "出租微信号") is strong on its own (unless negated: "no selling accounts"); an account
together with a rent/buy/sell verb or a price, or handed over for "hanging" on someone's phones, anywhere in the
message, is strong; an idle or old account being turned into money is medium. A message about another task (posting, verifying) that
merely mentions accounts is left to that task's detector.
"""
from __future__ import annotations

from workers.core.detectors.base import Context, Lexicon, emit
from workers.core.detectors.lexicon import ACCOUNT_OBJ, APPS, PAY_WORDS, PLATFORMS, negated, pay_spans
from workers.core.detectors.kinds import TopicDetector
from workers.core.findings import Finding

NAME = "account_rental"
LABEL = "recruitment_scam.account_rental"

_ACC = f"(?:微信号?|v信|vx|qq号?|q号|微号|账号|帐号|号|{APPS})"
LEX = Lexicon({
    "jargon": (
        f"收号|租号|买号|卖号|(?:收|出租|租|回收|收购|借用)(?:闲置|老|旧|实名|个人)?{_ACC}|{_ACC}(?:出租|借用|回收|托管|都收|全收|我收)|"
        f"(?:rent|renting|buy|buying|sell|selling|lend|borrow|borrowing|lease|leasing)(?: [a-z-]{{1,10}}){{0,3}} "
        f"(?:{APPS}|accounts?|accts?|profiles?)\\b|"
        "account rental|accounts? for (?:cash|sale)"
    ),
    "account": (
        f"{ACCOUNT_OBJ}|(?:你的?|你那个|ur |your |闲置的?|不用的?|多余的?|old |idle |spare |aged )"
        f"(?:old |idle |spare |aged |闲置的?|不用的?)?(?:{APPS}|{PLATFORMS})|(?:{APPS}|{PLATFORMS})号?(?:不用的?|闲置|放着|没用)"
    ),
    "acquire": (
        "高价收|收购|回收|长期收|急收|都收|全收|我收|收了|租用|出租|租给|租我|租金|日租|借用|借给我|借我|卖给我|卖我|想买|"
        "托管|变现|卖不卖|卖吗|出个价|我出\\d|rent\\b|renting|rental|buy\\b|buying|sell\\b|selling|lend\\b|trade\\b|"
        "borrow\\b|borrowing|lease\\b|leasing"
    ),
    "price": (
        "价格|价位|报价|加价|价高|收价|多少钱|paying|pay more|quote\\b|each\\b|每个|一套|一年号|"
        "一个[^，。！？!?\\n]{0,2}\\d|\\d ?年号|pay \\$?\\d{1,4} for|for (?:[a-z-]{1,12} )?accounts"
    ),
    "idle": (
        "闲置|不用的|不用了|多余的|用不上|吃灰|放着|还在用吗|旧微信|旧号|旧qq|old\\b|idle|spare|aged\\b|unused|\\d ?(?:yr|years?|年)|老号"
    ),
    "hang": "挂机|挂在|扫码登录|login code|账号密码|帐号密码|password|scan[^，。！？!?\\n]{0,3}登录|scan (?:to )?log ?in",
    "other_task": (
        "转发|发圈|代发|辅助|解封|解冻|验证|认证|扫码|刷单|点赞|关注|好评|post|verify|verification|unlock|unban|"
        "unblock|scan\\b|like\\b|likes|follow|review"
    ),
    "pay_word": PAY_WORDS,
}, triggers=("jargon", "account", "hang"))


class AccountRental(TopicDetector):
    name = NAME
    lexicon = LEX

    def find(self, ctx: Context) -> list[Finding]:
        hits = LEX.hits(ctx)
        text = ctx.norm.text
        # a trade the writer rules out is no offer: "no selling accounts", "不收号"
        jargon = [s for s in hits.get("jargon", ()) if not negated(text, s[0])]
        account = hits.get("account")
        if not (jargon or account or hits.get("hang")):
            return []
        out: list[Finding] = []
        other = "other_task" in hits
        if jargon:
            out.append(emit(NAME, ctx, "account_rental.trade_jargon", LABEL, 0.5, jargon[0]))
        acquire = [s for s in hits.get("acquire", ()) if not negated(text, s[0])]
        price = hits.get("price", [])
        if account and (acquire or (price and not other)):
            weight = 0.15 if out else 0.5 if acquire and "idle" in hits else 0.45
            out.append(emit(NAME, ctx, "account_rental.account_trade", LABEL, weight, (acquire or price)[0]))
        if "hang" in hits and (account or jargon or acquire):
            out.append(emit(NAME, ctx, "account_rental.account_handover", LABEL, 0.35, hits["hang"][0]))
        if not out and account and "idle" in hits and not other:
            paid = "pay_word" in hits or pay_spans(ctx)
            out.append(emit(NAME, ctx, "account_rental.idle_account", LABEL, 0.35 if paid else 0.2, hits["idle"][0]))
        return out
