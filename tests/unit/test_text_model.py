"""The learned text model: its features, the file the policy pins, its findings, and that the committed file
is what ops/model/train.py makes from the current dev split (and nothing else)."""
from __future__ import annotations

import hashlib
import importlib.util
import tomllib
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import orjson
import pytest

from schemas.models import MessageEvent
from workers.core.engine import Engine
from workers.core.normalize import normalize
from workers.core.policy import load_policy, parse_policy
from workers.core.text_model import DETECTOR, WORD, ModelError, TextModel, features
from workers.settings import DEFAULT_POLICY, REPO_ROOT

POLICY = load_policy(DEFAULT_POLICY)
ENGINE = Engine(POLICY)
CORPUS = REPO_ROOT / "tests" / "data" / "corpus"


@pytest.fixture(scope="module")
def model() -> TextModel:
    ref = POLICY.text_model
    assert ref is not None, "the default policy uses the text model"
    return TextModel.load(ref.path, ref.sha256)


def test_features_fold_digits_mark_edges_and_skip_blank_grams():
    f = features("加v 138", 3)
    assert {"\x02加", "加v", "000", "0\x03", "v 0"} <= f
    assert " " not in f and "138" not in f
    # punctuation is spaced out and the ends stripped: a final 「。」 or "!" changes no feature
    assert features("刷单返利，日结。", 3) == features("刷单返利 日结", 3) == features("刷单返利!日结!!", 3)
    assert features("", 3) == {"\x02", "\x03", "\x02\x03"}
    assert features("刷单", 2) == features("刷单", 2)  # a set: order-free, deterministic


def test_word_features_are_whole_latin_words_and_adjacent_pairs():
    f = features("dm me on whatsapp 加v, don't wait", 3, words=True)
    assert {WORD + "dm", WORD + "dm me", WORD + "on whatsapp", WORD + "don", WORD + "t wait"} <= f
    assert WORD + "加v" not in f and WORD + "whatsap" not in f  # words are whole runs of Latin letters
    assert not any(g.startswith(WORD) for g in features("dm me on whatsapp", 3))  # off unless asked for
    assert WORD + "job" not in features("jobs", 3, words=True)


def test_prediction_reads_exactly_the_training_features(model):
    """The automaton used at prediction finds exactly `features` (what training used) within the vocabulary."""
    texts = [normalize(orjson.loads(l)["text"]).text for l in (CORPUS / "dev.events.jsonl").read_bytes().splitlines()]
    texts += ["", "a", "１３８ ００００", "兼 职 0 0", "\x02 \x03"]
    for text in texts:
        expected = sorted(model.index[g] for g in features(text, model.ngram, model.words) if g in model.index)
        assert sorted(model.rows(text)) == expected, text


def test_the_policy_pins_the_file_and_a_changed_file_is_refused(model, tmp_path):
    ref = POLICY.text_model
    assert hashlib.sha256(ref.path.read_bytes()).hexdigest() == ref.sha256
    changed = tmp_path / "text_model.json"
    changed.write_bytes(ref.path.read_bytes().replace(b'"threshold":', b'"threshold" :', 1))
    with pytest.raises(ModelError, match="new policy version"):
        TextModel.load(changed, ref.sha256)
    with pytest.raises(ModelError):
        TextModel({"ngram": 3})


def test_predictions_one_per_category_with_spans_in_the_original_text(model):
    text = "宝\u200b妈\u200b在\u200b家\u200b兼\u200b职，动动手指日入三百，➕V：mama_6688"
    norm = normalize(text)
    found = model.findings(norm, floor=0.0)
    assert [f.label.split(".")[0] for f in found] == list(model.categories)
    for f in found:
        assert f.detector == DETECTOR and f.rule_id == f"model.{f.label}" and 0 <= f.weight <= 1
        assert 0 <= f.start < f.end <= len(text)
        # a real piece of what was written: it starts and ends on visible characters, and reads, with the
        # zero-width spaces between them dropped, as a piece of the normalized text ("在\u200b家" for "在家")
        piece = text[f.start:f.end]
        assert piece[0] != "\u200b" and piece[-1] != "\u200b"
        assert normalize(piece).text and normalize(piece).text in norm.text


@pytest.mark.parametrize("text", ["hi", "hello", "ok", "好的", "收到", "在吗", "thanks!", "晚安", "哈哈哈", "👍",
                                  "yes", "在", "嗯", "lol", "谢谢", "早"])
def test_short_everyday_replies_are_allowed(text):
    """Too short to carry a pitch: features are scaled by max(count, norm_floor), so a two-letter greeting is
    not scored like a long text (an unscaled model put "hi" at 0.91 for fraud_drainage, and it was limited)."""
    event = MessageEvent(event_id="t", account_id="a", surface="group", text=text,
                         sent_at=datetime(2026, 11, 28, tzinfo=timezone.utc))
    assert ENGINE.decide_text_only(event).action == "allow"


def test_calibration_maps_the_threshold_to_half_and_stays_monotone(model):
    t = model.threshold
    assert model.calibrate(t) == pytest.approx(0.5)
    ps = np.linspace(0, 1, 101)
    cs = [model.calibrate(float(p)) for p in ps]
    assert cs[0] == 0 and cs[-1] == pytest.approx(1) and all(a <= b for a, b in zip(cs, cs[1:]))


def test_the_model_was_trained_on_the_current_dev_split_only(model):
    on = model.trained_on
    assert on["events_sha256"] == hashlib.sha256((CORPUS / "dev.events.jsonl").read_bytes()).hexdigest(), \
        "stale model: run ops/model/train.py, then pin its SHA-256 in the policy with a new version"
    assert on["labels_sha256"] == hashlib.sha256((CORPUS / "dev.labels.jsonl").read_bytes()).hexdigest()
    test_texts = {orjson.loads(l)["text"] for l in (CORPUS / "test.events.jsonl").read_bytes().splitlines()}
    dev_texts = {orjson.loads(l)["text"] for l in (CORPUS / "dev.events.jsonl").read_bytes().splitlines()}
    shared = {t for t in test_texts & dev_texts if len(t) > 10}  # short replies ("嗯嗯", "lol same") recur
    assert not shared, f"test messages also in dev: {sorted(shared)[:3]}"


def _ops_model(name: str):
    """ops/model/NAME.py as a module (not a package: the scripts run as files)."""
    spec = importlib.util.spec_from_file_location(name, REPO_ROOT / "ops" / "model" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(importlib.util.find_spec("sklearn") is None, reason="scikit-learn is in the test extra")
def test_retraining_reproduces_the_committed_model(tmp_path):
    train = _ops_model("train")
    out = tmp_path / "text_model.json"
    assert train.main(["--out", str(out)]) == 0
    fresh, committed = orjson.loads(out.read_bytes()), orjson.loads(POLICY.text_model.path.read_bytes())
    assert fresh["vocab"] == committed["vocab"] and fresh["trained_on"] == committed["trained_on"]
    np.testing.assert_allclose(fresh["weights"], committed["weights"], atol=2e-3)
    np.testing.assert_allclose(fresh["bias"], committed["bias"], atol=2e-3)


@pytest.mark.skipif(importlib.util.find_spec("sklearn") is None, reason="scikit-learn is in the test extra")
def test_nb_ratios_weigh_a_feature_by_the_messages_it_occurs_in():
    """NB-LR's scale (ops/model/train.py): positive for a feature of the label's messages, negative for one of
    the others, zero for one as frequent in both."""
    from scipy.sparse import csr_matrix

    present = csr_matrix(np.array([[1, 0, 1], [1, 0, 0], [0, 1, 1], [0, 1, 0]], dtype=float))
    r = _ops_model("train").nb_ratios(present, np.array([1, 1, 0, 0]))
    # smoothed by 1: occurrences 3 against 1, 1 against 3, 2 against 2, over totals of 6 on both sides
    assert r.tolist() == pytest.approx([np.log(3), -np.log(3), 0.0])


@pytest.mark.skipif(importlib.util.find_spec("sklearn") is None, reason="scikit-learn is in the test extra")
def test_cross_validation_holds_out_whole_writers():
    """ops/model/cv.py (how the settings were chosen): every dev message is in one fold with its whole source
    file, and the folds are of comparable size."""
    cv = _ops_model("cv")
    ids = [orjson.loads(l)["event_id"] for l in (CORPUS / "dev.events.jsonl").read_bytes().splitlines() if l.strip()]
    source = cv.source_files()
    assert set(ids) == set(source)  # exactly the dev split's messages
    fold = cv.folds_by_file(ids, source, 5)
    fold_of_file: dict[str, set[int]] = {}
    for i, f in zip(ids, fold):
        fold_of_file.setdefault(source[i], set()).add(f)
    assert all(len(folds) == 1 for folds in fold_of_file.values())
    sizes = [fold.count(k) for k in range(5)]
    assert min(sizes) > 0.5 * len(ids) / 5, sizes


@pytest.mark.skipif(importlib.util.find_spec("sklearn") is None, reason="scikit-learn is in the test extra")
def test_cross_validation_review_shift_raises_every_surface_review_threshold_only():
    cv = _ops_model("cv")
    base = DEFAULT_POLICY.read_text(encoding="utf-8")
    before = parse_policy(tomllib.loads(base), DEFAULT_POLICY.parent)
    # (a shift that lifts a review bar past its surface's limit makes no policy: 0.02 keeps every one under it)
    after = parse_policy(tomllib.loads(cv.shifted(base, 0.02)), DEFAULT_POLICY.parent)
    for surface, thresholds in before.thresholds.items():
        assert after.thresholds[surface]["review"] == pytest.approx(thresholds["review"] + 0.02)
        assert {a: t for a, t in after.thresholds[surface].items() if a != "review"} == \
            {a: t for a, t in thresholds.items() if a != "review"}
    assert cv.shifted(base, 0.0) == base


@pytest.mark.skipif(importlib.util.find_spec("sklearn") is None, reason="scikit-learn is in the test extra")
def test_cross_validation_margins_are_in_sampling_errors_and_signed_by_the_bound():
    cv = _ops_model("cv")
    at_bound = {"recruitment P": 0.97, "recruitment R": 0.90, "marketing P": 0.95, "marketing R": 0.85,
                "benign flagged": 0.01, "hard negatives": 0.03}
    assert all(m == pytest.approx(0.0) for m in cv.margins(at_bound).values())
    better = cv.margins({**at_bound, "recruitment R": 0.92, "benign flagged": 0.005})
    # 0.92 recall on 340 messages: (0.92 - 0.90) / sqrt(0.92 * 0.08 / 340) = 1.36 sampling errors above the bound
    assert better["recruitment R"] == pytest.approx(0.02 / (0.92 * 0.08 / 340) ** 0.5)
    assert better["benign flagged"] > 0  # below an "at most" bound is a positive margin
    assert cv.margins({**at_bound, "benign flagged": 0.012})["benign flagged"] < 0
