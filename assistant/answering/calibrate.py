"""How likely a part's best candidate is right, from the whole ranking rather than its own score alone.

The reader scores candidates one at a time; whether to answer is a question about the ranking: how far the best
stands above the rest, how many candidates look alike, whether the best one also names the subject and holds the
expected answer type, how close the question came to anything in the documents. Boosted trees over those (fitted by
`wayfinder fit` on held-out reader scores of the dev split, so they learn how the reader errs on questions it has not
seen) turn them into a probability the decision threshold is chosen on. Trees, not a logistic regression: the same
structure means different things together (a linked record's field is usually right, unless it lacks the type
asked for), and a linear model gave a reader score of 0.47 a confidence of 0.91 on its base rate and its links.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from assistant.answering.kinds import MODELS, ScaledModel
from assistant.answering.reader import FEATURES
from assistant.answering.understand import Part, Understanding

PATH = MODELS / "answerable.joblib"
_FROM_BEST = ("lex_all", "lex_passage", "quote_similarity", "type_text", "type_field", "subject", "field_question",
              "similarity", "is_field", "is_commitment", "rank", "prior_rank", "part_terms")
COLUMNS = ("best", "second", "gap", "ratio", "close", "above_half", *(f"best_{f}" for f in _FROM_BEST),
           "top_hit_similarity", "has_subject", "own_subject", "followup", "type_certainty")
# More of these never makes the best candidate less likely right (the fitted trees are held to it).
MONOTONE = [1 if c in ("best", "gap") else 0 for c in COLUMNS]
# Not the number of parts: a part is labelled right when it quotes any key fact of its question, so a part of a
# two-part question looked right when it quoted the other part's fact, and the count of parts learned only that
# ("...and what is the salary of its chief statistician?" was answered from another field at 0.77).


def ranking_features(scores: np.ndarray, x: np.ndarray, part: Part, u: Understanding,
                     top_similarity: float) -> list[float]:
    """One part's ranking as a fixed-length row: `scores` are the reader's probabilities, `x` its feature rows."""
    if len(scores) == 0:
        return [0.0] * len(COLUMNS)
    order = np.argsort(-scores, kind="stable")
    best = float(scores[order[0]])
    second = float(scores[order[1]]) if len(order) > 1 else 0.0
    row = x[order[0]]
    return [
        best, second, best - second, second / best if best > 0 else 0.0,
        float(np.sum(scores >= 0.75 * best)) / 10.0, float(np.sum(scores >= 0.5)) / 10.0,
        *(float(row[FEATURES.index(f)]) for f in _FROM_BEST),
        top_similarity, float(bool(u.subjects)), float(u.own_subject), float(u.followup is not None),
        max(part.type_probs.values(), default=0.0),
    ]


class Calibrator:
    """P(the best candidate answers the part). Without a fitted model, the reader's own best score stands in."""

    def __init__(self, model: ScaledModel | None) -> None:
        self.model = model

    @classmethod
    def load(cls) -> Calibrator:
        return cls(ScaledModel.load(PATH, COLUMNS))

    def run(self, ranked: Sequence, part: Part, u: Understanding, top_similarity: float) -> float:
        if not ranked:
            return 0.0
        if self.model is None:
            return float(ranked[0].score)
        scores = np.array([c.score for c in ranked])
        x = np.array([c.features for c in ranked])
        return float(self.model.proba(np.array(ranking_features(scores, x, part, u, top_similarity)))[0, 1])
