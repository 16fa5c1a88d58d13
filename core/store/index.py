"""SQLite: documents, chunks, a persistent FTS5 lexical index (BM25), and structured records."""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.model import Chunk, ParsedDocument, Record
from core.text import porter_stem

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
  doc_id TEXT PRIMARY KEY, path TEXT UNIQUE, source TEXT, title TEXT, kind TEXT, version TEXT, url TEXT,
  publisher TEXT, sha256 TEXT, size INTEGER, ingested_at TEXT, n_chunks INTEGER, n_records INTEGER, collection TEXT
);
CREATE TABLE IF NOT EXISTS chunks (
  rowid INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT UNIQUE, doc_id TEXT, ordinal INTEGER, text TEXT,
  embed_text TEXT, meta TEXT
);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id);
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5(
  body, content='chunks', content_rowid='rowid', tokenize='porter unicode61'
);
CREATE TABLE IF NOT EXISTS records (
  id TEXT PRIMARY KEY, doc_id TEXT, type TEXT, key TEXT, fields TEXT, quote TEXT, section TEXT, locator TEXT
);
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_vocab USING fts5vocab(chunks_fts, 'row');
CREATE INDEX IF NOT EXISTS records_doc ON records(doc_id);
CREATE INDEX IF NOT EXISTS records_type ON records(type);
CREATE TABLE IF NOT EXISTS vector_intents (id TEXT PRIMARY KEY, reason TEXT, doc TEXT);
"""
# vector_intents: chunk ids whose vectors must go from Chroma unless SQLite holds the chunk. A remove records its
# chunk ids in the same transaction that deletes the document, so a writer killed before Chroma is told leaves a
# note that the next writer (or `wayfinder check --repair`) finishes; SQLite stays the authority.


class IndexDamaged(Exception):
    """The SQLite index cannot be read: the message says what to run."""


def damaged_message(path: Path, exc: BaseException) -> str:
    return (f"the index {path} cannot be read ({exc}); run `wayfinder check --repair --store {path.parent}` "
            "to move it aside and empty the vector store, then `wayfinder ingest` your documents again")


@dataclass
class DocumentRow:
    doc_id: str
    path: str
    source: str
    title: str
    kind: str
    version: str
    url: str
    publisher: str
    sha256: str
    size: int
    ingested_at: str
    n_chunks: int
    n_records: int
    collection: str


@dataclass
class StoredChunk:
    id: str
    doc_id: str
    text: str
    embed_text: str
    meta: dict[str, Any]


@dataclass
class StoredRecord:
    id: str
    doc_id: str
    type: str
    fields: dict[str, Any]
    quote: str
    section: str
    locator: str


_FTS_TOKEN = re.compile(r"[A-Za-z0-9]+")


def fts_query(text: str, stop: frozenset[str] = frozenset()) -> str:
    """A safe FTS5 OR-query of the words of free text (quotes and operators in user text are never syntax)."""
    words = [w for w in _FTS_TOKEN.findall(text) if w.lower() not in stop and len(w) > 1]
    return " OR ".join(f'"{w}"' for w in dict.fromkeys(words))


class SqliteIndex:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._local = threading.local()
        try:
            with self.conn:
                self.conn.executescript(SCHEMA)
            self.conn.execute("SELECT count(*) FROM documents").fetchone()
        except sqlite3.DatabaseError as exc:
            self.close()
            raise IndexDamaged(damaged_message(path, exc)) from None

    def close(self) -> None:
        c = getattr(self._local, "conn", None)
        if c is not None:
            c.close()
            self._local.conn = None

    @property
    def conn(self) -> sqlite3.Connection:
        """One connection per thread: the chat app answers from worker threads."""
        c = getattr(self._local, "conn", None)
        if c is None:
            c = sqlite3.connect(self.path, timeout=30)
            c.execute("PRAGMA journal_mode=WAL")
            c.execute("PRAGMA synchronous=NORMAL")
            self._local.conn = c
        return c

    # ---- documents
    def document(self, *, doc_id: str | None = None, path: str | None = None) -> DocumentRow | None:
        col, val = ("doc_id", doc_id) if doc_id else ("path", path)
        row = self.conn.execute(f"SELECT * FROM documents WHERE {col}=?", (val,)).fetchone()
        return DocumentRow(*row) if row else None

    def documents(self) -> list[DocumentRow]:
        return [DocumentRow(*r) for r in self.conn.execute("SELECT * FROM documents ORDER BY kind, title, version")]

    def chunk_ids(self, doc_id: str) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT id FROM chunks WHERE doc_id=?", (doc_id,))]

    def replace_document(
        self, row: DocumentRow, chunks: list[Chunk], records: list[Record], retire: Iterable[str] = ()
    ) -> None:
        """One transaction: the old version stays whole if anything here fails. ``retire``: chunk ids of the old
        version whose vectors are to go, recorded as intents in the same transaction."""
        c = self.conn
        with c:
            self._delete(c, row.doc_id)
            c.executemany("INSERT OR REPLACE INTO vector_intents VALUES (?, 'replaced', ?)",
                          [(i, row.path) for i in retire])
            c.execute("INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", tuple(row.__dict__.values()))
            for i, ch in enumerate(chunks):
                cur = c.execute(
                    "INSERT INTO chunks(id, doc_id, ordinal, text, embed_text, meta) VALUES (?,?,?,?,?,?)",
                    (ch.id, row.doc_id, i, ch.text, ch.embed_text, json.dumps(ch.metadata)),
                )
                c.execute("INSERT INTO chunks_fts(rowid, body) VALUES (?,?)", (cur.lastrowid, ch.embed_text))
            for r in records:
                c.execute(
                    "INSERT INTO records VALUES (?,?,?,?,?,?,?,?)",
                    (f"{row.doc_id}:{r.key}", row.doc_id, r.type, r.key, json.dumps(r.fields), r.quote,
                     " > ".join(r.section[1:]), r.locator),
                )

    @staticmethod
    def _delete(c: sqlite3.Connection, doc_id: str) -> None:
        old = c.execute("SELECT rowid, embed_text FROM chunks WHERE doc_id=?", (doc_id,)).fetchall()
        for rowid, body in old:
            c.execute("INSERT INTO chunks_fts(chunks_fts, rowid, body) VALUES ('delete', ?, ?)", (rowid, body))
        c.execute("DELETE FROM chunks WHERE doc_id=?", (doc_id,))
        c.execute("DELETE FROM records WHERE doc_id=?", (doc_id,))
        c.execute("DELETE FROM documents WHERE doc_id=?", (doc_id,))

    def delete_document(self, doc_id: str) -> list[str]:
        """Delete a document and record its chunk ids as vectors to remove, in one transaction."""
        with self.conn as c:
            path = c.execute("SELECT path FROM documents WHERE doc_id=?", (doc_id,)).fetchone()
            ids = [r[0] for r in c.execute("SELECT id FROM chunks WHERE doc_id=?", (doc_id,))]
            c.executemany("INSERT OR REPLACE INTO vector_intents VALUES (?, 'removed', ?)",
                          [(i, path[0] if path else doc_id) for i in ids])
            self._delete(c, doc_id)
        return ids

    # ---- intents and consistency
    def add_intents(self, ids: Iterable[str], reason: str, doc: str) -> None:
        with self.conn as c:
            c.executemany("INSERT OR REPLACE INTO vector_intents VALUES (?,?,?)", [(i, reason, doc) for i in ids])

    def intents(self) -> list[tuple[str, str, str]]:
        """(chunk id, reason, document) of vector deletions not yet confirmed done."""
        return list(self.conn.execute("SELECT id, reason, doc FROM vector_intents"))

    def clear_intents(self, ids: Iterable[str]) -> None:
        ids = list(ids)
        with self.conn as c:
            for i in range(0, len(ids), 500):
                part = ids[i:i + 500]
                c.execute(f"DELETE FROM vector_intents WHERE id IN ({','.join('?' * len(part))})", part)

    def all_chunk_ids(self) -> set[str]:
        return {r[0] for r in self.conn.execute("SELECT id FROM chunks")}

    def fts_health(self) -> tuple[int, int]:
        """(stale, missing): lexical postings for rows no longer in ``chunks``, and chunks with no postings."""
        stale = self.conn.execute(
            "SELECT count(*) FROM chunks_fts_docsize WHERE id NOT IN (SELECT rowid FROM chunks)").fetchone()[0]
        missing = self.conn.execute(
            "SELECT count(*) FROM chunks WHERE rowid NOT IN (SELECT id FROM chunks_fts_docsize)").fetchone()[0]
        return stale, missing

    def fts_integrity(self) -> str | None:
        """FTS5's own check of its index against the chunks table; None when sound."""
        try:
            with self.conn as c:
                c.execute("INSERT INTO chunks_fts(chunks_fts) VALUES ('integrity-check')")
        except sqlite3.DatabaseError as exc:
            return str(exc)
        return None

    def rebuild_fts(self) -> None:
        """Postings made again from the chunks table (FTS5's own 'rebuild' cannot: its column is embed_text here)."""
        with self.conn as c:
            c.execute("INSERT INTO chunks_fts(chunks_fts) VALUES ('delete-all')")
            c.execute("INSERT INTO chunks_fts(rowid, body) SELECT rowid, embed_text FROM chunks")

    def quick_check(self) -> str:
        return "; ".join(r[0] for r in self.conn.execute("PRAGMA quick_check"))

    def chunk_counts(self) -> list[tuple[str, str, int, int]]:
        """(doc_id, path, n_chunks recorded, chunks present) where the two differ."""
        return list(self.conn.execute(
            "SELECT d.doc_id, d.path, d.n_chunks, count(c.id) FROM documents d LEFT JOIN chunks c "
            "ON c.doc_id = d.doc_id GROUP BY d.doc_id HAVING d.n_chunks != count(c.id)"))

    # ---- reading
    def chunks(self, ids: Iterable[str]) -> dict[str, StoredChunk]:
        ids = list(ids)
        out: dict[str, StoredChunk] = {}
        for i in range(0, len(ids), 500):
            part = ids[i:i + 500]
            q = f"SELECT id, doc_id, text, embed_text, meta FROM chunks WHERE id IN ({','.join('?' * len(part))})"
            for r in self.conn.execute(q, part):
                out[r[0]] = StoredChunk(r[0], r[1], r[2], r[3], json.loads(r[4]))
        return out

    def neighbours(self, chunk_id: str, span: int = 1) -> list[StoredChunk]:
        """The chunk with its neighbours in the same document: the context a quote is shown in."""
        row = self.conn.execute("SELECT doc_id, ordinal FROM chunks WHERE id=?", (chunk_id,)).fetchone()
        if not row:
            return []
        rows = self.conn.execute(
            "SELECT id, doc_id, text, embed_text, meta FROM chunks WHERE doc_id=? AND ordinal BETWEEN ? AND ? "
            "ORDER BY ordinal", (row[0], row[1] - span, row[1] + span)).fetchall()
        return [StoredChunk(r[0], r[1], r[2], r[3], json.loads(r[4])) for r in rows]

    def _document_frequency(self, word: str) -> int:
        """Chunks holding a word, read from the FTS5 vocabulary: its terms are Porter stems, so the word's own
        Porter stem or the longest stored prefix of the word stands for it ("age" is stored as "ag", "pay" as
        "pai", and a word of two letters, "CP", as itself)."""
        w = word.lower()
        pieces = [x for x in re.split(r"[-'’]", w) if x]
        if len(pieces) > 1:  # the tokenizer stores "record-level" as two words: a chunk holding it holds both
            return min(self._document_frequency(x) for x in pieces)
        cands = list({w[:n] for n in range(max(3, len(w) - 4), len(w) + 1)} | {w, porter_stem(w)})
        row = self.conn.execute(
            f"SELECT term, doc FROM chunks_vocab WHERE term IN ({','.join('?' * len(cands))}) "
            "ORDER BY length(term) DESC LIMIT 1", cands).fetchone()
        return row[1] if row else 0

    def common_words(self, words: list[str], min_docs: int = 2000, share: float = 0.05) -> set[str]:
        """Words so common in a large store that BM25 gives them almost no weight, while FTS5 would still walk
        every chunk holding them. Small stores never drop anything; the two rarest words are always kept."""
        # max(rowid) is O(1) where count(*) scans; as an upper bound it only makes the cutoff more conservative.
        n = self.conn.execute("SELECT coalesce(max(rowid), 0) FROM chunks").fetchone()[0]
        limit = max(min_docs, share * n)
        if n < min_docs:
            return set()
        df = {w: self._document_frequency(w) for w in dict.fromkeys(words)}
        keep = set(sorted(df, key=df.get)[:2])
        return {w for w, d in df.items() if d > limit and w not in keep}

    def lexical(self, query: str, k: int = 20, stop: frozenset[str] = frozenset(),
                kinds: Iterable[str] | None = None) -> list[tuple[str, float]]:
        """BM25 over the persistent FTS5 index: (chunk id, score), best first (higher is better)."""
        words = [w for w in _FTS_TOKEN.findall(query) if w.lower() not in stop and len(w) > 1]
        stop = stop | frozenset(w.lower() for w in self.common_words(words))
        q = fts_query(query, stop)
        if not q:
            return []
        sql = ("SELECT c.id, bm25(chunks_fts) AS s FROM chunks_fts JOIN chunks c ON c.rowid = chunks_fts.rowid "
               "WHERE chunks_fts MATCH ?")
        args: list[Any] = [q]
        if kinds:
            kinds = list(kinds)
            sql += f" AND c.doc_id IN (SELECT doc_id FROM documents WHERE kind IN ({','.join('?' * len(kinds))}))"
            args.extend(kinds)
        rows = self.conn.execute(sql + " ORDER BY s LIMIT ?", (*args, k)).fetchall()
        return [(cid, -score) for cid, score in rows]

    def chunk_containing(self, doc_id: str, quote: str) -> str | None:
        row = self.conn.execute("SELECT id FROM chunks WHERE doc_id=? AND instr(text, ?) > 0 ORDER BY ordinal LIMIT 1",
                                (doc_id, quote[:200])).fetchone()
        return row[0] if row else None

    def records(self, type_: str | None = None, doc_ids: Iterable[str] | None = None) -> list[StoredRecord]:
        sql, args = "SELECT id, doc_id, type, fields, quote, section, locator FROM records", []
        conds = []
        if type_:
            conds.append("type=?")
            args.append(type_)
        if doc_ids is not None:
            ids = list(doc_ids)
            conds.append(f"doc_id IN ({','.join('?' * len(ids))})")
            args.extend(ids)
        if conds:
            sql += " WHERE " + " AND ".join(conds)
        return [StoredRecord(r[0], r[1], r[2], json.loads(r[3]), r[4], r[5], r[6]) for r in self.conn.execute(sql, args)]

    def count_chunks(self) -> int:
        return self.conn.execute("SELECT count(*) FROM chunks").fetchone()[0]


def document_row(doc: ParsedDocument, doc_id: str, path: str, sha: str, size: int, n_chunks: int,
                 collection: str) -> DocumentRow:
    return DocumentRow(
        doc_id=doc_id, path=path, source=Path(doc.source).name if not doc.source.startswith("http") else doc.source,
        title=doc.title, kind=doc.kind, version=doc.version, url=doc.url, publisher=doc.publisher, sha256=sha,
        size=size, ingested_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), n_chunks=n_chunks,
        n_records=len(doc.records), collection=collection,
    )
