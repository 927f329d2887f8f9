"""A real employer: a workplace one can walk into, an interview, social insurance, hourly wages, an official
application channel. Lowers the job-scam labels only (fake job, paid posting), and only with a workplace:
hourly pay or "insurance" alone is no employer."""
from __future__ import annotations

from workers.core.detectors.base import Context, Lexicon, emit
from workers.core.detectors.fake_job import LEX as JOB_LEX
from workers.core.detectors.lexicon import negated
from workers.core.findings import Finding

NAME = "employer_context"
LABELS = ("recruitment_scam.fake_job", "recruitment_scam.paid_posting")
LEX = Lexicon({
    "workplace": (
        "地址|到店|来店|店里|门店|店面|门市|营业执照|办学许可|路\\d{1,4}号|街\\d{1,4}号|[一二三四五六七八九]楼|\\d{1,2}楼|广场|商场|"
        "警卫室|服务台|面试(?<!无需面试)(?<!不用面试)|面谈|人社局|rd\\b|st\\b|pkwy|road\\b|street|ave\\b|walk in|come by|"
        "interview|apply at|apply through|apply on|careers page|careers site|career page|official 流程|official process|"
        "w-2|resume|简历|cv\\b|references"
    ),
    "benefits": "社保|五险一金|劳健保|保险|月休|轮休|包两餐|时薪|有培训|带薪|insurance|benefits|hourly|/hr\\b|per hour|/hour|/ hour",
}, triggers=())


class EmployerContext:
    name = NAME
    topical = True
    requires = (JOB_LEX,)  # nothing to say without its trigger
    requires_hits = (LEX,)

    def detect(self, ctx: Context) -> list[Finding]:
        if not JOB_LEX.triggered(ctx):
            return []
        hits = LEX.hits(ctx)
        text = ctx.norm.text
        workplace = [s for s in hits.get("workplace", ()) if not negated(text, s[0])]
        if not workplace:
            return []
        out = [emit(NAME, ctx, "context.workplace", label, -0.25, workplace[0]) for label in LABELS]
        if "benefits" in hits:
            out += [emit(NAME, ctx, "context.benefits", label, -0.15, hits["benefits"][0]) for label in LABELS]
        return out
