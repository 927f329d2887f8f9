"""Recruitment into paid posting: money for posting or forwarding ads in Moments, groups or other feeds.

A posting task ("帮发朋友圈", "转发广告", "post our ads") with pay in the same clause is strong; a posting
role ("转发员", "推广员") or task with a per-post rate or daily settlement elsewhere in the message is strong
too. A bare task is weak: families forward school notices and bands ask friends to share their gig.
"""
from __future__ import annotations

from workers.core.detectors.base import Context, Lexicon, emit, near
from workers.core.detectors.lexicon import PAY_WORDS, money, pay_spans
from workers.core.detectors.kinds import TopicDetector
from workers.core.findings import Finding

NAME = "paid_posting"
_WAGE_UNITS = ("天", "day", "月", "month", "hour", "小时", "week")
LABEL = "recruitment_scam.paid_posting"

LEX = Lexicon({
    "task": (
        "转发|代发|帮发|帮忙发|帮我发|群发广告|群发消息|群发链接|发圈|发发圈|发个圈|发朋友圈|发个朋友圈|发一条朋友圈|发群|"
        "刷屏|发[^，。！？!?\\n]{0,4}(?:广告|动态|文案|链接|贴文)|(?:发|转)[^，。！？!?\\n]{0,6}到[^，。！？!?\\n]{0,10}"
        "(?:群|朋友圈|空间|timeline|ig|脸书)|同步到[^，。！？!?\\n]{0,4}朋友圈|发布[^，。！？!?\\n]{0,4}(?:内容|文案|广告)|"
        "朋友圈(?:每天|天天)?发(?:几|一|两|三|\\d)条|群里(?:每天|天天)?发(?:几|一|两|三|\\d)?条|群里发(?:广告|链接|文案)|"
        "朋友圈推广(?!员)|群推广|社群推广|分享到[^，。！？!?\\n]{0,10}(?:群|朋友圈)|"
        # English: the verb with what is posted ("post our ads", "share links in groups", "forward it")
        "(?:re-?post|post|share|shar|forward|paste|pasting|pasted)(?:ing|ed|es|s|e)?[^.!?\n]{0,25}(?:ads?\\b|广告|promo|posts?\\b|content|"
        "links?\\b|msg|message|giveaway|moments?|timeline|groups?\\b|it\\b|status|stor(?:y|ies)\\b|feed\\b|wall\\b)|"
        "posting job|posting gig|paid posting"
    ),
    "role": "发圈员|转发员|代发员|推广员|转发大使|分享员|社群分享|poster\\b|brand ambassador|广告位",
    "pay_word": PAY_WORDS + "|赚钱|按条|按天|get ¥",
    "settle": "日结|当天结|周结|月结|按条|按天算|每日结算|每晚|daily pay|paid daily|pay daily|payout|payment same day",
}, triggers=("task", "role"))


class PaidPosting(TopicDetector):
    name = NAME
    lexicon = LEX

    def find(self, ctx: Context) -> list[Finding]:
        text = ctx.norm.text
        hits = LEX.hits(ctx)
        task, role = hits.get("task"), hits.get("role")
        if not task and not role:
            return []
        out: list[Finding] = []
        pays = hits.get("pay_word", []) + pay_spans(ctx)
        text_rates = [text[s:e] for s, e in money(ctx).get("rate", ())]
        # a per-post rate or a settlement (a daily wage is no posting rate)
        rated = bool(hits.get("settle")) or any(not any(u in r for u in _WAGE_UNITS) for r in text_rates)
        span = near(text, task, pays, 16)
        if span:
            out.append(emit(NAME, ctx, "paid_posting.post_for_pay", LABEL, 0.55, span))
        if role:
            out.append(emit(NAME, ctx, "paid_posting.posting_role", LABEL, 0.45 if rated else 0.25, role[0]))
        if task and not span:
            out.append(emit(NAME, ctx, "paid_posting.posting_task", LABEL, 0.4 if rated else 0.2, task[0]))
        return out
