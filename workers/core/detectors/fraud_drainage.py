"""Fraud "drainage": steering people to an off-platform contact or group for investment "teachers",
red-packet groups, instant loans, gambling or fake prizes.

Illicit offers ("百家乐", "黑户秒下款", "信用卡代还", "红包群", "老师带单") are strong; an everyday topic (a
loan, a lottery, stocks, crypto) is weak and grows with each distinct topic cue and with the hooks that make
it a trap: a promise no honest offer makes ("稳赚不赔", "no credit check"), a pull to a private channel ("拉你
进群", "DM me", "invite link"), a stranger's opener ("sorry, wrong chat"). A prize is everyday (raffles, lucky
draws) until it must be claimed through a link, an agent or a small payment. "Recovering" money lost to a scam
through an agent one contacts ("our recovery experts got back $2.3M, DM me", 「被骗可以追回，加V详谈」) is the
second fraud on the same victims; warnings about it are damped by the warning context like any other.
"""
from __future__ import annotations

from workers.core.detectors.base import Context, Lexicon, emit
from workers.core.detectors.lexicon import CN_DIGITS
from workers.core.detectors.kinds import TopicDetector
from workers.core.findings import Finding

NAME = "fraud_drainage"
LABEL = "marketing_spam.fraud_drainage"
_G = "[^，。！？!?\\n]"
_NUM = f"(?:\\d{{1,6}}|[{CN_DIGITS}]{{1,4}})"

LEX = Lexicon({
    "illicit": (
        f"百家乐|龙虎斗|真人荷官|荷官|博彩|时时彩|北京赛车|幸运飞艇|网赌|网上赌场|线上赌场|在线赌场|出黑|被黑|信用卡代还|黑户|白户|"
        f"无视征信|无视联征|不看征信|不查征信|不上征信|不看流水|不看负债|红包群|抢{_G}{{0,2}}红包{_G}{{0,2}}群|"
        f"(?:进|加)群{_G}{{0,4}}(?:抢|领)红包|(?:红包|抢包){_G}{{0,2}}(?:外挂|软件|挂)|拉人有奖|内幕消息|荐股|带单|喊单|诊股|"
        f"彩票{_G}{{0,4}}(?:计划|内部|群)|"
        "牛股|baccarat|free spins|doubler\\b|airdrop"
    ),
    "topic": (
        f"牛牛|龙虎|彩票|计划群|发计划|跟着下|连红|下注|首充|返水|出款|提款|bc\\b|bo ?cai|想玩|赌场|股票老师|炒股|炒币|币圈|"
        f"虚拟币|数字货币|老师{_G}{{0,6}}(?:带|免费|不收费|一对一)|跟(?:着)?{_G}{{0,4}}(?:老师|大佬)|大佬{_G}{{0,4}}带|带你|"
        "只票|涨停|内参|选股|跟单|操盘|期货|外汇|原油|搬砖|套利|年化|证券|分析师|比特币|交易所|发财|贷款|网贷|下款|借款|"
        "小额贷|能借|可以借|也能借|征信|额度|代还|dai ?kuan|casino|slot machines?|slots that|betting|bet\\b|jackpot|"
        "play now|stock (?:picks?|tips|mentor)|free stock|(?:vip|trading|forex) signals?|signals? (?:group|channel)|"
        "forex|"
        "crypto|trading|trader|invest|analyst|mentorship|mining|btc\\b|bitcoin|eth\\b|futures|loans?\\b|cash fast"
    ),
    # a prize: everyday in raffles and lucky draws, so several prize words count as one
    "prize": (
        f"中奖|抽中|抽奖|获得{_G}{{0,6}}(?:奖|iphone|现金|回馈金)|幸运用户|幸运大转盘|幸运访客|第{_NUM}位访客|恭喜您|恭喜你|"
        "回馈金|领奖|won\\b|win (?:an?|a free)|winner|been selected|congratulations|congrats|gift card|prize|lucky draw"
    ),
    # everyday words that count half
    "weak_topic": "平台|项目|副业|理财|收益|黄金|行情|赚钱|提现|platform|reward|profit|withdrew|usdt\\b",
    # promises no honest offer makes
    "promise": (
        f"稳赚|必赢|必涨|包赚|保本|不赚不收费|亏了{_G}{{0,3}}赔|一天一倍|翻倍|翻{_NUM}倍|准确率|胜率|上岸|没有黑过|没黑过|信用不良|"
        f"黑白户|秒下款|当天下款|当天到|秒到账|秒提|提款秒|出款快|百分百出款|100 ?%? ?中奖|{_NUM} ?%{_G}{{0,6}}(?:收益|回报)|"
        f"月收益{_G}{{0,2}}{_NUM}|日收益{_G}{{0,2}}{_NUM}|年化{_G}{{0,2}}{_NUM}|guaranteed|no credit check|bad credit|"
        f"double (?:your|ur) money|{_NUM} ?% (?:returns?|daily|profit)|daily {_NUM}|get {_NUM} back|{_NUM} back by|"
        "100% legit|instant withdraw|approval in"
    ),
    "promise_weak": f"made {_NUM}|\\d{{1,3}} ?%|from \\${_NUM}|免费|不收费|free\\b|legit|doing (?:really )?well|赚了|收益截图|都涨",
    # a prize that must be claimed: a link, an agent, a small payment, personal or bank details, a deadline
    "claim": (
        f"点击|领取|请添加|客服|专员|办理|过期作废|(?:付|支付|pay){_G}{{0,4}}(?:运费|邮费)|邮费|运费|所得税|银行卡|填写地址|"
        "claim\\b|confirm your details|connect your wallet|shipping|within \\d{1,2} ?(?:h|hours)\\b|verify\\b"
    ),
    # the pull to a private channel
    "pull": (
        "进群|入群|加群|进这个群|拉你|拉您|推你|推您|群号|私聊|私你|私发|扫码|二维码|想带你|回复1|回复 1|扣1|扣666|扣 666|"
        "有兴趣|要的话|要进的话|名额|评论区|链接|连结|注册|邀请码|加我|加老师|加客服|invite link|my code|use my link|"
        "use my code|ref=|private group|want in|show u how|join\\b|click|whatsapp|telegram|wa\\b|line\\b|dm\\b|"
        "text [a-z]{1,8} to|register|link in"
    ),
    "opener": "accidentally added|wrong chat|wrong number|sorry for the random|sorry to bother|hey stranger|之前在群里",
    # "recovering" money lost to a scam, for a fee: the second fraud on the same victims
    "recovery": (
        "recover(?:y|ed|ing|s)?[^.!?\\n]{0,30}(?:funds?\\b|money|losses|crypto|bitcoin|btc\\b|usdt\\b|what you lost|"
        "your lost|lost)|(?:funds?|assets?|crypto|money|scam|bitcoin|btc) recovery|recovery (?:agents?|experts?|team|"
        "specialists?|company|services?|desk|bureau|unit|hackers?|lawyers?|firm)|get (?:your|ur) (?:money|funds|crypto) back|"
        "追回|挽回损失|找回(?:被骗|损失)"
    ),
}, triggers=("illicit", "topic", "prize", "weak_topic", "promise", "recovery"))


class FraudDrainage(TopicDetector):
    name = NAME
    lexicon = LEX

    def find(self, ctx: Context) -> list[Finding]:
        hits = LEX.hits(ctx)
        out: list[Finding] = []

        def add(rule: str, weight: float, key: str) -> None:
            out.append(emit(NAME, ctx, f"fraud_drainage.{rule}", LABEL, weight, hits[key][0]))

        if "illicit" in hits:
            add("illicit_offer", 0.5, "illicit")
        if "recovery" in hits and "pull" in hits:
            add("recovery_offer", 0.45, "recovery")
        prize = "prize" in hits
        n = len(hits.get("topic", ())) + prize + 0.5 * len(hits.get("weak_topic", ()))
        if n >= 1:
            key = "topic" if "topic" in hits else "prize" if prize else "weak_topic"
            add("topic", round(min(0.4, 0.1 + 0.1 * n), 2), key)
        if prize and "claim" in hits:
            add("prize_claim", 0.25, "claim")
        elif prize and any(h.kind == "url" for h in ctx.handles):
            add("prize_claim", 0.25, "prize")
        if n >= 1 or "illicit" in hits:
            for hook, weight in (("promise", 0.15), ("promise_weak", 0.1), ("pull", 0.1), ("opener", 0.15)):
                if hook in hits:
                    add(hook, weight, hook)
        elif "promise" in hits and ("pull" in hits or "opener" in hits):
            add("promise", 0.45, "promise")
        return out
