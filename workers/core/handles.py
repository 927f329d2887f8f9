"""Contact-handle extraction: WeChat IDs, QQ numbers, phone numbers, Telegram and WhatsApp accounts, URLs.

Each handle carries a canonical value (campaign counters count distinct accounts per handle) and its span
in the ORIGINAL text. Extraction runs on the normalized text, where the disguises are already undone
(full-width, circled digits, separators, "V信" -> 微信, 扣扣 -> qq, 飞机号 -> telegram号, "xxx点com"), so
the same handle written differently gives the same value:
  wechat:xiaomei_8899   qq:987654321   phone:+8613812345678   telegram:easyjob_cn
  whatsapp:+85512345678   url:t.cn/abc123   (host without "www.", lower case, no scheme)

A number right after a WhatsApp / Telegram keyword is that account ("WA: +855..."), not a phone; a QQ
number is not also a phone; "t.me/x" is Telegram and "wa.me/855..." WhatsApp, not URLs; an e-mail address
is neither a Telegram handle nor a URL. A handle repeated in a message is reported once (its first
occurrence), and at most MAX_HANDLES distinct handles per message. Every pattern is linear: bounded
repetitions only.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from workers.core.normalize import Normalized
from workers.core.text.rules import TLDS

try:  # the cheap checks before the patterns, in one pass in C (workers/core/text/_needles.c, built by ops/setup)
    from workers.core.text._needles import Needles
except ImportError:  # not built: `in`, one search each
    Needles = None


# Distinct handles kept per message (the first ones): bounds the counter work a crafted message can cause.
MAX_HANDLES = 32


@dataclass(slots=True, init=False, unsafe_hash=True)  # immutable by convention: workers/core/findings.py
class Handle:
    kind: str  # wechat | qq | phone | telegram | whatsapp | url
    value: str  # canonical form, e.g. "wechat:xiaomei_8899", "phone:+8613812345678"
    start: int  # span in the original text
    end: int

    def __init__(self, kind: str, value: str, start: int, end: int) -> None:
        self.kind = kind
        self.value = value
        self.start = start
        self.end = end




_SEP = r"[\s:]{0,3}(?:是|为)?[\s:]{0,3}"  # "微信：", "微信号是 ", "qq: "
_NUM = r"(?:[\s().-]{0,2}[0-9])"  # one more digit of a phone number written with separators
_LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"

# Keyword-led handles first: they claim their span before the generic patterns.
_WECHAT: Final = re.compile(
    rf"微信(?:号|id)?{_SEP}([a-z][a-z0-9_-]{{5,19}})(?![a-z0-9_-])"
    r"|w(?<![a-z0-9_]w)(xid_[a-z0-9_-]{4,30})(?![a-z0-9_-])"  # wxid_... is itself a WeChat id
)
_QQ: Final = re.compile(rf"qq(?:号码?|群)?{_SEP}([1-9](?:[\s-]?[0-9]){{4,11}})(?![0-9])")
_WHATSAPP: Final = re.compile(
    rf"whatsapp(?:号)?[^0-9+\n]{{0,8}}?(\+?[0-9]{_NUM}{{6,14}})(?![0-9])"
    r"|wa\.me/\+?([0-9]{7,15})(?![0-9])"
)
_TELEGRAM_KEYWORD: Final = re.compile(
    r"telegram(?:(?:号|id|账号)[\s:]{0,3}@?|\s{0,2}[:@][\s:]{0,2}@?)([a-z][a-z0-9_]{4,31})(?![a-z0-9_])"
    rf"|telegram(?:号)?[^0-9+\n@]{{0,6}}?(\+[0-9]{_NUM}{{6,14}})(?![0-9])"
)
_TELEGRAM_LINK: Final = re.compile(
    r"(?<![a-z0-9.-])(?:https?://)?(?:t|telegram)\.me/(?!joinchat|\+)([a-z][a-z0-9_]{4,31})(?![a-z0-9_])"
)
_MENTION: Final = re.compile(r"@(?<![a-z0-9_.+-]@)([a-z][a-z0-9_]{4,31})(?![a-z0-9_@]|\.[a-z0-9])")  # not e-mail
_PHONE_INTL: Final = re.compile(rf"\+(?<![0-9a-z_/=.@]\+)\s?([1-9]{_NUM}{{7,14}})(?![0-9])")
# A Chinese mobile number, with or without 86 in front (the match starts at its first digit, 8 or 1).
_PHONE_CN: Final = re.compile(r"[18](?<![0-9a-z_/=.@+-][18])(?:(?<=8)6[\s-]?1|(?<=1))([3-9][0-9](?:[\s-]?[0-9]){8})(?![0-9])")
_PHONE_CN_HINT: Final = re.compile(r"1[3-9][0-9]")
# A URL: scheme + any host, or a host ending with a known TLD; the match starts at its first character.
_URL: Final = re.compile(
    rf"[a-z0-9](?<![a-z0-9@._/-][a-z0-9])"
    rf"(?:(?<=h)ttps?://((?:{_LABEL}\.){{1,8}}[a-z]{{2,12}}(?::[0-9]{{1,5}})?)"
    rf"|([a-z0-9-]{{0,62}}\.(?:{_LABEL}\.){{0,7}}(?:{TLDS}))(?![a-z0-9-]))"
    r"(/[a-z0-9\-._~%!$&'()*+,;=:@/?#]{0,200})?"
)
_URL_HINT: Final = re.compile(rf"\.(?:{TLDS})(?![a-z0-9-])|://")
# All-letter words after 微信 that are not ids ("微信 account", "微信 official").
_NOT_IDS: Final = frozenset(
    "account accounts contact contacts friend friends group groups message messages number official payment "
    "please support service services wallet channel channels".split()
)
_DIGITS: Final = re.compile(r"[0-9]+")
_TRAILING: Final = ".,;:!?)'/"
# What a text must hold for each pattern to have a chance: bit i of `_hints(text)` for _HINT_WORDS[i]
_HINT_WORDS: Final = ["微信", "wxid_", "qq", "whatsapp", "wa.me", "telegram", ".me/", "@", ".", "://", "+", "1"]


def _bit(word: str) -> int:
    return 1 << _HINT_WORDS.index(word)


_WECHAT_HINT: Final = _bit("微信") | _bit("wxid_")
_QQ_HINT: Final = _bit("qq")
_WHATSAPP_HINT: Final = _bit("whatsapp") | _bit("wa.me")
_TELEGRAM_HINT: Final = _bit("telegram")
_ME_LINK_HINT: Final = _bit(".me/")
_AT_HINT: Final = _bit("@")
_DOT_HINT: Final = _bit(".")
_URL_SCHEME_HINT: Final = _bit("://")
# "." followed by a known TLD: without one, _URL_HINT can only match "://" (most dots end a sentence, in a number
# or a file name); one pass in C where "." is in the text, instead of _URL_HINT's search at every dot
_TLD_WORDS: Final = ["." + tld for tld in TLDS.split("|")]
_TLD_HINTS = Needles(_TLD_WORDS) if Needles is not None else None
_PLUS_HINT: Final = _bit("+")
_ONE_HINT: Final = _bit("1")
_HINTS = Needles(_HINT_WORDS) if Needles is not None else None


def _tld_hint(text: str) -> bool:
    """Whether "." and a known TLD (or the beginning of a longer word) occur together in text."""
    if _TLD_HINTS is not None:
        return bool(_TLD_HINTS.found(text))
    return any(word in text for word in _TLD_WORDS)


def _hints(text: str) -> int:
    """Bit i set when _HINT_WORDS[i] is in text."""
    if _HINTS is not None:
        return int(_HINTS.found(text))
    return sum(1 << i for i, word in enumerate(_HINT_WORDS) if word in text)


def extract_handles(norm: Normalized) -> tuple[Handle, ...]:
    text = norm.text
    # Candidates (start, end, kind, value) in normalized offsets, in priority order: keyword-led first.
    cands: list[tuple[int, int, str, str]] = []
    add = cands.append
    hints = _hints(text)
    if hints & _WECHAT_HINT:
        for m in _WECHAT.finditer(text):
            if m.group(1):
                if m.group(1) not in _NOT_IDS:
                    add((m.start(1), m.end(1), "wechat", "wechat:" + m.group(1)))
            else:
                add((m.start(2) - 1, m.end(2), "wechat", "wechat:w" + m.group(2)))
    if hints & _QQ_HINT:
        for m in _QQ.finditer(text):
            add((m.start(1), m.end(1), "qq", "qq:" + "".join(_DIGITS.findall(m.group(1)))))
    if hints & _WHATSAPP_HINT:
        for m in _WHATSAPP.finditer(text):
            g = 1 if m.group(1) else 2
            add((m.start(g), m.end(g), "whatsapp", "whatsapp:" + _e164(m.group(g))))
    if hints & _TELEGRAM_HINT:
        for m in _TELEGRAM_KEYWORD.finditer(text):
            g = 1 if m.group(1) else 2
            add((m.start(g), m.end(g), "telegram", "telegram:" + (m.group(1) if g == 1 else _e164(m.group(2)))))
    if hints & _ME_LINK_HINT:
        for m in _TELEGRAM_LINK.finditer(text):
            add((m.start(1), m.end(1), "telegram", "telegram:" + m.group(1)))
    if hints & _AT_HINT:
        for m in _MENTION.finditer(text):
            add((m.start(1), m.end(1), "telegram", "telegram:" + m.group(1)))
    if (hints & _URL_SCHEME_HINT or (hints & _DOT_HINT and _tld_hint(text))) and _URL_HINT.search(text) is not None:
        for m in _URL.finditer(text):
            if m.group(1):
                host, host_end = m.group(1).split(":")[0], m.end(1)
            else:
                host, host_end = text[m.start()] + m.group(2), m.end(2)
            raw_path = m.group(3) or ""
            path = raw_path.rstrip(_TRAILING)
            if host.startswith("www."):
                host = host[4:]
            end = m.end(3) - (len(raw_path) - len(path)) if raw_path else host_end
            add((m.start(), end, "url", "url:" + host + path))
    if hints & _PLUS_HINT:
        for m in _PHONE_INTL.finditer(text):
            digits = "".join(_DIGITS.findall(m.group(1)))
            if 8 <= len(digits) <= 15:
                add((m.start(), m.end(), "phone", "phone:+" + digits))
    if hints & _ONE_HINT and _PHONE_CN_HINT.search(text) is not None:
        for m in _PHONE_CN.finditer(text):
            add((m.start(), m.end(), "phone", "phone:+861" + "".join(_DIGITS.findall(m.group(1)))))
    if not cands:
        return ()

    # A span belongs to the first candidate claiming it; a value is reported once, MAX_HANDLES at most.
    taken = bytearray(len(text))
    seen: set[str] = set()
    found = []
    for cand in cands:
        start, end, _, value = cand
        if any(taken[start:end]):
            continue
        taken[start:end] = b"\x01" * (end - start)
        if value not in seen and len(seen) < MAX_HANDLES:
            seen.add(value)
            found.append(cand)
    found.sort()
    spans = norm.spans([(start, end) for start, end, _, _ in found])
    return tuple(Handle(kind, value, a, b) for (_, _, kind, value), (a, b) in zip(found, spans))


def _e164(number: str) -> str:
    digits = "".join(_DIGITS.findall(number))
    if number.lstrip().startswith("+") or not digits.startswith("0"):
        return "+" + digits
    return digits  # a local number (leading 0): its country is unknown
