"""Money offered for little effort: daily pay, per-task pay, commissions, big monthly income claims.

Emits label-less support findings: they raise the score of a label that some topic detector found,
never create one on their own (restaurants pay wages too).
"""
from __future__ import annotations

from workers.core.detectors.base import Context, match_rules, rule
from workers.core.findings import Finding

NAME = "money_offer"
RULES = (
    rule("money.daily_pay", r"日结|一单一结|当天结|秒结|现结|daily pay|paid daily|per day|/day|一天\d+", 0.2),
    rule("money.per_task", r"一单\d+|每单\d+|一条\d+|\d+元一单|\d+元/单|\d+ ?(?:元|块)一条|per (?:task|order|post)", 0.2),
    rule("money.big_income", r"月入[过上]?[万\d]|日入[过上]?[百千\d]|轻松赚|躺赚|easy money|earn \$?\d+", 0.2),
    rule("money.commission", r"佣金|返利|返现|提成|cash ?back|commission|rebate", 0.15),
)


class MoneyOffer:
    name = NAME

    def detect(self, ctx: Context) -> list[Finding]:
        return match_rules(NAME, RULES, ctx)
