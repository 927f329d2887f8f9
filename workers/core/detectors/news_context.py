"""Context that marks a message as a news report, an official notice or a court case about a scam.
Label-less, negative weight (damping)."""
from __future__ import annotations

from workers.core.detectors.base import Context, Hits, Lexicon, emit
from workers.core.detectors.kinds import CueDetector
from workers.core.findings import Finding

NAME = "news_context"
LEX = Lexicon({
    "news": (
        "据报道|报道|新闻|记者|警方|警察|公安|派出所|民警|反诈|法院|法官|判处|判决|判刑|被告|检察|立案|破获|捣毁|捣破|打掉|抓获|"
        "落网|拘留|刑拘|罚款|通报|央视|新华社|人民日报|媒体|网信办|最高法|统计|数据显示|专项行动|典型案例|以案说法|曝光|纪录片|"
        "卫生署|卫健委|药监|市场监管|刑事局|司法部|起诉|解救|犯罪|黑产|团伙|集团|有期徒刑|涉案|受害人|受害者|"
        "police|authorities|court\\b|judge|sentenced|jailed|arrested|charged|fined|regulators?|ministry|reuters|bbc|"
        "cnn|guardian|economist|straits times|morning post|reports that|according to|article|news\\b|documentary|"
        "department of justice|rescued|trafficked|victims?|indicted|prosecut|crackdown|investigation|advisory\\b"
    ),
}, triggers=())


class NewsContext(CueDetector):
    name = NAME
    lexicon = LEX
    damps_model = True

    def find(self, ctx: Context, hits: Hits) -> list[Finding]:
        spans = hits.get("news")
        if not spans:
            return []
        return [emit(NAME, ctx, "context.news", None, -0.6 if len(spans) == 1 else -0.8, spans[0])]
