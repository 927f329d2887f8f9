"""Identity checks among family and people one knows, or in an official process (bank, school, pension
app): a mother asking her son to help verify her account is not a paid verification scam.

Emits negative findings for the identity-verification label only. Not from a cue right after a negation ("不用你
银行卡" names no bank), and no kin from someone introducing themselves as a stranger ("hi 姐姐 sorry 打扰", "我是你
同学的朋友"): "姐姐" and "auntie" are then forms of address. "宝妈" (mothers as an audience) is no kin either.
"""
from __future__ import annotations

from workers.core.detectors.base import Context, Lexicon, emit
from workers.core.detectors.identity_verification import LEX as VERIFY_LEX
from workers.core.detectors.lexicon import KIN, negated
from workers.core.findings import Finding

NAME = "family_context"
LABEL = "recruitment_scam.identity_verification"
LEX = Lexicon({
    "kin": KIN,
    "known_person": (
        "当面(?![结付交])|认识的|认识并|认识多年|认识[一二三四五六七八九十几]年|认识\\d{1,2}年|打我电话|先打|call you|"
        "calls you|know you"
    ),
    "official_process": (
        "银行|营业厅|社保|医保|健保|官方|12306|学校|年审|健康码|政务|公安局|bank\\b|pension|kyc\\b|official|school|"
        "government|tenant|credit union"
    ),
    # a stranger introducing themselves ("我是你同学的朋友", "sorry 打扰", "刚在群里看到您"): "姐姐", "auntie" are
    # then forms of address, not kin
    "stranger": (
        "打扰|冒昧|我是[^，。！？!?\\n]{0,10}的朋友|我系[^，。！？!?\\n]{0,10}嘅朋友|群里看到|"
        "sorry to bother|sorry to disturb|friend of your|friend of a friend|you don't know me|saw you in the group"
    ),
}, triggers=())
WEIGHTS = {"kin": -0.3, "known_person": -0.2, "official_process": -0.2}


class FamilyContext:
    name = NAME
    topical = True
    requires = (VERIFY_LEX,)  # nothing to say without its trigger
    requires_hits = (LEX,)

    def detect(self, ctx: Context) -> list[Finding]:
        if not VERIFY_LEX.triggered(ctx):
            return []
        hits = LEX.hits(ctx)
        text = ctx.norm.text
        out = []
        for cue, weight in WEIGHTS.items():
            if cue == "kin" and "stranger" in hits:
                continue
            spans = [s for s in hits.get(cue, ()) if not negated(text, s[0])]  # "不用你银行卡" is no bank
            if spans:
                out.append(emit(NAME, ctx, f"context.{cue}", LABEL, weight, spans[0]))
        return out
