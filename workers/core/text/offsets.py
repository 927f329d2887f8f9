"""Mapping positions back through the rewrite rules of normalization.

A rule's edits are (start, end, replacement) of its matches in its input text. A position of its output
maps back to its input: outside replacements by the length difference so far; inside a replacement of the
same length character to character; inside one keeping a subsequence of its match (separators removed) to
the kept characters; inside any other (a nickname -> its canonical token) to the whole match (its first
character for a start, its last for an end).
"""
from __future__ import annotations

import re
from typing import Callable

Edit = tuple[int, int, str]
Repl = Callable[[re.Match[str]], str] | str

try:  # Normalized._map_span's walk in C (workers/core/text/_offsets.c, built by ops/setup): `map_span` below
    from workers.core.text._offsets import map_span as native_map_span
except ImportError:  # not built: the walk in Python
    native_map_span = None


def map_span(steps: list[tuple[str, list[Edit]]], p: int, q: int) -> tuple[int, int]:
    """Positions p <= q of the last step's output (a span's first and last character) mapped back through the
    steps (each its input text and its edits, the last step first): p with `inside`'s start side, q with its
    end side, in one walk over each step's edits. The reference of `_offsets.map_span`."""
    for text, edits in steps:
        delta = 0  # output position - input position, before the current edit
        p_delta = None  # p's delta once p is placed (p <= q: p is placed first)
        for s, e, r in edits:
            out_start = s + delta
            if p_delta is None and p < out_start + len(r):
                if p >= out_start:
                    p = inside(text, s, e, r, p - out_start, False) + delta
                p_delta = delta
            if q < out_start:
                break
            if q < out_start + len(r):
                q = inside(text, s, e, r, q - out_start, True) + delta
                break
            delta += len(r) - (e - s)
        p -= delta if p_delta is None else p_delta
        q -= delta
    return p, q


def edits(pattern: re.Pattern[str], fn: Repl, text: str) -> list[Edit]:
    """The edits a rule made on `text` (its replacement functions are pure, so they can be recomputed)."""
    if isinstance(fn, str):
        return [(*m.span(), fn) for m in pattern.finditer(text)]
    return [(*m.span(), fn(m)) for m in pattern.finditer(text)]


def back_many(text: str, edits: list[Edit], queries: list[list[int]]) -> None:
    """Map positions of one step's output back to its input `text`, in place, for queries sorted by
    position: one walk over the edits (see `inside` for positions inside a replacement)."""
    i = 0
    delta = 0  # output position - input position, before edit i
    n = len(edits)
    for q in queries:
        p = q[0]
        while i < n:
            s, e, r = edits[i]
            out_start = s + delta
            if p < out_start + len(r):
                break
            delta += len(r) - (e - s)
            i += 1
        if i < n:
            s, e, r = edits[i]
            out_start = s + delta
            if out_start <= p < out_start + len(r):
                q[0] = inside(text, s, e, r, p - out_start, bool(q[1]))
                continue
        q[0] = p - delta


def inside(text: str, s: int, e: int, r: str, j: int, end_side: bool) -> int:
    """Input position of character j of the replacement r of match [s, e)."""
    if len(r) == e - s:
        return s + j
    kept = subsequence(r, text, s, e)
    if kept is not None:
        return kept[j]
    return e - 1 if end_side else s


def back_one(text: str, edits: list[Edit], p: int, end_side: bool) -> int:
    """Map output position p of one step back to its input `text` (see `inside`)."""
    delta = 0  # output position - input position, before the current edit
    for s, e, r in edits:
        out_start = s + delta
        if p < out_start:
            break
        if p < out_start + len(r):
            return inside(text, s, e, r, p - out_start, end_side)
        delta += len(r) - (e - s)
    return p - delta


def subsequence(r: str, text: str, s: int, e: int) -> list[int] | None:
    """Positions in text[s:e] of the characters of r, when r keeps a subsequence of it (else None)."""
    kept: list[int] = []
    i = s
    for ch in r:
        while i < e and text[i] != ch:
            i += 1
        if i >= e:
            return None
        kept.append(i)
        i += 1
    return kept
