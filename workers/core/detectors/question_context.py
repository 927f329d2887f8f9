"""Context that marks a message as a question about whether something is a scam ("这个靠谱吗？",
"is this legit?", "有人知道吗"). Asking is not offering. Label-less, negative weight (damping).

Scam openers are questions too ("有没有人想赚点零花？", "你的QQ还在用吗？", "要不要试试？", "do you know anything
about crypto?", the classic opener of investment drainage): only questions about legitimacy, risk or advice
count. Generic openers ("想问", "问一下", "quick question", "does anyone", "should I") do not count when they ask
the reader about the reader ("想问你有没有闲置的微信号", "quick q: are you open to a remote role?", "does anyone here
need a part time?", "should I add you to the group?"), nor does a paid request for help ("有偿求助"), nor the bait of a
"fund recovery" pitch ("lost money to a scam? our recovery agents...": warning_context's `recovery_pitch`).
"""
from __future__ import annotations

from workers.core.detectors.base import Context, Hits, Lexicon, emit
from workers.core.detectors.kinds import CueDetector
from workers.core.detectors.warning_context import LEX as WARNING_LEX
from workers.core.findings import Finding

NAME = "question_context"
_G = "[^，。！？!?\\n]"
LEX = Lexicon({
    "question": (
        "这种是不是|这是不是|这个是不是|是不是三无|是不是假|是不是骗|是不是诈|是不是真|是不是有问题|是不是正规|是不是合法|是不是违规|是不是赌博|是不是也属于|靠谱吗|可靠吗|可信吗|"
        f"是真的吗|这是真的吗|这个是真的吗|真的假的|真(?:的)?(?:能|可以){_G}{{0,8}}吗|正常吗|合法吗|安全吗|违法吗|犯法吗|能信吗|"
        "有风险吗|有什么风险|有什么区别|有什么分别|有什么问题|会有什么|会不会被|我会不会|会怎么样|会怎样|要不要提醒|要不要让|"
        "怎么分辨|怎么说服|怎么判断|如何辨别|如何判断|请教|问一下(?!你|您|妳)|问个问题|想问(?!(?:问|一?下)?(?:你|您|妳))|"
        "求助(?<!有偿求助)|求问|谁知道|有人知道|有没有懂|"
        "有没有人知道|有没有人了解|有没有人收到|有没有人试过|有没有人看过|有没有人遇到|有人看过|有人了解|有人收到过|有人遇到过|"
        "有冇人知|系咪真|系咪诈骗|算违规吗|还能要回来吗|能帮吗|可以找他们吗|应该没事吧|有没有问题|靠不靠谱|靠唔靠谱|"
        "会出事吗|会不会出事|到底是做什么|是做什么的|有问题吗|到底有没有事|legit(?:的)?吗|"
        "算不算(?:违法|犯法|诈骗|违规)|要不要回|能(?:喝|吃)吗|怪怪的|legit ba\\b|totoo ba\\b|"
        f"是真的{_G}{{0,10}}吗|"
        "会不会有(?:啥|什么)?(?:风险|问题|事|影响)|有(?:啥|什么)风险|有没有(?:啥|什么)?风险|有没有办法查|怎么查|"
        "图(?:啥|什么)|听着(?:就)?不(?:太)?对|感觉不(?:太)?对|不太对劲|要不要(?:退群|退出|踢|举报|拉黑)|怎么回事|"
        "is (?:this|it|that) (?:a )?(?:scam|legit|normal|real|safe|gambling|genuine|true)|scam or|scam\\?|legit\\?|legit question|"
        "genuine\\?|please guide|how (?:do|can|should) we (?:check|verify|know|tell)|does (?!any|you\\b)[a-z]{2,15} (?:actually|really)\\b|"
        "(?:quick q\\b|quick question)(?![^.!?\\n]{0,6}(?:are you|do you|would you|have you|did you|can you|you |r u\\b|do u\\b))|"
        "quick check|red flag or|red flag\\?|sounds like|anyone know|anyone worked|"
        "anyone tried|has anyone|does anyone(?!(?: here| really| else)? (?:need|want|have|like|wanna))|do real|real job\\?|can'?t be normal|"
        "normal,? right|gambling right|how do i|should i(?! (?:add|send|invite|refer|share|pass|give) )|what'?s the deal|what happens if|am i paranoid|not sure if|any advice|too good to be true|"
        "is there a way to (?:check|tell|know)|real or (?:fake|not|a scam)|safe to (?:ignore|click|reply|answer)|"
        "= ?scam|legit or not|is this for real|"
        "asking for (?:a friend|my)|"
        "(?:do|would) (?:legit|real) (?:companies|employers|jobs)|is (?:this|it|that) even (?:legit|real)|"
        "sounds (?:sus|fishy|dodgy)|\\bsus\\b(?! (?:stories|productos|fotos|redes|amigos|cuentas))|fishy|(?:can|should) i trust"
    ),
}, triggers=())


class QuestionContext(CueDetector):
    name = NAME
    lexicon = LEX
    damps_model = True

    def find(self, ctx: Context, hits: Hits) -> list[Finding]:
        spans = hits.get("question")
        if not spans or "recovery_pitch" in WARNING_LEX.hits(ctx):  # "lost money to a scam? our agents..." is bait
            return []
        return [emit(NAME, ctx, "context.question", None, -0.5 if len(spans) == 1 else -0.7, spans[0])]
