"""A low-effort task and risk-free reassurance: "手机就能做", "动动手指", "不用出门", "no experience",
"零风险", "不会封号", "100% legit". Label-less support."""
from __future__ import annotations

from workers.core.detectors.base import Context, Hits, Lexicon
from workers.core.detectors.kinds import CueDetector
from workers.core.findings import Finding

NAME = "low_effort"
LEX = Lexicon({
    "easy_task": (
        "手机就能|手机就行|一部手机|动动手指|只需|只要|就行|简单|轻松|不用出门|不用坐班|不用打卡|不用上班|不用你管|无需经验|"
        "无需出门|无需任何|零基础|零门槛|无门槛|不限时间|不限学历|几分钟|一秒钟|躺着|在家|学生党|宝妈|no experience|no exp\\b|"
        "no skills|from home|zero effort|easy|simple|just need|just post|just like|just scan|takes \\d{1,2} ?min|"
        "students|remote"
    ),
    "no_risk": (
        "零风险|无风险|不会封号|不会被封|安全靠谱|绝对安全|完全合法|放心|不骗|不是骗|真实有效|正规|no risk|not a scam|legit|"
        "le9it|safe\\b|trust me"
    ),
}, triggers=())


class LowEffort(CueDetector):
    name = NAME
    lexicon = LEX

    def find(self, ctx: Context, hits: Hits) -> list[Finding]:
        return self.each_class(ctx, hits, "effort", 0.1)
