"""Normalization's character stage compiled (workers/core/text/_charstage.c) against its Python reference
(`charmap.translate`, `charmap.length_changes`, and `normalize._RARE` for the rare characters): the same on
every code point alone, on every corpus text and on adversarial text."""
from __future__ import annotations

import random
from pathlib import Path

import orjson
import pytest

from workers.core import normalize
from workers.core.text import charmap
from workers.core.text._charstage import CharTable  # no skip: ops/setup builds it, CI must fail without it

CORPUS = Path(__file__).resolve().parents[1] / "data/corpus"
TABLE = normalize._CHARS


def reference(text: str) -> tuple[str, list[tuple[int, int]], frozenset[str] | None]:
    out = charmap.translate(text)
    found = normalize._RARE.findall(out)
    return out, charmap.length_changes(text), frozenset(found) if found else None


def compiled(text: str) -> tuple[str, list[tuple[int, int]], frozenset[str] | None]:
    out, rare = TABLE.translate_rare(text)
    assert TABLE.translate(text) == out
    return out, TABLE.length_changes(text), rare


def test_normalization_uses_the_compiled_character_stage():
    assert charmap.CharTable is CharTable, "workers/core/text/_charstage.c is not built: run ops/setup"
    assert isinstance(TABLE, CharTable)


def test_every_code_point_maps_as_the_python_table_says():
    differ = [cp for cp in range(0x110000) if compiled(chr(cp)) != reference(chr(cp))]
    assert differ == []


def test_every_corpus_text_maps_as_the_python_table_says():
    texts = [orjson.loads(line)["text"] for name in ("dev.events.jsonl", "test.events.jsonl")
             for line in (CORPUS / name).read_bytes().splitlines() if line.strip()]
    assert len(texts) > 19_000
    assert [t for t in texts if compiled(t) != reference(t)] == []


def test_adversarial_text_maps_as_the_python_table_says():
    rng = random.Random(11)
    cases = ["", *(c * 100_000 for c in "aA中😀\u200b\ufdfa\U0002f800\U000e0001\x00ÉΩ一\ud800")]
    changing = [cp for cp in range(0x110000) if charmap.translate(chr(cp)) != chr(cp)]
    for _ in range(200):
        cases.append("".join(chr(rng.randrange(0x110000)) for _ in range(rng.randrange(1, 300))))
        cases.append("".join(chr(rng.choice(changing)) if rng.random() < 0.5 else chr(rng.randrange(128))
                             for _ in range(rng.randrange(1, 300))))
    for text in cases:
        assert compiled(text) == reference(text), repr(text[:20])


@pytest.mark.parametrize("args", [
    ([], {}, ""),
    (list(range(0x20000)), {0x20000: 5.5}, ""),
    (list(range(0x20000)), {}, 3),
    ([1.5] * 0x20000, {}, ""),
])
def test_a_bad_table_is_refused_clearly(args):
    with pytest.raises((TypeError, ValueError)):
        CharTable(*args)


def test_normalization_without_the_extension_gives_the_same_text_and_spans(monkeypatch):
    texts = [orjson.loads(line)["text"] for line in (CORPUS / "dev.events.jsonl").read_bytes().splitlines()[::5]]
    with_c = [normalize._run(t)[0] for t in texts]
    spans_c = [normalize.Normalized(t, n, log=normalize._run(t)[1]).spans([(0, len(n)), (len(n) // 2, len(n))])
               for t, n in zip(texts, with_c)]
    monkeypatch.setattr(normalize, "_CHARS", None)
    assert [normalize._run(t)[0] for t in texts] == with_c
    assert [normalize.Normalized(t, n, log=normalize._run(t)[1]).spans([(0, len(n)), (len(n) // 2, len(n))])
            for t, n in zip(texts, with_c)] == spans_c
