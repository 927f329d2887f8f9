"""Shared by the normalization tests: the corpus texts, and checks of a normalized text and its offsets."""
from __future__ import annotations

import glob
import json
from pathlib import Path

from workers.core.normalize import Normalized, normalize

CORPUS = sorted(glob.glob(str(Path(__file__).resolve().parents[1] / "data" / "corpus" / "src" / "*.jsonl")))


def corpus_texts() -> list[str]:
    texts = []
    for path in CORPUS:
        with open(path, encoding="utf-8") as f:
            texts += [json.loads(line)["text"] for line in f if line.strip()]
    return texts



def original_of(norm: Normalized, needle: str, occurrence: int = 0) -> str:
    """The original text behind the `occurrence`-th `needle` in the normalized text."""
    start = -1
    for _ in range(occurrence + 1):
        start = norm.text.index(needle, start + 1)
    a, b = norm.span(start, start + len(needle))
    return norm.original[a:b]


def check(raw: str, expected: str) -> Normalized:
    norm = normalize(raw)
    assert norm.text == expected, (raw, norm.text)
    return norm
