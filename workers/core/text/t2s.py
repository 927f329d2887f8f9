"""Traditional -> simplified Chinese with OpenCC (`t2s`), cheaply.

OpenCC's t2s converts phrase by phrase, but for all but a few characters a phrase converts exactly as its
characters one by one, and calling OpenCC costs microseconds. So:
  - `CHAR_MAP` is OpenCC's own conversion of every CJK character alone (built at import);
  - text holding a character of `CHAR_MAP` is traditional: when it also holds one of the `AMBIGUOUS`
    characters (the only ones OpenCC's phrase table converts differently in context: 乾隆 vs 乾淨, 瞭解,
    計畫, 回覆), OpenCC converts the whole text; otherwise the character table does, with the same result.
t2s maps character to character, so the length stays; should OpenCC ever change it, the character table is
used instead, so offsets stay one-to-one either way.
"""
from __future__ import annotations

import re
from typing import Any

import opencc

from workers.core.text.charmap import CharTable, char_class

_CC = opencc.OpenCC("t2s")
_RANGES = [(0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF)]
# Characters of OpenCC 1.4.2's phrase dictionary (TSPhrases.ocd2, dumped with opencc_dict) whose
# conversion inside some phrase differs from their conversion alone. A test checks phrase examples.
AMBIGUOUS: frozenset[str] = frozenset("么乾俱剋劄吒哩噁坏彷徵扞於昇氾沈濛甦畫瞭祕脩蒐薹藉衹袷覆計谿逕釐鉅鍊鍾陞麼麽")
# Characters that alone stay but convert inside phrases (瞭解 -> 了解), rare in simplified text: they mark
# a text as traditional too. (么 坏 俱 沈 覆 ... are everyday simplified characters: they do not.)
_PHRASE_MARKERS = "瞭藉甦衹"


def _char_map() -> dict[int, str]:
    chars = [chr(cp) for a, b in _RANGES for cp in range(a, b + 1)]
    converted = _CC.convert("\n".join(chars)).split("\n")
    if len(converted) != len(chars):  # pragma: no cover - OpenCC changed how it treats newlines
        converted = [_CC.convert(c) for c in chars]
    return {ord(a): b for a, b in zip(chars, converted) if a != b and len(b) == 1}


CHAR_MAP = _char_map()
TRIGGER_CODEPOINTS: tuple[int, ...] = tuple(sorted(set(CHAR_MAP) | {ord(c) for c in _PHRASE_MARKERS}))
TRIGGER_CHARS: frozenset[str] = frozenset(chr(cp) for cp in TRIGGER_CODEPOINTS)
_TRIGGER = re.compile(f"[{char_class(list(TRIGGER_CODEPOINTS))}]")
# The character table as a list (fast `str.translate`); characters past its end map to themselves.
_TABLE: list[int | str] = list(range(0x20000))
for _cp, _to in CHAR_MAP.items():
    _TABLE[_cp] = _to


def native_table(rare: str) -> Any:
    """The character table in C (`_charstage.CharTable`; None when it is not built): its `translate_rare(text)`
    gives `text.translate(_TABLE)` and the characters of `rare` in the result, in one pass."""
    return CharTable(_TABLE, {}, rare) if CharTable is not None else None


def needs_t2s(text: str) -> bool:
    return _TRIGGER.search(text) is not None


def to_simplified(text: str, ambiguous: bool | None = None) -> str:
    """Simplified text of the same length as `text`. `ambiguous`: whether `text` holds an AMBIGUOUS
    character, when the caller already knows."""
    if ambiguous is None:
        ambiguous = not AMBIGUOUS.isdisjoint(text)
    if ambiguous:
        try:
            out = _CC.convert(text)
        except Exception:  # pragma: no cover - OpenCC refused the input; the character table still works
            out = ""
        if len(out) == len(text):
            return out
    return text.translate(_TABLE)
