"""Text fingerprints for the counters: a content hash (identical-content repeats) and MinHash LSH bands
(campaigns: near-identical text from many accounts). Pure and deterministic: the same text always gives the
same keys, in every process and on every machine (no Python `hash()`, which is salted per process).

The skeleton of a message is its normalized text without contact handles, digits, punctuation, symbols,
emoji and spaces: the edits spam rings make between copies (another price, another WeChat ID, an emoji,
zero-width characters, full-width letters, spacing) leave it unchanged, so such copies share every band.
Tokens are single CJK ideographs and whole words (runs of other letters); shingles are runs of `shingle`
tokens.
Word-level edits (a replaced word) change a few shingles: the copies then still share a band with a high
probability (0.97 / 0.84 / 0.69 for 1 / 2 / 3 characters of the skeleton replaced at random, over the dev
corpus, with the default policy).
"""
from __future__ import annotations

import hashlib
import re
from typing import Iterable

from workers.core.handles import Handle
from workers.core.normalize import Normalized

NONE16 = "0" * 16  # "no value" in fixed-width members (no hex digest is all zeros in practice)
MAX_TOKENS = 2000  # fingerprint the first tokens only: bounded work for 20,000-character texts


def digest16(text: str) -> str:
    """64-bit BLAKE2b digest as 16 hex digits (stable across processes)."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"  # ideographs: one token each
_TOKEN = re.compile(f"[{_CJK}]|[^\\W\\d_{_CJK}]+")  # an ideograph, or a run of other letters (a word)
_DIGITS = re.compile(r"\d+")  # deleted before tokenizing: "abc123def" is the word "abcdef"


def _handle_text(value: str) -> str:
    """The text a handle was read from, as it stands in the normalized text ("wechat:abc_123" -> "abc_123")."""
    kind, _, raw = value.partition(":")
    if kind == "phone" and raw.startswith("+86"):
        raw = raw[3:]
    return raw


def _without_handles(text: str, handles: Iterable[Handle]) -> str:
    for h in handles:  # a handle separates like a space (its digits would vanish anyway)
        raw = _handle_text(h.value)
        if raw:
            text = text.replace(raw, " ")
    return text


def skeleton(norm: Normalized, handles: Iterable[Handle] = ()) -> list[str]:
    """The tokens of the text that survive small edits (see the module doc)."""
    return _tokens(_without_handles(norm.text, handles))


def _tokens(text: str) -> list[str]:
    tokens = _TOKEN.findall(_DIGITS.sub("", text))
    return tokens[:MAX_TOKENS] if len(tokens) > MAX_TOKENS else tokens


def skeleton_joined(norm: Normalized, handles: Iterable[Handle] = ()) -> tuple[str, int]:
    """`"\\x1f".join(skeleton(norm, handles))` and the number of letters in it: what the counters key on. In one
    pass in C when built (`skeleton_join`, compared with `skeleton` on every code point and corpus text)."""
    text = _without_handles(norm.text, handles)
    if skeleton_join is not None:
        joined, letters, _ = skeleton_join(text, MAX_TOKENS)
        return joined, letters
    tokens = _tokens(text)
    return "\x1f".join(tokens), sum(map(len, tokens))


def content_hash(tokens: list[str], min_chars: int) -> str:
    """Hash of the skeleton for identical-content counting; NONE16 when it has fewer than min_chars letters."""
    return content_digest("\x1f".join(tokens), sum(map(len, tokens)), min_chars)


def content_digest(joined: str, letters: int, min_chars: int) -> str:
    """`content_hash` of the skeleton joined (`skeleton_joined`)."""
    return NONE16 if letters < min_chars else digest16(joined)


def shingles(tokens: list[str], size: int) -> set[str]:
    if size == 2:
        return {a + "\x1f" + b for a, b in zip(tokens, tokens[1:])}
    return {"\x1f".join(tokens[i:i + size]) for i in range(len(tokens) - size + 1)}


try:  # the fingerprint in C (workers/core/text/_minhash.c, built by ops/setup); same results as below
    from workers.core.text._minhash import shingle_bands, skeleton_join
except ImportError:  # not built (e.g. run from a bare checkout): the Python path, many times slower
    shingle_bands = skeleton_join = None

_M64 = (1 << 64) - 1
_FNV_OFFSET, _FNV_PRIME = 0xCBF29CE484222325, 0x100000001B3
_ROTATE = 0x9E3779B97F4A7C15  # densification offset per step (odd, 64-bit golden ratio)


def _finish(h: int) -> int:
    """The splitmix64 finalizer: every output bit depends on every input bit."""
    h ^= h >> 30
    h = (h * 0xBF58476D1CE4E5B9) & _M64
    h ^= h >> 27
    h = (h * 0x94D049BB133111EB) & _M64
    return h ^ (h >> 31)


def shingle_hash(shingle: str) -> int:
    """64-bit FNV-1a over the shingle's code points, then the splitmix64 finalizer (so that the top bits,
    which the bin minimums compare, depend on every character). Stable across processes and machines."""
    h = _FNV_OFFSET
    for ch in shingle:
        h = ((h ^ ord(ch)) * _FNV_PRIME) & _M64
    return _finish(h)


def _shingle_bins_py(tokens: list[str], size: int, k: int) -> tuple[int, list[int | None]]:
    """The number of distinct shingles, and per bin (h % k) the smallest h // k of its shingles or None (the
    reference of the C `shingle_bins`)."""
    sh = shingles(tokens, size)
    mins: list[int | None] = [None] * k
    for s in sh:
        v, b = divmod(shingle_hash(s), k)
        m = mins[b]
        if m is None or v < m:
            mins[b] = v
    return len(sh), mins


def _bands_py(tokens: list[str], shingle: int, min_shingles: int, bands: int, rows: int) -> tuple[str, ...]:
    """The reference of the C `shingle_bands` (see `minhash_bands`)."""
    k = bands * rows
    count, bins = _shingle_bins_py(tokens, shingle, k)
    if count < min_shingles or not count:
        return ()
    dense: list[int] = []
    for j in range(k):
        m = bins[j]
        if m is None:  # the next non-empty bin (there is one: count >= 1), rotated per step
            step = 1
            while bins[(j + step) % k] is None:
                step += 1
            m = (bins[(j + step) % k] + step * _ROTATE) & _M64  # type: ignore[operator]
        dense.append(m)
    keys = []
    for band in range(bands):
        h = ((_FNV_OFFSET ^ band) * _FNV_PRIME) & _M64
        for v in dense[band * rows:(band + 1) * rows]:
            h = ((h ^ v) * _FNV_PRIME) & _M64
        keys.append(f"{_finish(h):016x}")
    return tuple(keys)


def minhash_bands(tokens: list[str], shingle: int, min_shingles: int, bands: int, rows: int) -> tuple[str, ...]:
    """LSH band keys (16 hex digits each) of the text; () when it has fewer than min_shingles shingles.

    One-permutation MinHash: each shingle gets ONE 64-bit hash (`shingle_hash`), which picks one of
    bands * rows bins and is that bin's candidate; a bin keeps its smallest. Empty bins are densified by
    rotation (the next non-empty bin's value plus an offset per step, Shrivastava & Li 2014), so similar texts
    fill them alike. Band b's key is a 64-bit hash of b and its bins [b * rows, (b + 1) * rows). A word edit
    changes a few shingles and so at most a few bins: the other bands stay equal.
    """
    if shingle_bands is not None:
        return shingle_bands(tokens, shingle, min_shingles, bands, rows)  # type: ignore[no-any-return]
    return _bands_py(tokens, shingle, min_shingles, bands, rows)


def minhash_bands_joined(joined: str, shingle: int, min_shingles: int, bands: int, rows: int) -> tuple[str, ...]:
    """`minhash_bands` of the tokens of `skeleton_joined`'s string, without splitting it when in C."""
    if shingle_bands is not None:
        return shingle_bands(joined, shingle, min_shingles, bands, rows)  # type: ignore[no-any-return]
    return _bands_py(joined.split("\x1f") if joined else [], shingle, min_shingles, bands, rows)
