"""A learned text model beside the hand-written detectors: a linear model over character n-grams.

Hand rules catch the phrasings their authors thought of; scams are reworded faster than rules are written.
This model reads the NORMALIZED text (so disguises are already undone) as a bag of character n-grams (1 to
`ngram` characters, digits folded to 0, punctuation spaced out, text edges marked) and gives, per category,
the probability that the message belongs to it (one model per category) and the most likely subtype (one model
per subtype).

Trained offline from the development split only (`ops/model/train.py`, scikit-learn: per label the mean of a
logistic regression and an NB-LR one, still one weight per n-gram and label), shipped as a JSON file
next to the policy, and pinned by the policy (file name and SHA-256), so a decision is still determined by the
policy version. Scoring (workers/core/scoring.py) blends the model's score with the rules' score per label by
the policy's `text_model.share`. Pure: numpy only, no I/O beyond reading the file once.
"""
from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import ahocorasick
import numpy as np
import orjson

from workers.core.findings import Finding

try:  # the n-gram scoring in C (workers/core/text/_ngrams.c, built by ops/setup); same results as below
    from workers.core.text._ngrams import NgramScorer
except ImportError:  # not built (e.g. run from a bare checkout): the Python path, several times slower
    NgramScorer = None

DETECTOR = "text_model"
_KEPT_PUNCTUATION = "@%/#_&*"  # handles, prices, links and IDs: content, not style


def _fold_table() -> dict[int, str]:
    """Digits fold to 0; punctuation (Unicode P*, Basic Multilingual Plane) becomes a space, except the
    characters that carry content. A model trained on hand-written messages otherwise learns its writers'
    punctuation habits: the first model with words weighed a final 「。」 at -17 against recruitment, so a
    blatant scam that ended its sentence with one was allowed."""
    table = {ord(d): "0" for d in "123456789"}
    for code in range(0x10000):
        ch = chr(code)
        if unicodedata.category(ch).startswith("P") and ch not in _KEPT_PUNCTUATION:
            table[code] = " "
    return table


_FOLD = _fold_table()
_FOLD_STR = "".join(_FOLD.get(code, chr(code)) for code in range(0x10000))  # the same table for the C scorer


def fold(text: str) -> str:
    """The normalized text with digits folded and punctuation spaced out, of the same length (offsets stay
    valid). The model reads it stripped: edges are marked, and a final 「。」 or "!" must not move the edge."""
    return text.translate(_FOLD)


START, END = "\x02", "\x03"


_WORD = re.compile(r"[a-z]+")
WORD = "\x04"  # marks word features; normalization strips control characters, so no text n-gram holds it


def features(text: str, ngram: int, words: bool = False) -> set[str]:
    """The n-grams of a normalized text (as `fold` makes it): 1..ngram characters, edges marked; with `words`,
    also its Latin words and word pairs (WORD + "dm", WORD + "dm me"): character 3-grams see little of English.

    Used unchanged by training and by prediction, so the two never drift apart."""
    folded = fold(text).strip()
    t = START + folded + END
    out: set[str] = set()
    n = len(t)
    for size in range(1, ngram + 1):
        for i in range(n - size + 1):
            g = t[i:i + size]
            if not g.isspace():
                out.add(g)
    if words:
        out.update(word_features(folded))
    return out


def word_features(text: str) -> list[str]:
    """The Latin words of a folded (lower-cased) text and its pairs of adjacent words, marked by WORD."""
    ws = _WORD.findall(text)
    return [WORD + w for w in ws] + [f"{WORD}{a} {b}" for a, b in zip(ws, ws[1:])]


class ModelError(ValueError):
    """The model file is missing, does not match its pinned SHA-256, or is malformed."""


@dataclass(slots=True, init=False, unsafe_hash=True)  # immutable by convention: workers/core/findings.py
class Prediction:
    label: str  # category.subtype
    score: float  # calibrated: 0.5 is the model's own decision threshold
    start: int  # the strongest n-gram for the category, in the normalized text
    end: int

    def __init__(self, label: str, score: float, start: int, end: int) -> None:
        self.label = label
        self.score = score
        self.start = start
        self.end = end




class TextModel:
    def __init__(self, data: dict):
        try:
            self.ngram = int(data["ngram"])
            self.words = bool(data.get("words", False))
            self.categories: tuple[str, ...] = tuple(data["categories"])
            self.subtypes: tuple[str, ...] = tuple(data["subtypes"])
            vocab: list[str] = data["vocab"]
            self.vocab = vocab
            w = np.asarray(data["weights"], dtype=np.float64)  # vocab x (categories + subtypes)
            self.bias = np.asarray(data["bias"], dtype=np.float64)
            self.threshold = float(data["threshold"])  # category probability that maps to score 0.5
            # features are scaled by 1/sqrt(max(count, norm_floor)): short texts stay near the prior
            self.norm_floor = int(data.get("norm_floor", 1))
            self.trained_on = data.get("trained_on", {})
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelError(f"malformed text model: {exc!r}") from exc
        k = len(self.categories) + len(self.subtypes)
        if w.shape != (len(vocab), k) or self.bias.shape != (k,) or not 0 < self.threshold < 1:
            raise ModelError(f"text model shapes do not agree: weights {w.shape}, vocab {len(vocab)}, {k} outputs")
        self.weights = w
        owner = [next(j for j, c in enumerate(self.categories) if s.startswith(c + ".")) for s in self.subtypes]
        # per category, its subtypes' output columns (after the categories' own) and their numbers
        self._subtype_columns = [[(len(self.categories) + s, s) for s, o in enumerate(owner) if o == j]
                                 for j in range(len(self.categories))]
        self._bias = self.bias.tolist()
        self._index: dict[str, int] | None = None  # tables of the Python path, built on first use
        self._word_rows_table: dict[str, int] | None = None
        self._grams_table: ahocorasick.Automaton | None = None
        self._grams_built = False
        # The compiled scorer reads character n-grams of up to 3 characters (the shipped model's `ngram`).
        self._scorer = None
        if NgramScorer is not None and self.ngram <= 3 and vocab:
            # word features too (the scorer finds the runs of a-z itself) when the model reads them
            self._scorer = NgramScorer([None if g.startswith(WORD) and not self.words else g for g in vocab],
                                       np.ascontiguousarray(w), len(self.categories), _FOLD_STR)
            # and the rest of `predict`, with the same arithmetic (workers/core/text/_ngrams_predict.h)
            self._scorer.set_model(self._bias, self.threshold, self.norm_floor, self._subtype_columns, vocab)

    @property
    def compiled(self) -> bool:
        """Whether predictions use the compiled n-gram scorer (workers/core/text/_ngrams.c)."""
        return self._scorer is not None

    @classmethod
    def load(cls, path: str | Path, sha256: str | None = None) -> "TextModel":
        """The model of a JSON file, checked against the SHA-256 the policy pins. When a binary copy made from
        that very file lies beside it (`cache_path`, written by ops/model/cache.py), it is read instead of
        parsing the JSON (the same vocabulary and weights, bit for bit; 0.05 s instead of 0.55); a copy made
        from another file, or unreadable, is ignored."""
        try:
            raw = Path(path).read_bytes()
        except OSError as exc:
            raise ModelError(f"cannot read text model {path}: {exc}") from exc
        digest = hashlib.sha256(raw).hexdigest()
        if sha256 is not None and digest != sha256:
            raise ModelError(f"text model {path} has SHA-256 {digest}, the policy pins {sha256}: "
                             f"a new model needs a new policy version")
        cached = read_cache(cache_path(path), digest)
        return cls(cached if cached is not None else orjson.loads(raw))

    def calibrate(self, p: float) -> float:
        """Map a category probability to a score where the model's threshold lands on 0.5 (piecewise linear)."""
        t = self.threshold
        return 0.5 * p / t if p < t else 0.5 + 0.5 * (p - t) / (1 - t)

    def rows(self, text: str) -> list[int]:
        """Vocabulary rows of the text's n-grams (the features of `features`, in the vocabulary)."""
        return self._rows(fold(text).strip()) if self.vocab else []

    # The Python path (the reference, and the fallback without the C scorer) and `index` build their tables on
    # first use: a model scored in C never needs them. (Plain attributes, not functools.cached_property: a
    # class compiled by mypyc has no instance __dict__ for it to cache in.)

    @property
    def index(self) -> dict[str, int]:
        """Vocabulary entry -> its row."""
        if self._index is None:
            self._index = {g: i for i, g in enumerate(self.vocab)}
        return self._index

    @property
    def _word_rows(self) -> dict[str, int]:
        if self._word_rows_table is None:
            self._word_rows_table = {g: i for i, g in enumerate(self.vocab) if g.startswith(WORD)}
        return self._word_rows_table

    @property
    def _grams(self) -> ahocorasick.Automaton | None:
        """One C pass finds every vocabulary n-gram in the folded text: the same set `features` gives,
        intersected with the vocabulary, without building and hashing every n-gram in Python."""
        if not self._grams_built:
            automaton = None
            if len(self._word_rows) != len(self.vocab):
                automaton = ahocorasick.Automaton()
                for i, g in enumerate(self.vocab):
                    if not g.startswith(WORD):
                        automaton.add_word(g, i)
                automaton.make_automaton()
            self._grams_table, self._grams_built = automaton, True
        return self._grams_table

    def _rows(self, folded: str) -> list[int]:
        """Ascending, so weight rows are always added in the same order (the compiled scorer's order)."""
        grams = self._grams
        rows = {i for _, i in grams.iter(START + folded + END)} if grams is not None else set()
        rows.update(self._word_row_list(folded))
        return sorted(rows)

    def _word_row_list(self, folded: str) -> list[int]:
        if not (self.words and self._word_rows):
            return []
        get = self._word_rows.get
        return [i for i in map(get, word_features(folded)) if i is not None]

    def _sums(self, folded: str) -> tuple[list[float], int, list[int] | None]:
        """Per output column the sum of the weights of the text's distinct vocabulary rows, the number of
        those rows, and per category the row of largest weight (None without rows)."""
        stripped = folded.strip()
        if self._scorer is not None:
            return self._scorer.score(START + stripped + END)
        idx = self._rows(stripped) if self.vocab else []
        if not idx:
            return [0.0] * len(self._bias), 0, None
        rows = self.weights.take(idx, axis=0)
        strongest = rows[:, :len(self.categories)].argmax(axis=0).tolist()
        return np.add.reduce(rows, axis=0).tolist(), len(idx), [idx[i] for i in strongest]

    def predict(self, text: str, floor: float = 0.0) -> list[Prediction]:
        """One prediction per category scoring at least `floor`: its most likely subtype and the calibrated
        category score (the evidence n-gram is only located for those). Wholly in C with the compiled scorer
        (`NgramScorer.predict`); the code below is the reference and the path without it."""
        if self._scorer is not None:
            subtypes = self.subtypes
            return [Prediction(subtypes[best], score, start, end)
                    for best, score, start, end in self._scorer.predict(text, floor)]
        folded = fold(text)  # once: the features read it stripped, the evidence is found in it whole
        sums, count, strongest = self._sums(folded)
        bias = self._bias
        scale = math.sqrt(max(count, self.norm_floor)) if count else 1.0
        out = []
        for j in range(len(self.categories)):  # a subtype's output is computed only for a category kept
            z = sums[j] / scale + bias[j] if count else bias[j]
            raw = self.calibrate(1.0 / (1.0 + math.exp(-z)))
            if raw < floor - 1e-4:  # rounding to 4 places moves it by 0.00005 at most: below the floor either way
                continue
            score = round(raw, 4)
            if score < floor:
                continue
            best, best_z = -1, 0.0
            for col, s in self._subtype_columns[j]:  # the largest output; on a tie the later subtype
                z = sums[col] / scale + bias[col] if count else bias[col]
                if best < 0 or z >= best_z:
                    best, best_z = s, z
            start = end = 0
            if strongest is not None:
                start, end = _locate(folded, self.vocab[strongest[j]])
            out.append(Prediction(self.subtypes[best], score, start, end))
        return out

    def findings(self, norm, floor: float = 0.05) -> list[Finding]:
        """Predictions on a Normalized text as findings (detector `text_model`, rule `model.<label>`, weight =
        calibrated score, span = the strongest n-gram mapped back to the original text)."""
        out = []
        for pr in self.predict(norm.text, floor):
            start, end = norm.span(pr.start, pr.end) if pr.end > pr.start else (0, 0)
            out.append(Finding(DETECTOR, f"model.{pr.label}", pr.label, pr.score, start, end))
        return out


# --- the binary copy of a model file ------------------------------------------------------------------------

def cache_path(path: str | Path) -> Path:
    """Where the binary copy of the model file `path` lies: beside it."""
    return Path(str(path) + ".npz")


_SEPARATOR = "\x00"  # between vocabulary entries in the copy (no entry holds it: cache_arrays checks)


def cache_arrays(raw: bytes) -> dict[str, np.ndarray]:
    """The arrays of a binary copy of the model file whose bytes are `raw` (ops/model/cache.py saves them)."""
    data = orjson.loads(raw)
    vocab = data.pop("vocab")
    if any(_SEPARATOR in g for g in vocab):
        raise ModelError("a vocabulary entry holds NUL: no binary copy")
    weights = np.asarray(data.pop("weights"), dtype=np.float64)
    return {
        "sha256": np.array(hashlib.sha256(raw).hexdigest()),
        "meta": np.frombuffer(orjson.dumps(data), dtype=np.uint8),
        "vocab": np.frombuffer(_SEPARATOR.join(vocab).encode("utf-8"), dtype=np.uint8),
        "weights": weights,
    }


def read_cache(path: Path, digest: str) -> dict | None:
    """The model data of a binary copy made from the file of SHA-256 `digest`; None when there is none, it was
    made from another file, or it cannot be read (the JSON is parsed then)."""
    try:
        with np.load(path, allow_pickle=False) as npz:
            if str(npz["sha256"]) != digest:
                return None
            data = orjson.loads(npz["meta"].tobytes())
            vocab = npz["vocab"].tobytes().decode("utf-8")
            data["vocab"] = vocab.split(_SEPARATOR) if vocab else []
            data["weights"] = npz["weights"]
            return data
    except Exception:  # absent, truncated, not a zip, not ours: the copy is only ever a shortcut
        return None


def _locate(folded: str, gram: str) -> tuple[int, int]:
    """Where an n-gram (edges marked) occurs in the folded text (`fold`: same offsets as the normalized text)."""
    if gram.startswith(WORD):
        gram = gram[1:]
    core = gram.strip(START + END)
    if not core:
        return (0, 0)
    at = folded.find(core)
    return (at, at + len(core)) if at >= 0 else (0, 0)
