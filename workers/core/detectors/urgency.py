"""Urgency and scarcity: "名额有限", "限前100名", "急招", "今天最后一期", "limited slots", "last chance".
Label-less support."""
from __future__ import annotations

from workers.core.detectors.base import Context, Hits, Lexicon
from workers.core.detectors.kinds import CueDetector
from workers.core.findings import Finding

NAME = "urgency"
_G = "[^，。！？!?\\n]"
LEX = Lexicon({
    "scarcity": (
        f"名额{_G}{{0,3}}(?:有限|不多|只剩|仅剩)|仅剩|只剩|就剩|剩{_G}{{0,2}}(?:几|最后)|限前|限时|限量|最后一期|错过|过期作废|急招|急聘|"
        "急收|急需|急用|速来|抓紧|手慢无|群满即止|今日only|今天最后|今天报名|limited slots|limited time|limited spots|"
        "last chance|hurry|today only|act now|urgent|rn\\b|before i run out|within \\d{1,2} ?(?:h|hours|min)\\b|"
        "only \\d{1,3} (?:left|spots)"
    ),
}, triggers=())


class Urgency(CueDetector):
    name = NAME
    lexicon = LEX

    def find(self, ctx: Context, hits: Hits) -> list[Finding]:
        return self.each_class(ctx, hits, "urgency", 0.1)
