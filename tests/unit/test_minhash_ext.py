"""The campaign fingerprint compiled (workers/core/text/_minhash.c) against its Python reference
(`fingerprint._shingle_bins_py`, `fingerprint._bands_py`, `fingerprint._tokens`): the same distinct-shingle
counts, the same bins and the same band keys, on every corpus text; the same skeleton on every code point and
corpus text."""
from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from workers.core import fingerprint
from workers.core.fingerprint import (MAX_TOKENS, _bands_py, _shingle_bins_py, _tokens, minhash_bands, shingle_hash,
                                      skeleton, skeleton_joined)
from workers.core.handles import extract_handles
from workers.core.normalize import normalize
from workers.core.text._minhash import (  # no skip: ops/setup builds it, CI must fail without it
    shingle_bands, shingle_bins, skeleton_join)

CORPUS = Path(__file__).resolve().parents[1] / "data/corpus"


def corpus_tokens() -> list[list[str]]:
    out = []
    for name in ("dev.events.jsonl", "test.events.jsonl"):
        for line in (CORPUS / name).read_bytes().splitlines():
            out.append(skeleton(normalize(orjson.loads(line)["text"])))
    # long lists: the distinct count's set outgrows the stack (all distinct, or mostly repeats)
    return out + [[], ["a"], ["a", "a", "a", "a"], ["刷", "单"] * 1000, ["\ud800", "x"], ["😀", "ab"],
                  [f"w{i}" for i in range(1500)], [f"w{i % 300}" for i in range(2000)]]


def test_the_fingerprint_uses_the_compiled_hashing():
    assert fingerprint.shingle_bands is shingle_bands, "workers/core/text/_minhash.c is not built: run ops/setup"
    assert fingerprint.skeleton_join is skeleton_join


def python_join(text: str, max_tokens: int = MAX_TOKENS) -> tuple[str, int, int]:
    tokens = fingerprint._TOKEN.findall(fingerprint._DIGITS.sub("", text))[:max_tokens]
    return "\x1f".join(tokens), sum(map(len, tokens)), len(tokens)


def test_compiled_skeleton_equals_the_regexes_on_every_code_point():
    # \d is Unicode decimal digits, \w Unicode alphanumerics and "_", ideographs are tokens of their own
    differ = [cp for cp in range(0x110000) if skeleton_join(f"a{chr(cp)}b", 9) != python_join(f"a{chr(cp)}b", 9)]
    assert differ == []


def test_compiled_skeleton_equals_the_regexes_on_the_corpus_and_at_the_token_limit():
    texts = []
    for name in ("dev.events.jsonl", "test.events.jsonl"):
        for line in (CORPUS / name).read_bytes().splitlines():
            text = orjson.loads(line)["text"]
            texts += [text, normalize(text).text]
    texts += ["", "ab12cd 一二 x_y", "字" * 5000, "word " * 3000, "\U00020000\U0003134f\U00031350 9z"]
    for limit in (MAX_TOKENS, 0, 1, 3):
        assert [t for t in texts if skeleton_join(t, limit) != python_join(t, limit)] == []


def test_the_counters_key_on_the_same_skeleton_either_way(monkeypatch):
    norms = [normalize(orjson.loads(line)["text"]) for line in (CORPUS / "dev.events.jsonl").read_bytes().splitlines()]
    joined = [skeleton_joined(n, extract_handles(n)) for n in norms]
    assert joined == [("\x1f".join(t), sum(map(len, t))) for t in (skeleton(n, extract_handles(n)) for n in norms)]
    monkeypatch.setattr(fingerprint, "skeleton_join", None)
    assert [skeleton_joined(n, extract_handles(n)) for n in norms] == joined
    assert _tokens("abc123def 一") == ["abcdef", "一"]


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


@pytest.mark.parametrize("params", [(2, 12, 3, 3), (1, 1, 4, 4), (3, 5, 2, 8)])
def test_band_keys_of_the_joined_skeleton_equal_those_of_its_tokens(params, monkeypatch):
    """The counters pass `skeleton_joined`'s string itself ("\x1f" between tokens, "" for none)."""
    tokens = corpus_tokens()
    joined = ["\x1f".join(t) for t in tokens]
    compiled = [shingle_bands(j, *params) for j in joined]
    assert compiled == [shingle_bands(t, *params) for t in tokens]
    assert [fingerprint.minhash_bands_joined(j, *params) for j in joined] == compiled
    monkeypatch.setattr(fingerprint, "shingle_bands", None)
    assert [fingerprint.minhash_bands_joined(j, *params) for j in joined[:3000]] == compiled[:3000]


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
        shingle_bands(b"not a list", 2, 12, 3, 3)
    with pytest.raises(ValueError):
        shingle_bands(["a"], 2, 12, 0, 3)
