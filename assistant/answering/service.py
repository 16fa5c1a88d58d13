"""The assistant: a question (and the conversation so far) in, a short cited answer or an honest abstention out.

No language model: answers are extractive, built from record fields and document sentences, so every claim is a
quote. Text inside documents is only ever quoted, never followed.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from dataclasses import dataclass, field
from typing import Any

from assistant.answering.analysis import Analysis, Entity, EntityIndex, analyse
from assistant.answering.answer import Answer, Citation
from assistant.answering.evidence import CitationMaker, Claim, coverage, number, version_label
from assistant.retrieval.hybrid import Hit, HybridSearch, SearchRequest
from core.store.index import StoredRecord
from core.text import sentences, stem, stems_in

# Calibrated on the dev split of evals/questions (see evals/README.md); never on the test split.
MIN_FOCUS_COVERAGE = 0.6
MIN_SIMILARITY = 0.30
MAX_QUOTE = 400


@dataclass
class Filters:
    kinds: list[str] | None = None  # document kinds to search
    versions: list[str] | None = None  # route-map versions to use


@dataclass
class Draft:
    claims: list[Claim] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)  # the texts whose words count as support
    notes: list[str] = field(default_factory=list)
    supported: bool = True


class RecordBook:
    """Structured records cached per process, refreshed when the store changes."""

    def __init__(self, components: Any) -> None:
        self.c = components
        self._sig: tuple | None = None
        self.by_type: dict[str, list[StoredRecord]] = {}
        self.entities: EntityIndex | None = None

    def refresh(self) -> None:
        sig = self.c.index.conn.execute("SELECT count(*), max(ingested_at) FROM documents").fetchone()
        if sig == self._sig:
            return
        self.by_type = {}
        for r in self.c.index.records():
            self.by_type.setdefault(r.type, []).append(r)
        self.entities = EntityIndex(self.c.glossary, [r.fields for r in self.by_type.get("dataset", [])])
        self._sig = sig

    def of(self, type_: str, filters: Filters | None = None) -> list[StoredRecord]:
        recs = self.by_type.get(type_, [])
        if filters and filters.versions and type_ in ("commitment", "milestone_gap", "responsibility"):
            recs = [r for r in recs if r.fields.get("version") in filters.versions]
        return recs


def _mentions(text: str, entity: Entity) -> bool:
    return any(re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", text, 0 if n.isupper() or len(n) <= 5 else re.I)
               for n in entity.names)


def _best_sentence(text: str, terms: set[str], entity: Entity | None = None) -> str:
    best, score = "", -1.0
    for s in (x for line in text.split("\n") for x in sentences(line)):  # a chunk's blocks are its lines
        if len(s) > MAX_QUOTE or len(s.split()) < 6:
            continue  # a table cell or a run-on list is not a claim
        sc = len(terms & stems_in(s)) + (2 if entity and _mentions(s, entity) else 0) - len(s) / 2000
        if sc > score:
            best, score = s, sc
    return best


class Assistant:
    def __init__(self, components: Any) -> None:
        self.c = components
        self.book = RecordBook(components)
        self.search = HybridSearch(components)

    # ---------------------------------------------------------------- entry point
    def ask(self, question: str, conversation: list[str] | None = None, filters: Filters | None = None,
            qid: Any = None) -> Answer:
        t0 = time.perf_counter()
        filters = filters or Filters()
        question = (question or "").strip()
        if not question:
            raise ValueError("the question is empty")
        self.book.refresh()
        assert self.book.entities is not None
        today = self.c.settings.current_date()
        a = analyse(question, list(conversation or []), self.book.entities, today)
        cites = CitationMaker(self.c.index)
        if a.unresolved:
            return Answer(question, "Which project, dataset or organisation do you mean? This question refers to "
                          "something (“it”, “they”, “that”) that this conversation has not named yet.", True,
                          intent=a.intent, resolved_question=a.resolved, id=qid,
                          latency_ms=round((time.perf_counter() - t0) * 1000, 1))
        handler = {
            "who_holds": self._data, "how_access": self._data, "how_often": self._data,
            "who_must_act": self._who_must_act, "due_when": self._due, "what_is": self._what_is,
        }.get(a.intent, self._general)
        draft = handler(a, filters, cites, today)
        if draft.supported and not draft.claims:
            draft = self._general(a, filters, cites, today)
        answer = self._finish(a, draft, filters, cites)
        answer.id = qid
        answer.latency_ms = round((time.perf_counter() - t0) * 1000, 1)
        return answer

    def _finish(self, a: Analysis, draft: Draft, filters: Filters, cites: CitationMaker) -> Answer:
        cov = coverage(a.focus, draft.evidence)
        if draft.claims and draft.supported and cov >= MIN_FOCUS_COVERAGE:
            text, citations = number(draft.claims[:4])
            return Answer(a.question, text, False, citations, intent=a.intent, resolved_question=a.resolved,
                          notes=draft.notes)
        return self._abstain(a, filters, cites, draft.notes)

    def _abstain(self, a: Analysis, filters: Filters, cites: CitationMaker,
                 notes: list[str] | None = None) -> Answer:
        hits = self._passages(a, filters, k=3)
        related = [cites.make(h.chunk.doc_id, h.chunk.text, h.chunk.meta.get("section", ""),
                              h.chunk.meta.get("locator", ""), h.chunk.id) for h in hits[:2]]
        for i, c in enumerate(related, start=1):
            c.n = i
        words = [w for w in re.findall(r"[\w’'-]+", a.question) if stem(w.lower()) in a.focus]
        topic = ", ".join(dict.fromkeys(words))
        text = "The documents don't say." + (f" No indexed passage covers “{topic}” here." if topic else "")
        if notes:
            text += " " + " ".join(notes)  # a dataset was found but its record lacks what was asked
        holders = [e for e in a.entities if e.kind == "dataset" and e.holder]
        orgs = [e.name for e in a.entities if e.kind == "organisation"]
        if holders:
            text += f" The catalogue lists {holders[0].holder} as holder of {holders[0].name}: they may know."
        elif orgs:
            text += f" {orgs[0]} may be able to answer."
        if related:
            text += " The nearest passages are shown below."
        return Answer(a.question, text, True, [], intent=a.intent, resolved_question=a.resolved, related=related)

    # ---------------------------------------------------------------- retrieval helpers
    def _passages(self, a: Analysis, filters: Filters, k: int = 6, kinds: list[str] | None = None) -> list[Hit]:
        boost = [n for e in a.entities for n in e.names]
        req = SearchRequest(a.resolved, k=k, kinds=kinds or filters.kinds, versions=filters.versions,
                            expansions=a.expansions, boost_terms=boost)
        return self.search.run(req)

    @staticmethod
    def _add_passage_claim(draft: Draft, h: Hit, sentence: str, cites: CitationMaker) -> None:
        """A sentence quoted from a retrieved passage, labelled with its route-map version when it has one."""
        where = version_label(cites.doc(h.chunk.doc_id))
        text = f"In {where}: “{sentence}”" if where else sentence
        draft.claims.append(Claim(text, [cites.make(h.chunk.doc_id, sentence, h.chunk.meta.get("section", ""),
                                                    h.chunk.meta.get("locator", ""), h.chunk.id)]))
        draft.evidence.append(sentence)

    def _record_cite(self, r: StoredRecord, cites: CitationMaker, quote: str | None = None) -> Citation:
        return cites.make(r.doc_id, quote or r.quote, r.section, r.locator)

    def _datasets_for(self, a: Analysis, filters: Filters) -> list[StoredRecord]:
        """Datasets a data question is about: named (title or acronym), then held by a named organisation,
        then matching the topic words."""
        datasets = self.book.of("dataset")
        if filters.kinds and "catalogue" not in filters.kinds:
            return []
        topic = set(a.focus) | {t for e in a.entities if e.kind not in ("dataset", "organisation")
                                for t in stems_in(e.name)}
        scored: list[tuple[float, StoredRecord]] = []
        for d in datasets:
            title, acronym = d.fields["title"], d.fields.get("acronym", "")
            score = 0.0
            for e in a.entities:
                if e.kind == "dataset" and e.name == title or acronym and acronym in e.names:
                    score = max(score, 3.0)
                elif any(_mentions(title, Entity(n, "", (n,))) for n in e.names):
                    score = max(score, 2.0)
                elif e.kind == "organisation" and any(n in d.fields.get("holder", "") for n in e.names):
                    score = max(score, 1.0)
            if topic:
                cov = len(topic & stems_in(d.quote)) / len(topic)
                if cov < MIN_FOCUS_COVERAGE and score < 2.0:
                    continue
                score += cov + 0.5 * len(topic & stems_in(f"{title} {acronym}")) / len(topic)
            if score >= 1.0:
                scored.append((score, d))
        scored.sort(key=lambda p: -p[0])
        if scored and scored[0][0] >= 3.0:
            scored = [p for p in scored if p[0] >= 3.0]
        return [d for _, d in scored[:3]]

    # ---------------------------------------------------------------- handlers
    def _data(self, a: Analysis, filters: Filters, cites: CitationMaker, today: dt.date) -> Draft:
        draft = Draft()
        field_for = {"who_holds": ("holder", "Held by"), "how_access": ("access", "How to get access"),
                     "how_often": ("frequency", "How often")}
        key, label = field_for[a.intent]
        for d in self._datasets_for(a, filters):
            value = d.fields.get(key, "")
            name = d.fields["title"]
            if not value:
                draft.notes.append(f"The catalogue record for {name} does not say ({label.lower()}).")
                continue
            quote = f"{label}: {value.rstrip('.')}."
            if a.intent == "who_holds":
                text = f"{name} is held by {value.rstrip('.')}"
            elif a.intent == "how_access":
                text = f"{name}: {value.rstrip('.')}"
            else:
                text = f"{name} is updated: {value.rstrip('.')}"
            draft.claims.append(Claim(text, [self._record_cite(d, cites, quote)]))
            draft.evidence.append(d.quote)
        if not draft.claims and a.intent == "who_holds":
            # No catalogue record: projects and organisations answer "who leads/holds" through commitments.
            return self._who_must_act(a, filters, cites, today)
        if not draft.claims and draft.notes:
            draft.supported = False  # the dataset is known, the field is not: say so rather than guess
        return draft

    def _commitments_about(self, a: Analysis, filters: Filters) -> list[StoredRecord]:
        recs = self.book.of("commitment", filters)
        topics = [e for e in a.entities if e.kind != "organisation"]
        if topics:
            return [r for r in recs if any(_mentions(r.quote, e) for e in topics)]
        if a.focus:
            return [r for r in recs if coverage(a.focus, [r.quote]) >= MIN_FOCUS_COVERAGE]
        return []

    @staticmethod
    def _order(recs: list[StoredRecord]) -> list[StoredRecord]:
        """Newest route map first, actions before context, then document order."""
        return sorted(recs, key=lambda r: (r.fields.get("version") != "December 2025", not r.fields.get("action"),
                                           int(re.sub(r"\D", "", r.locator) or 0)))

    def _commitment_claim(self, r: StoredRecord, cites: CitationMaker, terms: set[str],
                          entity: Entity | None = None) -> Claim:
        quote = r.quote if len(r.quote) <= 400 else _best_sentence(r.quote, terms, entity)
        where = version_label(cites.doc(r.doc_id))
        text = f"In {where}: “{quote}”" if where else f"“{quote}”"
        return Claim(text, [self._record_cite(r, cites, quote)])

    def _who_must_act(self, a: Analysis, filters: Filters, cites: CitationMaker, today: dt.date) -> Draft:
        draft = Draft()
        terms = set(a.focus)
        if a.organisations:
            org = a.organisations[0]
            recs = [r for r in self.book.of("commitment", filters) if org in r.fields.get("actors", [])]
            if a.dates:
                recs = [r for r in recs if self._in_span(r, a)]
            for r in self._order(recs)[:4]:
                draft.claims.append(self._commitment_claim(r, cites, terms))
                draft.evidence.append(r.quote)
            if not recs:
                lists = [r for r in self.book.of("responsibility", filters) if org in r.fields["organisations"]]
                for r in lists[:2]:
                    where = version_label(cites.doc(r.doc_id))
                    draft.claims.append(Claim(
                        f"{org} is named in a “Who needs to work on this” list of {where or 'a route map'} "
                        f"(milestone block {r.fields['block']}), without a milestone of its own",
                        [self._record_cite(r, cites)]))
                    draft.evidence.append(r.quote)
            return draft
        recs = self._order(self._commitments_about(a, filters))
        entity = next((e for e in a.entities if e.kind != "organisation"), None)
        for r in recs[:2]:
            draft.claims.append(self._commitment_claim(r, cites, terms, entity))
            draft.evidence.append(r.quote)
            lst = next((x for x in self.book.of("responsibility", filters)
                        if x.doc_id == r.doc_id and x.fields["block"] == r.fields.get("block")), None)
            if lst and len(draft.claims) < 4:
                where = version_label(cites.doc(r.doc_id))
                inferred = " (pairing this block with an outcome is an inference: the capture lost its headings)" \
                    if lst.fields.get("outcome_inferred") else ""
                draft.claims.append(Claim(
                    f"The “Who needs to work on this” list closing that block of {where} names "
                    f"{', '.join(lst.fields['organisations'])}{inferred}", [self._record_cite(lst, cites)]))
        if not draft.claims and entity:
            return self._what_is(a, filters, cites, today)
        return draft

    def _in_span(self, r: StoredRecord, a: Analysis) -> bool:
        span = a.dates
        if span is None or not r.fields.get("due"):
            return span is None
        due = dt.date.fromisoformat(r.fields["due"])
        if span.year_only is not None:
            return r.fields.get("year") == span.year_only
        return due <= span.end and (span.start is None or due >= span.start)

    def _due(self, a: Analysis, filters: Filters, cites: CitationMaker, today: dt.date) -> Draft:
        draft = Draft()
        recs = [r for r in self.book.of("commitment", filters) if r.fields.get("due")]
        if a.organisations:
            recs = [r for r in recs if a.organisations[0] in r.fields.get("actors", [])
                    or a.organisations[0] in r.fields.get("responsible", [])]
        topical = self._commitments_about(a, filters)
        if a.entities and not a.organisations or (a.focus and not a.dates):
            recs = [r for r in recs if r in topical] or topical
        if a.dates:
            span = a.dates
            chosen = [r for r in recs if self._in_span(r, a)]
            if span.year_only is None:  # "by March 2027": what is still to come, else all that fall before
                upcoming = [r for r in chosen if dt.date.fromisoformat(r.fields["due"]) >= today]
                chosen = upcoming or chosen
            recs = chosen
        recs.sort(key=lambda r: (r.fields.get("due") or "9999", r.fields.get("version") != "December 2025"))
        for r in recs[:4]:
            claim = self._commitment_claim(r, cites, set(a.focus))
            actors = r.fields.get("actors") or []
            if actors and not any(x in claim.text for x in actors):
                claim.text += f" (named: {', '.join(actors)})"
            draft.claims.append(claim)
            draft.evidence.append(r.quote)
        if not draft.claims and a.dates and a.dates.year_only:
            gaps = self.book.of("milestone_gap", filters)
            if gaps:
                g = gaps[0]
                where = version_label(cites.doc(g.doc_id))
                draft.claims.append(Claim(
                    f"No milestone in the indexed route maps is dated {a.dates.year_only}. The year headings of "
                    f"{where or 'the route map'}'s timeline were lost in its capture, and where a year has nothing "
                    f"planned it says: “{g.quote}”", [self._record_cite(g, cites)]))
                draft.evidence.append(g.quote)
        return draft

    def _what_is(self, a: Analysis, filters: Filters, cites: CitationMaker, today: dt.date) -> Draft:
        draft = Draft()
        entity = next((e for e in a.entities), None)
        if entity is None:
            return self._general(a, filters, cites, today)
        terms = set(a.focus)
        if not filters.kinds or "glossary" in filters.kinds:
            term = next((r for r in self.book.of("term") if r.fields["term"] == entity.name), None)
            if term:
                draft.claims.append(Claim(term.quote, [self._record_cite(term, cites)]))
                draft.evidence.append(term.quote)
        for h in self._passages(a, filters, k=8):
            if h.chunk.meta.get("kind") in ("glossary",) or len(draft.claims) >= 3:
                continue
            if not _mentions(h.chunk.text, entity):
                continue
            s = _best_sentence(h.chunk.text, terms, entity)
            if not _mentions(s, entity) or any(s in c.text for c in draft.claims):
                continue
            self._add_passage_claim(draft, h, s, cites)
        return draft

    def _general(self, a: Analysis, filters: Filters, cites: CitationMaker, today: dt.date) -> Draft:
        draft = Draft()
        hits = self._passages(a, filters, k=6)
        if not hits or (not a.entities and max(h.similarity for h in hits) < MIN_SIMILARITY):
            draft.supported = False
            return draft
        terms = set(a.focus) | {t for e in a.entities for n in e.names for t in stems_in(n)}
        used: set[str] = set()
        for h in hits:
            if len(draft.claims) >= 3:
                break
            s = _best_sentence(h.chunk.text, terms, a.entities[0] if a.entities else None)
            if not s or s in used or coverage(a.focus, [s]) == 0 and not (a.entities and _mentions(s, a.entities[0])):
                continue
            used.add(s)
            self._add_passage_claim(draft, h, s, cites)
        return draft
