"""The lexicon scan's Aho-Corasick pass compiled (workers/core/text/_keyscan.c) against its Python reference
(`matcher.scan_pass`, the loop over pyahocorasick): the same records, pending pattern starts and required-literal
bits on every corpus text, raw and normalized, and on adversarial text; and the same classes and spans found
through the whole scan (`scan_first` + `scan_second`) either way. The choice of spans from the records
(`_keyscan.collect`) against its reference (`matcher.collect_records`) too."""
from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import orjson
import pytest

from workers.core.detectors import base, matcher
from workers.core.detectors.matcher import scan_first, scan_pass, scan_second
from workers.core.normalize import normalize
from workers.core.text._keyscan import Automaton, Rest, collect  # no skip: ops/setup builds it, CI must fail without it

CORPUS = Path(__file__).resolve().parents[1] / "data/corpus"


@pytest.fixture(scope="module")
def scanner():
    return base._scanner()


@pytest.fixture(scope="module")
def texts() -> list[str]:
    raw = [orjson.loads(line)["text"]
           for name in ("dev.events.jsonl", "test.events.jsonl")
           for line in (CORPUS / name).read_bytes().splitlines() if line.strip()]
    return raw + [normalize(t).text for t in raw]


def canon(result):
    """Order-free: the C pass emits by match end, pyahocorasick in its own order; the caller sorts records."""
    records, pending, records2, pending2, found = result

    def starts(entries):
        return sorted((p, rank, id(groups)) for p, rank, groups in entries)

    return sorted(records), starts(pending), sorted(records2), starts(pending2), found


def test_the_scan_uses_the_compiled_pass(scanner):
    assert matcher.NativeAutomaton is Automaton, "workers/core/text/_keyscan.c is not built: run ops/setup"
    assert isinstance(scanner.native, Automaton)


def test_compiled_pass_equals_the_python_reference_on_the_corpus(scanner, texts):
    assert len(texts) > 35_000
    differ = [t for t in texts if canon(scanner.native.scan(t)) != canon(scan_pass(scanner.automaton, t))]
    assert differ == []
    # the very pattern groups of the scanner come back, not copies
    records, pending, *_ = scanner.native.scan(normalize("加我微信 abc123 日结 300 元").text)
    assert pending and all(isinstance(g, tuple) and isinstance(g[0], matcher.Group) for _, _, g in pending)


def adversarial(scanner, size: int = 100_000) -> list[str]:
    rng = random.Random(7)
    keys = list(scanner.automaton.keys())
    cases = ["", "a", "x" * size, "一" * size, "1" * size, "\U0001F600" * (size // 2), " " * size]
    for key in rng.sample(keys, 40):
        cases += [key * (size // 5 // len(key)), key + " . " + key, key[:-1], "a" + key + "9"]
    cases.append("".join(k[: rng.randint(1, len(k))] for k in keys))  # key prefixes, back to back
    cases += ["".join(chr(rng.choice([rng.randrange(32, 0x3000), rng.randrange(0x4E00, 0x9FFF),
                                      rng.randrange(0x1F300, 0x1FAFF)])) for _ in range(500)) for _ in range(50)]
    return cases


def test_compiled_pass_equals_the_reference_on_adversarial_text(scanner):
    for text in adversarial(scanner):
        assert canon(scanner.native.scan(text)) == canon(scan_pass(scanner.automaton, text)), text[:40]


def whole_scan(scanner, text: str) -> tuple:
    """Both phases of the scan: whether a trigger class was found, and the results after each phase, ordered."""
    results: dict = {}
    topic, later = scan_first(scanner, text, results)
    first = ordered(results)
    scan_second(scanner, text, later, results)
    return topic, first, ordered(results)


def test_the_whole_scan_finds_the_same_classes_and_spans_in_the_same_order_either_way(scanner, texts):
    """The scan wholly in C (`Automaton.first`, `Rest.second`: the pass, the patterns, the choice of spans)
    against the Python path over pyahocorasick."""
    python = replace(scanner, native=None)
    for text in texts + adversarial(scanner, 20_000):
        assert whole_scan(scanner, text) == whole_scan(python, text), text[:60]


def test_the_rest_of_a_compiled_scan_runs_once_and_the_scan_needs_its_slots(scanner):
    text = normalize("加我微信 abc123 日结 300 元，先交押金").text
    topic, rest = scanner.native.first(text, {})
    assert topic and isinstance(rest, Rest)
    results: dict = {}
    assert rest.second(results) and results
    with pytest.raises(RuntimeError, match="has run already"):
        rest.second({})
    bare = Automaton(["ab"], [(2, False, 0, (0, 0, (0,), None), None)])  # made without the Scanner's slots
    with pytest.raises(ValueError, match="slots"):
        bare.first("ab", {})
    assert Automaton(["ab"], [(2, False, 0, (0, 0, (0,), None), None)], ((0, "c"),)).first("xab", {})[0]


def ordered(results: dict) -> list:
    """The results with their order: detectors emit one finding per class, in this order."""
    return [(lid, list(classes.items())) for lid, classes in results.items()]


def both_collects(scanner, text: str) -> tuple[list, list]:
    out = []
    for choose in (collect, lambda records, slots, results: matcher.collect_records(slots, records, results)):
        records, pending, records2, pending2, found = scanner.native.scan(text)
        results: dict = {}
        matcher._run(pending, text, found, records)
        any_first = choose(records, scanner.slots, results)
        matcher._run(pending2, text, found, records2)
        any_second = choose(records2, scanner.slots, results)
        out.append([bool(any_first), bool(any_second), ordered(results)])
    return out[0], out[1]


def test_compiled_collect_equals_the_python_reference_on_the_corpus(scanner, texts):
    assert matcher.native_collect is collect
    differ = []
    for text in texts:
        compiled, reference = both_collects(scanner, text)
        if compiled != reference:
            differ.append(text)
    assert differ == []


def test_compiled_collect_on_overlapping_records():
    """Random records of a few slots with overlapping spans, in random order (ranks, orders and ends tie); up
    to 64 records are sorted one way in C, more another."""
    rng = random.Random(5)
    slots = tuple((i // 3, f"class{i}") for i in range(9))
    for _ in range(3_000):
        records = []
        for _ in range(rng.randrange(0, 40) if rng.random() < 0.8 else rng.randrange(60, 200)):  # > 64: qsort
            p = rng.randrange(0, 30)
            records.append((rng.randrange(0, 3), p, rng.randrange(0, 3), rng.randrange(0, 9), p + rng.randrange(1, 8)))
        mine, reference = {7: {"earlier": [(0, 1)]}}, {7: {"earlier": [(0, 1)]}}
        assert collect(list(records), slots, mine) == matcher.collect_records(slots, list(records), reference)
        assert ordered(mine) == ordered(reference), records


def test_collect_refuses_bad_records():
    with pytest.raises(TypeError, match="5-tuples"):
        collect([(1, 2, 3)], ((0, "a"),), {})
    with pytest.raises(IndexError, match="slot"):
        collect([(0, 0, 0, 5, 1)], ((0, "a"),), {})


@pytest.mark.parametrize("keys,values,error", [
    (["ab", "ab"], [(2, False, 0, None, None)] * 2, "duplicate key"),
    (["ab"], [(3, False, 0, None, None)], "not the length"),
    (["ab"], [(2, 1, 0, None, None)], "ascii_start must be a bool"),
    (["ab"], [(2, False, 1 << 63, None, None)], "gates"),
    ([""], [(0, False, 0, None, None)], "non-empty str"),
    (["ab"], [(2, False, 0, (1, 2, [3], None), None)], "slots must be a tuple"),
    (["ab"], [], "same length"),
])
def test_bad_keys_or_values_are_refused_clearly(keys, values, error):
    with pytest.raises((TypeError, ValueError), match=error):
        Automaton(keys, values)
