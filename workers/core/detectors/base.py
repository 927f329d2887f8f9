"""The detector interface and the lexicon scan the detectors are built on.

A detector is a named unit with `detect(ctx) -> list[Finding]`. It sees the normalized text (with the map
back to the original), the contact handles and the event's context; it never does I/O and never decides an
action: scoring and policy do that from its findings.

Most detectors are a `Lexicon` (named classes of cue words and short patterns, defined in the detector's
own file) plus a few lines of logic that combine the classes found: "a posting task with pay in the same
clause", "an account and a rent verb anywhere in the message".

Speed is part of the contract (the core decides tens of thousands of events per second on one core), and
CPython's `re` is slow on large alternations (at every candidate position it tries the alternatives one by
one). So the lexicons are not scanned one by one: all their alternatives are compiled together, once per
process, into an Aho-Corasick automaton (`matcher.py`) that finds every keyword, and every literal start of
a pattern, in one pass over the text; `re` runs only for patterns (numbers, amounts, gaps between keywords),
anchored where their start was found. Matches of different lexicons may overlap. The scan has two phases:
the trigger classes of the topic detectors for every event; everything else (pay words, cues, context,
money) only for events where a trigger was found. Results are shared by all detectors of the event (one
event is decided at a time). Every repetition is bounded; there are no nested unbounded quantifiers, so
matching stays linear.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType
from typing import Any, Callable, Iterable, Mapping, Protocol, Sequence, TypeVar

from workers.core.detectors.matcher import Scanner, Spans, compile_scanner, scan_first, scan_second
from workers.core.findings import Finding
from workers.core.handles import Handle
from workers.core.normalize import Normalized

Hits = Mapping[str, Spans]  # what a lexicon found in an event: class -> spans (read only)


@dataclass(slots=True, init=False, unsafe_hash=True)  # immutable by convention: workers/core/findings.py
class Context:
    norm: Normalized
    handles: tuple[Handle, ...]
    surface: str
    sent_at: datetime
    account_created_at: datetime | None

    def __init__(self, norm: Normalized, handles: tuple[Handle, ...], surface: str, sent_at: datetime,
                 account_created_at: datetime | None) -> None:
        self.norm = norm
        self.handles = handles
        self.surface = surface
        self.sent_at = sent_at
        self.account_created_at = account_created_at




class Detector(Protocol):
    """Optionally, class attributes that let the engine skip a detector with nothing to say (each a promise
    that `detect` returns [] otherwise):
      topical = True               unless a topic lexicon found a trigger (`any_topic`)
      requires = (LEX, ...)        unless each of these topic lexicons found a trigger (`LEX.triggered`)
      requires_hits = (LEX, ...)   unless each of these lexicons found something (`LEX.hits`), with a topic
    """

    @property
    def name(self) -> str: ...

    def detect(self, ctx: Context) -> list[Finding]: ...


def emit(name: str, ctx: Context, rule_id: str, label: str | None, weight: float,
         span: tuple[int, int]) -> Finding:
    """A finding whose evidence is `span` of the normalized text, mapped back to the original text.

    Mapping back walks the normalization steps backwards; only the evidence spans actually emitted are mapped
    (`Normalized` keeps what it needs between calls)."""
    start, end = ctx.norm.span(span[0], span[1])
    return Finding(name, rule_id, label, weight, start, end)


# --- lexicons -------------------------------------------------------------------------------------------

_META = set("\\.^$*+?{}[]|()")


def split_alternatives(pattern: str) -> list[str]:
    """Split a pattern on its top-level `|` (not inside groups or classes)."""
    out, depth, in_class, start, i = [], 0, False, 0, 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
        i += 1
    out.append(pattern[start:])
    return out


def _group_end(p: str, i: int) -> int:
    """Index just past the group or class opening at p[i]."""
    depth, in_class, j = 0, False, i
    while j < len(p):
        c = p[j]
        if c == "\\":
            j += 2
            continue
        if in_class:
            if c == "]" and j > i + 1:
                in_class = False
                if depth == 0:
                    return j + 1
        elif c == "[":
            in_class = True
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    raise ValueError(f"unbalanced pattern: {p!r}")


def _class_chars(body: str) -> list[str]:
    """The characters of a simple character class body ("a-c¥$"); no negation or escapes but `\\$`."""
    if body.startswith("^"):
        raise ValueError(f"negated class cannot start a lexicon pattern: [{body}]")
    chars: list[str] = []
    i = 0
    while i < len(body):
        c = body[i]
        if c == "\\":
            esc = body[i + 1]
            chars.extend("0123456789" if esc == "d" else " \t\n" if esc == "s" else esc)
            i += 2
        elif i + 2 < len(body) and body[i + 1] == "-":
            chars.extend(chr(o) for o in range(ord(c), ord(body[i + 2]) + 1))
            i += 3
        else:
            chars.append(c)
            i += 1
    return chars


_QUANT = re.compile(r"\?|\{(\d*)(?:,(\d*))?\}")


def _leading(alt: str) -> list[tuple[str, str]]:
    """(first literal character, rest) pairs that together match what `alt` matches."""
    if not alt:
        raise ValueError("empty alternative")
    if alt.startswith("\\b"):
        return _leading(alt[2:])
    if len(split_alternatives(alt)) > 1:  # a "|" at the top: one alternative each (else the first group's
        raise ValueError(f"unsplit alternatives in lexicon pattern: {alt!r}")  # rest would hold the others)
    if alt.startswith("(?:"):
        end = _group_end(alt, 0)
        head, rest = alt[:end], alt[end:]
        optional = rest.startswith("?") and rest[1:2] not in ("?", "+")
        if rest[:1] in ("*", "+", "{") or (rest.startswith("?") and not optional):
            raise ValueError(f"repeated group cannot start a lexicon pattern: {alt!r}")
        if optional:
            rest = rest[1:]
        pairs = [p for inner in split_alternatives(head[3:-1]) for p in _leading(inner + rest)]
        return pairs + (_leading(rest) if optional else [])
    if alt[0] == "(":
        raise ValueError(f"only (?:...) groups may start a lexicon pattern: {alt!r}")
    # the first element: an escape, a class or a character
    if alt.startswith("\\d"):
        elem, firsts = alt[:2], list("0123456789")
    elif alt[0] == "\\":
        elem, firsts = alt[:2], [alt[1]]
    elif alt[0] == "[":
        end = _group_end(alt, 0)
        elem, firsts = alt[:end], _class_chars(alt[1:end - 1])
    else:
        elem, firsts = alt[0], [alt[0]]
    rest = alt[len(elem):]
    q = _QUANT.match(rest)
    if rest[:1] in ("*", "+"):
        raise ValueError(f"unbounded first element in lexicon pattern: {alt!r}")
    if q is None:
        return [(c, rest) for c in firsts]
    rest = rest[q.end():]
    if q.group(0) == "?":
        return [(c, rest) for c in firsts] + _leading(rest)
    lo = int(q.group(1) or 0)
    hi = lo if q.group(2) is None and "," not in q.group(0) else int(q.group(2)) if q.group(2) else None
    if hi is None:
        raise ValueError(f"unbounded first element in lexicon pattern: {alt!r}")
    more = f"{elem}{{{max(lo - 1, 0)},{hi - 1}}}" if hi > 1 else ""
    pairs = [(c, more + rest) for c in firsts]
    return pairs + (_leading(rest) if lo == 0 else [])


class Lexicon:
    """Named classes of cues, found by the shared per-event scan.

    `classes` maps a class name to its alternatives (a `|`-separated pattern or a sequence of them). An
    alternative is a word or a short pattern that starts with a literal character (or a small class, an
    optional or alternation group, `\\d`: they are expanded). Alternatives starting with an ASCII letter or
    digit only match at the start of a word. Within one lexicon matches do not overlap: scanning left to
    right, the longest match at a position wins (a pattern over a word of the same length).

    `triggers` names the classes without which the detector has nothing to say; a lexicon with triggers is a
    topic lexicon, and `any_topic(ctx)` asks all of them whether one was triggered.
    """

    def __init__(self, classes: Mapping[str, str | Sequence[str]], triggers: Iterable[str] = ()):
        self.triggers = frozenset(triggers)
        unknown = self.triggers - set(classes)
        if unknown:
            raise ValueError(f"unknown trigger classes {sorted(unknown)}")
        self.id = len(_REGISTRY)
        self.classes = tuple(classes)
        self.words: dict[str, tuple[str, ...]] = {}  # literal alternatives -> their classes
        self.patterns: dict[str, list[tuple[str, re.Pattern[str]]]] = {}  # first character -> [(class, pattern)]
        for cls, spec in classes.items():
            alts = [alt for part in ((spec,) if isinstance(spec, str) else spec) for alt in split_alternatives(part)]
            for alt in alts:
                for first, rest in _leading(alt):
                    if not (_META & set(rest)):
                        word = first + rest
                        if cls not in self.words.get(word, ()):
                            self.words[word] = self.words.get(word, ()) + (cls,)
                        continue
                    self.patterns.setdefault(first, []).append(
                        (cls, re.compile(re.escape(first) + "(?:" + rest + ")", re.ASCII)))
        _REGISTRY.append(self)
        if self.triggers:
            TOPIC_LEXICONS.append(self)

    def hits(self, ctx: Context) -> Hits:
        """The classes found in the event's text, with the spans of their matches (in text order). Read only."""
        current = _current[0]
        if current is None or current.norm is not ctx.norm:
            current = event_scan(ctx)
        if current.later is not None:
            current.all_classes()
        return current.results.get(self.id, _NOTHING)

    def triggered(self, ctx: Context) -> bool:
        """Whether a trigger class is present in the event's text."""
        current = _current[0]
        if current is None or current.norm is not ctx.norm:
            current = event_scan(ctx)
        return self.id in current.triggered

    def scan(self, text: str) -> dict[str, Spans]:
        """The classes found in `text` (outside the per-event scan: tests, tools)."""
        return _scan_text(text)[self.id]


_REGISTRY: list[Lexicon] = []
TOPIC_LEXICONS: list[Lexicon] = []


_SENTENCE_END = re.compile(r"[。！？!?\n]")


def near(text: str, a: Spans | None, b: Spans | None, gap: int, after: bool = False) -> tuple[int, int] | None:
    """The first span of `a` with a span of `b` at most `gap` characters away in the same sentence (only
    after it with `after`); the evidence span covers both."""
    if not a or not b:
        return None
    for sa, ea in a:
        for sb, eb in b:
            if sa <= sb:
                lo, hi = ea, sb
            elif after:
                continue
            else:
                lo, hi = eb, sa
            if hi - lo <= gap and (hi <= lo or _SENTENCE_END.search(text, lo, hi) is None):
                return (min(sa, sb), max(ea, eb))
    return None


T = TypeVar("T")


def per_event(fn: Callable[[Context], T]) -> Callable[[Context], T]:
    """Memoize `fn(ctx)` for the current event: detectors that need the same computation share it.

    One entry, keyed by the identity of the event's normalized text, replaced as a whole (the core decides one
    event at a time; a stale entry is simply recomputed).
    """
    cell: list[tuple[object, object]] = [(None, None)]

    def wrapper(ctx: Context) -> T:
        norm, value = cell[0]
        if norm is ctx.norm:
            return value  # type: ignore[return-value]
        value = fn(ctx)
        cell[0] = (ctx.norm, value)
        return value

    wrapper.__doc__ = fn.__doc__
    wrapper.__name__ = fn.__name__
    return wrapper


_compiled: tuple[int, Scanner | None] = (-1, None)


def compile_lexicons() -> None:
    """Compile the registered lexicons now (it takes a moment) rather than on the first event."""
    _scanner()


def _scanner() -> Scanner:
    global _compiled
    if _compiled[0] != len(_REGISTRY):
        _compiled = (len(_REGISTRY), compile_scanner(_REGISTRY))
    return _compiled[1]  # type: ignore[return-value]


class EventScan:
    """The trigger classes of topic lexicons are scanned for every event; all other classes (a topic's pay
    words, cues, context, money) only for events where a detector asks for them (after a trigger was found)."""

    __slots__ = ("norm", "results", "topic", "triggered", "triggered_bits", "later", "_found_bits")

    def __init__(self, norm: Normalized):
        self.norm = norm
        self.results: dict[int, dict[str, Spans]] = {}  # lexicon id -> class -> spans
        # topic: a trigger class was found; later: the rest of the scan (None once done)
        self.topic, later = scan_first(_scanner(), norm.text, self.results)
        # the topic lexicons whose trigger was found
        self.triggered = frozenset(self.results) if self.topic else _NO_IDS
        self.triggered_bits = key_bits(self.results) if self.topic else 0  # the same, bit `id` for each
        self.later: Any = later  # a matcher.Later or the compiled scan's rest; None once done
        self._found_bits = -1  # found_bits(), once all classes are scanned

    def all_classes(self) -> dict[int, dict[str, Spans]]:
        if self.later is not None:
            scan_second(_scanner(), self.norm.text, self.later, self.results)
            self.later = None
        return self.results

    def found_bits(self) -> int:
        """The lexicons that found something (all classes scanned), as bits (bit `id` for each)."""
        if self._found_bits < 0:
            self._found_bits = key_bits(self.all_classes())
        return self._found_bits


def key_bits(results: dict[int, dict[str, Spans]]) -> int:
    """The lexicon ids of a scan's results as the bits of an int (the engine tests a detector's needs in one `&`)."""
    bits = 0
    for i in results:  # a dict: iterated natively when compiled
        bits |= 1 << i
    return bits


_NO_IDS: frozenset[int] = frozenset()
_current: list[EventScan | None] = [None]
_NOTHING: Mapping[str, Spans] = MappingProxyType({})


def event_scan(ctx: Context) -> EventScan:
    """The scan of the event being decided (one at a time): made on first use, shared by its detectors."""
    current = _current[0]
    if current is None or current.norm is not ctx.norm:
        current = _current[0] = EventScan(ctx.norm)
    return current


def _scan_text(text: str) -> list[dict[str, Spans]]:
    """Every lexicon's classes found in `text` (outside the per-event scan: tests, tools)."""
    scanner = _scanner()
    results: dict[int, dict[str, Spans]] = {}
    _, later = scan_first(scanner, text, results)
    scan_second(scanner, text, later, results)
    return [results.get(i, {}) for i in range(len(_REGISTRY))]


def any_topic(ctx: Context) -> bool:
    """Whether any topic lexicon found a trigger in this event: cue and context detectors have nothing to
    add otherwise."""
    current = _current[0]
    if current is None or current.norm is not ctx.norm:
        current = event_scan(ctx)
    return current.topic
