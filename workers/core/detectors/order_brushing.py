"""Order brushing: paid fake orders, likes, follows or reviews as "tasks", cash-back and "double return"."""
from __future__ import annotations

from workers.core.detectors.base import Context, match_rules, rule
from workers.core.findings import Finding

NAME = "order_brushing"
LABEL = "recruitment_scam.order_brushing"
RULES = (
    rule("order_brushing.brush", r"刷单|刷好评|刷信誉|补单|垫付", 0.6, LABEL),
    rule("order_brushing.like_follow_task", r"(?:点赞|关注|评论)[^。！!？?\n]{0,8}(?:\d+元|\d+块|一单|佣金|日结)", 0.55, LABEL),
    rule("order_brushing.double_return", r"双倍返|返双倍|本金[+加]佣金|double (?:cash ?back|return)", 0.6, LABEL),
    rule("order_brushing.en", r"(?:like|follow|review)s? (?:videos?|products?|tasks?)[^.!?\n]{0,30}\$\d+", 0.55, LABEL),
)


class OrderBrushing:
    name = NAME

    def detect(self, ctx: Context) -> list[Finding]:
        return match_rules(NAME, RULES, ctx)
