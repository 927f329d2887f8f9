"""Character-level mapping: one precomputed `str.translate` table.

Per character, in this order: invisible characters and combining marks are dropped; enclosed, circled,
parenthesized and dingbat digits and letters become plain ASCII; everything else goes through NFKC
(full-width -> half-width, compatibility forms, math alphanumerics) and casefold; Latin letters with
diacritics lose them ("é" -> "e", pinyin "jiān" -> "jian").

`TABLE_LIST` covers the BMP and the emoji planes (an entry for every character, so `str.translate` never
takes its slow missing-key path); the few characters past it that change (tags, variation selectors,
compatibility ideographs) are mapped after. Pure-ASCII text takes `str.lower` instead.

`native_table()` gives the same mapping as compact C arrays (workers/core/text/_charstage.c, built by
ops/setup), whose `translate` and `length_changes` equal the functions here (a test compares them on every
code point and every corpus text); normalization uses it when built, these functions otherwise.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Any

try:  # the character stage in C (workers/core/text/_charstage.c, built by ops/setup)
    from workers.core.text._charstage import CharTable
except ImportError:  # not built: the functions below
    CharTable = None

# Combining marks that only decorate (accents, overlays used for "zalgo" text, enclosing keycaps).
_COMBINING = [(0x0300, 0x036F), (0x1AB0, 0x1AFF), (0x1DC0, 0x1DFF), (0x20D0, 0x20FF), (0xFE20, 0xFE2F)]
# Invisible characters beyond category Cf/Cs: fillers that render as nothing, variation selectors.
_INVISIBLE_EXTRA = [
    (0x034F, 0x034F), (0x115F, 0x1160), (0x17B4, 0x17B5), (0x180B, 0x180F), (0x3164, 0x3164),
    (0xFFA0, 0xFFA0), (0xFE00, 0xFE0F), (0xE0100, 0xE01EF), (0x1D173, 0x1D17A),
]
_SPACES = {0x2800: " ", 0x1680: " ", 0x2028: "\n", 0x2029: "\n", 0x0085: "\n"}  # braille blank looks empty


def _digits(first: int, values: range | list[int]) -> dict[int, str]:
    return {first + i: str(v) for i, v in enumerate(values)}


def _letters(first: int) -> dict[int, str]:
    return {first + i: chr(ord("a") + i) for i in range(26)}


# Overrides of NFKC: the digit itself, not "(1)" or "1." or "0,", and dingbat digits NFKC leaves alone.
_OVERRIDES: dict[int, str] = {
    **_digits(0x2776, range(1, 11)),  # ❶..❿
    **_digits(0x2780, range(1, 11)),  # ➀..➉
    **_digits(0x278A, range(1, 11)),  # ➊..➓
    **_digits(0x24EB, range(11, 21)),  # ⓫..⓴
    **_digits(0x24F5, range(1, 11)),  # ⓵..⓾
    0x24FF: "0", 0x1F10B: "0", 0x1F10C: "0",  # ⓿ 🄋 🄌
    **_digits(0x2474, range(1, 21)),  # ⑴..⒇
    **_digits(0x2488, range(1, 21)),  # ⒈..⒛
    **_digits(0x1F100, range(0, 11)),  # 🄀..🄊 (digit full stop / comma)
    **{0x249C + i: chr(ord("a") + i) for i in range(26)},  # ⒜..⒵
    **_letters(0x1F110),  # 🄐..🄩 parenthesized
    **_letters(0x1F150),  # 🅐..🅩 negative circled
    **_letters(0x1F170),  # 🅰..🆉 negative squared
    **{0x3220 + i: c for i, c in enumerate("一二三四五六七八九十")},  # ㈠..㈩
    0x25CB: "〇", 0x25EF: "〇",  # ○ ◯ written for zero
    0x1F6E9: "✈", 0x1F6EB: "✈", 0x1F6EC: "✈",  # 🛩 🛫 🛬
    # Latin letters with a stroke, which NFKD does not split into a letter and a mark, lose it as accents do:
    # "pøst" -> "post", "łike" -> "like" (as "ö" and "é" already become "o" and "e")
    0x00D8: "o", 0x00F8: "o", 0x0141: "l", 0x0142: "l", 0x0110: "d", 0x0111: "d", 0x0126: "h", 0x0127: "h",
    **_SPACES,
}


_DROPPED_RANGES = frozenset(
    cp for a, b in _COMBINING + _INVISIBLE_EXTRA + [(0xE0000, 0xE007F)] for cp in range(a, b + 1)
)


def _dropped(cp: int) -> bool:
    if cp in _DROPPED_RANGES:
        return True
    cat = unicodedata.category(chr(cp))
    if cat in ("Cf", "Cs"):
        return True
    return cat == "Cc" and cp >= 0x80  # C1 controls; ASCII controls are left to the whitespace rule


def _strip_accent(ch: str) -> str:
    if ch.isascii() or not ch.isalpha():
        return ch
    base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    return base if base and base.isascii() and base.isalpha() else ch


def map_char(ch: str) -> str:
    """What one character becomes ("" when it is dropped). ASCII: exactly `str.lower`."""
    cp = ord(ch)
    if cp < 0x80:
        return ch.lower()
    if cp in _OVERRIDES:
        return _OVERRIDES[cp]
    if _dropped(cp):
        return ""
    out = unicodedata.normalize("NFKC", ch).casefold()
    out = "".join(_strip_accent(c) for c in out if not _dropped(ord(c)))
    return out


# Blocks where every character maps to itself (checked by a test): skipped when building the table.
_IDENTITY_BLOCKS = [(0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xA000, 0xA48C), (0xAC00, 0xD7A3), (0xE000, 0xF8FF)]


def _changes(cp: int) -> bool:
    ch = chr(cp)
    return (
        cp in _OVERRIDES
        or ch.casefold() != ch
        or not unicodedata.is_normalized("NFKC", ch)
        or _dropped(cp)
        or (ch.isalpha() and _strip_accent(ch) != ch)
    )


def _build() -> tuple[dict[int, int | str | None], list[int]]:
    table: dict[int, int | str | None] = {cp: cp for cp in range(0x20000)}
    table.update((cp, ord(chr(cp).lower())) for cp in range(0x41, 0x5B))
    length_changing: list[int] = []
    skip: set[int] = set()
    for a, b in _IDENTITY_BLOCKS:
        skip.update(range(a, b + 1))
    cps = [cp for cp in range(0x80, 0x20000) if cp not in skip]
    cps += list(range(0x2F800, 0x2FA20)) + list(range(0xE0000, 0xE0080)) + list(range(0xE0100, 0xE01F0))
    for cp in cps:
        if not _changes(cp):
            table[cp] = cp
            continue
        out = map_char(chr(cp))
        table[cp] = (out if out else None) if out != chr(cp) else cp
        if len(out) != 1:
            length_changing.append(cp)
    # ASCII control characters, in text that is not pure ASCII (pure ASCII text takes `str.lower` and the
    # whitespace rule): tab -> space, vertical breaks -> newline, the others dropped.
    for cp in list(range(0x00, 0x20)) + [0x7F]:
        out = {0x09: " ", 0x0A: "\n", 0x0B: "\n", 0x0C: "\n", 0x0D: "\n"}.get(cp, "")
        table[cp] = ord(out) if out else None
        if not out:
            length_changing.append(cp)
    return table, length_changing


def char_class(cps: list[int]) -> str:
    """A regex character class body (ranges) for code points."""
    cps = sorted(set(cps))
    parts: list[str] = []
    i = 0
    while i < len(cps):
        j = i
        while j + 1 < len(cps) and cps[j + 1] == cps[j] + 1:
            j += 1
        a, b = re.escape(chr(cps[i])), re.escape(chr(cps[j]))
        parts.append(a if i == j else f"{a}-{b}")
        i = j + 1
    return "".join(parts)


TABLE, _LENGTH_CHANGING = _build()
# Characters that map to zero or several characters (a superset: the BMP ones, and two astral ranges holding
# all the astral ones); between them the mapping is one to one.
if not all(0x110BD <= cp <= 0x1F248 or 0xE0000 <= cp <= 0xE01EF for cp in _LENGTH_CHANGING if cp >= 0x10000):
    raise RuntimeError("an astral character changing length lies outside the ranges of _CHANGING_LENGTH")
_CHANGING_LENGTH = re.compile(
    f"[{char_class([cp for cp in _LENGTH_CHANGING if cp < 0x10000])}\U000110BD-\U0001F248\U000E0000-\U000E01EF]+"
)
_ASTRAL_HIGH = re.compile("[\U00020000-\U0010FFFF]")


# The same table as a list over the BMP and the emoji planes (faster to index); characters past its end map
# to themselves in `str.translate`, so the few of them that change are mapped after.
TABLE_LIST: list[int | str | None] = [TABLE[cp] for cp in range(0x20000)]
_HIGH_CHANGING = re.compile(f"[{char_class([cp for cp in TABLE if cp >= 0x20000 and TABLE[cp] != cp])}]")


def native_table(rare: str = "") -> Any:
    """The mapping as a C `CharTable` (None when the extension is not built); `rare`: the characters whose
    presence its `translate_rare` reports."""
    if CharTable is None:
        return None
    high = {cp: map_char(chr(cp)) or None for cp, v in TABLE.items() if cp >= 0x20000 and v != cp}
    return CharTable(TABLE_LIST, high, rare)


def _map_match(m: re.Match[str]) -> str:
    return map_char(m.group())


def translate(text: str) -> str:
    """The character stage, fast: no offsets."""
    if text.isascii():
        return text.lower()
    out = text.translate(TABLE_LIST)
    if _ASTRAL_HIGH.search(out) is not None:
        out = _HIGH_CHANGING.sub(_map_match, out)
    return out


def length_changes(text: str) -> list[tuple[int, int]]:
    """(position, mapped length) of the characters of `text` that do not map to exactly one character;
    all others map one to one (so a position in `translate(text)` maps back by counting these)."""
    if text.isascii():
        return []
    out = []
    for m in _CHANGING_LENGTH.finditer(text):
        for k in range(m.start(), m.end()):
            n = len(text[k].translate(TABLE))
            if n != 1:
                out.append((k, n))
    return out


def back(changes: list[tuple[int, int]], p: int) -> int:
    """Position in the original text of character p of the translated text (see `length_changes`)."""
    delta = 0  # translated position - original position, before the current change
    for k, n in changes:
        out_start = k + delta
        if p < out_start:
            break
        if p < out_start + n:
            return k
        delta += n - 1
    return p - delta


def back_many(changes: list[tuple[int, int]], queries: list[list[int]]) -> None:
    """`back` for queries [position, ...] sorted by position, in place, in one walk over the changes."""
    i = 0
    delta = 0
    n = len(changes)
    for q in queries:
        p = q[0]
        while i < n:
            k, length = changes[i]
            out_start = k + delta
            if p < out_start + length:
                break
            delta += length - 1
            i += 1
        if i < n:
            k, length = changes[i]
            if k + delta <= p < k + delta + length:
                q[0] = k
                continue
        q[0] = p - delta


def translate_tracked(text: str) -> tuple[str, list[int], list[int]]:
    """The character stage with offsets: (mapped, starts, ends), starts[i] / ends[i] = the original span of
    mapped character i. Gives exactly `translate(text)`: between the characters that change length (found
    by one regex), `translate` maps one to one."""
    n = len(text)
    if text.isascii() or _CHANGING_LENGTH.search(text) is None:
        return translate(text), list(range(n)), list(range(1, n + 1))
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    pos = 0
    for m in _CHANGING_LENGTH.finditer(text):
        i, j = m.span()
        if i > pos:
            pieces.append(translate(text[pos:i]))
            starts += range(pos, i)
            ends += range(pos + 1, i + 1)
        for k in range(i, j):
            mapped = text[k].translate(TABLE)
            if mapped:
                pieces.append(mapped)
                starts += [k] * len(mapped)
                ends += [k + 1] * len(mapped)
        pos = j
    if pos < n:
        pieces.append(translate(text[pos:]))
        starts += range(pos, n)
        ends += range(pos + 1, n + 1)
    return "".join(pieces), starts, ends
