"""The shared lexicon scan (Aho-Corasick automaton + anchored patterns) against a brute-force reference that
tries every alternative of every lexicon at every position; the literal starts and required literals it is
built on; the detectors the engine skips; and its speed on crafted input."""
from __future__ import annotations

import json
import random
import re
import time
from bisect import insort
from pathlib import Path

import pytest

from schemas.models import MessageEvent
from workers.core.detectors import DETECTORS, Context
from workers.core.detectors import base
from workers.core.detectors.matcher import ASCII_ALNUM
from workers.core.detectors.patterns import follow_chars, literal_starts, required_literals
from workers.core.engine import Engine
from workers.core.normalize import normalize
from workers.core.policy import load_policy
from workers.gc_tuning import freeze_static_heap
from workers.settings import DEFAULT_POLICY

DEV = Path(__file__).resolve().parents[1] / "data" / "corpus" / "dev.events.jsonl"


def dev_events() -> list[dict]:
    return [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]


def _disguised(rng: random.Random, text: str) -> str:
    out = []
    for ch in text:
        r = rng.random()
        if r < 0.06:
            out.append(ch + rng.choice([" ", "·", "，", "1", "a", "元", "天"]))
        elif r < 0.08:
            out.append(ch * 2)
        else:
            out.append(ch)
    return "".join(out)


def _texts() -> list[str]:
    texts = [normalize(e["text"]).text for e in dev_events()]
    rng = random.Random(11)
    mixed = [_disguised(rng, t) for t in texts[::3]]
    mixed += ["，".join(rng.sample(texts, 3)) for _ in range(150)]
    return texts + [normalize(t).text for t in mixed]


# --- the reference: every alternative at every position ------------------------------------------------------

_GROUPS: dict[bool, dict[str, list[tuple]]] = {}


def _entry_groups(triggers: bool) -> dict[str, list[tuple]]:
    """The reference's entries (every word and pattern of every lexicon, trigger classes or the others), grouped by
    first character: (index in the one list they form, rank, order at a position, lexicon id, class, matcher).
    They depend on the lexicons only, so they are built once."""
    if triggers not in _GROUPS:
        entries = []  # (first character, order at a position, lexicon id, class, matcher)
        for lex in base._REGISTRY:
            for word, classes in lex.words.items():
                for cls in classes:
                    if (cls in lex.triggers) == triggers:
                        entries.append((word[0], (1 << 20) - len(word), lex.id, cls, word))
            for first, pats in lex.patterns.items():
                for cls, pat in pats:
                    if (cls in lex.triggers) == triggers:
                        guard = pat.pattern[len(re.escape(first)):].startswith("(?:(?")
                        entries.append((first, (1 << 16 if guard else 0), lex.id, cls, pat))
        firsts = sorted({e[0] for e in entries} - ASCII_ALNUM)
        rank = {c: i // 96 for i, c in enumerate(firsts)}
        groups: dict[str, list[tuple]] = {}
        for index, (first, order, lid, cls, what) in enumerate(entries):
            r = 1 << 20 if first in ASCII_ALNUM else rank[first]
            groups.setdefault(first, []).append((index, r, order, lid, cls, what))
        _GROUPS[triggers] = groups
    return _GROUPS[triggers]


def _reference(text: str) -> list[dict[str, list[tuple[int, int]]]]:
    """Every lexicon's classes in `text`, by brute force: each word and each pattern tried wherever its first
    character is (at a word start for an ASCII letter or digit). Matches are taken in the order the former
    regex scan met them (first characters in sorted buckets of 96, ASCII words last; at a position, patterns
    before words, longer words first; then the order the lexicons list them in); within a class, overlapping
    matches do not both stay, the leftmost then longest does; classes in the order of their first match,
    trigger classes first."""
    results: list[dict[str, list[tuple[int, int]]]] = [{} for _ in base._REGISTRY]
    for triggers in (True, False):
        found = []  # (rank, start, order, entry index, lexicon, class, end)
        for first, group in _entry_groups(triggers).items():
            p = text.find(first)
            while p >= 0:
                if not (first in ASCII_ALNUM and p and text[p - 1] in ASCII_ALNUM):
                    for index, r, order, lid, cls, what in group:
                        if isinstance(what, str):
                            if text.startswith(what, p):
                                found.append((r, p, order, index, lid, cls, p + len(what)))
                        else:
                            m = what.match(text, p)
                            if m is not None:
                                found.append((r, p, order, index, lid, cls, m.end()))
                p = text.find(first, p + 1)
        found.sort(key=lambda x: x[:4])
        for _, start, _, _, lid, cls, end in found:
            spans = results[lid].setdefault(cls, [])
            overlapping = [x for x in spans if x[0] < end and start < x[1]]
            if overlapping:
                if min((s, -e) for s, e in overlapping) <= (start, -end):
                    continue
                for x in overlapping:
                    spans.remove(x)
            insort(spans, (start, end))
    return results


def test_scan_finds_what_every_alternative_tried_everywhere_finds():
    texts = _texts()
    assert len(texts) > 1500
    for text in texts:
        got = base._scan_text(text)
        want = _reference(text)
        for lex, g, w in zip(base._REGISTRY, got, want):
            # same classes, same spans, same order of the classes
            assert list(g.items()) == list(w.items()), (text, lex.id, lex.classes)


# --- literal starts and required literals --------------------------------------------------------------------

def test_literal_starts():
    assert literal_starts("发(?:朋友圈|群)") == ["发朋友圈", "发群"]
    assert literal_starts("r(?:e-?post)") == ["re-p", "repo"]  # an optional character: with and without
    assert literal_starts(r"1(?:\d{0,5} ?%)") == ["1"]  # a number's first digit is start enough
    # into an atomic group
    assert literal_starts("一(?:(?>[一二三]{1,5})(?![个]))") == ["一一", "一三", "一二"]
    assert literal_starts(r"a(?:b\b)") == ["ab"]  # a word boundary ends a start
    assert literal_starts("家(?:人(?!们))") == ["家人"]
    with pytest.raises(ValueError):
        literal_starts(r"(?:\w+)x")


def test_required_literals():
    assert required_literals(r"1(?:\d{0,5} ?%[^，]{0,6}(?:收益|回报))") == ("回报", "收益")
    assert required_literals("交(?:[^。]{0,3}(?:押金|保证金))") == ("保证金", "押金")
    assert required_literals(r"1(?:\d{0,2}(?:天|日))") is None  # single characters are too common to look for
    assert required_literals("post") is None


def test_follow_chars():
    assert follow_chars("一(?:[一二]{0,5}(?:元|块)? ?(?:/|每)单)") == " /一二元块每"
    assert follow_chars(r"1(?:\d{1,5}返)") == "0123456789"
    assert follow_chars(r"a(?:b\b)") == "b"  # zero-width elements are passed over
    assert follow_chars("家(?:人(?!们))") == "人"
    assert follow_chars("x(?:(?!y)[a-c]|d{0,0}e)") == "abce"  # a repetition of at most 0 matches nothing
    assert follow_chars("a(?:b?)") is None  # the match may end after the first character
    assert follow_chars("x(?:.a)") is None and follow_chars("x(?:[^a]b)") is None  # any character may come
    assert follow_chars(r"(?:a|b)c") is None  # the first element is not a literal


def test_every_match_begins_with_a_literal_start_and_holds_its_required_literal_and_second_character():
    texts = [normalize(e["text"]).text for e in dev_events()]
    sources = {pat.pattern: first for lex in base._REGISTRY for first, pats in lex.patterns.items() for _, pat in pats}
    for source, first in sources.items():
        # a lexicon pattern begins with its first character, so it cannot match a text without it
        assert source.startswith(re.escape(first)), source
        pat = re.compile(f"(?=({source}))", re.ASCII)
        starts = tuple(literal_starts(source))
        required = required_literals(source)
        follow = follow_chars(source)
        for text in texts:
            if first not in text:
                continue
            for m in pat.finditer(text):
                assert m.group(1).startswith(starts), (source, m.group(1))
                if required is not None:
                    assert any(r in m.group(1) for r in required), (source, m.group(1))
                if follow is not None:  # the scan runs the pattern only where its second character is one of these
                    assert m.group(1)[1:2] in tuple(follow), (source, m.group(1))


def test_possessive_repetitions_match_as_their_backtracking_form():
    # digits of amounts, durations and rebates are taken possessively ("{0,8}+": never given back, where what
    # follows cannot start with what they repeat): every lexicon pattern holding one matches as its backtracking
    # form at every start of every dev text and of its disguised variants
    texts = _texts()
    sources = {p.pattern: first for lex in base._REGISTRY for first, pats in lex.patterns.items() for _, p in pats
               if "}+" in p.pattern}
    assert len(sources) > 20
    checked = 0
    for source, first in sources.items():
        fast, slow = re.compile(source, re.ASCII), re.compile(source.replace("}+", "}"), re.ASCII)
        for text in texts:
            p = text.find(first)
            while p >= 0:
                a, b = fast.match(text, p), slow.match(text, p)
                assert (a and a.span()) == (b and b.span()), (source, text, p)
                checked += a is not None
                p = text.find(first, p + 1)
    assert checked > 20_000


def test_lexicon_bits_test_a_subset_as_frozensets_do():
    # the engine skips a detector when a lexicon it needs is missing: `needs & ~have` on bits, `needs <= have` before
    rng = random.Random(5)
    for _ in range(2000):
        needs = frozenset(rng.sample(range(40), rng.randrange(4)))
        have = frozenset(rng.sample(range(40), rng.randrange(30)))
        found = base.key_bits({i: {} for i in have})
        assert (base.key_bits(dict.fromkeys(needs, {})) & ~found == 0) == (needs <= have)
    assert base.key_bits({}) == 0 and base.key_bits({0: {}, 3: {}}) == 9


# --- the engine skips detectors with nothing to say -------------------------------------------------------

def test_skipped_detectors_would_have_said_nothing():
    # the detectors' own skipping plan; deferring all of them when the model finds nothing is tested apart
    # (test_engine_rules_deferred.py)
    engine = Engine(load_policy(DEFAULT_POLICY), defer_rules=False)
    for e in dev_events():
        event = MessageEvent.model_validate(e)
        analysis = engine.analyze(event)
        ctx = Context(analysis.norm, analysis.handles, event.surface.value, event.sent_at,
                      event.account_created_at)
        everything = tuple(f for d in DETECTORS for f in d.detect(ctx))
        # without a topic, the context cues that damp the model are asked when the model alone could flag
        model = [f for f in analysis.findings if f.detector == "text_model"]
        if not base.any_topic(ctx) and any(f.weight >= engine._model_only_bar for f in model):
            everything += tuple(f for d in DETECTORS if getattr(d, "damps_model", False) for f in d.context(ctx))
        rules = tuple(f for f in analysis.findings if f.detector != "text_model")  # the model always runs
        assert rules == everything, e["text"]


# --- crafted input ------------------------------------------------------------------------------------------

CRAFTED = {
    "cjk": "刷" * 100_000,
    "digits": "1" * 100_000,
    "spaced digits": "1 " * 50_000,
    "numerals": "一" * 100_000,
    "mixed numerals": "一1" * 50_000,
    "money": "给你50元，" * 20_000,
    "keywords": "转发朋友圈日结兼职刷单" * 10_000,
    "gaps": ("发" + "广" * 3 + "，") * 20_000,
    "ascii words": "post share job rent buy " * 5_000,
    "emoji": "兼🔥" * 50_000,
}


@pytest.fixture(scope="module")
def engine() -> Engine:
    engine = Engine(load_policy(DEFAULT_POLICY))
    freeze_static_heap()  # as the worker, scan and eval do (workers/gc_tuning.py)
    return engine


@pytest.mark.parametrize("name", list(CRAFTED))
def test_crafted_100kb_message_is_decided_quickly(engine, name):
    """Prints the time of one decision: the first, and the median of three, with the engine's tables frozen
    out of the garbage collector as in the worker (unfrozen, a full collection walked them for ~30 ms inside
    the decision of the 120 KB money text, doubling it). Bounded loosely here: timings are benchmarks, not
    tests."""
    event = MessageEvent.model_validate({
        "event_id": "crafted", "account_id": "a", "surface": "group", "conversation_id": "c",
        "text": CRAFTED[name], "sent_at": "2026-11-28T00:00:00Z",
    })
    times = []
    for _ in range(3):
        started = time.perf_counter()
        engine.decide_text_only(event)  # the policy truncates the text for detection
        times.append(time.perf_counter() - started)
    started = time.perf_counter()
    base._scan_text(normalize(CRAFTED[name]).text)  # the scan alone takes all of it
    scanned = time.perf_counter() - started
    print(f"{name}: {len(CRAFTED[name])} chars, decided in {times[0] * 1000:.0f} ms (median of 3: "
          f"{sorted(times)[1] * 1000:.0f} ms), all scanned in {scanned * 1000:.0f} ms")
    decided = times[0]
    assert decided < 1.0 and scanned < 1.0
