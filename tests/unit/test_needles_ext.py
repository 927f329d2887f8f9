"""The handles' cheap checks in one pass (workers/core/text/_needles.c) against `needle in text`."""
from __future__ import annotations

import random
from pathlib import Path

import orjson
import pytest

from workers.core import handles
from workers.core.normalize import normalize
from workers.core.text._needles import Needles  # no skip: ops/setup builds it, CI must fail without it

CORPUS = Path(__file__).resolve().parents[1] / "data/corpus"


def reference(needles: list[str], text: str) -> int:
    return sum(1 << i for i, needle in enumerate(needles) if needle in text)


def test_handles_use_the_compiled_checks():
    assert isinstance(handles._HINTS, Needles), "workers/core/text/_needles.c is not built: run ops/setup"


def test_the_checks_equal_in_on_every_corpus_text_and_on_random_text():
    needles = handles._HINT_WORDS
    texts = [normalize(orjson.loads(line)["text"]).text
             for name in ("dev.events.jsonl", "test.events.jsonl")
             for line in (CORPUS / name).read_bytes().splitlines() if line.strip()]
    rng = random.Random(5)
    alphabet = "微信wxid_qhatsp.me/@:+1telgr 加 \U0001F600"
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(20_000)]
    texts += ["", "微", "信", "wxid", "wa.m", "://", "wa.me", "x" * 10_000 + "telegram"]
    assert len(texts) > 60_000
    for text in texts:
        assert handles._HINTS.found(text) == reference(needles, text) == handles._hints(text), text


def test_needles_of_shared_starts_and_bad_needles():
    needles = ["ab", "abc", "a", "b", "bca", "\U0001F600x"[1:]]
    checker = Needles(needles)
    for text in ["", "a", "ab", "abc", "bca", "xbcax", "cab", "x"]:
        assert checker.found(text) == reference(needles, text), text
    assert Needles([chr(0x4E00 + i) for i in range(64)]).found("".join(chr(0x4E00 + i) for i in range(64))) == 2**64 - 1
    for bad in ([], [""], ["\U0001F600"], ["a"] * 65):
        with pytest.raises(ValueError):
            Needles(bad)
    with pytest.raises(TypeError):
        checker.found(b"ab")


def test_the_tld_check_equals_in_and_never_hides_a_url():
    texts = [normalize(orjson.loads(line)["text"]).text
             for name in ("dev.events.jsonl", "test.events.jsonl")
             for line in (CORPUS / name).read_bytes().splitlines() if line.strip()]
    texts += ["see x.com", "a.co.", "1.5 kg", "end. next", "http://x", "a.cn/b", "x.comx", "a.c", ".to", "e.g. this"]
    hinted = 0
    for text in texts:
        assert handles._TLD_HINTS.found(text) == reference(handles._TLD_WORDS, text), text
        url_hint = handles._URL_HINT.search(text) is not None
        cheap = bool(handles._hints(text) & handles._URL_SCHEME_HINT) or handles._tld_hint(text)
        assert cheap or not url_hint, text  # the cheap checks let every text with a URL hint through
        hinted += url_hint
    assert hinted > 500
