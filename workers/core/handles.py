"""Contact-handle extraction: WeChat IDs, QQ numbers, phone numbers, Telegram handles, URLs.

Each handle carries a canonical value (campaign counters count accounts per handle) and its span in the
original text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from workers.core.normalize import Normalized


@dataclass(frozen=True, slots=True)
class Handle:
    kind: str  # wechat | qq | phone | telegram | whatsapp | url
    value: str  # canonical form, e.g. "wechat:xiaomei_8899", "phone:+8613812345678"
    start: int  # span in the original text
    end: int


_WECHAT = re.compile(r"(?:微信|wechat|weixin|vx|wx|v信|薇信|威信|\+v)[:：\s号]*([a-z][a-z0-9_-]{5,19})")
_QQ = re.compile(r"(?:qq|扣扣)[:：\s号]*([1-9][0-9]{4,11})")
_PHONE_CN = re.compile(r"(?<![0-9])(?:\+?86[- ]?)?(1[3-9][0-9]{9})(?![0-9])")
_TELEGRAM = re.compile(r"(?<![a-z0-9_])@([a-z][a-z0-9_]{4,31})")
_URL = re.compile(r"\b(?:https?://)?((?:[a-z0-9-]+\.)+(?:com|cn|net|org|ly|me|io|cc|top|xyz|vip)(?:/[\w\-./?=&%]*)?)")


def extract_handles(norm: Normalized) -> tuple[Handle, ...]:
    text = norm.text
    out: list[Handle] = []
    for kind, pattern, fmt in (
        ("wechat", _WECHAT, "wechat:{}"),
        ("qq", _QQ, "qq:{}"),
        ("phone", _PHONE_CN, "phone:+86{}"),
        ("telegram", _TELEGRAM, "telegram:{}"),
        ("url", _URL, "url:{}"),
    ):
        for m in pattern.finditer(text):
            start, end = norm.span(m.start(1), m.end(1))
            out.append(Handle(kind, fmt.format(m.group(1).rstrip("/")), start, end))
    return tuple(out)
