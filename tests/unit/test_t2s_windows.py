"""Traditional -> simplified by windows (workers/core/text/t2s.py): OpenCC runs only on the runs of phrase
characters that hold an ambiguous one, and the result is OpenCC's conversion of the whole text.

The claim rests on OpenCC's own dictionaries, read here from the installed package (marisa-trie reads its
.ocd2 files): every phrase is made of PHRASE_CHARS, the other dictionaries map single characters, and every
character a phrase converts otherwise than alone is AMBIGUOUS."""
from __future__ import annotations

import json
from pathlib import Path

import marisa_trie
import opencc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.unit.normalize_helpers import corpus_texts
from workers.core.text import charmap, t2s

OPENCC_DATA = Path(opencc.__file__).parent / "clib" / "share" / "opencc"
HEADER = b"OPENCC_MARISA_0.2.5"
CC = opencc.OpenCC("t2s")


def keys(name: str) -> list[str]:
    data = (OPENCC_DATA / name).read_bytes()
    assert data.startswith(HEADER), f"{name}: not an OpenCC marisa dictionary"
    trie = marisa_trie.Trie()
    trie.frombytes(data[len(HEADER):])
    return trie.keys()


def whole_text(text: str) -> str:
    """What t2s.to_simplified gave before windows: OpenCC on the whole text (the table when it changes the
    length)."""
    out = CC.convert(text)
    return out if len(out) == len(text) else text.translate(t2s._TABLE)


def dictionaries(config: dict) -> list[str]:
    found = []
    for step in [*config.get("normalization", []), *config["conversion_chain"]]:
        d = step["dict"]
        found += [x["file"] for x in d["dicts"]] if d["type"] == "group" else [d["file"]]
    return found


def test_the_t2s_configuration_uses_the_dictionaries_the_windows_assume():
    config = json.loads((OPENCC_DATA / "t2s.json").read_text(encoding="utf-8"))
    assert dictionaries(config) == [
        "CJK_Compatibility_Ideographs.ocd2", "TSPhrases.ocd2", "TSCharactersExt.ocd2", "TSCharacters.ocd2"]
    assert "segmentation" not in config


def test_every_phrase_is_made_of_phrase_characters_and_the_other_dictionaries_map_single_characters():
    phrases = keys("TSPhrases.ocd2")
    assert len(phrases) > 400
    assert {c for p in phrases if len(p) > 1 for c in p} == t2s.PHRASE_CHARS
    for name in ("TSCharactersExt.ocd2", "TSCharacters.ocd2", "CJK_Compatibility_Ideographs.ocd2"):
        assert {len(k) for k in keys(name)} == {1}, name
    compatibility = [ord(k) for k in keys("CJK_Compatibility_Ideographs.ocd2")]
    assert all(0xF900 <= cp <= 0xFAFF or cp > 0xFFFF for cp in compatibility)  # OpenCC decides them itself


def test_every_character_a_phrase_converts_otherwise_than_alone_is_ambiguous():
    changed = set()
    for phrase in keys("TSPhrases.ocd2"):
        out = CC.convert(phrase)
        assert len(out) == len(phrase), phrase
        changed |= {c for c, o in zip(phrase, out) if CC.convert(c) != o}
    assert changed and changed <= t2s.AMBIGUOUS


def test_windows_convert_every_ambiguous_corpus_text_as_opencc_converts_it_whole():
    checked = 0
    for text in map(charmap.translate, corpus_texts()):
        if not t2s.AMBIGUOUS.isdisjoint(text):
            assert t2s.to_simplified(text, ambiguous=True) == whole_text(text), text
            checked += 1
    assert checked > 400


@pytest.mark.parametrize("text", [
    "他說乾隆時代很乾淨", "我瞭解你的計畫", "回覆:於是我們甚麼都沒說", "錢鍾書的書", "乾隆乾隆乾隆",
    "\uf900乾\U00020325計畫", "😀乾淨😀", "a乾b淨c", "乾", "計畫一下下不中大小",
])
def test_windows_on_phrases_beside_each_other_and_other_characters(text):
    assert t2s.to_simplified(text, ambiguous=True) == whole_text(text)


_ALPHABET = sorted(t2s.PHRASE_CHARS) + sorted(t2s.AMBIGUOUS) * 4 + list("，。 a1\n") + [
    chr(0xF900), chr(0xF91F), chr(0xFA10), chr(0x2F800), chr(0x20325), "😀"] + sorted(map(chr, t2s.CHAR_MAP))[:300]


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=st.sampled_from(_ALPHABET), max_size=40))
def test_windows_equal_opencc_on_any_text(text):
    assert t2s.to_simplified(text, ambiguous=True) == whole_text(text)


def test_a_window_opencc_would_lengthen_sends_the_whole_text_by_the_table(monkeypatch):
    monkeypatch.setattr(t2s, "_WINDOWS", {"乾淨": None})  # as if OpenCC changed its length
    text = "計畫很乾淨"
    assert t2s.to_simplified(text, ambiguous=True) == text.translate(t2s._TABLE)
