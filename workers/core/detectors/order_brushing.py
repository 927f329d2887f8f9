"""Order brushing: fake orders, likes, follows or reviews as paid "tasks", cash-back and "double return".

Brushing jargon ("刷单", "补单", "垫付任务", "double return") is strong on its own; an engagement action (like,
follow, review, add to cart) with pay in the same clause is strong, buy-review-refund is strong, a task
hall is medium; an action alone is weak (people like their friends' posts for free).
"""
from __future__ import annotations

from workers.core.detectors.base import Context, Lexicon, emit, near
from workers.core.detectors.lexicon import PAY_WORDS, pay_spans
from workers.core.detectors.kinds import TopicDetector
from workers.core.findings import Finding

NAME = "order_brushing"
LABEL = "recruitment_scam.order_brushing"

LEX = Lexicon({
    "jargon": (
        "刷单|补单|拍单员|拍单|刷好评|刷信誉|刷销量|冲销量|刷流水|单单返|返佣|高佣|做单|垫付任务|垫付返|垫付单|返本|"
        "本金[^，。！？!?\\n]{0,6}(?:退|返|佣金|return|refund)|order brushing|brushing orders?|brush(?:ing)? (?:job|task)"
    ),
    "double": (
        "双倍返|返双倍|返你本金|返本金|本金\\+|佣金翻倍|double return|double cash ?back|prepaid task|prepay task|"
        "prepa(?:y|id) [¥$]|(?:deposit|prepay) ?[¥$]?\\d{1,6}[^.!?\\n]{0,20}(?:withdraw|return|back|get)|"
        "\\d{2,6}+返\\d{2,6}"
    ),
    "task": (
        "任务大厅|任务群|任务平台|任务员|做任务|领任务|任务通知|(?:点赞|关注|评论|收藏|加购|好评|评价)[^，。！？!?\\n]{0,2}任务|"
        "(?:online|daily|easy|vip|rating|review|like|follow|check-in) tasks?|task (?:room|hub|group)|tasks? #?\\d"
    ),
    "action": (
        "点赞|点个赞|按赞|关注|追踪|收藏|加购|评论|好评|五星|5星|评价|打分|砍一刀|帮砍|投票|一个任务|每个任务|任务单价|"
        # "like" before an amount is the hedge ("it was like $30"), not the action ("like 5 posts")
        "likes\\b|like\\b(?! ?[¥$£€]| ?\\d+(?:\\.\\d+)? ?(?:bucks|dollars|usd|sgd|hkd|rmb|rm\\b|k\\b|块|元))|"
        "follows?\\b|follow-for|subscribe|tasks?\\b|"
        "reviews?\\b|ratings?\\b|5 ?star|5-star|five star|rate\\b"
    ),
    "object": "vids|videos?|posts\\b|accounts?\\b|pages?\\b|shops?\\b|products?|hotels?|restaurants?|sellers?|items?",
    "buy": "buy\\b|下单|购买|拍下",
    "refund": "refund|退款|返款|返现|全额退|cash ?back|返还本金",
    # "full refund + $10 commission", "全额退款及红包"
    "refund_plus": (
        "refund[^.!?\\n]{0,6}(?:\\+|plus)[^.!?\\n]{0,8}(?:[¥$]|\\d|commission)|"
        "退款[^，。！？!?\\n]{0,4}(?:及|和|\\+|再给)[^，。！？!?\\n]{0,6}(?:佣金|红包)"
    ),
    "prepay": "垫付|垫资|翻倍|先充值|充值\\d",
    "pay_word": PAY_WORDS + "|for money|for cash|4 cash|提现|到账",
}, triggers=("jargon", "double", "task", "action", "prepay"))


class OrderBrushing(TopicDetector):
    name = NAME
    lexicon = LEX

    def find(self, ctx: Context) -> list[Finding]:
        text = ctx.norm.text
        hits = LEX.hits(ctx)
        out: list[Finding] = []

        def add(rule: str, weight: float, span: tuple[int, int]) -> None:
            out.append(emit(NAME, ctx, f"order_brushing.{rule}", LABEL, weight, span))

        for rule in ("jargon", "double"):
            if rule in hits:
                add(rule, 0.5, hits[rule][0])
        action = hits.get("action")
        if action:
            span = near(text, action, hits.get("pay_word", []) + pay_spans(ctx), 20)
            if span:
                add("task_for_pay", 0.5, span)
            elif ("buy" in hits and "refund" in hits) or "refund_plus" in hits:
                add("buy_review_refund", 0.5, action[0])
        if "task" in hits:
            add("task", 0.35, hits["task"][0])
        elif action and near(text, action, hits.get("object"), 20):
            add("engagement_task", 0.35, action[0])
        if "prepay" in hits:
            add("prepay", 0.25, hits["prepay"][0])
        if not out and action:
            add("engagement", 0.15, action[0])
        return out
