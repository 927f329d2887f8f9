"""Recruitment into paid posting: money for posting ads in Moments or groups, forwarding ads."""
from __future__ import annotations

from workers.core.detectors.base import Context, match_rules, rule
from workers.core.findings import Finding

NAME = "paid_posting"
LABEL = "recruitment_scam.paid_posting"
RULES = (
    rule("paid_posting.post_for_pay", r"(?:帮|代)?发(?:朋友圈|圈|广告|群)[^。！!？?\n]{0,12}(?:\d+|赚|元|块|日结)", 0.6, LABEL),
    rule("paid_posting.forward_for_pay", r"转发[^。！!？?\n]{0,10}(?:赚|\d+元|\d+块|日结|佣金)", 0.5, LABEL),
    rule("paid_posting.en", r"(?:post|share) (?:ads?|our ads?)[^.!?\n]{0,30}(?:\$|earn|paid)", 0.6, LABEL),
)


class PaidPosting:
    name = NAME

    def detect(self, ctx: Context) -> list[Finding]:
        return match_rules(NAME, RULES, ctx)
