"""The assistant: a question (and the conversation so far) in, a short cited answer or an honest non-answer out.

The question flows through named stages, one module each: understand -> candidates -> read -> decide -> compose.
No language model writes text: answers are record fields and document sentences, so every claim is a quote, and
text inside documents is only ever quoted, never followed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from assistant.answering.answer import Answer
from assistant.answering.candidates import Candidate, Candidates
from assistant.answering.compose import Compose
from assistant.answering.decide import Decide, Decision, Thresholds
from assistant.answering.evidence import CitationMaker
from assistant.answering.kinds import QuestionKinds
from assistant.answering.lists import listings
from assistant.answering.reader import Reader
from assistant.answering.records import RecordBook
from assistant.answering.understand import Turn, Understand, Understanding, answered_entity
from assistant.retrieval.hybrid import Hit, HybridSearch

MAX_TURNS = 3  # earlier turns replayed to resolve a follow-up


@dataclass
class Filters:
    kinds: list[str] | None = None  # document kinds to search
    versions: list[str] | None = None  # route-map versions to use


@dataclass
class Trace:
    """Everything the stages produced for one question: what `wayfinder fit` learns from."""

    understanding: Understanding
    hits: list[Hit]
    candidates: list[Candidate]
    ranked: list[list[Candidate]] = field(default_factory=list)
    decision: Decision | None = None


class Assistant:
    def __init__(self, components: Any, thresholds: Thresholds | None = None) -> None:
        self.c = components
        self.book = RecordBook(components)
        self.search = HybridSearch(components)
        self.kinds: QuestionKinds | None = None
        self.reader = Reader(self.book, self._embed)
        self.decide = Decide(thresholds)
        self._turns: dict[tuple[str, ...], Turn] = {}

    def warm_up(self) -> None:
        self.kinds = self.kinds or QuestionKinds()
        self.reader.warm_up()
        self.decide.warm_up()
        self.c.embedder.embed_query("warm-up")

    def _embed(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self.c.embedder.encode(texts))

    def _previous(self, conversation: list[str], filters: Filters) -> Turn | None:
        """The last earlier turn, answered again (with its own earlier turns) so its subject and lists are known."""
        if not conversation:
            return None
        key = tuple(conversation[-MAX_TURNS:])
        if key not in self._turns:
            earlier = list(key[:-1])
            trace = self.trace(key[-1], earlier, filters)
            answer = self.compose(trace)
            cited = [c.record.id for part in (trace.decision.chosen if trace.decision else []) for c in part
                     if c.record is not None]
            u = trace.understanding  # an elliptical turn lends its question written out in full
            asked = u.query if u.borrowed else key[-1]
            lists = [x for c in answer.citations for x in listings(c.quote, asked)]
            supplied = answered_entity(asked, u.subjects, [c.quote for c in answer.citations], self.book.entities)
            self._turns[key] = Turn(asked, u.subjects, answer.items, cited, lists, supplied)
            if len(self._turns) > 256:
                self._turns.pop(next(iter(self._turns)))
        return self._turns[key]

    def trace(self, question: str, conversation: list[str] | None = None, filters: Filters | None = None,
              read: bool = True) -> Trace:
        filters = filters or Filters()
        question = (question or "").strip()
        if not question:
            raise ValueError("the question is empty")
        if self.book.refresh():
            self._turns.clear()
        if filters.versions is None and (named := self.book.versions_named(question)):
            filters = Filters(filters.kinds, named)
        if self.kinds is None:
            self.kinds = QuestionKinds()
        assert self.book.entities is not None
        today = self.c.settings.current_date()
        previous = self._previous(list(conversation or []), filters)
        u = Understand(self.book.entities, self.kinds, self._embed, self.book.speller,
                       self.book.version_spans).run(question, previous, today)
        stage = Candidates(self.search, self.book, self.c.settings.top_k)
        hits = stage.hits(u, filters.kinds, filters.versions)
        cands = stage.run(u, hits, filters.versions, today, filters.kinds)
        trace = Trace(u, hits, cands)
        if read:
            trace.ranked = self.reader.run(u, cands)
            trace.decision = self.decide.run(u, trace.ranked, hits)
        return trace

    def compose(self, trace: Trace) -> Answer:
        assert trace.decision is not None
        answer = Compose(self.book, CitationMaker(self.c.index)).run(trace.understanding, trace.decision, trace.hits)
        answer.subjects = [e.name for e in trace.understanding.subjects]
        answer.read_as = trace.understanding.query if trace.understanding.borrowed else ""
        return answer

    def ask(self, question: str, conversation: list[str] | None = None, filters: Filters | None = None,
            qid: Any = None) -> Answer:
        t0 = time.perf_counter()
        filters = filters or Filters()
        answer = self.compose(self.trace(question, conversation, filters))
        answer.id = qid
        answer.latency_ms = round((time.perf_counter() - t0) * 1000, 1)
        return answer
