"""Too-good-to-be-true jobs: overseas "customer service" with free flights, typing or copying for big pay,
jobs that first take a deposit or fee, "daily pay, no experience, from your phone".

A job word alone is everyday (restaurants hire too); the label needs a job together with one of the lures,
found anywhere in the message. Easy money for a task of another subtype (posting, verifying, brushing) is
left to that subtype's detector.
"""
from __future__ import annotations

from workers.core.detectors.base import Context, Lexicon, emit
from workers.core.detectors.lexicon import AMOUNT, FEE, MONEY, money, negated
from workers.core.detectors.kinds import TopicDetector
from workers.core.findings import Finding

NAME = "fake_job"
LABEL = "recruitment_scam.fake_job"

LEX = Lexicon({
    # where the trafficking compounds are, or just "abroad"
    "overseas": (
        "柬埔寨|缅甸|泰国|迪拜|西港|金边|老挝|马来西亚|菲律宾|东南亚|海外|国外|境外|边境|妙瓦底|cambodia|myanmar|thailand|"
        "bangkok|dubai|laos|sihanoukville|southeast asia|overseas|abroad|malaysia|philippines|🇰🇭|🇲🇲|🇱🇦"
    ),
    # travel and board paid by the "employer"
    "travel": (
        "包机票|机票[^，。！？!?\\n]{0,6}(?:包|出|报销|全包)|包来回|路费[^，。！？!?\\n]{0,4}(?:我们出|报销|包)|签证|"
        "护照[^，。！？!?\\n]{0,4}(?:帮|办)|free (?:flights?|visa|tickets?)|flights?[^.!?\\n]{0,15}(?:free|包|covered)|"
        "visa\\b|passport|包吃包?住|包食宿|食宿|housing"
    ),
    "recruiting": (
        "招聘|招人|招募|诚聘|急招|急聘|直招|高薪|月薪|薪资|底薪|年薪|salary|hiring|recruit|job offer|报名|面试通过|名额|"
        "过来|去国外|work in|apply"
    ),
    # low-skill work sold as well paid
    "typing": "打字|录入|抄写|校对|文字输入|copy-paste|copy paste|typing|data entry|proofread",
    # a fee or deposit before the work
    "fee": FEE,
    "easy": (
        "在家(?![族里人])|居家|手机(?:就能|就行|操作|上)|不用上班|不用出门|不用坐班|无需经验|不需要?经验|免经验|无经验|零基础|"
        "零门槛|无门槛|不限学历|不需要?学历|什么都不用会|会打字就行|唔使经验|无需面试|no experience|no exp\\b|no skills|"
        "no interview|from home|remote|每天(?:[一两二三四1-4]|\\d)个?小时|\\d (?:hours?|hrs?)(?: a| per)? day|spend \\d"
    ),
    # a wage or income, not a piece rate (piece rates are the other subtypes' business)
    "income": (
        f"日结|日薪|日赚|日入|月入|月薪|年薪|工资|底薪|salary|(?:一|每)天(?:能?赚|收入)?(?:{MONEY}|{AMOUNT})|"
        "/ ?(?:day|天|week|月|month|mo\\b)|per day|a day\\b|a week\\b|a month\\b|daily pay|monthly|/d[a@]y"
    ),
    "earn": "earn|make money|赚钱|赚",
    "other_task": (
        "转发|发圈|代发|刷单|点赞|关注|好评|收号|租号|出租|辅助|解封|扫码|验证|认证|post|repost|share|like\\b|likes|follow|reviews?\\b|reviewer|"
        "rent\\b|verif|scan"
    ),
    "job": (
        "招聘|招人|招募|招收|诚聘|诚征|急招|急聘|直招|高薪|兼职|岗位|上岗|入职|上班|工作|暑假工|暑期工|打字员|录入员|客服|"
        "手工|外发|计件|助理|代理|推广员|审核员|jobs?\\b|hiring|hire\\b|recruit|work\\b|career|part-time|part time|"
        "assistant|salary|vacanc|support|customer service|cs\\b|reps?\\b|evaluator|gig\\b"
    ),
}, triggers=("overseas", "travel", "typing", "fee", "easy", "income", "job"))


class FakeJob(TopicDetector):
    name = NAME
    lexicon = LEX

    def find(self, ctx: Context) -> list[Finding]:
        text = ctx.norm.text
        hits = LEX.hits(ctx)
        if len(hits) < 2:
            return []
        fees = [s for s in hits.get("fee", ()) if not negated(text, s[0])]
        job = "job" in hits or "typing" in hits
        income = "income" in hits
        out: list[Finding] = []

        def add(rule: str, weight: float, span: tuple[int, int]) -> None:
            out.append(emit(NAME, ctx, f"fake_job.{rule}", LABEL, weight, span))

        if "overseas" in hits:
            if "travel" in hits or income or "recruiting" in hits:
                add("overseas_job", 0.45, hits["overseas"][0])
            elif job:
                add("overseas_job", 0.2, hits["overseas"][0])
        if "travel" in hits and job:
            add("travel_paid_job", 0.25, hits["travel"][0])
        if "typing" in hits:
            m = money(ctx)
            if income or m.get("money") or m.get("rate"):
                add("typing_for_pay", 0.45, hits["typing"][0])
        if fees and (job or income):
            add("fee_first_job", 0.45, fees[0])
        if "easy" in hits and "other_task" not in hits:
            if income:
                add("easy_money_job", 0.35 if job else 0.3, hits["easy"][0])
            elif "earn" in hits and job:
                add("easy_money_job", 0.3, hits["easy"][0])
        return out
