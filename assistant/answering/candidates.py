"""Stage 2, candidates: every unit that could answer a part: a sentence of a retrieved passage (with its section
heading), each field of a record in its own right, and the commitments a date or an organisation selects."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from dataclasses import field as dc_field

import numpy as np

from assistant.answering.entities import Entity
from assistant.answering.records import RecordBook
from assistant.answering.understand import Understanding
from assistant.retrieval.hybrid import Hit, HybridSearch, SearchRequest
from core.store.index import StoredRecord
from core.text import sentences
from ingest.loaders.catalogue import DOWNLOAD

MAX_QUOTE = 400
OWN_HITS = 3  # a follow-up's hits for its own words, beside those for it and the earlier question together
PAIR_QUOTE = 600  # two neighbouring units quoted together stay short enough to read
LONG_FIELD = 40  # words: a longer field is also read a sentence at a time (the reader embeds a quote's opening 40)
# What each record field can answer (a schema fact about the record types, not about any one dataset).
FIELD_TYPES: dict[str, tuple[str, ...]] = {
    "holder": ("organisation",), "publisher": ("organisation",), "owner": ("organisation",),
    "contact": ("access", "organisation"), "access": ("access", "yesno"), "url": ("access",),
    "landing_page": ("access",), "formats": ("access", "list", "yesno"), "distributions": ("access", "list"),
    "licence": ("access", "yesno"), "frequency": ("frequency", "date"), "updated": ("date",),
    "created": ("date",), "coverage": ("date", "definition", "yesno", "list"),
    "description": ("definition", "number", "list", "yesno", "date"), "definition": ("definition",),
    "keywords": ("definition", "list"), "category": ("definition",), "status": ("definition", "yesno"),
    "title": ("definition",), "term": ("definition",), "notes": ("definition", "number", "list", "yesno", "date"),
}
LABELS = {"holder": "held by", "contact": "contact", "access": "how to get access", "frequency": "how often",
          "coverage": "coverage", "description": "what it covers", "url": "address", "definition": "meaning",
          "formats": "formats", "updated": "last updated", "created": "created", "licence": "licence",
          "landing_page": "landing page", "distributions": "downloads", "publisher": "publisher",
          "keywords": "keywords", "title": "name", "term": "name", "notes": "notes"}
# What a question asking for each field sounds like: embedded once, compared with the question's vector.
FIELD_QUESTIONS = {
    "holder": "who holds, owns, collects or publishes it", "publisher": "who publishes it",
    "contact": "who do I contact, email address", "access": "how do I get access to it or apply for it",
    "url": "where is it online, web address link", "landing_page": "which page describes it, link",
    "formats": "what file formats can I download", "distributions": "where can I download the files",
    "licence": "what licence is it under, can I reuse it", "frequency": "how often is it updated or published",
    "updated": "when was it last updated", "created": "when was it created", "coverage": "what period and area does it cover",
    "description": "what is it, what does it contain or measure", "definition": "what does it mean, what is it",
    "keywords": "what topics is it about", "title": "what is its full name, what does the acronym stand for",
    "term": "what is its full name", "status": "is it available yet, what is its status",
    "notes": "what do its notes say: caveats, symbols, methods, exceptions",
}


@dataclass
class Candidate:
    kind: str  # field | sentence | commitment
    text: str  # what is scored
    quote: str  # the exact stored text a citation shows
    doc_id: str
    section: str
    locator: str
    heading: str  # document title and section path: key nouns often sit there
    subject: str  # the record's title, or the document's
    chunk_id: str = ""
    field: str = ""
    record: StoredRecord | None = None
    passage: str = ""  # the whole passage a sentence sits in: the words around it count too
    # What a table row is about: its table's caption. A row alone ("Group: Children | Proportion: 24.48%") names no
    # topic, so the reader embeds it after its caption, and the caption counts as the row's passage too.
    context: str = ""
    rank: int = 99  # fused retrieval rank of its passage
    similarity: float = 0.0  # dense cosine of its passage to the question
    linked: bool = False  # reached through an entity the question names
    in_span: bool = False  # a commitment due within the question's dates
    features: list[float] = dc_field(default_factory=list)
    score: float = 0.0

    @property
    def meaning(self) -> str:
        """What the reader embeds: the quote, after its table's caption when it is a row."""
        return f"{self.context}: {self.quote}" if self.context else self.quote


def _segment(quote: str, value: str) -> str:
    """The labelled line of a record's stored text that holds a field's value ("Held by: X.")."""
    probe = value.strip()[:60]
    pos = quote.find(probe)
    if pos < 0 or not probe:
        return ""
    start = max(quote.rfind(". ", 0, pos) + 2 if quote.rfind(". ", 0, pos) >= 0 else 0,
                quote.rfind("\n", 0, pos) + 1)
    end = pos + len(value.strip())
    if end > len(quote) or quote[pos:end] != value.strip():
        end = quote.find("\n", pos) if quote.find("\n", pos) >= 0 else len(quote)
    elif end < len(quote) and quote[end] == ".":
        end += 1
    return quote[start:end].strip()


def field_candidates(r: StoredRecord, rank: int = 99, similarity: float = 0.0, linked: bool = False,
                     heading: str = "") -> list[Candidate]:
    title = r.fields.get("title") or r.fields.get("term") or r.section
    out = []
    for name, value in r.fields.items():
        if name not in FIELD_TYPES or not isinstance(value, str | list) or not value:
            continue
        if name == "distributions":  # one file per line of the record's text ("Download: Teacher Numbers
            # 2007 to 2017.csv (CSV) https://..."): the files' own names often say what they cover
            text = quote = "\n".join(x for x in r.quote.split("\n") if x.startswith(DOWNLOAD))
        else:
            text = value if isinstance(value, str) else ", ".join(str(v) for v in value)
            quote = _segment(r.quote, text)
        if not quote:
            continue
        out.append(Candidate("field", text, quote, r.doc_id, r.section, r.locator, heading or title, title,
                             field=name, record=r, rank=rank, similarity=similarity, linked=linked))
        # A long field's sentences are candidates too: the one that holds the fact ("...published 22 April 2025")
        # is read on its own words, not diluted by the rest (and the whole field's meaning is read from its opening).
        if len(text.split()) > LONG_FIELD and text in quote:
            out.extend(Candidate("field", s, s, r.doc_id, r.section, r.locator, heading or title, title, field=name,
                                 record=r, rank=rank, similarity=similarity, linked=linked)
                       for s in sentences(text) if len(s.split()) >= 3 and s != text)
    return out


def sentence_candidates(h: Hit, rank: int, doc_title: str) -> list[Candidate]:
    section = h.chunk.meta.get("section", "")
    heading = f"{doc_title} {section}".strip()
    header = ""
    if h.chunk.embed_text.split("\n", 2)[1:2] and h.chunk.embed_text.split("\n", 2)[1].startswith("Columns: "):
        header = h.chunk.embed_text.split("\n", 2)[1]
    context = section.split(" > ")[-1] if header else ""
    lines = h.chunk.text.split("\n")
    split = [sentences(line) if _long_prose(line) else [line.strip()] for line in lines]
    units = [s for line_units in split for s in line_units]
    units += [p for line, line_units in zip(lines, split, strict=True) for p in adjacent_pairs(line, line_units)]
    units += introduced_lists(lines)
    return [Candidate("sentence", s, s, h.chunk.doc_id, section, h.chunk.meta.get("locator", ""),
                      f"{heading} {header}".strip(), doc_title, chunk_id=h.chunk.id, rank=rank,
                      similarity=h.similarity, passage=f"{context}\n{h.chunk.text}".strip(), context=context)
            for s in units if len(s.split()) >= 3 and len(s) <= 2 * MAX_QUOTE]


def _long_prose(line: str) -> bool:
    """A line too long to quote whole, unless it is one row of a table or data dictionary ("code: x | topic: y |
    question: Q48. Do you...?"): cut at its sentences, a row loses the cells that say what its answer is about."""
    return len(line) > MAX_QUOTE and (line.count(" | ") < 2 or len(line) > 2 * MAX_QUOTE)


def adjacent_pairs(text: str, units: list[str]) -> list[str]:
    """Each sentence of a paragraph with the one after it, as the stored text spans them: a sentence that restates
    the question ("four projects would produce outputs...") is often followed by the one that answers it ("...kinship
    care, pre-proceedings, ..."). Never across paragraphs: the next paragraph is another subject (or a line planted
    to be quoted), and a quote stays the words of one paragraph of the source."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for u in units:
        at = text.find(u, pos)
        if at < 0:
            return []
        spans.append((at, at + len(u)))
        pos = at + len(u)
    return [text[a[0] : b[1]].strip() for a, b in zip(spans, spans[1:], strict=False) if b[1] - a[0] <= PAIR_QUOTE]


def introduced_lists(lines: list[str]) -> list[str]:
    """A line that ends in a colon with the lines it introduces ("The data item codes are:" and its codes), as one
    more candidate: the introduction names the topic, the items hold the answer, and neither says it alone.
    Joined with the stored line breaks, so the quote is still the stored text."""
    out = []
    for i, line in enumerate(lines):
        if not line.rstrip().endswith(":"):
            continue
        block = [line]
        for nxt in lines[i + 1 :]:
            if not nxt.strip() or sum(len(x) + 1 for x in block) + len(nxt) > 2 * MAX_QUOTE:
                break
            block.append(nxt)
        if len(block) > 1:
            out.append("\n".join(block).strip())
    return out


class Candidates:
    """One `run`: an Understanding in, hits and candidates out."""

    def __init__(self, search: HybridSearch, book: RecordBook, k: int = 8) -> None:
        self.search = search
        self.book = book
        self.k = k

    def hits(self, u: Understanding, kinds: list[str] | None, versions: list[str] | None) -> list[Hit]:
        boost = [n for e in u.subjects for n in e.names]
        req = SearchRequest(u.query, k=self.k, kinds=kinds, versions=versions, expansions=u.expansions,
                            boost_terms=boost)
        hits = self.search.run(req, query_vector=u.vector.tolist())
        if u.followup is None or not u.parts or u.parts[0].vector is None:
            return hits
        # A follow-up searches with the earlier question beside it; what it asks in its own words ("what took over
        # from them?") may sit in a passage the earlier question's words outrank, so its own best hits join.
        own = np.mean([p.vector for p in u.parts if p.vector is not None], axis=0)
        req = SearchRequest(u.question, k=OWN_HITS, kinds=kinds, versions=versions, boost_terms=boost)
        seen = {h.chunk.id for h in hits}
        return hits + [h for h in self.search.run(req, query_vector=(own / np.linalg.norm(own)).tolist())
                       if h.chunk.id not in seen]

    def run(self, u: Understanding, hits: list[Hit], versions: list[str] | None, today: dt.date,
            kinds: list[str] | None = None) -> list[Candidate]:
        out: list[Candidate] = []
        seen_records: set[str] = set()
        # The records the previous answer cited are what "that" most likely means, found by retrieval or not.
        referents = set(u.followup.cited) if u.followup is not None else set()
        for rank, h in enumerate(hits):
            rec = self.book.record_at(h.chunk.doc_id, h.chunk.meta.get("locator", ""))
            if rec is not None and rec.type in ("dataset", "term"):
                if rec.id in seen_records:  # a long record spans chunks: its fields are candidates once
                    continue
                seen_records.add(rec.id)
                linked = rec.id in referents or self.book.names(rec, u.subjects)
                out.extend(field_candidates(rec, rank, h.similarity, linked=linked))
            else:
                out.extend(sentence_candidates(h, rank, self.book.title(h.chunk.doc_id)))
        if u.followup is not None:
            for rec in (self.book.by_id.get(i) for i in u.followup.cited):
                if rec is not None and rec.type in ("dataset", "term") and rec.id not in seen_records:
                    seen_records.add(rec.id)
                    out.extend(field_candidates(rec, linked=True))
        for e in u.subjects:
            for rec in self.book.for_entity(e):
                if rec.id not in seen_records:
                    seen_records.add(rec.id)
                    out.extend(field_candidates(rec, linked=True))
        out.extend(self.commitments(u, versions, today))
        if kinds:  # records reached by name or by the last turn obey the same filter as retrieval
            out = [c for c in out if self.book.kinds.get(c.doc_id) in kinds]
        return out

    def commitments(self, u: Understanding, versions: list[str] | None, today: dt.date) -> list[Candidate]:
        """Commitments selected by what the question names: its dates, an organisation, a topic, or an item of the
        list the previous answer gave."""
        recs = self.book.of("commitment", versions)
        if u.referent_items:
            chosen = [r for r in recs if r.id in u.referent_items]
        else:
            chosen = []
            orgs = u.organisations
            topics = [e for e in u.subjects if e.kind != "organisation"]
            # A name the commitment's own document carries in its kind or title ("in the 2024 route map") says where
            # to look, not what about: every commitment there is about it, and it selects nothing alone.
            about_in: dict[str, list[Entity]] = {}
            for r in recs:
                if u.dates and not self.book.due_in(r, u.dates):
                    continue
                if orgs and not set(orgs) & set(r.fields.get("actors", []) + r.fields.get("responsible", [])):
                    continue
                if r.doc_id not in about_in:
                    scope = f"{self.book.kinds.get(r.doc_id, '').replace('_', ' ')} {self.book.title(r.doc_id)}"
                    about_in[r.doc_id] = [e for e in topics if not self.book.mentions(scope, e)]
                about = about_in[r.doc_id]
                if about and not any(self.book.mentions(r.quote, e) for e in about):
                    continue
                if not (u.dates or orgs or about):
                    continue
                chosen.append(r)
            if u.dates and u.dates.start is None:  # "due by March 2027": what is still to come, if anything is
                upcoming = [r for r in chosen if r.fields.get("due") and dt.date.fromisoformat(r.fields["due"]) >= today]
                chosen = upcoming or chosen
        out = []
        for r in chosen:
            quote = r.quote if len(r.quote) <= MAX_QUOTE else next(
                (s for s in sentences(r.quote) if r.fields.get("when") and r.fields["when"] in s), sentences(r.quote)[0])
            out.append(Candidate("commitment", quote, quote, r.doc_id, r.section, r.locator,
                                 f"{self.book.title(r.doc_id)} {r.section}", self.book.title(r.doc_id), record=r,
                                 linked=True, in_span=bool(u.dates) and self.book.due_in(r, u.dates)))
        return out
