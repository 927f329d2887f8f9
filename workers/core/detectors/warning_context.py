"""Context that marks a message as a warning, a news report or a question about a scam, not the scam itself.

Its findings carry negative weight: people quoting a scam to warn others must not be punished.
"""
from __future__ import annotations

from workers.core.detectors.base import Context, match_rules, rule
from workers.core.findings import Finding

NAME = "warning_context"
RULES = (
    rule("context.warning", r"骗子|骗局|诈骗|被骗|别信|不要信|谨防|小心|提醒|举报|scam|fraud|beware|don'?t (?:trust|fall)", -0.5),
    rule("context.news", r"警方|公安|反诈|法院|判决|记者|通报|据报道|police|arrested|court|reported", -0.5),
    rule("context.question", r"是不是骗|是真的吗|靠谱吗|可信吗|is (?:this|it) (?:a )?(?:scam|legit)", -0.4),
)


class WarningContext:
    name = NAME

    def detect(self, ctx: Context) -> list[Finding]:
        return match_rules(NAME, RULES, ctx)
