"""Structured records cached per process and looked up by key, never scanned per question; refreshed when the
store changes (a document added, changed or removed)."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from typing import Any

from assistant.answering.entities import Entity, EntityIndex
from assistant.answering.spelling import SAMPLE_CHUNKS, Speller
from core.dates import DateSpan
from core.store.index import StoredRecord
from core.text import stems_in


class RecordBook:
    def __init__(self, components: Any) -> None:
        self.c = components
        self._sig: tuple | None = None
        self.by_type: dict[str, list[StoredRecord]] = {}
        self.by_place: dict[tuple[str, str], StoredRecord] = {}
        self.by_id: dict[str, StoredRecord] = {}
        self.by_title: dict[str, list[StoredRecord]] = {}
        self.titles: dict[str, str] = {}
        self.kinds: dict[str, str] = {}
        self.version_rank: dict[str, int] = {}  # a document version's place, newest first, from manifest dates
        self.versions: dict[str, str] = {}  # doc_id -> its version label, for documents that have one
        self._version_patterns: list[tuple[re.Pattern[str], str]] = []
        self.entities: EntityIndex | None = None
        self._df: dict[str, float] = {}
        self.n_chunks = 1
        self.speller = Speller([])

    def refresh(self) -> bool:
        """Reload when the documents table changed; True if it did."""
        sig = self.c.index.conn.execute("SELECT count(*), max(ingested_at), group_concat(sha256) FROM documents")\
            .fetchone()
        if sig == self._sig:
            return False
        self.by_type, self.by_place, self.by_title, self._df = {}, {}, {}, {}
        self.by_id = {}
        for r in self.c.index.records():
            self.by_id[r.id] = r
            self.by_type.setdefault(r.type, []).append(r)
            if r.type in ("dataset", "term"):
                self.by_place[(r.doc_id, r.locator)] = r
                key = (r.fields.get("title") or r.fields.get("term") or "").lower()
                self.by_title.setdefault(key, []).append(r)
        docs = self.c.index.documents()
        self.titles = {d.doc_id: d.title for d in docs}
        self.kinds = {d.doc_id: d.kind for d in docs}
        self.versions = {d.doc_id: d.version for d in docs if d.version}
        self._version_patterns = []
        for doc_id, version in self.versions.items():
            kind = self.kinds.get(doc_id, "").replace("_", " ")
            title = "|".join(re.escape(w) for w in re.findall(r"[\w’'-]+", self.title(doc_id)))
            self._version_patterns.append((re.compile(
                rf"(?<![\w-]){re.escape(version)}(?=(?:'s|’s)?\s+(?:(?:{title})\s+){{0,6}}"
                rf"(?:versions?|editions?|{re.escape(kind)}s?)\b)", re.I), version))
        dated = []
        for d in docs:
            meta = self.c.index.conn.execute("SELECT meta FROM chunks WHERE doc_id=? LIMIT 1", (d.doc_id,)).fetchone()
            date = re.search(r'"date": "([^"]*)"', meta[0]).group(1) if meta and '"date"' in meta[0] else ""
            dated.append((date or d.ingested_at[:10], d.version))
        for i, (_, version) in enumerate(sorted(dated, reverse=True)):
            self.version_rank.setdefault(version, i)
        self.entities = EntityIndex(self.c.glossary, [r.fields for r in self.by_type.get("dataset", [])])
        self.n_chunks = max(1, self.c.index.count_chunks())
        texts = [r[0] for r in self.c.index.conn.execute("SELECT text FROM chunks LIMIT ?", (SAMPLE_CHUNKS,))]
        self.speller = Speller(texts + [n for e in self.entities.entities for n in e.names], self.c.embedder.vocabulary())
        self._sig = sig
        return True

    def of(self, type_: str, versions: list[str] | None = None) -> list[StoredRecord]:
        recs = self.by_type.get(type_, [])
        if versions and type_ in ("commitment", "milestone_gap", "responsibility"):
            recs = [r for r in recs if r.fields.get("version") in versions]
        return recs

    def record_at(self, doc_id: str, locator: str) -> StoredRecord | None:
        return self.by_place.get((doc_id, locator))

    def for_entity(self, e: Entity) -> list[StoredRecord]:
        return [r for n in (e.name, *e.names) for r in self.by_title.get(n.lower(), [])][:2]

    def title(self, doc_id: str) -> str:
        return self.titles.get(doc_id, "")

    @staticmethod
    def mentions(text: str, e: Entity) -> bool:
        return any(re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", text, 0 if n.isupper() or len(n) <= 5 else re.I)
                   for n in e.names)

    def names(self, r: StoredRecord, subjects: list[Entity]) -> bool:
        title = (r.fields.get("title") or r.fields.get("term") or "").lower()
        return any(n.lower() == title or n == r.fields.get("acronym") for e in subjects for n in e.names)

    @staticmethod
    def due_in(r: StoredRecord, span: DateSpan) -> bool:
        if not r.fields.get("due"):
            return False
        if span.year_only is not None:
            return r.fields.get("year") == span.year_only
        due = dt.date.fromisoformat(r.fields["due"])
        return due <= span.end and (span.start is None or due >= span.start)

    def version_spans(self, question: str) -> list[tuple[int, int, str]]:
        """Where the question names a version of a kind of document as such ("in the 2024 route map", "the December
        2025 Data and information route map", "the 2024 version"): each version label followed by its kind's name or
        "version", with at most the words of that document's title between, as (start, end, version). A date alone
        ("due in 2024", "by December 2025 for the route map") names when, not which plan."""
        found: list[tuple[int, int, str]] = []
        for pattern, version in self._version_patterns:
            found += [(m.start(), m.end(), version) for m in pattern.finditer(question)
                      if (m.start(), m.end(), version) not in found]
        return found

    def versions_named(self, question: str) -> list[str]:
        return list(dict.fromkeys(v for _, _, v in self.version_spans(question)))

    def newest_first(self, r: StoredRecord) -> int:
        return self.version_rank.get(r.fields.get("version", ""), 99)

    def idf(self, term: str) -> float:
        """Inverse document frequency from the lexical index's vocabulary, cached until the store changes."""
        if term not in self._df:
            self._df[term] = float(self.c.index._document_frequency(term))
        return math.log(1 + self.n_chunks / (1 + self._df[term]))


def idf_coverage(book: RecordBook, terms: list[str], text: str,
                 spelled: Mapping[str, tuple[frozenset[str], ...]] | None = None) -> float:
    """Share of the terms' IDF weight found in the text: rare topic words count, common ones barely do. A term
    `spelled` out (an acronym's stem -> the stems of its longer names) counts where one of its names is written."""
    if not terms:
        return 0.0
    have = stems_in(text)
    spelled = spelled or {}
    total = sum(book.idf(t) for t in terms)
    found = sum(book.idf(t) for t in terms if t in have or any(s <= have for s in spelled.get(t, ())))
    return found / total if total else 0.0
