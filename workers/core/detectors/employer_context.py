"""A real employer: a workplace one can walk into, an interview, social insurance, hourly wages, an official
application channel. Lowers the job-scam labels only (fake job, paid posting), and only with a workplace:
hourly pay or "insurance" alone is no employer.

Three things fake recruiters write are no sign of an employer, and are not taken for one:
- a fee before the work ("pay the $75 background check", 「入职前需缴纳工装费」): an employer does not charge;
  nothing is lowered then;
- a CV the person is told about rather than asked for ("we saw your resume", 「看到您的简历」, 「已通过初筛」): that
  resume or CV is no workplace cue;
- an interview held in a chat app ("interview via Telegram", "text interview", 「微信面试」): that interview is none
  (a phone, video or online interview still counts).
"""
from __future__ import annotations

from workers.core.detectors.base import Context, Lexicon, emit
from workers.core.detectors.fake_job import LEX as JOB_LEX
from workers.core.detectors.lexicon import FEE, negated
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
    "fee": (
        FEE,
        "缴纳[^。！？!?\\n]{0,10}费|交纳[^。！？!?\\n]{0,10}费|(?:需|要|先)(?:缴|交|付)[^。！？!?\\n]{0,10}费",
        "(?:you|you'll|you will|need to|must|have to|please) (?:first |also )?pay\\b",
    ),
    "cold_cv": (
        "saw your|found your|came across your|reviewed your|reviewing your|received your|your resume was|your cv was|"
        "your cv has|your resume has|看到您|看到你|收到了?您|收到了?你|您投递|你投递|您投的|你投的|您的简历|你的简历|初筛"
    ),
    "chat_interview": (
        "(?:interview|面试)[^.!?\\n，。！？]{0,20}(?:telegram|whatsapp|signal|wechat|微信|line\\b|chat)|"
        "(?:text|chat|telegram|whatsapp|signal|wechat|微信) ?(?:interview|面试)"
    ),
}, triggers=())
# the normalized text is simplified Chinese, lower case, without separators between CJK characters
_CV = ("resume", "cv", "简历")
_INTERVIEW = ("interview", "面试")


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
        if any(not negated(text, s) for s, _ in hits.get("fee", ())):
            return []
        cold, chat = "cold_cv" in hits, "chat_interview" in hits
        workplace = [(s, e) for s, e in hits.get("workplace", ()) if not negated(text, s)
                     and not (cold and text[s:e] in _CV) and not (chat and text[s:e] in _INTERVIEW)]
        if not workplace:
            return []
        out = [emit(NAME, ctx, "context.workplace", label, -0.25, workplace[0]) for label in LABELS]
        if "benefits" in hits:
            out += [emit(NAME, ctx, "context.benefits", label, -0.15, hits["benefits"][0]) for label in LABELS]
        return out
