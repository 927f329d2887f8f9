"""Prostitution ads and "same-city dating" that sells services: "同城约 上门 包夜", escorts, "happy ending",
"sugar daddy", massage parlours "你懂的", a stranger's "I'm near you tonight, price in private".

Trade jargon is strong. Otherwise cues add up, each distinct one counting: sexualised ones (lonely, "约吗",
a parlour, "上门" to your home) count fully, everyday intimacy ("今晚", "一个人", "宝贝", "附近") a little and
never make the label alone; a price for company ("价格老样子", "300 for the night") confirms it.
"""
from __future__ import annotations

from workers.core.detectors.base import Context, Lexicon, emit
from workers.core.detectors.kinds import TopicDetector
from workers.core.findings import Finding

NAME = "sexual_services"
LABEL = "marketing_spam.sexual_services"
_G = "[^，。！？!?\\n]"

LEX = Lexicon({
    "jargon": (
        f"外围|楼凤|援交|约炮|约p|一夜情|包夜|全套|半套|大保健|外送茶|出台|陪睡|包养|特殊服务|加钟|找小姐|小姐{_G}{{0,2}}上门|"
        "yp\\b|yue ?pao|escorts?\\b|eskort|outcall|incall|full service|happy ending|gfe\\b|hook ?up|"
        "sugar (?:baby|daddy)|body to body|b2b massage|extra service|private shows|sex date|no strings attached|nsa\\b|"
        "av (?:style|actress)|女优"
    ),
    "sexual": (
        f"同城{_G}{{0,3}}(?:约|交友|速配|见面|妹|美女|yue)|约吗|约会吗|不约|可以约|地址我发你|发你?位置|寂寞|空虚|少妇|人妻|熟女|"
        "陪你|陪酒|陪唱|私人会所|会所|养生馆|洗浴|技师|你懂的|懂的来|懂的私|上门|开房|到你家|来我这|过去找你|小姐姐按摩|按摩的|"
        "特色项目|男士专享|高端服务|高端定制|外送服务|美女如云|佳丽|包你满意|新到一批|听话|满意再|不满意不收|照片保真|真人见面|服务很好|服务好|刚刚加你|刚加你|"
        "sexy|hot girls?|ladies\\b|naughty|lonely|massage and more|looking for (?:fun|a generous)|generous|sponsor|"
        "girlfriend for|discreet encounter|local girls|masseuse|u up\\b|hotel (?:room|visits?)|(?:ur|your) hotel|"
        "high class|no strings|just fun|can meet|available for|meetups?"
    ),
    "intimate": (
        "今晚|晚上|深夜|一个人|无聊|放松|附近|宝贝|哥哥|帅|美女|妹子|年轻|模特|空姐|大学生|学生妹|见面|照片|约会|按摩|spa\\b|"
        "酒店|新茶|快餐|一条龙|一个电话|tonight|baby\\b|cute\\b|handsome|massage|overnight|all night|whole night|"
        "near you|new in town|dear\\b|student"
    ),
    "paid_company": (
        f"(?:价格|费用|价位|价钱){_G}{{0,4}}(?:私聊|私|老样子|另外算|另算|优|美丽|可以私聊)|后面的?要?另外算|见面付款|先看照片|附照|"
        f"看照片|(?:包夜|快餐|一次|全套|半套|过夜|one time|all night|whole night){_G}{{0,2}}(?:\\d{{2,5}}|[一二三四五六七八九十百千两]{{2,4}})|"
        "\\d{2,5} ?for the (?:whole )?night|rates\\b|prices on|booking available|book via|book now|no time wasters|"
        "all pics real|no deposit|不要定金"
    ),
}, triggers=("jargon", "sexual", "paid_company"))


class SexualServices(TopicDetector):
    name = NAME
    lexicon = LEX

    def find(self, ctx: Context) -> list[Finding]:
        hits = LEX.hits(ctx)
        out: list[Finding] = []
        if "jargon" in hits:
            out.append(emit(NAME, ctx, "sexual_services.trade_jargon", LABEL, 0.5, hits["jargon"][0]))
        s, g = len(hits.get("sexual", ())), len(hits.get("intimate", ()))
        if s or g >= 2:
            w = min(0.35 + 0.1 * s if s else 0.2, 0.6, 0.2 * s + 0.1 * g)
            out.append(emit(NAME, ctx, "sexual_services.companionship", LABEL, round(w, 2),
                            hits["sexual" if s else "intimate"][0]))
        if "paid_company" in hits and (s or g >= 2 or out):
            out.append(emit(NAME, ctx, "sexual_services.paid_company", LABEL, 0.35, hits["paid_company"][0]))
        return out
