"""Identity checks among family and people one knows, or in an official process (bank, school, pension
app): a mother asking her son to help verify her account is not a paid verification scam.

Emits negative findings for the identity-verification label only.
"""
from __future__ import annotations

from workers.core.detectors.base import Context, Lexicon, emit
from workers.core.detectors.identity_verification import LEX as VERIFY_LEX
from workers.core.detectors.lexicon import KIN
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
        return [emit(NAME, ctx, f"context.{r}", LABEL, WEIGHTS[r], spans[0]) for r, spans in hits.items()]
