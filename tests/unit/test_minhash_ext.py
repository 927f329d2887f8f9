"""The campaign fingerprint compiled (workers/core/text/_minhash.c) against its Python reference
(`fingerprint._shingle_bins_py`, `fingerprint._bands_py`): the same distinct-shingle counts, the same bins and
the same band keys, on every corpus text."""
from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from workers.core import fingerprint
from workers.core.fingerprint import _bands_py, _shingle_bins_py, minhash_bands, shingle_hash, skeleton
from workers.core.normalize import normalize
from workers.core.text._minhash import shingle_bands, shingle_bins  # no skip: ops/setup builds it, CI must fail without it

CORPUS = Path(__file__).resolve().parents[1] / "data/corpus"


def corpus_tokens() -> list[list[str]]:
    out = []
    for name in ("dev.events.jsonl", "test.events.jsonl"):
        for line in (CORPUS / name).read_bytes().splitlines():
            out.append(skeleton(normalize(orjson.loads(line)["text"])))
    return out + [[], ["a"], ["a", "a", "a", "a"], ["刷", "单"] * 1000, ["\ud800", "x"], ["😀", "ab"]]


def test_the_fingerprint_uses_the_compiled_hashing():
    assert fingerprint.shingle_bands is shingle_bands, "workers/core/text/_minhash.c is not built: run ops/setup"


@pytest.mark.parametrize("size,k", [(2, 9), (1, 9), (3, 16), (2, 1)])
def test_compiled_bins_equal_the_python_reference_on_the_corpus(size, k):
    tokens = corpus_tokens()
    assert len(tokens) > 15_000
    differ = [t for t in tokens if shingle_bins(t, size, k) != _shingle_bins_py(t, size, k)]
    assert differ == []


def test_the_hash_is_fixed_across_versions_of_python_and_machines():
    # 64-bit FNV-1a of "a" is 0xaf63dc4c8601ec8c; these are it and two more through the splitmix64 finalizer,
    # computed by hand from the constants (a change of hash would move every campaign counter key).
    def splitmix(h: int) -> int:
        m = (1 << 64) - 1
        h ^= h >> 30
        h = (h * 0xBF58476D1CE4E5B9) & m
        h ^= h >> 27
        h = (h * 0x94D049BB133111EB) & m
        return h ^ (h >> 31)

    assert shingle_hash("a") == splitmix(0xAF63DC4C8601EC8C)
    assert shingle_hash("") == splitmix(0xCBF29CE484222325)
    count, bins = shingle_bins(["a"], 1, 1)
    assert count == 1 and bins == [shingle_hash("a")]


@pytest.mark.parametrize("params", [(2, 12, 3, 3), (1, 1, 4, 4), (3, 5, 2, 8), (2, 0, 1, 1)])
def test_compiled_band_keys_equal_the_python_reference_on_the_corpus(params):
    tokens = corpus_tokens()
    compiled = [shingle_bands(t, *params) for t in tokens]
    assert [_bands_py(t, *params) for t in tokens] == compiled
    assert sum(1 for b in compiled if b) > len(tokens) // 2  # most corpus texts are long enough to have bands
    assert all(len(b) in (0, params[2]) and all(len(key) == 16 for key in b) for b in compiled)


def test_minhash_bands_takes_the_python_path_without_the_extension(monkeypatch):
    texts = corpus_tokens()[:2000]
    compiled = [minhash_bands(t, 2, 12, 3, 3) for t in texts]
    monkeypatch.setattr(fingerprint, "shingle_bands", None)
    assert [minhash_bands(t, 2, 12, 3, 3) for t in texts] == compiled


def test_bad_arguments_are_clear_errors():
    with pytest.raises(TypeError):
        shingle_bins(["a", 1], 2, 9)
    with pytest.raises(ValueError):
        shingle_bins(["a"], 0, 9)
    with pytest.raises(ValueError):
        shingle_bins(["a"], 2, 0)
    with pytest.raises(TypeError):
        shingle_bands("not a list", 2, 12, 3, 3)
    with pytest.raises(ValueError):
        shingle_bands(["a"], 2, 12, 0, 3)
