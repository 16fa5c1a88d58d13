"""Stage 3, read: how likely each candidate answers each part of the question.

Features carry across wording: IDF-weighted overlap with the part and with the whole question (the section heading
and the record's title count), the passage's dense similarity, whether the candidate holds the expected answer
type (a record field by its name, a sentence by what it contains, and in words the question does not already have),
how much of it is new to the question, how near its words of the expected type stand to the question's topic words,
whether it names the subject, its retrieval rank. Boosted trees (or a
logistic regression, whichever gains more held out) fitted on labelled question-candidate pairs of the dev split
combine them into a probability (`wayfinder fit`), held to the direction each feature's evidence points.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import replace
from functools import lru_cache

import numpy as np

from assistant.answering.candidates import FIELD_QUESTIONS, FIELD_TYPES, Candidate
from assistant.answering.kinds import MODELS, ScaledModel
from assistant.answering.records import RecordBook, idf_coverage
from assistant.answering.understand import Part, Understanding
from core.dates import MONTHS, find_dates
from core.text import content_terms, stem

FEATURES = ("lex_all", "lex_text", "lex_question", "similarity", "type_text", "type_field", "subject", "rank",
            "is_field", "is_commitment", "has_subject", "length", "lex_x_type", "subject_x_field", "sim_x_type",
            "in_span", "heading_only", "field_question", "field_question_x_linked", "lex_passage", "quote_similarity",
            "quote_embedded", "linked_x_field", "novelty", "type_new", "type_near", "part_terms",
            # The same evidence relative to the question's best candidate: what the others offer matters too.
            "rel_lex_all", "rel_lex_passage", "rel_quote_similarity", "rel_field_question", "rel_similarity",
            "rel_type_text", "prior_rank")
# Which way each feature's evidence points (+1: more of it never makes a candidate less likely; 0: either way).
# Fitted trees are held to these directions, so a quirk of the dev questions cannot rank a linked, on-topic
# candidate below an unlinked one.
UNSIGNED = {"is_field", "is_commitment", "has_subject", "length", "heading_only", "quote_embedded", "novelty",
            "part_terms"}
MONOTONE = [0 if f in UNSIGNED else 1 for f in FEATURES]
_RELATIVE = [(FEATURES.index(f"rel_{f}"), FEATURES.index(f)) for f in
             ("lex_all", "lex_passage", "quote_similarity", "field_question", "similarity", "type_text")]
DENSE_TOP = 12  # candidates per question whose own quote is embedded and compared with the part (cost: ~4 ms each)
QUOTE_WORDS = 40  # a quote's opening words carry its meaning; long table rows would cost far more to embed whole
# The cheap features that choose which candidates get a dense look.
_BASE = FEATURES[: FEATURES.index("part_terms") + 1]
_PRIOR = [FEATURES.index(f) for f in ("lex_all", "lex_passage", "subject", "field_question", "rank", "similarity")]

# What a sentence holding each answer type looks like: closed classes and shapes, not topic words.
_NUMBER_WORDS = (r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
                 r"seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|"
                 r"million")
_SHAPES: dict[str, re.Pattern[str]] = {
    "organisation": re.compile(r"\b(?:[A-Z][\w&'’-]+\s+){1,5}(?:Scotland|Council|Government|Service|Services|"
                               r"Agency|Administration|Inspectorate|Institute|University|Board|Office|Partnership|"
                               r"Authority|Authorities|Department|Team|Trust|Hub|Network)\b|\b[A-Z]{2,6}\b|"
                               r"(?i:\b(?:local authorit|council|practitioner|nurse|doctor|officer|social worker))"),
    # A period too, in digits or words: "within five working days".
    "date": re.compile(r"\b(?:19|20)\d\d\b|\b(?:\d+|an?|" + _NUMBER_WORDS + r")\s+(?:working\s+)?(?:days?|weeks?|"
                       r"months?|years?)\b|\b(?:January|"
                       r"February|March|April|May|June|July|August|September|October|November|December)\b", re.I),
    "number": re.compile(r"\d|\b(?:" + _NUMBER_WORDS + r")\b", re.I),
    "frequency": re.compile(r"\b(?:annual(?:ly)?|yearly|monthly|quarterly|weekly|daily|biennial|every\s+\w+|"
                            r"each\s+(?:year|month|week|quarter)|per\s+(?:year|annum)|twice|rolling|regular(?:ly)?|"
                            r"once\s+a|a\s+year|snapshot)\b", re.I),
    "access": re.compile(r"https?://|www\.|@|\b(?:apply|request|download|portal|open data|licen[cs]e|CSV|XML|XLSX|"
                         r"JSON|PDF|format|access|submit|via|through|available|published|contact|secure)\b", re.I),
    "definition": re.compile(r"\b(?:is|are|means|refers to|describes|covers|measures|is used|aims?|purpose)\b", re.I),
    "list": re.compile(r",.*,|;|\b(?:and|including|such as)\b", re.I),
    "yesno": re.compile(r".", re.S),
}


READER = MODELS / "reader.joblib"


def load_reader() -> ScaledModel | None:
    return ScaledModel.load(READER, FEATURES)


# Dates written with digits: a year, a span of years, a day with its month (with or without a year). A year is not an amount, so a sentence
# whose only digits are dates does not hold a number ("Coverage: Scotland, March 2022" for "how much is...?").
_MONTH_NAMES = sorted({*MONTHS, *(m[:3] for m in MONTHS), "sept"}, key=len, reverse=True)
QUOTE_BATCH = 4
_DATES_IN_DIGITS = re.compile(r"\b\d{4}-\d{2}-\d{2}\b|\b(?:\d{1,2}\s+)?(?:(?:" + "|".join(_MONTH_NAMES) + r")\s+)?"
                              r"(?:19|20)\d\d(?:\s*[-/–]\s*(?:19|20)?\d\d)?\b|"
                              # a day of a month without its year: "snapshot counts at 31 July"
                              r"\b\d{1,2}(?:st|nd|rd|th)?\s+(?:" + "|".join(_MONTH_NAMES) + r")\b", re.I)


_TOKEN = re.compile(r"\w+")
_WEB_ADDRESS = re.compile(r"\b(?:https?://)?((?:www\.)?[\w-]+(?:\.[\w-]+)+)/\S*")


def _opening(quote: str) -> str:
    """What is embedded of a quote: its opening words, each web address cut to its site. A catalogue's download
    line's address runs to the model's limit of 256 word pieces of resource ids, which mean nothing to it and cost
    more to embed than the rest of the question's reading."""
    return " ".join(_WEB_ADDRESS.sub(r"\1", quote).split()[:QUOTE_WORDS])


@lru_cache(maxsize=8192)
def _without(text: str, asked: frozenset[str]) -> str:
    """The text less the words the question already has (lower case), each blanked to its length so offsets hold:
    what it could add as an answer."""
    return _TOKEN.sub(lambda m: m.group(0) if m.group(0).lower() not in asked else " " * len(m.group(0)), text)


@lru_cache(maxsize=32768)
def types_held(text: str) -> dict[str, float]:
    """Which answer types a text holds, once per text: the same sentences are read for every part of a question,
    and popular passages for many questions (read-only: shared between callers)."""
    return {t: holds_type(text, t) for t in _SHAPES}


def holds_type(text: str, answer_type: str) -> float:
    if answer_type == "date" and find_dates(text):
        return 1.0
    if answer_type == "number":
        text = _DATES_IN_DIGITS.sub(" ", text)
    pat = _SHAPES.get(answer_type)
    return float(bool(pat and pat.search(text)))


NEAR_TYPES = ("date", "number", "organisation", "frequency", "access")  # answers a few words can hold


def _gap(i: int, at: list[int]) -> int:
    """Words from position i to the nearest of the sorted positions `at`."""
    k = bisect_right(at, i)
    return min(abs(i - at[j]) for j in (k - 1, k) if 0 <= j < len(at))


def type_nearness(text: str, probs: dict[str, float], terms: frozenset[str], asked: frozenset[str]) -> float:
    """How close the candidate's words of the expected answer type stand to its words of the part's topic,
    1 / (1 + the words between them), weighted by the type's probability: an answer sits beside what it answers
    ("11 benefits are being wholly transferred"), while a sentence that restates the question holds its dates and
    numbers elsewhere, if at all. The question's own words are not an answer, and a date is not an amount."""
    types = [(t, p) for t, p in probs.items() if t in NEAR_TYPES and p > 0]
    if not types or not terms:
        return 0.0
    tokens = list(_TOKEN.finditer(text))
    words = [t.group(0).lower() for t in tokens]
    on_topic = [i for i, w in enumerate(words) if stem(w) in terms]
    if not on_topic:
        return 0.0
    blank = lambda m: " " * len(m.group(0))  # noqa: E731  (keeps every offset)
    masked = _without(text, asked)
    starts = [t.start() for t in tokens]
    total = 0.0
    for answer_type, p in types:
        seen = _DATES_IN_DIGITS.sub(blank, masked) if answer_type == "number" else masked
        gap = min((_gap(max(0, bisect_right(starts, m.start()) - 1), on_topic)
                   for m in _SHAPES[answer_type].finditer(seen) if m.group(0).strip()), default=None)
        if gap is not None:
            total += p / (1.0 + gap)
    return total


def relative(x: np.ndarray, prior: np.ndarray) -> None:
    """Fill the relative columns in place: each feature minus the question's best value of it (candidates whose
    quote was not embedded count as far below), and the candidate's place in the cheap prior ordering."""
    embedded = x[:, FEATURES.index("quote_embedded")] > 0
    for rel, col in _RELATIVE:
        values = x[:, col]
        if col == FEATURES.index("quote_similarity"):
            best = values[embedded].max() if embedded.any() else 0.0
            x[:, rel] = np.where(embedded, values - best, -1.0)
        else:
            x[:, rel] = values - values.max()
    order = np.empty(len(prior))
    order[np.argsort(-prior, kind="stable")] = np.arange(len(prior))
    x[:, FEATURES.index("prior_rank")] = 1.0 / (1.0 + order)


class Reader:
    """One `run`: scores every candidate for every part; `warm_up` loads the fitted weights."""

    def __init__(self, book: RecordBook, embed, model: ScaledModel | None = None) -> None:  # noqa: ANN001
        self.book = book
        self.embed = embed  # list[str] -> np.ndarray of normalised rows
        self.model = model
        self._field_vectors: dict[str, np.ndarray] = {}
        self._quote_vectors: dict[str, np.ndarray] = {}  # per process: follow-ups and repeats embed nothing twice

    def field_question(self, part: Part, c: Candidate) -> float:
        """How much the part sounds like the question a record field answers (dense, so any wording counts)."""
        if c.kind != "field" or part.vector is None:
            return 0.0
        if not self._field_vectors:
            names = list(FIELD_QUESTIONS)
            self._field_vectors = dict(zip(names, self.embed([FIELD_QUESTIONS[n] for n in names]), strict=True))
        v = self._field_vectors.get(c.field)
        return float(np.dot(part.vector, v)) if v is not None else 0.0

    def warm_up(self) -> None:
        if self.model is None:
            self.model = load_reader()
        if self.model is None:
            raise RuntimeError("The reader model is missing: run `wayfinder fit` to fit it from the dev split.")

    def features(self, u: Understanding, part: Part, c: Candidate) -> list[float]:
        probs = part.type_probs
        around = f"{c.text} {c.heading} {c.subject}"
        lex_all = idf_coverage(self.book, part.terms, around, u.spelled)
        lex_text = idf_coverage(self.book, part.terms, c.text, u.spelled)
        new_words = _without(c.text, u.asked_words)
        held, held_new = types_held(c.text), types_held(new_words)
        type_text = sum(p * held.get(t, 0.0) for t, p in probs.items())
        type_field = sum(p for t, p in probs.items() if t in FIELD_TYPES.get(c.field, ())) if c.kind == "field" \
            else (probs.get("list", 0) + probs.get("date", 0) + probs.get("organisation", 0)
                  if c.kind == "commitment" else 0.0)
        subject = float(c.linked or any(self.book.mentions(around, e) for e in u.subjects))
        fq = self.field_question(part, c)
        passage = c.passage or (c.record.quote if c.record else c.text)
        return [
            lex_all, lex_text, idf_coverage(self.book, u.terms, around, u.spelled), c.similarity, type_text, type_field,
            subject, 1.0 / (1 + c.rank), float(c.kind == "field"), float(c.kind == "commitment"),
            float(bool(u.subjects)), min(len(c.text.split()) / 40, 1.0), lex_all * type_text,
            subject * type_field, c.similarity * type_text, float(c.in_span), max(0.0, lex_all - lex_text),
            fq, fq * float(c.linked), idf_coverage(self.book, part.terms, passage, u.spelled), 0.0, 0.0,
            float(c.linked) * type_field, self.novelty(u, c.text),
            sum(p * held_new.get(t, 0.0) for t, p in probs.items()),
            type_nearness(c.text, probs, part.term_set, u.asked_words),
            # How much the part says beyond its subject: with no topic word of its own ("when was Who Cares?
            # Scotland set up?") no candidate can share one, and an absent overlap means nothing.
            min(len(part.terms) / 5, 1.0),
            *([0.0] * (len(FEATURES) - len(_BASE))),
        ]

    def novelty(self, u: Understanding, text: str) -> float:
        """IDF-weighted share of the candidate's words the question does not hold: a sentence that only restates
        the question ("the devolution will move from the DWP baseline to a target model") tells nothing new."""
        own = content_terms(text)
        total = sum(self.book.idf(t) for t in own)
        return sum(self.book.idf(t) for t in own if t not in u.asked_terms) / total if total else 0.0

    def _quote_vecs(self, quotes: list[str]) -> list[np.ndarray]:
        todo = [q for q in dict.fromkeys(quotes) if q not in self._quote_vectors]
        if todo:
            if len(self._quote_vectors) > 20000:
                self._quote_vectors.clear()
            # Embedded a few at a time, shortest first: a batch pads every text to its longest, and a catalogue's
            # download line with long web addresses would make all twelve as slow as itself.
            opening = sorted(((_opening(q), q) for q in todo),
                             key=lambda x: (len(x[0]), x[0], x[1]))
            for i in range(0, len(opening), QUOTE_BATCH):
                part = opening[i : i + QUOTE_BATCH]
                vecs = self.embed([o for o, _ in part])
                self._quote_vectors.update(zip((q for _, q in part), vecs, strict=True))
        return [self._quote_vectors[q] for q in quotes]

    def matrices(self, u: Understanding, candidates: list[Candidate]) -> list[np.ndarray]:
        """Per part, the feature matrix of every candidate. The few candidates the cheap features put first also
        get their own quote embedded and compared with the part: sentence-level meaning, at a bounded cost."""
        xs = [np.array([self.features(u, part, c) for c in candidates]) for part in u.parts]
        if not candidates:
            return xs
        prior = np.max([x[:, _PRIOR].sum(axis=1) for x in xs], axis=0)
        top = [int(i) for i in np.argsort(-prior)[:DENSE_TOP]]
        vecs = self._quote_vecs([candidates[i].meaning for i in top])
        qs, qe = FEATURES.index("quote_similarity"), FEATURES.index("quote_embedded")
        for x, part in zip(xs, u.parts, strict=True):
            pv = part.vector if part.vector is not None else u.vector
            for i, v in zip(top, vecs, strict=True):
                x[i, qs] = float(np.dot(pv, v))
                x[i, qe] = 1.0
            relative(x, prior)
        # Embeddings differ in the last float bits with the batch a text was encoded in; rounded, the features (and
        # so the fitted trees and the chosen threshold) do not depend on what the process embedded before.
        return [np.round(x, 4) for x in xs]

    def run(self, u: Understanding, candidates: list[Candidate]) -> list[list[Candidate]]:
        """Per part, its candidates best first, each with `score` (a probability) and `features` set."""
        self.warm_up()
        assert self.model is not None
        ranked: list[list[Candidate]] = []
        for x in self.matrices(u, candidates):
            if not candidates:
                ranked.append([])
                continue
            p = self.model.proba(x)[:, 1]
            scored = [replace(c, features=f.tolist(), score=float(s)) for c, f, s in zip(candidates, x, p, strict=True)]
            scored.sort(key=lambda c: -c.score)
            ranked.append(scored)
        return ranked
