"""A call to move to an off-platform or private contact: "+V", "加我", "私聊", "进群", "DM me", "link in bio",
or a bare contact handle (WeChat ID, QQ, phone, Telegram, URL). Label-less support."""
from __future__ import annotations

from workers.core.detectors.base import Context, Hits, Lexicon
from workers.core.detectors.kinds import CueDetector
from workers.core.findings import Finding

NAME = "contact_cta"
LEX = Lexicon({
    "add_contact": (
        "加我|加微信|加微|加v|加薇|加威|加q|加好友|加老师|加客服|加专员|加line|加赖|加群|+v|+ v|+微|+我|+q|+line|+威|+薇|"
        "+wei|联系|咨询|私聊|私信|私我|私讯|私发|私你|找我|问我|滴滴我|戳我|扣1|扣 1|回复1|回复 1|回1|回个1|扣666|"
        "扣 666|扫码|二维码|进群|入群|拉你|拉您|推你|推您|看我朋友圈|看我头像|看我主页|看我签名|看我动态|看我资料|详情|"
        "群号|链接|连结|网址|下载|注册|报名|点击|邀请码|购买请|下单|谁要|要的话|要的朋友|有需要|有兴趣|感兴趣|"
        "dm\\b|pm\\b|inbox|message me|msg me|text me|ping me|hit me|contact|whatsapp|telegram|line id|line\\b|viber|"
        "signal\\b|wickr|snap\\b|wa\\b|link in|my bio|my profile|in bio|click|join\\b|register|sign up|tap\\b|apply|"
        "link\\b|invite|ask me|order\\b|reply|want in|send u|interested\\?"
    ),
}, triggers=())


class ContactCta(CueDetector):
    name = NAME
    lexicon = LEX
    needs_hits = False  # a contact handle alone is a cue too

    def find(self, ctx: Context, hits: Hits) -> list[Finding]:
        findings = self.each_class(ctx, hits, "cta", 0.15)
        if ctx.handles:
            h = ctx.handles[0]
            findings.append(Finding(NAME, f"cta.handle.{h.kind}", None, 0.15, h.start, h.end))
        return findings
