"""Rewrite rules of normalization compiled (workers/core/text/_spelled.c) against their reference in rules.py
(`SEPARATORS.sub(join_spelled, ...)`, `CJK_SPACE.sub("", ...)`, and `NICKNAME_PATTERN.sub(canonical_nickname,
...)`, whose pattern runs only where C says it may match): the same output and the same edits (offsets.edits)
on every corpus text, on random texts made of what the rules look at, and on long runs."""
from __future__ import annotations

import random
from pathlib import Path

import orjson
import pytest

from workers.core import normalize
from workers.core.text import offsets, rules
from workers.core.text._spelled import NicknameStarts, SpelledRules  # no skip: ops/setup builds it

CORPUS = Path(__file__).resolve().parents[1] / "data/corpus"
NATIVE = normalize._SPELLED


def reference_join(text: str):
    out = rules.SEPARATORS.sub(rules.join_spelled, text)
    return None if out == text else (out, offsets.edits(rules.SEPARATORS, rules.join_spelled, text))


def reference_cjk_space(text: str):
    out = rules.CJK_SPACE.sub("", text)
    return None if out == text else (out, offsets.edits(rules.CJK_SPACE, "", text))


def reference_nicknames(text: str):
    out = rules.NICKNAME_PATTERN.sub(rules.canonical_nickname, text)
    return None if out == text else (out, offsets.edits(rules.NICKNAME_PATTERN, rules.canonical_nickname, text))


def compiled_nicknames(text: str):
    return normalize._NATIVE_RULES[id(rules.NICKNAME_PATTERN)](text)


def reference_leet(text: str):
    out = rules.LEET.sub(rules.decode_leet, text)
    return None if out == text else (out, offsets.edits(rules.LEET, rules.decode_leet, text))


def compiled_leet(text: str):
    return normalize._NATIVE_RULES[id(rules.LEET)](text)


def differs(text: str) -> bool:
    return (NATIVE.join_spelled(text) != reference_join(text) or NATIVE.cjk_space(text) != reference_cjk_space(text)
            or compiled_nicknames(text) != reference_nicknames(text) or compiled_leet(text) != reference_leet(text)
            or NATIVE.leet_triggered(text) != (rules.LEET_TRIGGER.search(text) is not None))


def test_normalization_uses_the_compiled_rules():
    assert rules.SpelledRules is SpelledRules, "workers/core/text/_spelled.c is not built: run ops/setup"
    assert isinstance(NATIVE, SpelledRules)
    assert isinstance(normalize._NICKNAME_STARTS, NicknameStarts)
    assert normalize._NATIVE_RULES == {id(rules.SEPARATORS): NATIVE.join_spelled,
                                       id(rules.CJK_SPACE): NATIVE.cjk_space,
                                       id(rules.LEET): normalize._leet,
                                       id(rules.NICKNAME_PATTERN): normalize._nicknames}


def test_examples():
    assert NATIVE.join_spelled("加 微 信") == ("加微信", [(1, 5, "微信")])
    assert NATIVE.join_spelled("3-5 and 1.5") is None  # a range and a decimal stay (their edits too)
    assert NATIVE.join_spelled("刷·单") == ("刷单", [(1, 3, "单")])
    assert NATIVE.join_spelled("1-3-8-0-0") == ("13800", [(1, 9, "3800")])
    assert NATIVE.cjk_space("每单 30 元") == ("每单30元", [(2, 3, ""), (5, 6, "")])
    assert NATIVE.cjk_space("hello world") is None
    assert compiled_nicknames("加vx: abc123 jz") == ("加微信: abc123 兼职", [(1, 3, "微信"), (12, 14, "兼职")])
    assert compiled_nicknames("坐飞机去 very well") is None  # "飞机" is a plane here, "v" a letter of a word
    assert compiled_nicknames("abc点com") == ("abc.com", [(3, 4, ".")])
    assert compiled_leet("m0ney fr33 win7 24h") == (  # win7 is a name, kept (its edit too); 24h a time
        "money free win7 24h", [(0, 5, "money"), (6, 10, "free"), (11, 15, "win7")])
    assert NATIVE.leet_triggered("m0ney") and not NATIVE.leet_triggered("2024, 100% 好")


def test_every_corpus_text_as_the_rules_reach_it():
    """Each dev and test text after the character stage (the rules' real input), and as written."""
    texts = [orjson.loads(line)["text"] for name in ("dev.events.jsonl", "test.events.jsonl")
             for line in (CORPUS / name).read_bytes().splitlines() if line.strip()]
    assert len(texts) > 40_000
    staged = [normalize._CHARS.translate_rare(t)[0] for t in texts]
    assert [t for t in staged + texts if differs(t)] == []
    assert sum(NATIVE.join_spelled(t) is not None for t in staged) > 5_000  # the rules do run on them
    assert sum(compiled_nicknames(t) is not None for t in staged) > 1_000
    assert sum(compiled_leet(t) is not None for t in staged) > 200


# Characters the patterns treat differently: separators soft and hard, CJK, lone Latin units and what
# blocks them, digits, and characters of none of these classes; and pieces of the nickname rule: variants,
# what comes before them ("加", "联系") and after them (号, an id, a domain), and what rules them out.
ALPHABET = (list(" ·-._~*|🔥😀🀄…—,;!?。、") + list("加微信刷单一〇") + list("abwxz019") + list("'’/")
            + list(":@#$%&=_✈\n") + ["\u00e9", "\u0416", "\U00020000"])
PIECES = ([v for v, _, _ in rules.NICKNAMES] + ["加", "+", "联系", "搜", "号", "群", "id", ":", "@", " ", "场", "票",
          "com", "cn", "xyz", ".", "点", "。", "abcdef", "x1_y2-z3", "12345", "9", "a", "/", "-", "_", "#", "\t"]
          + ["m0ney", "c@sh", "fr33", "$cam", "1ike", "he11o", "win7", "top10", "iphone15", "5g", "7pm", "e", "o",
             "0", "1", "3", "4", "5", "7", "$", "\\", "qq", "微信", "2", "6", "8"])


@pytest.mark.parametrize("seed", range(8))
def test_random_texts_of_the_characters_the_rules_look_at(seed):
    rng = random.Random(seed)
    bad = []
    for _ in range(3_000):
        text = "".join(rng.choice(ALPHABET) for _ in range(rng.randrange(1, 60)))
        pieces = "".join(rng.choice(PIECES) for _ in range(rng.randrange(1, 12)))
        bad += [t for t in (text, pieces) if differs(t)]
    assert bad == []


def test_long_runs():
    for text in ("加 " * 5_000, "1-" * 5_000, "a " * 5_000, "中 a " * 3_000, " " * 10_000 + "加",
                 "加" + " " * 7 + "微" + " " * 6 + "信", "a·b·c·" * 2_000, "🔥" * 100 + "刷🔥单" * 1_000,
                 "vx " * 3_000, "加飞机号" * 2_000, "a点" * 3_000 + "com", "m0n3y " * 3_000, "a1" * 5_000):
        assert not differs(text), text[:20]


def test_bad_arguments_are_refused():
    with pytest.raises(TypeError):
        NATIVE.join_spelled(b"bytes")
    with pytest.raises(ValueError, match="flags"):
        SpelledRules(b"\x00" * 10)
    with pytest.raises(ValueError, match="bad entry"):
        NicknameStarts([("", 0, 0)])
