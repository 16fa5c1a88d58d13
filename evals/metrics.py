"""Retrieval and answer metrics, each a small pure function."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence


def first_relevant_rank(ranking: Sequence[str], relevant: set[str]) -> int | None:
    return next((i + 1 for i, cid in enumerate(ranking) if cid in relevant), None)


def recall_at(ranking: Sequence[str], relevant: set[str], k: int) -> float:
    return 1.0 if relevant & set(ranking[:k]) else 0.0


def reciprocal_rank(ranking: Sequence[str], relevant: set[str]) -> float:
    r = first_relevant_rank(ranking, relevant)
    return 1.0 / r if r else 0.0


def ndcg_at(ranking: Sequence[str], relevant: set[str], k: int = 10) -> float:
    dcg = sum(1.0 / math.log2(i + 2) for i, cid in enumerate(ranking[:k]) if cid in relevant)
    ideal = sum(1.0 / math.log2(i + 2) for i in range(min(len(relevant), k)))
    return dcg / ideal if ideal else 0.0


def facts_cited(facts: Sequence[str], quotes: Sequence[str]) -> bool:
    """Every key fact appears in some cited quote (case-insensitive, quotes normalised)."""
    text = " ".join(quotes).lower().replace("’", "'")
    return all(f.lower().replace("’", "'") in text for f in facts)


def _norm(text: str) -> str:
    return " ".join(text.lower().replace("’", "'").replace("‘", "'").replace("–", "-").split())


def answer_correct(must: Sequence[Sequence[str]], quotes: Sequence[str]) -> bool:
    """Every group of accepted strings is matched, by one of its strings, inside the cited quotes."""
    text = _norm(" ".join(quotes))
    return bool(must) and all(any(_norm(a) in text for a in group) for group in must)


def supports(quote: str, facts: Sequence[str], expected: str) -> bool:
    q = quote.lower().replace("’", "'")
    return any(f.lower().replace("’", "'") in q for f in facts) or (bool(expected) and expected.lower() in q)


def percentile(values: Sequence[float], p: float) -> float:
    if not values:
        return 0.0
    s = sorted(values)
    idx = min(len(s) - 1, max(0, math.ceil(p / 100 * len(s)) - 1))
    return s[idx]


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else 0.0
