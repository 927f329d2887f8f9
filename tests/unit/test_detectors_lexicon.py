"""The lexicon scan the detectors are built on: expansion of patterns, word starts for ASCII, overlapping
matches across lexicons, proximity, and no catastrophic backtracking."""
from __future__ import annotations

import re
import time
from datetime import datetime, timezone

import pytest

from workers.core.detectors import DETECTORS, Context
from workers.core.detectors.base import Lexicon, _leading, near, split_alternatives
from workers.core.handles import extract_handles
from workers.core.normalize import normalize

LEX = Lexicon({
    "task": "转发|发(?:个|一条)?朋友圈|post",
    "pay": r"\d{1,4}元|日结|[一二三四五六七八九十]{2,3}块|¥\d{1,5}",
    "acquire": "收(?![到好])|收购",
})


def test_split_and_expand_alternatives():
    assert split_alternatives("a|(?:b|c)d|[|]e") == ["a", "(?:b|c)d", "[|]e"]
    assert _leading("(?:a|b)?c") == [("a", "c"), ("b", "c"), ("c", "")]
    assert _leading(r"\d{1,2}楼")[0] == ("0", r"\d{0,1}楼")
    assert _leading("[¥$] ?1") == [("¥", " ?1"), ("$", " ?1")]


def test_alternatives_given_as_a_sequence_are_split_too():
    """A class given as a sequence of `|`-separated patterns means every alternative of each, on its own: the
    second alternative of "(?:pay|buy) fee|deposit \\d" is a deposit with a number, not "p" or "b" before it."""
    lex = Lexicon({"fee": ("(?:pay|buy) fee|deposit \\d", "押金")})
    assert lex.scan("a deposit 5 now")["fee"] == [(2, 11)]
    assert lex.scan("we pay fee, 押金")["fee"] == [(3, 10), (12, 14)]
    assert "fee" not in lex.scan("pdeposit 5")


def test_an_unsplit_alternative_is_refused():
    with pytest.raises(ValueError, match="unsplit"):
        _leading("(?:pay|buy) fee|deposit")


def test_scan_finds_words_patterns_and_guards():
    hits = LEX.scan("帮我转发朋友圈一条5元，日结，收购微信号，收到了 repost our ads ¥30 post")
    assert hits["task"][0] == (2, 4)
    assert len(hits["pay"]) == 3
    assert hits["acquire"] == [(15, 17)]  # "收购"; "收到" is not an acquisition
    # "发朋友圈" overlaps "转发" (the leftmost stays); "post" at a word start, not inside "repost"
    assert [text_span for text_span in hits["task"]] == [(2, 4), (44, 48)]


def test_near_respects_distance_and_sentences():
    text = "转发一下。给你5元"
    assert near(text, [(0, 2)], [(7, 9)], 10) is None  # another sentence
    assert near("转发一下给你5元", [(0, 2)], [(6, 8)], 10) == (0, 8)


def test_every_detector_is_linear_on_long_adversarial_text():
    # long runs of the characters the patterns' gaps and repetitions are built from
    text = ("转发" + "一" * 200 + "元" + "a " * 300 + "1" * 500 + "，" * 100) * 4
    norm = normalize(text)
    ctx = Context(norm, extract_handles(norm), "group", datetime(2026, 11, 28, tzinfo=timezone.utc), None)
    start = time.perf_counter()
    for detector in DETECTORS:
        detector.detect(ctx)
    assert time.perf_counter() - start < 1.0


def test_patterns_have_no_unbounded_nested_repetition():
    from workers.core.detectors import base
    for lex in base._REGISTRY:
        for entries in lex.patterns.values():
            for _, pattern in entries:
                assert not re.search(r"\)[*+]", pattern.pattern), pattern.pattern
