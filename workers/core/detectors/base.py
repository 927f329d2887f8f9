"""The detector interface and a small helper for pattern rules.

A detector is a named unit with `detect(ctx) -> list[Finding]`. It sees the normalized text (with the map
back to the original), the contact handles and the event's context; it never does I/O and never decides an
action: scoring and policy do that from its findings.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from workers.core.findings import Finding
from workers.core.handles import Handle
from workers.core.normalize import Normalized


@dataclass(frozen=True, slots=True)
class Context:
    norm: Normalized
    handles: tuple[Handle, ...]
    surface: str
    sent_at: datetime
    account_created_at: datetime | None


class Detector(Protocol):
    name: str

    def detect(self, ctx: Context) -> list[Finding]: ...


@dataclass(frozen=True, slots=True)
class Rule:
    """A pattern on the normalized text that supports `label` with `weight` (first match is the evidence)."""

    rule_id: str
    pattern: re.Pattern[str]
    weight: float
    label: str | None = None


def rule(rule_id: str, pattern: str, weight: float, label: str | None = None) -> Rule:
    return Rule(rule_id, re.compile(pattern), weight, label)


def match_rules(name: str, rules: tuple[Rule, ...], ctx: Context) -> list[Finding]:
    findings = []
    text = ctx.norm.text
    for r in rules:
        m = r.pattern.search(text)
        if m is not None:
            start, end = ctx.norm.span(m.start(), m.end())
            findings.append(Finding(name, r.rule_id, r.label, r.weight, start, end))
    return findings
