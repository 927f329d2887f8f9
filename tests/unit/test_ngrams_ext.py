"""The text model's compiled n-gram scorer (workers/core/text/_ngrams.c) against its Python reference: the same
rows, the same sums, the same strongest rows, so the same predictions, on every corpus text."""
from __future__ import annotations

import logging
import math
from pathlib import Path

import numpy as np
import orjson
import pytest

from workers.core.normalize import normalize
from workers.core.policy import load_policy
from workers.core.text_model import _FOLD_STR, END, START, WORD, TextModel, fold, word_features
from workers.settings import DEFAULT_POLICY

CORPUS = Path(__file__).resolve().parents[1] / "data/corpus"
from workers.core.text._ngrams import NgramScorer  # no skip: ops/setup builds it, CI must fail without it


@pytest.fixture(scope="module")
def models() -> tuple[TextModel, TextModel]:
    ref = load_policy(DEFAULT_POLICY).text_model
    compiled = TextModel.load(ref.path, ref.sha256)
    python = TextModel.load(ref.path, ref.sha256)
    python._scorer = None  # the reference path: pyahocorasick and numpy
    return compiled, python


def corpus_texts() -> list[str]:
    texts = []
    for name in ("dev.events.jsonl", "test.events.jsonl"):
        texts += [normalize(orjson.loads(line)["text"]).text for line in (CORPUS / name).read_bytes().splitlines()]
    return texts + ["", "a", " ", "\x02 \x03", "１３８ ００００", "🙂" * 40, "刷单" * 3000, "dm me dm me " * 50]


def test_the_shipped_model_uses_the_compiled_scorer(models):
    compiled, _ = models
    assert compiled.compiled, "workers/core/text/_ngrams.c is not built: run ops/setup"


def test_a_vocabulary_n_gram_is_found_in_about_one_probe(models):
    # The slot of an n-gram came from the low bits of a product, which the third character of a 3-gram does not
    # reach: every 3-gram sharing its first two characters landed in one run of the table (15 probes on average
    # for the shipped model's 246,102 n-grams). The same results, only slower: no other test sees it.
    compiled, _ = models
    assert compiled._scorer.mean_probes() < 1.5


def test_compiled_and_python_paths_agree_on_every_corpus_text(models):
    compiled, python = models
    texts = corpus_texts()
    assert len(texts) > 8000
    for text in texts:
        folded = fold(text)
        sums_c, count_c, strongest_c = compiled._sums(folded)
        sums_p, count_p, strongest_p = python._sums(folded)
        assert count_c == count_p == len(python.rows(text)), text
        assert strongest_c == strongest_p, text
        assert sums_c == sums_p, text  # the same rows added in the same (ascending) order: bit for bit
        assert compiled.predict(text) == python.predict(text), text


def test_predictions_in_c_equal_the_python_reference_at_every_floor(models):
    """NgramScorer.predict (the arithmetic around the sums, in C) against TextModel.predict's Python path:
    subtypes, scores to the last bit, evidence spans; at the engine's floor, at 0 and above."""
    compiled, python = models
    floors = (0.0, 0.05, 1 / 3, 0.5, 0.5001, 0.9, 1.0)
    kept = 0
    for text in corpus_texts() + EDGE_TEXTS:
        for floor in floors:
            mine = compiled.predict(text, floor)
            assert mine == python.predict(text, floor), (text, floor)
            kept += len(mine)
    assert kept > 20_000
    scorer = NgramScorer(["a"], np.array([[1.0, 2.0]]), 1, _FOLD_STR)
    with pytest.raises(ValueError, match="set_model"):
        scorer.predict("a", 0.0)
    with pytest.raises(ValueError, match="threshold"):
        scorer.set_model([0.0, 0.0], 1.5, 1, [[(1, 0)]], ["a"])
    scorer.set_model([0.0, 0.0], 0.5, 1, [[(1, 0)]], ["a"])
    # one row found: z = 1 / sqrt(1) + 0, sigmoid 0.7311, calibrated with threshold 0.5 to itself; "a" at 0
    assert scorer.predict("a", 0.0) == [(0, 0.7311, 0, 1)]
    assert scorer.predict("a", 0.75) == []


def test_the_two_weight_tables_give_every_column_and_keep_nothing_between_texts():
    """Category and subtype columns lie in separate tables: both are summed over the same rows, and a text with
    no row after one with rows gets the biases alone."""
    small = NgramScorer(["a", "b"], np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]), 1, _FOLD_STR)
    assert small.score_normalized("ab") == ([5.0, 7.0, 9.0], 2, [1])
    assert small.score_normalized("zz") == ([0.0, 0.0, 0.0], 0, None)
    small.set_model([0.0, 0.0, 0.0], 0.5, 1, [[(1, 0), (2, 1)]], ["a", "b"])
    score = round(1.0 / (1.0 + math.exp(-5.0 / math.sqrt(2))), 4)  # threshold 0.5 calibrates p to itself
    assert small.predict("ab", 0.0) == [(1, score, 1, 2)]  # subtype 1: 9 > 7; evidence "b" (weight 4 > 1)
    assert small.predict("zz", 0.0) == [(1, 0.5, 0, 0)]  # no row: z = 0 everywhere, the later subtype on the tie


def test_long_words_are_told_apart_past_their_first_eight_letters():
    """A word feature's first eight letters lie in its slot, the rest beside: both are compared."""
    grams = ["\x04abcdefgh", "\x04abcdefghi", "\x04abcdefghij", "\x04abcdefghijklmnopq", "\x04ab abcdefghi",
             "\x04abcdefgh ab"]
    scorer = NgramScorer(grams, np.array([[1.0], [2.0], [4.0], [8.0], [16.0], [32.0]]), 1)
    assert scorer.score("abcdefgh") == ([1.0], 1, [0])
    assert scorer.score("abcdefghi") == ([2.0], 1, [1])
    assert scorer.score("abcdefghix abcdefghik xbcdefghij") == ([0.0], 0, None)
    assert scorer.score("abcdefghijklmnopq") == ([8.0], 1, [3])
    assert scorer.score("abcdefghijklmnopr") == ([0.0], 0, None)
    assert scorer.score("ab abcdefghi") == ([2.0 + 16.0], 2, [4])
    assert scorer.score("abcdefgh ab") == ([1.0 + 32.0], 2, [5])
    assert scorer.score("abcdefgh ac") == ([1.0], 1, [0])


EDGE_TEXTS = ["", " ", "\u3000 \n", "。。。", "!a!", "  加微信：１３８！ ", "a\u2028b", "\U00020000。\U00020001",
              "\ud800x", "123 456", "\x02\x03"]


def test_the_scorer_folds_strips_and_frames_the_text_as_the_python_path_does(models):
    compiled, _ = models
    scorer = compiled._scorer
    for text in corpus_texts() + EDGE_TEXTS:
        assert scorer.fold(text) == fold(text), text
        assert scorer.score_normalized(text) == scorer.score(START + fold(text).strip() + END), text


def test_a_scorer_without_a_fold_table_refuses_to_fold():
    scorer = NgramScorer(["a"], np.array([[1.0]]), 1)
    with pytest.raises(ValueError):
        scorer.score_normalized("a")
    with pytest.raises(ValueError):
        scorer.fold("a")
    with pytest.raises(ValueError):
        NgramScorer(["a"], np.array([[1.0]]), 1, "too short")


def test_folding_takes_text_only(models):
    scorer = models[0]._scorer
    for method in (scorer.score_normalized, scorer.fold):
        with pytest.raises(TypeError):
            method(b"bytes")


def test_rows_are_distinct_and_extra_rows_count_once():
    grams = ["a", "ab", "abc", None, "\x02a"]
    weights = np.array([[1.0, 0.5], [2.0, -1.0], [4.0, 0.25], [8.0, 3.0], [16.0, 0.0]])
    scorer = NgramScorer(grams, weights, 1)
    sums, count, strongest = scorer.score(START + "abcab a" + END)
    assert count == 4  # a, ab, abc, \x02a: each once however often it occurs
    assert sums == [1.0 + 2.0 + 4.0 + 16.0, 0.5 - 1.0 + 0.25 + 0.0]
    assert strongest == [4]
    sums, count, strongest = scorer.score("xa", [3, 3, 0])  # a word row given twice, a found row again
    assert (sums, count, strongest) == ([9.0, 3.5], 2, [3])
    assert scorer.score("zzz") == ([0.0, 0.0], 0, None)
    # characters outside the Basic Multilingual Plane are characters like any other
    emoji = NgramScorer(["🙂", "🙂x"], np.array([[1.0], [2.0]]), 1)
    assert emoji.score("a🙂x🙂") == ([3.0], 2, [1])


def test_words_and_pairs_of_adjacent_words_are_looked_up_like_word_features():
    grams = ["\x04dm", "\x04dm me", "\x04me now", "\x04now", "\x04é", "z"]
    scorer = NgramScorer(grams, np.array([[1.0], [2.0], [4.0], [8.0], [16.0], [32.0]]), 1)
    text = "dm 00 me,now dmx"  # a pair spans whatever separates two runs of a-z; "dmx" is not "dm"
    assert word_features(text) == [WORD + w for w in ("dm", "me", "now", "dmx")] + \
        [WORD + p for p in ("dm me", "me now", "now dmx")]
    assert scorer.score(text) == ([1.0 + 2.0 + 4.0 + 8.0], 4, [3])
    assert scorer.score("DM ME é") == ([0.0], 0, None)  # only a-z: the model reads lower-cased, folded text
    with pytest.raises(ValueError, match="repeats"):
        NgramScorer(["\x04dm", "\x04dm"], np.zeros((2, 1)), 1)


def test_bad_tables_and_rows_are_refused_and_leave_the_scorer_usable():
    w = np.zeros((2, 2))
    with pytest.raises(ValueError, match="must have 1 to 3"):
        NgramScorer(["abcd", "a"], w, 1)
    with pytest.raises(ValueError, match="repeats"):
        NgramScorer(["a", "a"], w, 1)
    with pytest.raises(TypeError):
        NgramScorer([1, "a"], w, 1)
    with pytest.raises(ValueError, match="float64"):
        NgramScorer(["a", "b"], np.zeros((2, 2), dtype=np.float32), 1)
    with pytest.raises(ValueError, match="shape"):
        NgramScorer(["a", "b", "c"], w, 1)
    with pytest.raises(ValueError, match="ncat"):
        NgramScorer(["a", "b"], w, 3)
    scorer = NgramScorer(["a", "b"], np.array([[1.0, 0.0], [0.0, 1.0]]), 2)
    with pytest.raises(IndexError):
        scorer.score("ab", [5])
    with pytest.raises(TypeError):
        scorer.score("ab", ["x"])
    assert scorer.score("b") == ([0.0, 1.0], 1, [1, 1])  # the failed calls left nothing behind


def test_a_worker_without_the_compiled_scorer_says_so_at_startup(monkeypatch, caplog):
    from workers import app as worker_app
    from workers.core import text_model
    from workers.metrics import Metrics
    from workers.settings import Settings

    with caplog.at_level(logging.WARNING, logger="modworker.app"):
        worker_app.build_app(Settings(), Metrics())
        assert "Python path" not in caplog.text
        monkeypatch.setattr(text_model, "NgramScorer", None)
        worker_app.build_app(Settings(), Metrics())
    assert "the text model runs on its Python path" in caplog.text


def test_a_failed_call_leaves_no_row_behind_in_a_large_vocabulary():
    """Rows found before an error are cleared in both bitmaps (rows and the words in use), also when they lie
    far apart (more than 4,096 rows: several words of the second bitmap)."""
    grams = [chr(0x4E00 + i) for i in range(20_000)]
    weights = np.zeros((len(grams), 1))
    weights[::997, 0] = 1.0
    scorer = NgramScorer(grams, weights, 1)
    text = "".join(grams[::997])  # rows 0, 997, ..., 19,940
    expected = scorer.score(text)
    assert expected[1] == len(text)
    with pytest.raises(IndexError):
        scorer.score(text, [len(grams)])
    assert scorer.score(text) == expected
    assert scorer.score(grams[5]) == ([0.0], 1, [5])  # nothing left over from the failed call
