"""A call to move to an off-platform or private contact: "+V", "加我", "私聊", "DM me", or a bare handle."""
from __future__ import annotations

from workers.core.detectors.base import Context, match_rules, rule
from workers.core.findings import Finding

NAME = "contact_cta"
RULES = (
    rule("cta.add_contact", r"加[我微v]|\+ ?v|\+ ?wx|联系[我v微]|私[聊信我]|dm me|add me|contact me|咨询", 0.15),
)


class ContactCta:
    name = NAME

    def detect(self, ctx: Context) -> list[Finding]:
        findings = match_rules(NAME, RULES, ctx)
        if ctx.handles:
            h = ctx.handles[0]
            findings.append(Finding(NAME, f"cta.handle.{h.kind}", None, 0.15, h.start, h.end))
        return findings
