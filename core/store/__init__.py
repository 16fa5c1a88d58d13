"""The store: a SQLite index (documents, chunks, lexical FTS5, records) beside a Chroma vector collection.

SQLite is the authority on what is indexed: a vector whose chunk is not in SQLite is never returned, which is what
makes replacing a document atomic (new vectors first, then one SQLite transaction, then old vectors removed).
"""

from core.store.index import DocumentRow, SqliteIndex
from core.store.vectors import VectorStore

__all__ = ["DocumentRow", "SqliteIndex", "VectorStore"]
