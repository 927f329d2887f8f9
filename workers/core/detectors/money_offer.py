"""Money offered for little effort: a rate per task or per day, daily settlement, income claims, rewards.

Label-less support: it raises a label that a topic detector found, never creates one (restaurants pay
wages too, and families send red packets).
"""
from __future__ import annotations

from workers.core.detectors.base import Context, Hits, Lexicon, emit
from workers.core.detectors.lexicon import AMOUNT, MONEY, money
from workers.core.detectors.kinds import CueDetector
from workers.core.findings import Finding

NAME = "money_offer"
_G = "[^，。！？!?\\n]"
LEX = Lexicon({
    # settled the same day
    "daily_pay": (
        f"日结|当天结|当日结|秒结|现结|即结|当场结|当面结|单单结|一单一结|每日结算|每晚{_G}{{0,4}}结算|日薪|日赚|日入|秒到账|秒付|"
        "即时到账|当天提现|提现|daily pay|paid daily|pay daily|daily payout|payout|instant withdraw|instantly|withdraw anytime|"
        "cash out|fast pay|paid every|same day"
    ),
    # "月入过万", "躺赚", "easy money", "make quick money"
    "income_claim": (
        "月入|年入|躺赚|轻松赚|赚钱|赚点|赚零花|零花钱|外快|来钱快|多劳多得|收入稳定|被动收入|passive income|side income|"
        "side hustle|easy money|easy cash|quick money|quick cash|make money|earn|get paid|we pay|i pay|pay you|"
        "pay u\\b|paying"
    ),
    "reward": (
        f"佣金|提成|返利|返现|报酬|辛苦费|酬劳|奖励|到账|提现成功|(?:给你|发你|领|送|转你?){_G}{{0,6}}红包|"
        f"(?:给你|付你|转你|给|拿){_G}{{0,2}}(?:{MONEY}|{AMOUNT})|(?:一|每)天{_G}{{0,5}}(?:{MONEY}|{AMOUNT})|"
        "commission|rebate|bonus|cash ?back|made \\$?\\d"
    ),
}, triggers=())
WEIGHTS = {"rate": 0.2, "daily_pay": 0.2, "income_claim": 0.15, "reward": 0.1, "money": 0.1}


class MoneyOffer(CueDetector):
    name = NAME
    lexicon = LEX
    needs_hits = False  # amounts are found apart from the lexicon (money())

    def find(self, ctx: Context, hits: Hits) -> list[Finding]:
        found = money(ctx)
        out = [emit(NAME, ctx, f"money.{r}", None, WEIGHTS[r], spans[0]) for r, spans in hits.items()]
        for r in ("rate", "money"):
            if found.get(r):
                out.append(emit(NAME, ctx, f"money.{r}", None, WEIGHTS[r], found[r][0]))
        return out
