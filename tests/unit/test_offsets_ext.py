"""Spans mapped back through the rewrite steps in C (workers/core/text/_offsets.c) against the walk in Python
(`offsets.map_span`): the same positions for every span of every corpus text that normalization rewrote, and
for rewrites of random text made of separators, spelled-out words and nicknames."""
from __future__ import annotations

import random
from pathlib import Path

import orjson
import pytest

from workers.core import normalize as nm
from workers.core.text import offsets
from workers.core.text._offsets import map_span  # no skip: ops/setup builds it, CI must fail without it

CORPUS = Path(__file__).resolve().parents[1] / "data/corpus"


def steps_of(text: str) -> tuple[nm.Normalized, list]:
    norm = nm._normalized(text)
    norm._prepare()
    return norm, norm._edits


def test_normalization_maps_spans_in_c():
    assert nm._MAP_SPAN is map_span is offsets.native_map_span, \
        "workers/core/text/_offsets.c is not built: run ops/setup"


def test_c_walk_equals_the_python_walk_on_every_corpus_text():
    texts = [orjson.loads(line)["text"]
             for name in ("dev.events.jsonl", "test.events.jsonl")
             for line in (CORPUS / name).read_bytes().splitlines() if line.strip()]
    rng = random.Random(11)
    rewritten = 0
    for text in texts:
        norm, steps = steps_of(text)
        if not steps:
            continue
        rewritten += 1
        n = len(norm.text)
        spans = [(p, q) for p in range(0, n, 7) for q in (p, min(n - 1, p + 3), n - 1) if p <= q]
        spans += [tuple(sorted((rng.randrange(n), rng.randrange(n)))) for _ in range(10)]
        for p, q in spans:
            assert map_span(steps, p, q) == offsets.map_span(steps, p, q), (text, p, q)
    assert rewritten > 20_000


def test_c_walk_equals_the_python_walk_on_random_rewrites():
    rng = random.Random(3)
    pieces = ["加", " ", "微", "信", "·", "v", "x", "刷", "单", "。", "a", "b", " ", "-", "wei xin", "扣扣", "1",
              "①"]
    for _ in range(3_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 30)))
        norm, steps = steps_of(text)
        n = len(norm.text)
        for p in range(n):
            for q in range(p, n):
                assert map_span(steps, p, q) == offsets.map_span(steps, p, q), (text, p, q)


def test_bad_steps_are_refused():
    with pytest.raises(TypeError):
        map_span([("abc", [(0, 1)])], 0, 0)
    with pytest.raises(TypeError):
        map_span([("abc", ((0, 1, "a"),))], 0, 0)
    with pytest.raises(TypeError):
        map_span(["abc"], 0, 0)
    assert map_span([], 2, 5) == (2, 5)
