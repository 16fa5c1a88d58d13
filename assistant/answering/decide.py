"""Stage 4, decide: one status per question (answered, partial, no_information, out_of_scope, needs_clarification,
declined) and, per part, the candidates that answer it. Thresholds are named arguments, chosen on the dev split by
`wayfinder fit` for a stated precision (evals/results/coverage-accuracy.md)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from assistant.answering.calibrate import Calibrator
from assistant.answering.candidates import FIELD_TYPES, Candidate
from assistant.answering.understand import Part, Understanding, topic_terms
from assistant.retrieval.hybrid import Hit

NAME_FIELDS = ("title", "term")  # fields that hold only the record's name
THRESHOLDS = Path(__file__).with_name("models") / "thresholds.json"
STATUSES = ("answered", "partial", "no_information", "out_of_scope", "needs_clarification", "declined")


@dataclass
class Thresholds:
    answer: float = 0.5  # a part is answered when the calibrated probability that its best candidate is right reaches this
    case_request: float = 0.5  # a question about one person's case is declined above this
    in_scope_similarity: float = 0.35  # below this (and naming nothing known), a question is out of scope
    margin: float = 0.5  # further candidates are kept if they score at least this share of the best
    keep: int = 3  # at most this many candidates quoted per part (lists and commitments: up to 6)

    @classmethod
    def load(cls) -> Thresholds:
        if THRESHOLDS.exists():
            return cls(**json.loads(THRESHOLDS.read_text(encoding="utf-8")))
        return cls()


@dataclass
class Decision:
    status: str
    chosen: list[list[Candidate]] = field(default_factory=list)  # per part; empty = that part is not answered
    missing: list[str] = field(default_factory=list)  # the parts the documents do not answer
    confidence: float = 0.0  # the weakest answered part's probability


class Decide:
    LIST = 6  # at most this many items of a list or of commitments quoted for one part
    FIELD_ANSWERED = ("organisation", "frequency", "access", "date", "definition")  # types a record field states

    def __init__(self, thresholds: Thresholds | None = None, calibrator: Calibrator | None = None) -> None:
        self.t = thresholds or Thresholds.load()
        self.calibrator = calibrator

    def warm_up(self) -> None:
        """Load the fitted answer/decline model on first use (not when built: `wayfinder fit` builds the pipeline
        to fit a new one, and a model fitted on other features must not stop it)."""
        if self.calibrator is None:
            self.calibrator = Calibrator.load()

    def _pick(self, ranked: list[Candidate], answer_type: str, confidence: float) -> list[Candidate]:
        if not ranked or confidence < self.t.answer:
            return []
        best = ranked[0].score
        limit = self.LIST if answer_type == "list" or ranked[0].kind == "commitment" else self.t.keep
        out: list[Candidate] = []
        # An answer from the named record's own field is about that record: another record's field beside it (the
        # holder of a different dataset) would be a quote that supports no claim about the subject.
        own_record = ranked[0].kind == "field" and ranked[0].linked
        for c in ranked:
            if c.score < self.t.margin * best or len(out) >= limit:
                break
            if own_record and c.kind == "field" and not c.linked:
                continue
            same = next((i for i, o in enumerate(out) if c.quote in o.quote or o.quote in c.quote), None)
            if same is None:
                out.append(c)
            elif c.kind == "commitment" and out[same].kind != "commitment":
                out[same] = c  # the same words as a commitment record: it also knows who acts and by when
            elif out[same].quote in c.quote and c.kind == out[same].kind:
                out[same] = c  # the longer quote holds the shorter one and more
        # A quote that ends in a colon announces what it does not hold ("...submitted via the following formats:"):
        # it is quoted with the lines it introduces, whatever their own score.
        return [next((r for r in ranked if r.kind == c.kind and len(r.quote) > len(c.quote)
                      and r.quote.startswith(c.quote)), c) if c.quote.rstrip().endswith(":") else c for c in out]

    @staticmethod
    def _looked_up(u: Understanding, part: Part, ranked: list[Candidate]) -> list[Candidate]:
        """What a part with no topic word of its own selects exactly: the item of the last list it points at, the
        commitments due in the period it names, or the field of its subject's record that states its answer type.
        A lookup over the records' ids, due dates and schema, not a reading, so it needs no score."""
        commitments = [c for c in ranked if c.kind == "commitment" and c.record is not None]
        if u.referent_items:
            return [c for c in commitments if c.record.id in u.referent_items][:1]
        named = tuple({e.kind for e in u.subjects})  # every name the question uses is its subject, not a topic
        if topic_terms(part.text, u.subjects, u.dates.text if u.dates else "", named):
            return []  # the part asks about something of its own: the reader's business
        if u.dates is not None:
            return [c for c in commitments if c.in_span][: Decide.LIST]
        # "Who leads it?", "What is CLAS?" about a named dataset or term: its own record's field for that answer
        # type, by the schema (a field that only repeats the name answers nothing).
        fields = [c for c in ranked if c.kind == "field" and c.linked and FIELD_TYPES.get(c.field, ("",))[0] ==
                  part.answer_type and part.answer_type in Decide.FIELD_ANSWERED and c.field not in NAME_FIELDS]
        return fields[:1]

    def run(self, u: Understanding, ranked: list[list[Candidate]], hits: list[Hit]) -> Decision:
        if u.case_request >= self.t.case_request:
            return Decision("declined")
        if u.needs_referent:
            return Decision("needs_clarification")
        self.warm_up()
        assert self.calibrator is not None
        top_similarity = max((h.similarity for h in hits), default=0.0)
        confidence = [self.calibrator.run(r, p, u, top_similarity) for r, p in zip(ranked, u.parts, strict=True)]
        chosen = [self._pick(r, p.answer_type, c) for r, p, c in zip(ranked, u.parts, confidence, strict=True)]
        for i, (r, p) in enumerate(zip(ranked, u.parts, strict=True)):
            if found := self._looked_up(u, p, r):  # first; what the reader is confident of may follow
                more = [c for c in chosen[i] if all(c.quote not in f.quote and f.quote not in c.quote for f in found)]
                chosen[i], confidence[i] = found + more[: max(0, self.t.keep - len(found))], 1.0
        answered = [c for c in chosen if c]
        if answered:
            missing = [p.text for p, c in zip(u.parts, chosen, strict=True) if not c]
            conf = min(c for c, ch in zip(confidence, chosen, strict=True) if ch)
            return Decision("partial" if missing else "answered", chosen, missing, conf)
        if not u.subjects and top_similarity < self.t.in_scope_similarity:
            return Decision("out_of_scope", chosen)
        return Decision("no_information", chosen)
