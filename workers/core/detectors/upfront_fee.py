"""An upfront fee or deposit asked before earning: "先交押金", "保证金200", "$29 onboarding fee",
"pay ¥50 membership". Negations ("不收费", "无需押金", "no fees") do not count. Label-less support."""
from __future__ import annotations

from workers.core.detectors.base import Context, Hits, Lexicon, emit
from workers.core.detectors.lexicon import FEE, negated
from workers.core.detectors.kinds import CueDetector
from workers.core.findings import Finding

NAME = "upfront_fee"
LEX = Lexicon({"fee": FEE}, triggers=())


class UpfrontFee(CueDetector):
    name = NAME
    lexicon = LEX

    def find(self, ctx: Context, hits: Hits) -> list[Finding]:
        text = ctx.norm.text
        for s, e in hits.get("fee", ()):
            if not negated(text, s):
                return [emit(NAME, ctx, "fee.upfront", None, 0.2, (s, e))]
        return []
