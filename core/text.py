"""Text helpers shared by ingestion and answering: whitespace, sentences, tokens, a light stemmer, stop words."""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer

_ENGLISH = snowballstemmer.stemmer("english")
_PORTER = snowballstemmer.stemmer("porter")  # the original algorithm, which SQLite's FTS5 "porter" tokenizer runs
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’-]*")
_DIGIT = re.compile(r"\d")

# Question scaffolding and words every document in this corpus uses: they carry no topic.
STOP = frozenset(["a", "an", "the", "and", "or", "of", "to", "in", "on", "for", "by", "with", "at", "from", "as", "is", "are", "was", "were", "be", "been", "being", "it", "its", "this", "that", "these", "those", "there", "their", "they", "them", "what", "which", "who", "whom", "whose", "when", "where", "why", "how", "do", "does", "did", "done", "can", "could", "should", "would", "will", "shall", "may", "might", "must", "i", "me", "my", "we", "our", "you", "your", "he", "she", "his", "her", "about", "into", "than", "then", "so", "if", "not", "no", "yes", "any", "all", "some", "each", "per", "over", "under", "up", "out", "also", "just", "more", "most", "very", "much", "many", "get", "got", "give", "tell", "me", "please", "know", "find", "show", "list", "has", "have", "had", "having", "let", "lets", "s", "one", "two", "which's", "whats", "who's", "what's"])
GENERIC = frozenset(["data", "dataset", "datasets", "information", "scotland", "scottish", "holds", "hold", "held", "holder", "access", "accessed", "accessing", "updated", "update", "updates", "often", "frequency", "frequently", "published", "publish", "publishes", "due", "milestone", "milestones", "set", "leads", "lead", "led", "work", "working", "responsible", "responsibility", "need", "needs", "needed", "route", "map", "maps", "document", "documents", "say", "says", "said", "about", "does", "do", "role", "plan", "plans", "action", "actions", "happen", "happening", "commitments", "commitment", "year", "years", "next", "currently", "current", "now", "today", "new", "make", "made", "run", "runs", "running", "go", "going", "mean", "means", "meant", "used", "use", "who",
    # verbs that only say what kind of question it is
    "maintain", "maintains", "maintained", "own", "owns", "owned", "keep", "keeps", "kept", "collect", "collects",
    "collected", "produce", "produces", "produced", "manage", "manages", "managed", "publishing", "apply", "applies",
    "expected", "deliver", "delivers", "delivered", "fall", "falls", "scheduled", "planned", "happens",
    "involved", "involve", "doing", "stand", "stands",
])


# A span of years is written many ways ("2023/24", "2023-24", "23-24", "2023-2024"): one word for all of them, so a
# question's span and a document's match whichever way each was typed. Not inside a longer run of numbers (a date
# "2019-12-20", a decimal "16.45 - 31.08"), and only for a span of ten years or less ("rows 10-40" is not one).
_YEAR_SPAN = re.compile(r"(?<![\d.,][-/–])(?<![\d.,])\b((?:19|20)?\d\d)\s?[-/–]\s?((?:19|20)?\d\d)\b(?![-/–.,]?\d)")


def _year_span(m: re.Match[str]) -> str:
    a, b = m.group(1), m.group(2)
    first, last = int(a[-2:]), int(b[-2:])
    if not 0 < (last - first) % 100 <= 10:
        return m.group(0)
    return f"{a[:2] if len(a) == 4 else '20'}{first:02d}-{last:02d}"


def words(text: str) -> list[str]:
    return [w.lower().strip("'’-") for w in _WORD.findall(_YEAR_SPAN.sub(_year_span, text))]


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Porter2 (Snowball English): the lexical index (SQLite FTS5) stems with Porter too, so the reader's word overlap
    and the search agree that "removal" and "removed" are one word."""
    word = word.lower().replace("’", "'").removesuffix("'s")
    # A word with a digit is a figure, code or identifier (a catalogue's web addresses hold thousands, each seen
    # once): Snowball strips nothing from almost all of them, and would take longer than the rest of the reading.
    return word if _DIGIT.search(word) else _ENGLISH.stemWord(word)


@lru_cache(maxsize=16384)
def porter_stem(word: str) -> str:
    return _PORTER.stemWord(word)


def content_terms(text: str, extra_stop: frozenset[str] = frozenset()) -> list[str]:
    out: list[str] = []
    for w in words(text):
        if w in STOP or w in extra_stop or len(w) < 2:
            continue
        s = stem(w)
        if s not in out:
            out.append(s)
    return out


@lru_cache(maxsize=8192)
def stems_in(text: str) -> frozenset[str]:
    """The stems a text holds; cached, since a candidate is compared with every part of the question."""
    return frozenset(stem(w) for w in words(text))


def clean(text: str) -> str:
    text = text.replace("\u00a0", " ").replace("\u200b", "").replace("\t", " ")
    return re.sub(r"[ ]{2,}", " ", text).strip()


_ABBREV = r"(?<!\be\.g)(?<!\bi\.e)(?<!\betc)(?<!\bNo)(?<!\bno)(?<!\bDr)(?<!\bMr)(?<!\bMrs)(?<!\bSt)(?<!\bvs)"
_SENT = re.compile(_ABBREV + r"(?<=[.!?])[\"”’)]?\s+(?=[A-Z0-9“\"(‘'])")


def sentences(text: str) -> list[str]:
    """Sentence split that keeps "e.g." and decimals intact; good enough for English policy prose."""
    return [s.strip() for s in _SENT.split(text.strip()) if s.strip()]
