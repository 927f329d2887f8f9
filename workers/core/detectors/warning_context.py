"""Context that marks a message as a warning about a scam, or as someone reporting what a stranger offered
them: people quoting a scam to warn friends must not be punished.

Label-less, negative weight (damping); a second warning cue damps more. Scammers' own reassurance ("不是骗子",
"not a scam", "no fake", "不玩套路") is not a warning, nor is a "fund recovery" pitch's talk of scams ("lost money to a
scam? our recovery experts...", 「先追回后收费」).
"""
from __future__ import annotations

from workers.core.detectors.base import Context, Hits, Lexicon, emit
from workers.core.detectors.kinds import CueDetector
from workers.core.findings import Finding

NAME = "warning_context"
LEX = Lexicon({
    "warning": (
        "骗子|骗局|诈骗|被骗|受骗|行骗|骗钱|骗走|骗人的|是骗人|上当|别信|不要信|别相信|不要相信|别上当|千万不要|千万别|切勿|切记|"
        "谨防|警惕|提防|防范|提高警觉|当心|大家注意|各位注意|请注意|要注意|注意安全|大家小心|各位小心|小心|提醒|举报|报警|拉黑|"
        "别碰|别买|别理|别加(?<!特别加)|别点|别帮|别转|别去|别做|别扫|帮信罪|不要帮(?<!要不要帮)|不要点|不要加|不要下载|不要转账|不要买|不要理|不要做|不要扫|"
        "踩坑|是假的|都是假|假的(?!一)|冒充|盗用|盗号|杀猪盘|陷阱|套路|所谓|违禁|唔好信|咪信|唔好帮|唔好买|唔好加|唔好理|"
        "唔好俾|群规|不许发|禁止发|严禁|直接踢|已踢|骗案|呃人|呃钱|唔好(?:回复|click|点|扫|入|join|转)|"
        "(?:不要|别)(?:click|join|回复|理会)|(?:踢|屏蔽|退)了吧|"
        "scam|fraud|beware|heads up|psa\\b|reported|don't (?:fall|trust|share|engage|buy|click|help|reply|send|pay)|"
        "do not (?:fall|trust|share|buy|click|help|reply|send|pay)|never (?:send|pay|share|give)|stay away|red flag|"
        "fake\\b|never real|walk away|not worth|be careful|stay safe|warning|phishing|pig[- ]butchering|watch out|"
        "lol no|gross\\b|just (?:block|delete|ignore|report)|no real (?:doctor|company|recruiter|employer|bank|job)|"
        "no legit (?:job|company|employer|recruiter|bank|doctor)|(?:admin|mod) note|drain (?:your )?wallet|"
        # not "not approved" alone (loan spam: "loan not approved? ..."), nor "banned accounts" (unblocking offers)
        "not fda[- ]approved|(?:is|are) not (?:fda[- ])?approved|(?:isn'?t|aren'?t) (?:fda[- ])?approved|"
        "(?:removed|kicked) (?:\\d+ |the |these |those )?(?:accounts?|posts?|members?)|banned \\d+ (?:accounts?|members?)|"
        "别借|不要借(?<!要不要借)|唔好借|(?:nobody|no one)(?: is| will|'s)? (?:paying|pay|pays|hiring|hire)\\b|"
        # Malay, Tagalog and Hindi warnings in code-switched chat
        "kena tipu|hati-hati|penipuan|modus\\b|mag-?ingat|manloloko|niloko|dhokha"
    ),
    # the scammer's own words: "不是骗子", "not a scam", "no scam" are reassurance, not warnings
    "reassurance": (
        "不是骗|不骗|并非骗|没骗|not a scam|no scam|not scam|no fake|not fake|不玩套路|没有套路|无套路|绝无套路|"
        "no bots|no catfish"
    ),
    # a "fund recovery" pitch speaks of scams to the victims it courts: its warning words are the bait
    "recovery_pitch": (
        "our (?:certified |licensed |professional )?(?:recovery|legal|forensics?|blockchain forensics?) (?:team|agents?|"
        "experts?|specialists?|lawyers?)|(?:i am|i'm) a (?:licensed |certified |professional )?(?:crypto |asset |fund )?"
        "recovery|先追回后|不成功不收费|成功后再收费|专业(?:追损|追回|律师)团队|free (?:case review|consultation)|"
        "she can help you|he can help you|helped me recover|recovered my"
    ),
    "reported_speech": (
        "有人加我|有人让我|有人找我|有人问我|有人私信|有人私聊|有人给我|有人冒充|有人盗用|有人在|有人喺|有人说|有人话|有人发|"
        "有人问|有人 dm|有人dm|有人 pm|有个人|被拉进|收到短信(?<!你收到短信)(?<!您收到短信)|收到消息|收到一条|收到一个|收到这种|收到过|"
        "看到有人|看到一个|看到这个|网上看到|在网上看到|大家评评|帮忙看看|我朋友说|朋友介绍|got a text|got an email|got offered|"
        "people are posting|people keep|they keep|saw this|screenshot attached|screenshot from|messages you as|"
        "was offered|offered me|offering me|offered us|offering us|lured|"
        # what someone did to the writer, not "I need someone to ..." or "someone's paying $100 for accounts" (the
        # scammer's own request), nor "we're offering" (the offer itself)
        "(?:someone|somebody|a guy|some guy|this guy|a stranger|a lady|a woman|a man|a girl)"
        "(?: (?:in|on|from) [^.!?,\\n]{1,25}?)?(?: just| keeps?| kept| has been| had| is| was)? (?:asked|asking|offered|"
        "offering|messaged|messaging|texted|texting|dm'?d|dmed|dming|pm'?d|sent|sending|told|telling|added|adding|"
        "contacted|called|calling|posted|posting|said|saying|tried|trying|approached|reached|wanted|"
        "wants? to (?:rent|buy|borrow|use|pay) (?:my|me))"
    ),
}, triggers=())


class WarningContext(CueDetector):
    name = NAME
    lexicon = LEX
    damps_model = True

    def find(self, ctx: Context, hits: Hits) -> list[Finding]:
        out: list[Finding] = []
        warnings = hits.get("warning", [])
        reassurance = hits.get("reassurance", [])
        if reassurance:  # "不是骗子": drop warning words inside the reassurance
            warnings = [w for w in warnings if not any(s <= w[0] < e for s, e in reassurance)]
        if "recovery_pitch" in hits:
            warnings = []
        if warnings:
            out.append(emit(NAME, ctx, "context.warning", None, -0.6 if len(warnings) == 1 else -0.8, warnings[0]))
        if "reported_speech" in hits:
            out.append(emit(NAME, ctx, "context.reported_speech", None, -0.3, hits["reported_speech"][0]))
        return out

    def context(self, ctx: Context) -> list[Finding]:
        """Without a topic, only a warning: "a friend introduced me" (reported speech) opens scams as often."""
        return [f for f in super().context(ctx) if f.rule_id == "context.warning"]
