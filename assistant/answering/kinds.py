"""Learned question classifiers: the expected answer type, and whether a question asks about one person's case.

Both are logistic regressions over the question's sentence embedding (the vector retrieval needs anyway), fitted
by `wayfinder fit` on assistant/answering/training/ plus the dev split's labelled questions, and stored as plain
JSON so that loading needs no pickle and no scikit-learn at answer time. The answer type also reads the question's
words (TF-IDF over the words of the training questions): a sentence embedding is mostly topic, and in a terse
question ("secure care admisions 23-24 - how many?") the topic and its figures drown the few words that ask.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

MODELS = Path(__file__).with_name("models")
TRAINING = Path(__file__).with_name("training")
ANSWER_TYPES = ("organisation", "date", "number", "frequency", "access", "definition", "list", "yesno")


@dataclass
class LinearModel:
    """Multinomial or binary logistic regression: weights per class over a feature vector."""

    classes: list[str]
    coef: np.ndarray  # (n_classes or 1, n_features)
    intercept: np.ndarray
    mean: np.ndarray | None = None  # standardisation, when the features were scaled before fitting
    scale: np.ndarray | None = None

    def proba(self, x: np.ndarray) -> np.ndarray:
        x = np.atleast_2d(np.asarray(x, dtype=np.float64))
        if self.mean is not None and self.scale is not None:
            x = (x - self.mean) / self.scale
        z = x @ self.coef.T + self.intercept
        if self.coef.shape[0] == 1:  # binary: probability of classes[1]
            p = 1.0 / (1.0 + np.exp(-z[:, 0]))
            return np.stack([1 - p, p], axis=1)
        z = z - z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    def to_json(self) -> dict:
        d = {"classes": self.classes, "coef": self.coef.tolist(), "intercept": self.intercept.tolist()}
        if self.mean is not None and self.scale is not None:
            d |= {"mean": self.mean.tolist(), "scale": self.scale.tolist()}
        return d

    @classmethod
    def from_json(cls, d: dict) -> LinearModel:
        arr = lambda k: np.asarray(d[k], dtype=np.float64) if k in d else None  # noqa: E731
        return cls(list(d["classes"]), arr("coef"), arr("intercept"), arr("mean"), arr("scale"))

    @classmethod
    def from_sklearn(cls, model, mean: np.ndarray | None = None, scale: np.ndarray | None = None) -> LinearModel:
        return cls([str(c) for c in model.classes_], np.asarray(model.coef_), np.asarray(model.intercept_), mean, scale)


TOKEN = re.compile(r"[a-z]+")


@dataclass
class WordWeights:
    """TF-IDF as scikit-learn's TfidfVectorizer(sublinear_tf=True) computes it, from a stored vocabulary."""

    vocabulary: dict[str, int]
    idf: np.ndarray

    def vector(self, text: str) -> np.ndarray:
        out = np.zeros(len(self.idf))
        for word, n in Counter(TOKEN.findall(text.lower())).items():
            if (i := self.vocabulary.get(word)) is not None:
                out[i] = (1 + math.log(n)) * self.idf[i]
        norm = float(np.linalg.norm(out))
        return out / norm if norm else out

    def to_json(self) -> dict:
        return {"vocabulary": self.vocabulary, "idf": self.idf.tolist()}

    @classmethod
    def from_json(cls, d: dict) -> WordWeights:
        return cls({k: int(v) for k, v in d["vocabulary"].items()}, np.asarray(d["idf"], dtype=np.float64))


@lru_cache(maxsize=1)
def _openmp() -> Any:
    """The process's thread pools, found once (after scikit-learn has loaded its OpenMP runtime)."""
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


@dataclass
class ScaledModel:
    """A fitted scikit-learn classifier (boosted trees or a logistic regression) with the feature scaling it was
    fitted on. Stored with joblib beside the question models, with the names of its features so a model fitted on
    others is refused; scikit-learn is pinned so the file loads as fitted."""

    kind: str
    estimator: Any
    mean: np.ndarray
    scale: np.ndarray

    def proba(self, x: np.ndarray) -> np.ndarray:
        # One thread: a question's few dozen rows take longer to share out among OpenMP threads than to score, and
        # with other work on the cores (a shared deployment's other workers) spinning threads made an answer take
        # seconds instead of milliseconds.
        with _openmp().limit(limits=1, user_api="openmp"):
            return self.estimator.predict_proba((np.atleast_2d(np.asarray(x, dtype=np.float64)) - self.mean) / self.scale)

    def save(self, path: Path, features: tuple[str, ...]) -> None:
        import joblib

        joblib.dump({"kind": self.kind, "estimator": self.estimator, "mean": self.mean, "scale": self.scale,
                     "features": features}, path, compress=3)

    @classmethod
    def load(cls, path: Path, features: tuple[str, ...]) -> ScaledModel | None:
        if not path.exists():
            return None
        import joblib

        d = joblib.load(path)
        if tuple(d["features"]) != features:
            raise RuntimeError(f"{path.name} was fitted on other features: run `wayfinder fit` again.")
        return cls(d["kind"], d["estimator"], d["mean"], d["scale"])


def load_model(name: str) -> LinearModel | None:
    path = MODELS / f"{name}.json"
    if not path.exists():
        return None
    return LinearModel.from_json(json.loads(path.read_text(encoding="utf-8")))


class QuestionKinds:
    """Answer-type distribution and case-request probability of a question from its embedding."""

    def __init__(self) -> None:
        self.types = load_model("answer_types")
        self.case = load_model("case_requests")
        words = MODELS / "answer_type_words.json"
        if self.types is None or self.case is None or not words.exists():
            raise RuntimeError("The question models are missing: run `wayfinder fit` to fit them from the dev split.")
        self.words = WordWeights.from_json(json.loads(words.read_text(encoding="utf-8")))

    def answer_types(self, vec: np.ndarray, text: str) -> dict[str, float]:
        assert self.types is not None
        p = self.types.proba(np.concatenate([vec, self.words.vector(text)]))[0]
        return dict(zip(self.types.classes, (float(x) for x in p), strict=True))

    def case_request(self, vec: np.ndarray) -> float:
        assert self.case is not None
        return float(self.case.proba(vec)[0, 1])
