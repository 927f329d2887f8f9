"""The binary copy of the text model (`<model>.json.npz`, ops/model/cache.py): read instead of the JSON only
while it was made from that very JSON, the same model bit for bit, and ignored when stale or broken."""
from __future__ import annotations

import hashlib
import importlib.util
from pathlib import Path

import numpy as np
import orjson
import pytest

from workers.core import text_model
from workers.core.normalize import normalize
from workers.core.policy import load_policy
from workers.core.text_model import TextModel, cache_path
from workers.settings import DEFAULT_POLICY, REPO_ROOT

_spec = importlib.util.spec_from_file_location("model_cache", REPO_ROOT / "ops/model/cache.py")
cache_script = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(cache_script)

TEXTS = ["帮忙点赞，一单5元日结，加微信 abc12345", "dm me on whatsapp for easy money", "好的，明天见", ""]


def tiny_model(tmp_path: Path, weight: float = 1.5) -> Path:
    data = {"ngram": 3, "words": True, "categories": ["recruitment_scam"],
            "subtypes": ["recruitment_scam.paid_posting", "recruitment_scam.fake_job"],
            "vocab": ["点赞", "日结", "\x02好", "\x04money", "\x04easy money"],
            "weights": [[weight, 0.5, -0.25], [2.0, -1.0, 1.0], [-3.0, 0.1, 0.2], [1.25, 0.0, 1.0], [0.75, 0.5, 0.5]],
            "bias": [-1.0, 0.0, 0.0], "threshold": 0.4, "norm_floor": 4, "trained_on": {"x": "y"}}
    path = tmp_path / "model.json"
    path.write_bytes(orjson.dumps(data))
    return path


def predictions(model: TextModel) -> list:
    return [[(p.label, p.score, p.start, p.end) for p in model.predict(normalize(t).text)] for t in TEXTS]


def same_model(a: TextModel, b: TextModel) -> bool:
    return (a.vocab == b.vocab and np.array_equal(a.weights, b.weights) and np.array_equal(a.bias, b.bias)
            and (a.categories, a.subtypes, a.threshold, a.norm_floor, a.trained_on)
            == (b.categories, b.subtypes, b.threshold, b.norm_floor, b.trained_on))


def test_the_copy_is_read_and_gives_the_same_model(tmp_path):
    path = tiny_model(tmp_path)
    from_json = TextModel.load(path)
    assert "written" in cache_script.write_cache(path) and cache_path(path).exists()
    assert "current" in cache_script.write_cache(path)  # not rewritten while current
    from_copy = TextModel.load(path)
    assert same_model(from_json, from_copy) and predictions(from_json) == predictions(from_copy)
    # it is the copy that was read: one doctored under the same SHA-256 shows through
    arrays = text_model.cache_arrays(path.read_bytes())
    arrays["weights"] = arrays["weights"] * 2
    with open(cache_path(path), "wb") as f:
        np.savez(f, **arrays)
    assert TextModel.load(path).weights[0, 0] == 3.0


def test_a_copy_of_another_file_is_ignored_and_rewritten(tmp_path):
    path = tiny_model(tmp_path)
    cache_script.write_cache(path)
    old_copy = cache_path(path).read_bytes()
    tiny_model(tmp_path, weight=-7.0)  # the model retrained: the copy is stale
    fresh = TextModel.load(path)
    assert fresh.weights[0, 0] == -7.0
    assert "written" in cache_script.write_cache(path) and cache_path(path).read_bytes() != old_copy
    assert TextModel.load(path).weights[0, 0] == -7.0


@pytest.mark.parametrize("content", [b"", b"not a zip at all", b"PK\x03\x04broken"])
def test_a_broken_copy_is_ignored(tmp_path, content):
    path = tiny_model(tmp_path)
    expected = predictions(TextModel.load(path))
    cache_path(path).write_bytes(content)
    assert predictions(TextModel.load(path)) == expected


def test_the_shipped_model_has_a_current_copy_and_it_equals_the_json():
    """ops/setup writes it; the engine of every command reads it."""
    ref = load_policy(DEFAULT_POLICY).text_model
    raw = Path(ref.path).read_bytes()
    cached = text_model.read_cache(cache_path(ref.path), hashlib.sha256(raw).hexdigest())
    assert cached is not None, "no current binary copy of the shipped model: run ops/setup"
    data = orjson.loads(raw)
    assert cached["vocab"] == data["vocab"]
    assert np.array_equal(cached["weights"], np.asarray(data["weights"], dtype=np.float64))
    assert {k: v for k, v in cached.items() if k not in ("vocab", "weights")} == \
        {k: v for k, v in data.items() if k not in ("vocab", "weights")}
