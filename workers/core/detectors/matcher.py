"""The shared scan of the lexicons: one Aho-Corasick automaton (C, `pyahocorasick`) finds, in one pass over
the text, every keyword of every lexicon and every literal start of their patterns.

A lexicon alternative is either a word (a literal: the automaton alone finds it) or a short pattern (a number,
an amount, a gap between two keywords): the automaton finds its literal starts (`patterns.literal_starts`) and
`re` runs only there, anchored. A pattern whose starts are common (a digit, "一", "你") runs only when the
automaton also found, anywhere in the text, one of the literals its matches must contain
(`patterns.required_literals`): "%" for a percentage, a fee word for a fee. And a pattern runs only where the
character after its start can come second in one of its matches (`patterns.follow_chars`: "一个月" starts no
amount of money). Alternatives starting with an ASCII letter or digit count only at the start of a word (the
character before is no ASCII letter or digit).

Two phases share the pass: the trigger classes of the topic lexicons are taken at once; the keys of all other
classes are kept, and their patterns run, only when a detector asks for them (after a trigger was found).

What a class found is then chosen as before: within one class matches do not overlap, the leftmost, then the
longest, stays. Matches are taken in the order the former scan met them (`re` patterns grouped by first
character, in buckets of `_BUCKET` first characters, then the ASCII words), so the classes found, their spans
and their order in the result (detectors emit one finding per class, in that order) are unchanged.

Every pattern repeats only bounded elements (a test checks it) and runs only where its start was found: the
scan stays linear in the length of the text.

The scan runs in C when built (`workers/core/text/_keyscan.c`, by ops/setup): its own Aho-Corasick automaton
over the same keys and values makes the same records and pending starts as `scan_pass` (a test compares both
on every corpus text), and `Automaton.first` runs the whole scan there, the patterns (through their own
`match`) and the choice of spans included, with no Python object in between (a test compares its results and
their order with the Python path on every corpus text). The loop over `pyahocorasick` is the reference and the
fallback.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from typing import Any, Protocol, Sequence

import ahocorasick

from workers.core.detectors.patterns import follow_chars, literal_starts, required_literals

try:  # the pass in C (workers/core/text/_keyscan.c, built by ops/setup): the same records as the loop below;
    # and the choice of spans from the records (`collect_records`)
    from workers.core.text._keyscan import Automaton as NativeAutomaton
    from workers.core.text._keyscan import collect as native_collect
except ImportError:  # not built: the loop over pyahocorasick
    NativeAutomaton = native_collect = None

Span = tuple[int, int]
Spans = list[Span]

ASCII_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
_BUCKET = 96  # first characters per pattern of the former scan: only the order of matches depends on it
_ASCII_RANK = 1 << 20  # the former scan met ASCII word starts after all other first characters
_GATED_START = 2  # patterns whose literal starts are this short or shorter run only with a required literal


class LexiconLike(Protocol):
    id: int
    classes: tuple[str, ...]
    triggers: frozenset[str]
    words: dict[str, tuple[str, ...]]
    patterns: dict[str, list[tuple[str, re.Pattern[str]]]]


Record = tuple[int, int, int, int, int]  # (rank, start, order at a position, slot, end)


@dataclass(frozen=True, slots=True)
class Group:
    """Patterns that start with one key, tried at once: `suffixes[j]` is the alternation of the patterns j, j+1,
    ...; its `lastindex` tells which one matched first, the ones after it are tried next. They run when one of
    the required literals of `gate` (bits) is in the text, or always (`gate` 0); and at p only when text[p + 1]
    is one of `follow` (the characters that can come second in a match of one of them; None: any)."""

    suffixes: tuple[re.Pattern[str], ...]
    members: tuple[tuple[int, tuple[int, ...]], ...]  # (order at a position, slots) of each pattern
    gate: int
    follow: str | None

    def run(self, m: re.Match[str], text: str, p: int, rank: int, records: list[Record]) -> None:
        """Records of the patterns matching at p, `m` the match of `suffixes[0]` there."""
        j, suffixes, members = 0, self.suffixes, self.members
        while True:
            j += m.lastindex - 1  # type: ignore[operator]
            order, slots = members[j]
            end = m.end()
            for s in slots:
                records.append((rank, p, order, s, end))
            j += 1
            if j == len(suffixes):
                return
            m = suffixes[j].match(text, p)  # type: ignore[assignment]
            if m is None:
                return


# What a key does in one phase: (rank, order of the word at a position, slots of the word equal to the key,
# the patterns starting with the key, by required literal, or None)
Part = tuple[int, int, tuple[int, ...], tuple[Group, ...] | None]


def _phase_parts(lexicons: Sequence[LexiconLike], triggers: bool, slot_ids: dict[tuple[int, str], int],
                 gate_bits: dict[tuple[str, ...], int], groups: dict[tuple, Group]) -> dict[str, Part]:
    """The keys of the trigger classes of the lexicons (`triggers`), or of all their other classes."""
    words: dict[str, list[int]] = {}
    patterns: dict[str, tuple[list[int], int]] = {}  # source -> (slots, order)
    firsts: set[str] = set()
    for lex in lexicons:
        for cls in lex.classes:  # slots in class order: at one position, classes are met in that order
            if (cls in lex.triggers) == triggers:
                slot_ids[(lex.id, cls)] = len(slot_ids)
        for word, all_classes in lex.words.items():
            ids = [slot_ids[(lex.id, c)] for c in all_classes if (c in lex.triggers) == triggers]
            if ids:
                words.setdefault(word, []).extend(ids)
                firsts.add(word[0])
        for first, entries in lex.patterns.items():
            for cls, pat in entries:
                if (cls in lex.triggers) == triggers:
                    if pat.groups:
                        raise ValueError(f"capturing group in a lexicon pattern: {pat.pattern!r}")
                    guard = pat.pattern[len(re.escape(first)):].startswith("(?:(?")  # met after the others
                    entry = patterns.setdefault(pat.pattern, ([], (1 << 16 if guard else 0) + len(patterns)))
                    entry[0].append(slot_ids[(lex.id, cls)])
                    firsts.add(first)

    # the former scan's order of first characters: the non-ASCII-alphanumeric ones sorted, in buckets
    rank = {c: i // _BUCKET for i, c in enumerate(sorted(firsts - ASCII_ALNUM))}
    keys: dict[str, tuple[list[int], list[tuple[str, int, tuple[int, ...], int]]]] = {}
    for word, ids in words.items():
        keys.setdefault(word, ([], []))[0].extend(ids)
    for source, (ids, order) in patterns.items():
        starts = literal_starts(source)
        gate = 0
        if max(map(len, starts)) <= _GATED_START:
            required = required_literals(source)
            if required is not None:
                gate = gate_bits.setdefault(required, 1 << len(gate_bits))
        for start in starts:
            keys.setdefault(start, ([], []))[1].append((source, order, tuple(ids), gate))
    parts: dict[str, Part] = {}
    for key, (ids, pats) in keys.items():
        by_gate: dict[int, list[tuple[str, int, tuple[int, ...], int]]] = {}
        for spec in sorted(pats, key=lambda x: x[1]):  # (source, order, slot ids, gate)
            by_gate.setdefault(spec[3], []).append(spec)
        key_groups = []
        for gate, members in by_gate.items():
            group = groups.get(tuple(members))
            if group is None:  # keys starting the same patterns share their groups
                sources = [f"({source})" for source, _, _, _ in members]
                follows = [follow_chars(source) for source, _, _, _ in members]
                group = groups[tuple(members)] = Group(
                    tuple(re.compile("|".join(sources[j:]), re.ASCII) for j in range(len(sources))),
                    tuple((order, ids) for _, order, ids, _ in members), gate,
                    None if None in follows else "".join(sorted(set("".join(f for f in follows if f)))))
            key_groups.append(group)
        parts[key] = (_ASCII_RANK if key[0] in ASCII_ALNUM else rank[key[0]], (1 << 20) - len(key), tuple(ids),
                      tuple(key_groups) or None)
    return parts


@dataclass(frozen=True, slots=True)
class Scanner:
    """The compiled lexicons: one automaton for the keys of both phases. A key's value: (its length, whether
    it needs a word start, the bits of the required literals it is one of, its `Part` in the first phase and
    in the second, or None)."""

    automaton: ahocorasick.Automaton | None
    slots: tuple[tuple[int, str], ...]  # slot -> (lexicon id, class)
    native: Any = None  # the same keys and values in workers/core/text/_keyscan.c's automaton, when built


def compile_scanner(lexicons: Sequence[LexiconLike]) -> Scanner:
    slot_ids: dict[tuple[int, str], int] = {}
    gate_bits: dict[tuple[str, ...], int] = {}
    groups: dict[tuple, Group] = {}
    first = _phase_parts(lexicons, True, slot_ids, gate_bits, groups)
    second = _phase_parts(lexicons, False, slot_ids, gate_bits, groups)
    gates: dict[str, int] = {}
    for literals, bit in gate_bits.items():
        for literal in literals:
            gates[literal] = gates.get(literal, 0) | bit
    keys = first.keys() | second.keys() | gates.keys()
    if not keys:
        return Scanner(None, tuple(slot_ids))
    automaton = ahocorasick.Automaton()
    ordered = sorted(keys, key=_by_frequency)
    values = [(len(k), k[0] in ASCII_ALNUM, gates.get(k, 0), first.get(k), second.get(k)) for k in ordered]
    for key, value in zip(ordered, values):
        automaton.add_word(key, value)
    automaton.make_automaton()
    native = NativeAutomaton(ordered, values, tuple(slot_ids)) if NativeAutomaton is not None else None
    return Scanner(automaton, tuple(slot_ids), native)


Pending = list[tuple[int, int, tuple[Group, ...]]]  # (start, rank, patterns) to try


@dataclass(slots=True, init=False)
class Later:
    """What the first phase found of the second: its words' records and its patterns' starts."""

    records: list[Record]
    pending: Pending
    required: int  # bits of the required literals in the text

    def __init__(self, records: list[Record], pending: Pending, required: int) -> None:
        self.records = records  # the generated __init__ is not compiled: this one is
        self.pending = pending
        self.required = required


def scan_first(scanner: Scanner, text: str, results: dict[int, dict[str, Spans]]) -> tuple[bool, Any]:
    """The pass over `text`: add what the classes of the first phase found to `results` (lexicon id -> class
    -> spans); whether anything was found, and what `scan_second` needs for the other classes (a `Later`, or
    the compiled scan's own: wholly in C when built, `_keyscan.Automaton.first`, with the same results)."""
    if scanner.automaton is None:
        return False, Later([], [], 0)
    if scanner.native is not None:
        return scanner.native.first(text, results)
    records, pending, records2, pending2, found = scan_pass(scanner.automaton, text)
    _run(pending, text, found, records)
    return _collect(scanner, records, results), Later(records2, pending2, found)


def scan_pass(automaton: ahocorasick.Automaton, text: str) -> tuple[list[Record], Pending, list[Record], Pending, int]:
    """Every key found in `text`: the records of the words and the pattern starts to try, of the first phase and
    of the second, and the bits of the required literals found. The reference of `_keyscan.Automaton.scan`."""
    records: list[Record] = []
    pending: Pending = []
    records2: list[Record] = []
    pending2: Pending = []
    found = 0  # bits of the required literals in the text
    for last, (n, ascii_start, gates, one, two) in automaton.iter(text):
        if gates:
            found |= gates
            if one is None and two is None:
                continue
        p = last - n + 1
        if ascii_start and p and text[p - 1] in ASCII_ALNUM:
            continue  # not at a word start
        if one is not None:
            rank, order, slots, groups = one
            for s in slots:
                records.append((rank, p, order, s, last + 1))
            if groups is not None:
                pending.append((p, rank, groups))
        if two is not None:
            rank, order, slots, groups = two
            for s in slots:
                records2.append((rank, p, order, s, last + 1))
            if groups is not None:
                pending2.append((p, rank, groups))
    return records, pending, records2, pending2, found


def scan_second(scanner: Scanner, text: str, later: Any, results: dict[int, dict[str, Spans]]) -> bool:
    """The second phase, from what `scan_first` found (once)."""
    if not isinstance(later, Later):
        return bool(later.second(results))
    _run(later.pending, text, later.required, later.records)
    return _collect(scanner, later.records, results)


def _run(pending: Pending, text: str, required: int, records: list[Record]) -> None:
    n = len(text)
    for p, rank, groups in pending:
        for group in groups:
            if not group.gate or group.gate & required:
                follow = group.follow
                if follow is not None and (p + 1 >= n or text[p + 1] not in follow):
                    continue
                m = group.suffixes[0].match(text, p)
                if m is not None:
                    group.run(m, text, p, rank, records)


def _collect(scanner: Scanner, records: list[Record], results: dict[int, dict[str, Spans]]) -> bool:
    """Spans by class, taken in the order the former scan met them; classes in the order of their first.
    In C when built (`_keyscan.collect`, the same results: a test compares both on every corpus text)."""
    if native_collect is not None:
        return bool(native_collect(records, scanner.slots, results))
    return collect_records(scanner.slots, records, results)


def collect_records(slots: tuple[tuple[int, str], ...], records: list[Record],
                    results: dict[int, dict[str, Spans]]) -> bool:
    """`_collect` in Python: the reference of `_keyscan.collect`, and the path when it is not built."""
    if not records:
        return False
    records.sort()
    found: dict[int, Spans] = {}
    for _, p, _, s, end in records:
        spans = found.get(s)
        if spans is None:
            found[s] = [(p, end)]
        elif spans[-1][1] <= p:
            spans.append((p, end))
        else:
            keep(spans, (p, end))
    for s, spans in found.items():
        lid, cls = slots[s]
        classes = results.get(lid)
        if classes is None:
            results[lid] = {cls: spans}
        else:
            classes[cls] = spans
    return True


# The automaton looks a character up among a node's children one by one, in the order they were added: keys
# are added common characters first (a speed heuristic only: ASCII by English letter frequency, punctuation,
# then the most frequent Chinese characters).
_COMMON = (
    " etaoinsrhldcumfpgwybvkxjqz0123456789.,!?:/-@#$%&*+()'\"，。！？、：；…"
    "的一是不了人我在有他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年过发后作里用道行所然家"
    "种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心她本前开但因只从想实日军者意无力它与长把机十"
    "民第公此已工使情明性知全三又关点正业外将两高间由问很最重并物手应战向头文体政美相见被利什二等产或新己制身果加西斯"
    "月话合回特代内信表化老给世位次度门任常先海通教儿原东声提立及比员解水名真论处走义各入几口认条平系气题活尔更别打女"
)
_RANK = {c: i for i, c in reversed(list(enumerate(_COMMON)))}


def _by_frequency(key: str) -> tuple[int, ...]:
    return tuple(_RANK.get(c, len(_COMMON) + ord(c)) for c in key)


def keep(spans: Spans, span: Span) -> None:
    """Add `span` to the spans of a class (sorted, not overlapping), in the order the former scan met them:
    overlapping matches do not both stay, the leftmost (then longest) does. Overlapping spans are found by
    bisection (spans sorted by start do not overlap, so their ends are sorted too)."""
    start, end = span
    if not spans or spans[-1][1] <= start:  # the common case: after every span found so far
        spans.append(span)
        return
    lo = bisect_left(spans, (start,))
    if lo and spans[lo - 1][1] > start:
        lo -= 1
    hi = bisect_left(spans, (end,), lo)
    if lo < hi:
        first = spans[lo]  # the leftmost of those overlapping
        if (first[0], -first[1]) <= (start, -end):
            return
        del spans[lo:hi]
    spans.insert(lo, span)
