"""Traditional -> simplified Chinese with OpenCC (`t2s`), cheaply.

OpenCC's t2s converts phrase by phrase, but for all but a few characters a phrase converts exactly as its
characters one by one, and calling OpenCC costs microseconds. So:
  - `CHAR_MAP` is OpenCC's own conversion of every CJK character alone (built at import);
  - text holding a character of `CHAR_MAP` is traditional: when it also holds one of the `AMBIGUOUS`
    characters (the only ones OpenCC's phrase table converts differently in context: 乾隆 vs 乾淨, 瞭解,
    計畫, 回覆), OpenCC converts its *windows* (below), the character table the rest; otherwise the character
    table converts it all, with the same result as OpenCC.
t2s maps character to character, so the length stays; should OpenCC ever change it, the character table is
used instead, so offsets stay one-to-one either way.

Windows: OpenCC's phrases are made of `PHRASE_CHARS` (527 characters) only, so a character outside them (and
outside the compatibility ideographs its first step maps to them, and the characters past U+FFFF the character
table leaves) ends every phrase; a run of such characters holding an AMBIGUOUS one is converted as OpenCC
converts the whole text.
Called on a whole text in the middle of the pipeline OpenCC took ~27 us (its tables out of the processor's
caches), 7.7 in a loop of its own; windows are a few characters, and recurring ones are kept (`_WINDOWS`).
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
# The characters of the keys of OpenCC 1.4.2's phrase dictionary (TSPhrases.ocd2: 477 phrases of 2 to 10 Han
# characters). A test reads the installed dictionary and checks that no phrase holds another character.
PHRASE_CHARS: frozenset[str] = frozenset(
    "一七上下不丑丕世中么之乎九乾事二于些亡仇代以仲任住佑來侔信俱倒倫傢傷像允元免兒八公兵其再冒冤冥凌出函到則剋劄劑力"
    "功助勇勝勳千卉南卦卿厚反口可名吒吟吳呈呼命哀哉哨哩哪商單喻嘉噁回國圖土坏坤坦塊墓墜墨壺夕多大如威婆子宅安完宗定宫"
    "宮寂寇寡射尋小少尼屋山岩崇州工己布帝帳幬年幺序康延弦張形彥彭彷彿往徐得徨復徵德心志忠思性悶情惕惟想意態慰憑懷成戟"
    "戲戶所手打扞扭批找折拉拜指按挨挪捏掌推摩擊據擲故救敖敬文斷方於旋族无旦昇明昏春暗曜書會有望朝期木本李束杯東杳枕林"
    "架柯校格梁梅條梨棣森椀楊槁樊樹機橡此死段母毒毛氣水氾池沈沒沙河法流浪浮海浸消淨淪深清湎溫溺滑滯潛澤澱濁濛炳烏無然"
    "物狐狩狼獨獮獵王玟珍珠琳瓊瓿甌甚生甦田由申甸畋畢畫痛痼痾發皇盂盆盛盜盤盧目着睡瞭知石砂破磚示社祇祕祖祝神祥福移程"
    "稟穆積章端竹竺笈筆筒答箸篤簡籌粟糧紅素絃維綱縣繇羽老耳聯聲肉肘育胤能脆脡脩脫脯腶臣自舟船色苗若英茅茵草菟華萬落蒐"
    "蒜蔣蕉蕓蕩蕭薹藉虎衹袁袖袢袷裏製覆見角解言計許詞詩語調讀變讎谿象豪貂貲買費資赤足踅躪載轉辛辭迷逆逕造逢連過道遺邑"
    "郁郭酒醉醒醜醞醢醬重量釐金釜鈞鉅鉸銀鋼錘錢錦鍊鍛鍾鎖鎮鐵鑽鑿門間閻闥阱防陀降陞陰陳陵陶陷隆雁雖電露靜韓音項頗頭頸"
    "額顛顧食馗香馮鬱魂魏魚鶴鹿麪麼麽黃黑默鼎齎龍龔"
)


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
    simple = text.translate(_TABLE)
    if ambiguous:
        out = _by_windows(text, simple)
        if out is not None:
            return out
    return simple


# OpenCC decides these characters itself (the rest of a text goes by the table): the compatibility ideographs
# (its first step maps them to others, maybe phrase characters) and the characters past U+FFFF
_OWN_CLASS = "\uf900-\ufaff\U00010000-\U0010ffff"
# a window holds one of these ...
_WINDOW_START = re.compile(f"[{char_class([ord(c) for c in AMBIGUOUS])}{_OWN_CLASS}]")
# ... and reaches as far as these go on either side: any other character ends every OpenCC phrase
_WINDOW_RUN = re.compile(f"[{char_class([ord(c) for c in PHRASE_CHARS])}{_OWN_CLASS}]*")


def _run_end(text: str, pos: int) -> int:
    """Where the run of window characters from `pos` ends."""
    m = _WINDOW_RUN.match(text, pos)
    return m.end() if m is not None else pos


def _by_windows(text: str, simple: str) -> str | None:
    """OpenCC's conversion of `text` (`simple`: its character table conversion): the windows holding an
    AMBIGUOUS character, a compatibility ideograph or a character past U+FFFF by OpenCC, the rest from
    `simple`; None when OpenCC changes a window's length (the whole text then goes by the table)."""
    parts: list[str] = []
    done = 0
    n = len(text)
    backwards = text[::-1]  # a window's start: how far the run reaches back from its first trigger
    m = _WINDOW_START.search(text)
    while m is not None:
        i = m.start()
        start = i - (_run_end(backwards, n - i) - (n - i))
        end = _run_end(text, i + 1)
        window = _window(text[start:end])
        if window is None:
            return None
        parts.append(simple[done:start])
        parts.append(window)
        done = end
        m = _WINDOW_START.search(text, end)
    parts.append(simple[done:])
    return "".join(parts)


_WINDOWS: dict[str, str | None] = {}
_WINDOWS_KEPT = 4096


def _window(window: str) -> str | None:
    """OpenCC's conversion of a window, or None when it changes the length; recurring windows are kept."""
    if window in _WINDOWS:
        return _WINDOWS[window]
    try:
        out: str | None = _CC.convert(window)
    except Exception:  # pragma: no cover - OpenCC refused the input; the character table still works
        out = None
    if out is not None and len(out) != len(window):
        out = None
    if len(_WINDOWS) >= _WINDOWS_KEPT:
        _WINDOWS.clear()
    _WINDOWS[window] = out
    return out
