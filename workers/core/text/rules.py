"""The rewrite rules of normalization, applied after the character stage (and t2s) by
`workers.core.normalize`: each is a compiled pattern and a replacement (a string, or a function of the
match that only looks at the match and the text around it).

Speed: every pattern starts with a character class or literals, so the regex engine skips quickly over
characters that cannot start a match; the callbacks run only on real matches.
Linear time: repetitions are bounded or possessive over one character class, and patterns that could start
at every character of a long run first check (one-character look-behind) that they start the run.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Any, Callable

from workers.core.text import charmap

try:  # SEPARATORS and CJK_SPACE in C (workers/core/text/_spelled.c, built by ops/setup): the same results;
    # and where NICKNAME_PATTERN and LEET may match
    from workers.core.text._spelled import NicknameStarts, SpelledRules
except ImportError:  # not built: the patterns below
    SpelledRules = NicknameStarts = None

CJK = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Separators that may split a word: spaces, punctuation and symbols (emoji included), except characters
# with a meaning for handles, URLs and money (: @ / + # $ % & = _), sentence punctuation (HARD), ✈ (Telegram),
# 〇 (zero), apostrophes (inside English words: "i'm", "it's"). Ranges (a bitmap for the regex engine) of
# what survives the character stage.
_KEEP = set(":@/+#$%&=_,;!?。、✈〇'’")
_SEP_CATEGORIES = {"Pd", "Ps", "Pe", "Pi", "Pf", "Po", "Pc", "Sm", "Sk", "So", "Co"}


def _soft_code_points() -> list[int]:
    cps = [0x20]
    for cp in range(0x21, 0x10000):
        ch = chr(cp)
        if ch not in _KEEP and charmap.TABLE.get(cp) == cp and unicodedata.category(ch) in _SEP_CATEGORIES:
            cps.append(cp)
    return cps + list(range(0x1F000, 0x1FB00))  # emoji and other pictographs (outside the table's check)


_SOFT_CPS = _soft_code_points()
_SOFT_BODY = charmap.char_class(_SOFT_CPS[:-0xB00]) + "\U0001F000-\U0001FAFF"
SOFT = f"[{_SOFT_BODY}]"
HARD = ",;!?。、"
ANY_SEP = f"[{_SOFT_BODY}{HARD}]"
# One CJK character, or one lone Latin letter or digit (not next to a letter, digit, apostrophe or "/": a
# path segment of a URL is not spelled out).
_UNIT_BEHIND = f"(?:[{CJK}]|(?<![a-z0-9'’/])[a-z0-9])"
_UNIT_AHEAD = f"(?:[{CJK}]|[a-z0-9](?![a-z0-9'’/]))"


# --- Whitespace: runs collapse to one "\n" (when they hold a line break) or one space; ASCII control
#     characters go (outside ASCII text the character table already mapped them).
def collapse_whitespace(m: re.Match[str]) -> str:
    run = m.group()
    if "\n" in run or "\r" in run or "\x0b" in run or "\x0c" in run:
        return "\n"
    if " " in run or "\t" in run:
        return " "
    return ""


WHITESPACE = re.compile(r"[\x00-\x1f\x7f ](?:[\x00-\x1f\x7f ]++|(?<=[\x00-\x09\x0b-\x1f\x7f]))")

# --- Cyrillic and Greek look-alikes inside Latin words -> Latin. A word made only of look-alikes ("рау")
#     too, when they are close look-alikes and the text holds no other Cyrillic or Greek letter (real
#     Russian or Greek text is left alone).
GREEK_CYRILLIC = "\u0370-\u03ff\u0400-\u052f"
_CLOSE_FROM, _CLOSE_TO = "аеорсухіјѕһԁԛԝӏүαειονρτυχκ", "aeopcyxijshdqwlyaeiovptuxk"
_FAR_FROM, _FAR_TO = "ёвкмнптгьβγημωςϲϳ", "ebkmhntrbbynuwccj"
_CONFUSABLE = str.maketrans(_CLOSE_FROM + _FAR_FROM, _CLOSE_TO + _FAR_TO)
_CLOSE = str.maketrans(_CLOSE_FROM, _CLOSE_TO)
REAL_LETTER = re.compile(f"[{GREEK_CYRILLIC}](?<![{_CLOSE_FROM}])")


def _homoglyphs_in_latin(m: re.Match[str]) -> str:
    """Look-alikes in words mixed with Latin letters or digits (for text holding real Cyrillic or Greek)."""
    token = m.group()
    if any("a" <= c <= "z" or "0" <= c <= "9" for c in token):
        return token.translate(_CONFUSABLE)
    return token


def _homoglyphs(m: re.Match[str]) -> str:
    """Look-alikes in mixed words, and words made only of close look-alikes ("рау" -> "pay")."""
    token = m.group()
    if any("a" <= c <= "z" or "0" <= c <= "9" for c in token):
        return token.translate(_CONFUSABLE)
    mapped = token.translate(_CLOSE)
    return mapped if len(token) >= 2 and mapped.isascii() else token


_WORD_START = f"[a-z0-9{GREEK_CYRILLIC}](?<![a-z0-9{GREEK_CYRILLIC}]{{2}})"  # checked after its first character
_WORD_REST = f"[a-z0-9{GREEK_CYRILLIC}]{{0,63}}+"
_HAS_GREEK_CYRILLIC = f"(?:(?<=[{GREEK_CYRILLIC}])|(?=[a-z0-9]{{0,62}}+[{GREEK_CYRILLIC}]))"
_HAS_LATIN = f"(?:(?<=[a-z0-9])|(?=[{GREEK_CYRILLIC}]{{0,62}}+[a-z0-9]))"
# Words holding a Cyrillic or Greek letter; and words mixing one with Latin letters or digits.
HOMOGLYPHS = re.compile(_WORD_START + _HAS_GREEK_CYRILLIC + _WORD_REST)
HOMOGLYPHS_IN_LATIN = re.compile(_WORD_START + _HAS_GREEK_CYRILLIC + _HAS_LATIN + _WORD_REST)


def homoglyph_rule(text: str) -> tuple[re.Pattern[str], Callable[[re.Match[str]], str]]:
    """The rule to use on `text`: when it holds real Cyrillic or Greek words, only mixed words change."""
    if REAL_LETTER.search(text):
        return HOMOGLYPHS_IN_LATIN, _homoglyphs_in_latin
    return HOMOGLYPHS, _homoglyphs


# --- Separators inside spelled-out words. Between two units (a CJK character, or a lone Latin letter or
#     digit) soft separators go: "加 微 信", "刷·单", "兼🔥职", "w x", "v.x". In a run of three units or more
#     any separators go, sentence punctuation too: "刷，单，日，结", "1-3-8-0-0-1-3-8-0-0-0". Between
#     digits only spaces go, unless four digits or more are spelled out: "3-5", "1.5", "1.2.3" stay.
def join_spelled(m: re.Match[str]) -> str:
    run = m.group()
    last = run[-1]
    if len(run) == 2:  # one separator, one unit
        if last.isdigit() and run[0] != " " and m.string[m.start() - 1].isdigit():
            return run  # "3-5", "1.5"
        return last
    units = [c for c in run if c.isalnum()]
    if len(units) == 2 and m.string[m.start() - 1].isdigit() and all(c.isdigit() for c in units):
        if run.strip(" 0123456789"):  # three digits: "1.2.3", "1-2-3"
            return run
    return "".join(units)


# The match runs from the first separator after a unit to the last unit of the run.
SEPARATORS = re.compile(
    f"{ANY_SEP}(?:(?<={_UNIT_BEHIND}{ANY_SEP})"
    f"(?:{ANY_SEP}{{0,5}}+{_UNIT_AHEAD}(?:{ANY_SEP}{{1,6}}+{_UNIT_AHEAD}){{1,62}}+"  # three units or more
    f"|(?<={SOFT})(?:(?<=[{CJK}a-z]{SOFT}){SOFT}{{0,5}}+{_UNIT_AHEAD}"  # two, after a CJK char or letter
    f"|{SOFT}{{0,5}}+(?:[{CJK}]|[a-z](?![a-z0-9'’/]))"  # two, after a digit: before a CJK char or letter
    f"|(?<= ) {{0,5}}+[0-9](?![a-z0-9'’/]))))"  # digit, spaces, digit
)


def spelled_flags() -> bytes:
    """The character classes SEPARATORS, join_spelled and CJK_SPACE look at, one byte per code point below
    0x20000, for their C version (workers/core/text/_spelled.c, which names the bits)."""
    flags = bytearray(0x20000)
    for cp in _SOFT_CPS:
        flags[cp] |= 1
    for c in HARD:
        flags[ord(c)] |= 2
    for lo, hi in ((0x3007, 0x3007), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF)):  # CJK
        for cp in range(lo, hi + 1):
            flags[cp] |= 4
    for c in "abcdefghijklmnopqrstuvwxyz":
        flags[ord(c)] |= 32
    for c in "0123456789":
        flags[ord(c)] |= 64
    for c in "abcdefghijklmnopqrstuvwxyz0123456789'’/":
        flags[ord(c)] |= 128
    for cp in range(0x20000):
        if flags[cp]:  # str's own answers, for every character a match can hold
            ch = chr(cp)
            flags[cp] |= (8 if ch.isalnum() else 0) | (16 if ch.isdigit() else 0)
    return bytes(flags)


def native_spelled() -> Any:
    """SEPARATORS with join_spelled, and CJK_SPACE, in C, and leetspeak's trigger and word starts (None when the
    extension is not built)."""
    return SpelledRules(spelled_flags()) if SpelledRules is not None else None


# A space between a CJK character and a Latin word, a number or another CJK character (again after the
# nickname rule, so "vx abc" and "微信 abc" both give "微信abc", "jz 日结" and "兼职 日结" "兼职日结").
CJK_SPACE = re.compile(f" (?:(?<=[{CJK}] )(?=[a-z0-9{CJK}])|(?<=[a-z0-9] )(?=[{CJK}]))")

# --- Leetspeak inside words mixing letters with 0 1 3 4 5 7 @ $: "m0ney", "c@sh", "fr33", "$cam", "1ike".
#     Never in digit runs, ids (with "_" or after ":" "@" "/" "." or a handle keyword), e-mail addresses,
#     model numbers ("win7", "top10") or amounts with units ("5g", "7pm").
_LEET = str.maketrans("03457@$", "oeastas")
_LETTERS = str.maketrans("", "", "abcdefghijklmnopqrstuvwxyz")
# Handle keywords, canonical or as written before the nickname rule ran; matched on the reversed text before
# a position ("微信: " -> " :信微"), with spaces, a colon, 号/号码, 是/为 allowed between.
_KEYWORDS = "微信 vx wx v信 薇信 徽信 weixin wechat qq 扣扣 抠抠 企鹅 telegram tg 飞机 ✈ whatsapp wa 电话 手机 号码 tel phone 联系方式 id"
KEYWORD_BEFORE_REVERSED = re.compile(
    r"\s?(?:是|为)?\s?:?\s?(?:码?号)?(?:" + "|".join(re.escape(k[::-1]) for k in _KEYWORDS.split()) + ")"
)
_MODEL = re.compile(r"[a-z]{1,10}[0-9]{1,2}|[0-9]{1,2}[a-z]{1,2}")
_VOWELS = frozenset("aeiouy")
LEET_TRIGGER = re.compile(r"[013457@$](?:(?<=[a-z][013457@$])|(?=[a-z]))")


def keyword_before(text: str, pos: int) -> bool:
    """Whether a handle keyword ends right before `pos`."""
    return KEYWORD_BEFORE_REVERSED.match(text[max(0, pos - 14) : pos][::-1]) is not None


def decode_leet(m: re.Match[str]) -> str:
    token = m.group()  # the pattern already refused ids, addresses, digit runs, 2 6 8 9, "24h"-like words
    if token[0] == "@" or token[-1] in "@$" or len(token) - len(token.translate(_LETTERS)) < 2:
        return token
    if _MODEL.fullmatch(token):  # "fr33" yes, but "win7", "top10", "iphone15" are names
        head = token.rstrip("0123456789")
        if not head or head[0].isdigit() or not _VOWELS.isdisjoint(head):
            return token
    if keyword_before(m.string, m.start()):
        return token
    if "1" in token:  # "l" next to an "i" or another 1, or first before a vowel ("1ike", "he11o"); else "i"
        chars = list(token)
        n = len(chars)
        for i, c in enumerate(token):
            if c == "1":
                prev = token[i - 1] if i else ""
                nxt = token[i + 1] if i + 1 < n else ""
                chars[i] = "l" if "i" in (prev, nxt) or "1" in (prev, nxt) or (i == 0 and nxt in _VOWELS) else "i"
        token = "".join(chars)
    return token.translate(_LEET)


LEET = re.compile(  # candidate words; `decode_leet` decides. Cheap refusals here: not "24h", "10k", "abc123", ids
    r"[a-z0-9@$](?<![a-z0-9@$_./#:\\-][a-z0-9@$])"  # the first character of a word (checked after it)
    r"(?:(?<=[0-9@$])|(?=[a-z]{0,39}+[0-9@$]))"  # holds a digit, @ or $ (most words fail here, quickly)
    r"(?:(?<=[a-z])|(?=[a-z0-9@$]{0,39}?[a-z]))(?:(?<=[013457@$])|(?=[a-z0-9@$]{0,39}?[013457@$]))"
    r"(?<![2689])(?![a-z0-9@$]{0,39}?[2689])(?!(?<=[0-9])[0-9]{2})(?![a-z0-9@$]{0,37}?[0-9]{3})"
    r"(?!(?<=[0-9])[0-9]?[a-z]{1,2}(?![a-z0-9@$]))"
    r"[a-z0-9@$]{0,39}+(?![_@]|[./][a-z0-9])"
)

# --- "xxx点com", "xxx。com", "xxx dot com", "xxx(dot)com" -> "xxx.com" (after a Latin letter or digit, before
#     a known TLD); applied by the nickname rule.
TLDS = (  # known top-level domains: for "xxx点com" here, for URLs without a scheme in handles.py
    "com|cn|net|org|info|biz|io|co|me|ly|cc|tv|top|xyz|vip|club|site|online|shop|store|app|link|live|fun|icu|pro|"
    "asia|mobi|tk|ml|ga|cf|gq|ru|uk|us|jp|kr|hk|tw|mo|sg|my|ph|th|vn|kh|id|nu|gl|gd|ws|la|im|gy|su|de|ai|in|to"
)
_TLD_AHEAD = rf"(?=(?:[a-z0-9-]{{1,63}}(?:\.|点|。))?(?:{TLDS})(?![a-z0-9-]))"
_DOT_WORDS = ("点", " 点 ", " 点", "点 ", "。", " dot ", "(dot)", "[dot]", "dot")

# --- Nicknames and pinyin -> canonical tokens, as whole tokens: (variant, canonical, context), where the
#     context is "" (always) or a look-around placed after the variant.
_ID_AHEAD = r" ?[a-z][a-z0-9_-]{5,19}(?![a-z0-9_-])"
_TG_BEFORE = ("加", "联系", "下载", "私信", "私聊", "搜", "进")  # "加飞机", but not "坐飞机", "上飞机"
_TG_AHEAD = r"\s?(?:号|群|频道|账号|id|:|@|私聊|私信|联系|找我|搜|聊)"  # "飞机号", "飞机: @x", "纸飞机群"
_TG_NOT_AHEAD = "(?!场|票|舱|上|里|内|餐|模|杯)"  # "进飞机舱", "加飞机票"
_WX_BEFORE = ("加", "+", "联系")
_WX_AHEAD = rf" ?(?::|号)|{_ID_AHEAD}| ?[0-9]{{5}}"  # 威信 / 卫星 only before an id, a colon, 号


def _ctx(before: tuple[str, ...], variant: str, ahead: str, not_ahead: str = "") -> str:
    parts = [f"(?<={re.escape(b + variant)}){not_ahead}" for b in before]
    parts.append(f"(?={ahead})")
    return "(?:" + "|".join(parts) + ")"


NICKNAMES: tuple[tuple[str, str, str], ...] = (
    *((v, "微信", "") for v in ("weixin", "wechat", "wei信", "微xin", "v信", "vx信", "薇信", "徽信", "微x", "vx", "wx")),
    *((v, "微信", _ctx(_WX_BEFORE, v, _WX_AHEAD)) for v in ("威信", "卫星")),
    ("微", "微信", rf"(?= ?:|{_ID_AHEAD})"),  # a lone 微 only right before a colon or an id
    ("v", "微信", r"(?= ?:|号)"),  # "V: abc123", "v号"
    ("扣扣", "qq", ""),
    ("抠抠", "qq", ""),
    ("企鹅", "qq", "(?=号)"),
    *((v, "telegram", "") for v in ("✈ 纸飞机", "✈纸飞机", "✈ 飞机", "✈飞机", "✈ telegram", "✈telegram", "✈ tg", "✈tg", "tg")),
    *((v, "telegram", _ctx(_TG_BEFORE, v, _TG_AHEAD, _TG_NOT_AHEAD)) for v in ("纸飞机", "飞机", "电报", "✈")),
    *((v, "whatsapp", "") for v in ("whats app", "whatsap", "watsapp", "whatapp")),
    ("wa", "whatsapp", _ctx(("加",), "wa", r" ?(?::|\+|[0-9]|号)")),
    *((v, "兼职", "") for v in ("jz", "兼zhi", "jian职", "jianzhi", "jian zhi")),
    *((v, "刷单", "") for v in ("刷dan", "shua单", "shuadan", "shua dan")),
    *((v, ".", f"(?<=[a-z0-9]{re.escape(v)}){_TLD_AHEAD}") for v in _DOT_WORDS),
)
_CANON = {v: c for v, c, _ in NICKNAMES}


def _is_word_char(c: str) -> bool:
    """A Latin letter or digit: a variant starting or ending with one must start or end a whole token."""
    return c.isascii() and c.isalnum()


def _whole(v: str) -> str:
    """Look-arounds after a variant making it a whole token: a variant starting with a Latin letter must not
    continue a word (nor a domain, path or address), one ending with a Latin letter must not be continued."""
    out = ""
    if _is_word_char(v[0]):
        out += f"(?<![a-z0-9_./@#-]{re.escape(v)})"
    if _is_word_char(v[-1]):
        out += r"(?![a-z0-9_@/-]|\.[a-z0-9])"
    return out


def _trie(items: list[tuple[str, str]]) -> str:
    """One alternation of literal variants (each with its look-around suffix) factored by common prefixes,
    so the engine tests a position against a few first characters only."""
    root: dict = {}
    for literal, suffix in items:
        node = root
        for ch in literal:
            node = node.setdefault(ch, {})
        node.setdefault("", []).append(suffix)

    def emit(node: dict) -> str:
        alts = [re.escape(ch) + emit(child) for ch, child in node.items() if ch]
        alts += node.get("", [])  # variants ending here come after the longer ones
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"

    return emit(root)


def canonical_nickname(m: re.Match[str]) -> str:
    return _CANON[m.group()]


NICKNAME_PATTERN = re.compile(_trie([(v, (ctx if c == "." else _whole(v) + ctx)) for v, c, ctx in NICKNAMES]))


def nickname_starts() -> Any:
    """Where NICKNAME_PATTERN may match, in C (None when not built): each variant with the checks of its
    conditions cheap enough for a first pass, never more than the pattern asks (see `_whole`): the character
    before it (0: any, 1: a word edge, 2: a letter or digit, the dot words) and after it (0: any, 1: a word
    edge). `sub_at` runs the pattern at those positions only."""
    if NicknameStarts is None:
        return None
    entries = []
    for v, c, _ in NICKNAMES:
        if c == ".":  # (?<=[a-z0-9]VARIANT) and a domain after it
            entries.append((v, 2, 0))
        else:
            entries.append((v, 1 if _is_word_char(v[0]) else 0, 1 if _is_word_char(v[-1]) else 0))
    return NicknameStarts(entries)


def sub_at(pattern: re.Pattern[str], fn: Callable[[re.Match[str]], str], text: str,
           starts: list[int] | None) -> tuple[str, list[tuple[int, int, str]]] | None:
    """pattern.sub(fn, text) and its edits (offsets.edits), trying the pattern only at `starts`: every
    position where it may match, ascending. None when nothing changes."""
    if starts is None:
        return None
    pieces: list[str] = []
    edits: list[tuple[int, int, str]] = []
    last = 0
    match = pattern.match
    for p in starts:
        if p < last:  # inside the previous match: re.sub goes on after it
            continue
        m = match(text, p)
        if m is None:
            continue
        r = fn(m)
        pieces.append(text[last:p])
        pieces.append(r)
        edits.append((p, m.end(), r))
        last = m.end()
    if not edits:
        return None
    pieces.append(text[last:])
    out = "".join(pieces)
    return (out, edits) if out != text else None


# --- Chinese numerals in runs that read as a number -> ASCII digits: five numerals or more
#     ("一三八零零一三八零零零"), mixed with ASCII digits ("1三8零0..."), or after a handle keyword
#     ("qq一二三"); never "一起", "一天", "100一单", "零零后", "一五一十".
CN_NUMERALS = "一二三四五六七八九零〇幺壹贰叁肆伍陆柒捌玖"
_CN_DIGITS = str.maketrans(CN_NUMERALS, "123456789" "00" "1" "123456789")
CN_SET = frozenset(CN_NUMERALS)


def numerals_to_digits(m: re.Match[str]) -> str:
    run = m.group()
    cn = sum(1 for c in run if c in CN_SET)
    n = len(run)
    ok = cn >= 5
    if not ok and cn < n:  # mixed with ASCII digits
        ok = n >= 9 or (n >= 7 and cn >= 2) or ("0" <= run[0] <= "9" and "0" <= run[-1] <= "9")
    if not ok and n >= 3:
        ok = keyword_before(m.string, m.start())
    return run.translate(_CN_DIGITS) if ok else run


NUMERALS = re.compile(
    f"[0-9{CN_NUMERALS}](?:(?<=[0-9])(?<![0-9][0-9])[0-9]{{0,39}}+[{CN_NUMERALS}][{CN_NUMERALS}0-9]{{0,40}}+"
    f"|(?<=[{CN_NUMERALS}])[{CN_NUMERALS}0-9]{{1,40}}+)"
)
CN_TRIGGER = re.compile(f"[{CN_NUMERALS}]")
