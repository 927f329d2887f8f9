"""Text normalization with a map back to original offsets.

`normalize(text)` returns a `Normalized` whose `text` is what detectors match on; `span(start, end)` maps a
span of that text back to the original text, so evidence spans point into what the user wrote.

Steps, in order (each keeps the map to original offsets):
  1. characters (`text/charmap.py`): invisible characters and variation selectors dropped, NFKC
     (full-width -> half-width), casefold, accents off Latin letters, circled / parenthesized / dingbat
     digits and letters -> ASCII;
  2. traditional -> simplified Chinese (`text/t2s.py`, OpenCC t2s), only when the text has a character
     OpenCC changes (same length: offsets unchanged);
  3. rules (`text/rules.py`): whitespace runs -> one space (or one newline); Cyrillic/Greek look-alikes in
     Latin words; separators inside spelled-out words ("加 微 信", "刷·单", "w x", "1 3 8 0 0 ..."); leetspeak
     inside words; nicknames and pinyin -> canonical tokens (微信, qq, telegram, whatsapp, 兼职, 刷单); no
     space between CJK and Latin or digits ("每单 30 元" -> "每单30元"); "xxx点com" -> "xxx.com"; Chinese
     numerals in runs that read as numbers -> digits.

Speed: the text is computed with `str.translate` and `re.sub` (pure-ASCII text: `str.lower`), each rule only
when a cheap check says it can apply, and four rules helped by C (`_NATIVE_RULES` below); a small log keeps,
for each rule that changed the length of the text, its input text (and its edits, when C gave them). Offsets are computed only when `span()` is first called (for the events with a
handle or a finding): the edits of the logged rules are recomputed (their replacement functions are pure)
and walked back, then the character stage is mapped back from the positions of the few characters whose
mapping changes the length. A reference pass in the tests recomputes text and
offsets independently, rebuilding per-character offset lists at every step; both agree on the corpus and on
disguised texts.
Short texts seen twice are cached (chat traffic repeats itself).
"""
from __future__ import annotations

import re
from typing import Callable, Final

from mypy_extensions import mypyc_attr

from workers.core.recurring import RecurringCache
from workers.core.text import charmap, offsets, rules, t2s

__all__ = ["Normalized", "normalize"]

Repl = offsets.Repl
# The steps that changed the text: input text, pattern, and the replacement (its edits are recomputed when
# offsets are first needed), or the edits themselves (a rule run in C gives them at once).
Log = list[tuple[str, re.Pattern[str], Repl | list[offsets.Edit]]]

# Characters whose presence switches on a step: traditional characters (t2s), Greek and Cyrillic
# (look-alikes), Chinese numerals. One scan finds them all.
_TRAD = t2s.TRIGGER_CHARS
_AMBIGUOUS = t2s.AMBIGUOUS
_GREEK_CYRILLIC = frozenset(chr(cp) for cp in range(0x0370, 0x0530))
_RARE_CODEPOINTS = sorted(
    {*t2s.TRIGGER_CODEPOINTS, *map(ord, t2s.AMBIGUOUS), *range(0x0370, 0x0530), *map(ord, rules.CN_NUMERALS)}
)
_RARE = re.compile("[" + charmap.char_class(_RARE_CODEPOINTS) + "]")
# The character stage in C when built (charmap.native_table): the translated text and its rare characters in
# one pass, and the length changes; None: charmap's functions and _RARE.
_CHARS = charmap.native_table("".join(map(chr, _RARE_CODEPOINTS)))
_NO_CHARS: frozenset[str] = frozenset()
# t2s's character table in C when built: the simplified text and its rare characters in one pass; None: t2s's
# str.translate and _RARE.
_T2S_CHARS = t2s.native_table("".join(map(chr, _RARE_CODEPOINTS)))
# Rules helped by C when built (workers/core/text/_spelled.c), each giving its output and edits at once:
# separators inside spelled-out words and spaces next to CJK characters run wholly in C; the nickname and
# leetspeak rules run their pattern only where C found that it may match (rules.sub_at). The patterns stay
# the reference (the tests' reference pass runs them) and the path otherwise.
# (Found by the pattern's identity: hashing a compiled pattern hashes its whole code.)
_SPELLED = rules.native_spelled()
_NICKNAME_STARTS = rules.nickname_starts()
_MAP_SPAN = offsets.native_map_span  # spans mapped back in C when built (workers/core/text/_offsets.c)
# The rules' patterns and functions the steps hand on, bound here once: the compiled module reads its own final
# names directly, another module's attributes through a lookup each time (about ten an event)
_WHITESPACE: Final = rules.WHITESPACE
_COLLAPSE_WHITESPACE: Final = rules.collapse_whitespace
_SEPARATORS: Final = rules.SEPARATORS
_JOIN_SPELLED: Final = rules.join_spelled
_LEET_PATTERN: Final = rules.LEET
_DECODE_LEET: Final = rules.decode_leet
_NICKNAME_PATTERN: Final = rules.NICKNAME_PATTERN
_CANONICAL_NICKNAME: Final = rules.canonical_nickname
_CJK_SPACE: Final = rules.CJK_SPACE
_NUMERALS: Final = rules.NUMERALS
_NUMERALS_TO_DIGITS: Final = rules.numerals_to_digits
_CN_SET: Final = rules.CN_SET


def _nicknames(text: str) -> tuple[str, list[offsets.Edit]] | None:
    """Nicknames: rules.NICKNAME_PATTERN where C found a variant that may match."""
    return rules.sub_at(_NICKNAME_PATTERN, _CANONICAL_NICKNAME, text, _NICKNAME_STARTS.starts(text))


def _leet(text: str) -> tuple[str, list[offsets.Edit]] | None:
    """Leetspeak: rules.LEET where C found a word holding a letter and one of 0 1 3 4 5 7 @ $."""
    return rules.sub_at(_LEET_PATTERN, _DECODE_LEET, text, _SPELLED.leet_starts(text))


def _leet_triggered(text: str) -> bool:
    if _SPELLED is not None:
        return bool(_SPELLED.leet_triggered(text))
    return rules.LEET_TRIGGER.search(text) is not None


_NATIVE_RULES: dict[int, Callable[[str], tuple[str, list[offsets.Edit]] | None]] = {}
if _SPELLED is not None:
    _NATIVE_RULES[id(rules.SEPARATORS)] = _SPELLED.join_spelled
    _NATIVE_RULES[id(rules.CJK_SPACE)] = _SPELLED.cjk_space
    _NATIVE_RULES[id(rules.LEET)] = _leet
if _NICKNAME_STARTS is not None:
    _NATIVE_RULES[id(rules.NICKNAME_PATTERN)] = _nicknames


class Normalized:
    """`original`: what the user wrote; `text`: what detectors match on; `span()`: text -> original."""

    __slots__ = ("original", "text", "_log", "_edits", "_chars")

    def __init__(
        self, original: str, text: str, index: tuple[int, ...] | list[int] | None = None, log: Log | None = None
    ):
        self.original = original
        self.text = text
        self._log = log
        self._edits: list[tuple[str, list[offsets.Edit]]] | None = None
        # The character stage's length changes (see charmap.length_changes), computed on first use; or an
        # explicit index given to the constructor.
        self._chars: list[tuple[int, int]] | tuple[list[int], list[int]] | None = None
        if index is not None:  # an explicit index: index[i] = original offset of text[i]
            self._edits = []
            self._chars = (list(index), [i + 1 for i in index])

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of the normalized text to the original text."""
        n = len(self.text)
        if 0 <= start < end <= n:  # the common case, a span inside the text: no clamping
            if self._edits is None or self._chars is None:
                self._prepare()
            if not self._edits and not self._chars:
                return (start, end)
            return self._map_span(start, end - 1)
        if not n:
            return (0, 0)
        start = max(0, min(start, n))
        end = max(0, min(end, n))
        if self._edits is None or self._chars is None:
            self._prepare()
        if not self._edits and not self._chars:  # nothing moved: offsets are the identity
            return (start, end) if start < end else (start, start)
        if start >= end:  # empty: the point before character `start`, or the end
            at = self._map(start, False) if start < n else self._map(n - 1, True) + 1
            return (at, at)
        return (self._map(start, False), self._map(end - 1, True) + 1)

    def spans(self, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """`span()` of many spans; past a few, in one walk back through the steps for all of them."""
        if len(spans) <= 8:
            return [self.span(a, b) for a, b in spans]
        n = len(self.text)
        if not n:
            return [(0, 0)] * len(spans)
        queries: list[list[int]] = []  # [position, end side (0/1), query number]
        for start, end in spans:
            start = max(0, min(start, n))
            end = max(0, min(end, n))
            if start < end:
                queries += ([start, 0, len(queries)], [end - 1, 1, len(queries) + 1])
            elif start < n:
                queries += ([start, 0, len(queries)], [start, 0, len(queries) + 1])
            else:
                queries += ([n - 1, 1, len(queries)], [n - 1, 1, len(queries) + 1])
        self._walk_back(queries)
        limit = len(self.original)
        mapped = [0] * len(queries)
        for p, end_side, k in queries:
            mapped[k] = min(p + end_side, limit)
        return [(mapped[k], mapped[k + 1]) for k in range(0, len(mapped), 2)]

    @property
    def index(self) -> tuple[int, ...]:
        """index[i] = original offset where normalized character i starts (computed on use)."""
        queries = [[i, 0, i] for i in range(len(self.text))]
        self._walk_back(queries)
        return tuple(min(p, len(self.original)) for p, _, _ in sorted(queries, key=lambda q: q[2]))

    def _prepare(self) -> None:
        if self._edits is None:  # kept last step first, the order they are walked back
            log = self._log if self._log is not None else _run(self.original)[1]
            self._edits = [(text, fn if isinstance(fn, list) else offsets.edits(pattern, fn, text))
                           for text, pattern, fn in reversed(log)]
        if self._chars is None:
            chars = _CHARS
            if chars is not None:
                self._chars = chars.length_changes(self.original)
            else:
                self._chars = charmap.length_changes(self.original)

    def _map_span(self, p: int, q: int) -> tuple[int, int]:
        """`(_map(p, False), _map(q, True) + 1)` for p <= q, in one walk back through the steps (in C when
        built: `offsets.map_span`), then the character stage."""
        if self._edits:
            if _MAP_SPAN is not None:
                p, q = _MAP_SPAN(self._edits, p, q)
            else:
                p, q = offsets.map_span(self._edits, p, q)  # type: ignore[arg-type]
        chars = self._chars
        limit = len(self.original)
        if isinstance(chars, tuple):  # an explicit index
            index = chars[0]
            p = min(index[p], limit) if p < len(index) else limit
            q = min(index[q], limit) if q < len(index) else limit
            return (p, q + 1)
        if chars:
            p = charmap.back(chars, p)  # type: ignore[arg-type]
            q = charmap.back(chars, q)  # type: ignore[arg-type]
        return (p if p < limit else limit, (q if q < limit else limit) + 1)

    def _map(self, p: int, end_side: bool) -> int:
        """Original position of normalized character p (end side: the last character of a replaced match)."""
        for text, edits in self._edits:  # type: ignore[union-attr]
            delta = 0  # output position - input position, before the current edit
            for s, e, r in edits:
                out_start = s + delta
                if p < out_start:
                    break
                if p < out_start + len(r):
                    p = offsets.inside(text, s, e, r, p - out_start, end_side) + delta
                    break
                delta += len(r) - (e - s)
            p -= delta
        chars = self._chars
        if isinstance(chars, tuple):  # an explicit index
            return min(chars[0][p], len(self.original)) if p < len(chars[0]) else len(self.original)
        if chars:
            p = charmap.back(chars, p)  # type: ignore[arg-type]
        limit = len(self.original)
        return p if p < limit else limit

    def _walk_back(self, queries: list[list[int]]) -> None:
        """`_map` for many queries [position, end side, tag], in place: one walk per step."""
        self._prepare()
        queries.sort()
        for text, edits in self._edits:  # type: ignore[union-attr]
            offsets.back_many(text, edits, queries)
            queries.sort()
        if isinstance(self._chars, tuple):  # an explicit index
            index = self._chars[0]
            for q in queries:
                q[0] = index[q[0]] if q[0] < len(index) else len(self.original)
        else:
            charmap.back_many(self._chars, queries)  # type: ignore[arg-type]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Normalized):
            return NotImplemented
        return self.original == other.original and self.text == other.text

    def __hash__(self) -> int:
        return hash((self.original, self.text))

    def __repr__(self) -> str:
        return f"Normalized(original={self.original!r}, text={self.text!r})"


def normalize(text: str) -> Normalized:
    """The normalized text; a short text seen before may come from the cache (`_CACHE`)."""
    if len(text) > _CACHE_MAX_CHARS:
        return _normalized(text)
    got = _CACHE.get(text)
    if got is None:
        got = _normalized(text)
        _CACHE.offer(text, got)
    return got


# Chat traffic repeats itself (campaigns paste the same text, people write "好的"): short texts seen twice
# are normalized once (workers/core/recurring.py: a text seen once costs no entry). A `Normalized` is
# immutable; its lazily computed offsets are the same for every caller.
_CACHE_MAX_CHARS = 256
_CACHE: RecurringCache[Normalized] = RecurringCache(4096)


def clear_cache() -> None:
    """Forget every text seen (the state of a fresh process)."""
    _CACHE.clear()


def _normalized(text: str) -> Normalized:
    out, log = _run(text)
    return Normalized(text, out, log=log)


@mypyc_attr(allow_interpreted_subclasses=True)  # the tests' reference pass is an interpreted subclass
class Rewriter:
    """Applies a rule for `_steps` (`apply`: in C when `_NATIVE_RULES` has it, else `re.sub`) and logs the rules
    that changed the length, for the offsets. A method of a compiled class: `_steps` calls it directly (a
    closure passed as a callable took a generic call, and a lookup, per rule)."""

    def __init__(self) -> None:
        self.log: Log = []

    def apply(self, pattern: re.Pattern[str], fn: Repl, text: str, same_length: bool = False) -> str:
        native = _NATIVE_RULES.get(id(pattern))
        if native is not None:
            done = native(text)
            if done is None:
                return text
            if not same_length:
                self.log.append((text, pattern, done[1]))
            return done[0]
        out = pattern.sub(fn, text)
        if not same_length and out != text:  # a rule replacing character by character moves no offset
            self.log.append((text, pattern, fn))
        return out


def _run(original: str) -> tuple[str, Log]:
    sub = Rewriter()
    chars = _CHARS
    if chars is None:
        return _steps(charmap.translate(original), original.isascii(), sub), sub.log
    text, found = chars.translate_rare(original)
    return _steps(text, original.isascii(), sub, found or _NO_CHARS), sub.log


def _steps(text: str, ascii_only: bool, sub: Rewriter, rare: frozenset[str] | None = None) -> str:
    """The steps after the character stage: a rule runs only when its trigger is in the text. `sub.apply`
    applies a rule (`Rewriter`: in C or by `re.sub`, logging the rules that changed the length; the tests'
    reference pass, a subclass, rebuilds offsets). `rare`: the rare characters of `text` when the caller found
    them already."""
    if ascii_only:
        rare = _NO_CHARS
        if "  " in text or not text.isprintable():
            text = sub.apply(_WHITESPACE, _COLLAPSE_WHITESPACE, text)
    else:
        if rare is None:
            found = _RARE.findall(text)
            rare = frozenset(found) if found else _NO_CHARS
        if rare and not rare.isdisjoint(_TRAD):  # same length: offsets unchanged
            ambiguous = not rare.isdisjoint(_AMBIGUOUS)
            if ambiguous or _T2S_CHARS is None:
                text = t2s.to_simplified(text, ambiguous)
                found = _RARE.findall(text)
                rare = frozenset(found) if found else _NO_CHARS
            else:  # character by character (t2s.to_simplified's own way here), in C
                text, found_set = _T2S_CHARS.translate_rare(text)
                rare = found_set or _NO_CHARS
        if "  " in text or "\n" in text:
            text = sub.apply(_WHITESPACE, _COLLAPSE_WHITESPACE, text)
        if rare and not rare.isdisjoint(_GREEK_CYRILLIC):
            pattern, fn = rules.homoglyph_rule(text)
            text = sub.apply(pattern, fn, text, True)
    text = sub.apply(_SEPARATORS, _JOIN_SPELLED, text)
    if _leet_triggered(text):
        text = sub.apply(_LEET_PATTERN, _DECODE_LEET, text, True)
    text = sub.apply(_NICKNAME_PATTERN, _CANONICAL_NICKNAME, text)
    if " " in text and not text.isascii():
        text = sub.apply(_CJK_SPACE, "", text)
    if rare and _numerals_may_apply(text, rare):
        text = sub.apply(_NUMERALS, _NUMERALS_TO_DIGITS, text, True)
    return text


def _numerals_may_apply(text: str, rare: frozenset[str]) -> bool:
    """Chinese numerals read as a number only in a run: two numerals or more, or one next to a digit."""
    numeral = ""  # the one numeral among the rare characters (no set made: `rare` holds a few characters)
    for c in rare:
        if c in _CN_SET:
            if numeral:
                return True
            numeral = c
    if not numeral:
        return False
    at = text.find(numeral)
    if text.find(numeral, at + 1) >= 0:
        return True
    return (at > 0 and "0" <= text[at - 1] <= "9") or (at + 1 < len(text) and "0" <= text[at + 1] <= "9")
