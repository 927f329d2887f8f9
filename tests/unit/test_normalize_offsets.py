"""Normalization offsets against a reference pass, linear time on crafted input, and a speed report."""
from __future__ import annotations

import random
import re
import statistics
import time

import pytest

from tests.unit.normalize_helpers import corpus_texts
from workers.core.normalize import Normalized, Rewriter, _steps, normalize
from workers.core.text import charmap, rules, t2s


def _reference(original: str) -> tuple[str, list[int], list[int]]:
    """Text and per-character offsets (start, end in the original) computed without `Normalized`'s lazy
    edit log: the same steps, but every substitution rebuilds the offset lists of the whole text. A character
    of a replacement maps to the matched character it equals when the replacement has the match's length or
    keeps a subsequence of it, else to the whole match."""
    text, starts, ends = charmap.translate_tracked(original)
    box = [starts, ends]

    def sub(pattern, fn, s, same_length=False):
        pieces, new_starts, new_ends, pos = [], [], [], 0
        for m in pattern.finditer(s):
            a, b = m.span()
            r = fn if isinstance(fn, str) else fn(m)
            pieces.append(s[pos:a])
            new_starts += box[0][pos:a]
            new_ends += box[1][pos:a]
            if len(r) == b - a:
                sources = [(i, i) for i in range(a, b)]
            else:
                kept, i = [], a
                for ch in r:
                    while i < b and s[i] != ch:
                        i += 1
                    kept.append(i)
                    i += 1
                sources = [(k, k) for k in kept] if all(k < b for k in kept) else [(a, b - 1)] * len(r)
            for first, last in sources:
                new_starts.append(box[0][first])
                new_ends.append(box[1][last])
            pieces.append(r)
            pos = b
        pieces.append(s[pos:])
        new_starts += box[0][pos:]
        new_ends += box[1][pos:]
        box[0], box[1] = new_starts, new_ends
        return "".join(pieces)

    class Reference(Rewriter):
        def apply(self, pattern, fn, s, same_length=False):
            return sub(pattern, fn, s, same_length)

    text = _steps(text, original.isascii(), Reference())
    return text, box[0], box[1]


# --- offsets in general -----------------------------------------------------------------------------------


def test_span_edge_cases():
    norm = normalize("加 微 信")
    assert norm.span(0, 0) == (0, 0)
    assert norm.span(3, 3) == (5, 5)
    assert norm.span(-5, 100) == (0, 5)
    assert norm.span(2, 1) == (4, 4)
    empty = normalize("")
    assert empty.text == "" and empty.span(0, 0) == (0, 0)
    assert normalize("\u200b\u200b").span(0, 0) == (0, 0)
    assert norm.index == (0, 2, 4)
    assert norm.spans([(0, 1), (1, 3)]) == [(0, 1), (2, 5)]


def test_short_texts_seen_twice_come_from_the_cache():
    from workers.core.normalize import clear_cache

    clear_cache()
    raw = "加 V 信 xiaomei_8899"
    first = normalize(raw)  # seen once: only its hash is kept
    second = normalize(raw)  # seen twice: kept
    assert second is not first and second == first
    assert normalize(raw) is second
    assert normalize(raw).span(1, 3) == (2, 5)  # 微信 <- "V 信"
    long_raw = raw * 40  # over the cache's length limit: never kept
    kept_apart = [normalize(long_raw) for _ in range(3)]  # all alive at once: a freed one's id may be reused
    assert len({id(n) for n in kept_apart}) == 3
    assert normalize(long_raw) == normalize(long_raw)
    clear_cache()
    assert normalize(raw) is not second  # a fresh process's state


def test_the_cache_keeps_the_most_recently_used_texts():
    from workers.core import normalize as module

    module.clear_cache()
    texts = [f"兼职{i}" for i in range(module._CACHE.size)]
    kept = {}
    for t in texts:
        normalize(t)
        kept[t] = normalize(t)
    assert normalize(texts[0]) is kept[texts[0]]  # used: now the most recent
    newcomer = "刷单返利"
    normalize(newcomer), normalize(newcomer)  # admitted: the least recently used goes
    assert normalize(texts[0]) is kept[texts[0]] and normalize(texts[2]) is kept[texts[2]]
    assert normalize(texts[1]) is not kept[texts[1]]  # (and it comes back in, seen before)
    module.clear_cache()


def test_explicit_index_constructor_still_works():
    norm = Normalized("a b", "ab", (0, 2))
    assert norm.span(0, 2) == (0, 3)
    assert norm.index == (0, 2)


def _disguised(rng: random.Random, text: str) -> str:
    out = []
    for ch in text:
        r = rng.random()
        if r < 0.08:
            out.append(ch + rng.choice(["\u200b", " ", "·", "🔥", "-", "\ufe0f", "，"]))
        elif r < 0.12 and "0" <= ch <= "9":
            out.append("①②③④⑤⑥⑦⑧⑨"[int(ch) - 1] if ch != "0" else "⓪")
        elif r < 0.16 and ch.isascii() and ch.isalpha():
            out.append(chr(ord(ch.upper()) + 0xFEE0))
        elif r < 0.18 and ch in "aeoc":
            out.append({"a": "а", "e": "е", "o": "о", "c": "с"}[ch])
        else:
            out.append(ch)
    return "".join(out)


def test_offsets_agree_with_the_reference_pass_on_corpus_and_disguised_texts():
    """`normalize` + lazy `span` give the same text and the same per-character offsets as `_reference`,
    which rebuilds per-character offset lists at every step."""
    rng = random.Random(7)
    texts = corpus_texts()
    texts += [_disguised(rng, t) for t in texts]
    assert len(texts) > 2000
    for raw in texts:
        norm = normalize(raw)
        text, starts, ends = _reference(raw)
        assert norm.text == text, raw
        assert norm.spans([(i, i + 1) for i in range(len(text))]) == list(zip(starts, ends)), raw


def test_normalizing_twice_changes_nothing_more_on_the_corpus():
    for raw in corpus_texts():
        once = normalize(raw).text
        assert normalize(once).text == normalize(normalize(once).text).text


# --- linear time --------------------------------------------------------------------------------------------


def _unbounded_repeats_over_more_than_one_character(pattern: re.Pattern[str]) -> list[str]:
    parser = re._parser  # type: ignore[attr-defined]
    bad: list[str] = []

    def single_char(items) -> bool:
        return len(items) == 1 and items[0][0] in (parser.LITERAL, parser.NOT_LITERAL, parser.IN, parser.ANY)

    def walk(items) -> None:
        for op, av in items:
            if op in (parser.MAX_REPEAT, parser.MIN_REPEAT, parser.POSSESSIVE_REPEAT):
                lo, hi, sub = av
                if hi == parser.MAXREPEAT and not single_char(list(sub)):
                    bad.append(str(sub)[:80])
                walk(sub)
            elif op in (parser.SUBPATTERN, parser.ATOMIC_GROUP):
                walk(av[-1])
            elif op in (parser.ASSERT, parser.ASSERT_NOT):
                walk(av[1])
            elif op is parser.BRANCH:
                for alt in av[1]:
                    walk(alt)

    walk(parser.parse(pattern.pattern))
    return bad


def _all_patterns():
    import workers.core.handles as handles
    import workers.core.normalize as normalize_module

    for module in (rules, handles, normalize_module, charmap, t2s):
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern):
                yield f"{module.__name__}.{name}", value


def test_no_regex_repeats_an_unbounded_group():
    offenders = {
        name: bad for name, p in _all_patterns() if (bad := _unbounded_repeats_over_more_than_one_character(p))
    }
    assert offenders == {}


ADVERSARIAL = {
    "letters": "a" * 100_000,
    "spaces": " " * 100_000,
    "lone letters": "a " * 50_000,
    "cjk": "刷" * 100_000,
    "spaced cjk": "刷 " * 50_000,
    "cjk commas": "刷，" * 50_000,
    "digits": "1" * 100_000,
    "spaced digits": "1 " * 50_000,
    "dashed digits": "1-" * 50_000,
    "numerals": "一" * 100_000,
    "mixed numerals": "一1" * 50_000,
    "at signs": "@a" * 50_000,
    "dots": "a." * 50_000,
    "domains": "a.com" * 20_000,
    "schemes": "http://" * 14_000,
    "nicknames": "vx " * 33_000,
    "wechat colon": "微信:" * 33_000,
    "phones": "13800138000 " * 8_000,
    "leet": "m0n3y " * 16_000,
    "zero width": "a\u200b" * 50_000,
    "emoji": "兼🔥" * 50_000,
    "variation selectors": "✈\ufe0f" * 50_000,
    "telegram context": "加飞机" * 33_000,
    "cyrillic": "аa" * 50_000,
    "russian": "привет как дела " * 6_000,
    "look-alike words": "рау " * 25_000,
    "traditional": "發" * 100_000,
    "handles mix": ("加 V 信：x1a0mei_8899 ① ② ③ 刷·单 https://t.cn/AbC 一三八零零 m0ney @easy_job ✈: " * 2_000)[:100_000],
}


@pytest.mark.parametrize("name", list(ADVERSARIAL))
def test_crafted_100kb_input_is_handled_quickly(name):
    from workers.core.handles import extract_handles

    text = ADVERSARIAL[name]
    started = time.perf_counter()
    norm = normalize(text)
    handles = extract_handles(norm)
    norm.span(0, len(norm.text))
    elapsed = time.perf_counter() - started
    print(f"{name}: {len(text)} chars, {elapsed * 1000:.1f} ms, {len(handles)} handles")
    assert elapsed < 1.0


# --- speed report -------------------------------------------------------------------------------------------


def test_speed_report_on_corpus():
    """Not a benchmark (machines are noisy): prints microseconds per call, without the cache of repeated
    texts, and fails only when something became catastrophically slow."""
    from workers.core.handles import extract_handles
    from workers.core.normalize import _normalized as uncached

    texts = corpus_texts()
    normalize_runs, handles_runs = [], []
    for _ in range(5):
        started = time.perf_counter()
        norms = [uncached(text) for text in texts]
        normalize_runs.append((time.perf_counter() - started) / len(texts) * 1e6)
        started = time.perf_counter()
        for norm in norms:
            extract_handles(norm)  # computes the offsets of the texts holding a handle
        handles_runs.append((time.perf_counter() - started) / len(texts) * 1e6)
    per_call, handles_per_call = statistics.median(normalize_runs), statistics.median(handles_runs)
    print(f"normalize: {per_call:.1f} us/call, extract_handles: {handles_per_call:.1f} us/call ({len(texts)} texts)")
    assert per_call < 500 and handles_per_call < 500
