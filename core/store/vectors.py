"""Chroma: an embedded PersistentClient by default, a `chroma run` server when its address is configured.

We always pass our own vectors; Chroma's default embedding function (which downloads a model) is never used.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

from core.settings import Settings

INSTALL_HINT = "pip install chromadb"
MAX_BATCH = 5000


class VectorStore:
    def __init__(self, settings: Settings) -> None:
        try:
            import chromadb
            from chromadb.config import Settings as ChromaSettings
        except ImportError as exc:
            raise RuntimeError(f"chromadb is not installed: {INSTALL_HINT}") from exc
        self._chromadb, self._chroma_settings = chromadb, ChromaSettings(anonymized_telemetry=False)
        self.settings = settings
        self.name = settings.collection_name
        self._path: Path | None = None if settings.chroma_host else settings.store / "chroma"
        self._reload_lock = threading.Lock()
        self._open()

    def _open(self) -> None:
        if self._path is None:
            self.client = self._chromadb.HttpClient(host=self.settings.chroma_host, port=self.settings.chroma_port,
                                                    settings=self._chroma_settings)
        else:
            self._path.mkdir(parents=True, exist_ok=True)
            self.client = self._chromadb.PersistentClient(path=str(self._path), settings=self._chroma_settings)
        self.collection = self.client.get_or_create_collection(
            self.name, embedding_function=None, metadata={"hnsw:space": "cosine", "model": self.settings.model}
        )
        hnsw = (self.collection.configuration_json or {}).get("hnsw") or {}
        if hnsw.get("ef_search") != self.settings.search_ef:  # a query-time setting: changeable on a stored index
            self.collection.modify(configuration={"hnsw": {"ef_search": self.settings.search_ef}})
        self._seen = self._marker()

    def _marker(self) -> tuple | None:
        """What another process's write to the embedded store changes: Chroma's own SQLite file and its log."""
        if self._path is None:
            return None
        out: list[tuple[int, int] | None] = []
        for name in ("chroma.sqlite3", "chroma.sqlite3-wal"):
            try:
                st = os.stat(self._path / name)
                out.append((st.st_mtime_ns, st.st_size))
            except FileNotFoundError:
                out.append(None)
        return tuple(out)

    def refresh(self) -> bool:
        """Reopen the embedded store if another process wrote to it: an open client keeps answering queries from
        the vector index it loaded (new documents unseen) until it is reopened. True if it was."""
        if self._path is None or self._marker() == self._seen:
            return False
        with self._reload_lock:
            if self._marker() == self._seen:
                return False
            from chromadb.api.shared_system_client import SharedSystemClient

            # Chroma shares one loaded system per folder: set ours aside (other handles keep theirs) and load anew.
            SharedSystemClient._identifier_to_system.pop(self.client._identifier, None)  # noqa: SLF001
            self._open()
            return True

    def _wrote(self) -> None:
        self._seen = self._marker()  # our own writes are already in our loaded index

    def existing_vectors(self, ids: list[str]) -> dict[str, list[float]]:
        """Vectors already stored for these ids: identical text need not be embedded again."""
        out: dict[str, list[float]] = {}
        for i in range(0, len(ids), MAX_BATCH):
            got = self.collection.get(ids=ids[i:i + MAX_BATCH], include=["embeddings"])
            for cid, vec in zip(got["ids"], got["embeddings"], strict=True):
                out[cid] = list(vec)
        return out

    def upsert(self, ids: list[str], vectors: list[list[float]], texts: list[str], metas: list[dict[str, Any]]) -> None:
        for i in range(0, len(ids), MAX_BATCH):
            self.collection.upsert(ids=ids[i:i + MAX_BATCH], embeddings=vectors[i:i + MAX_BATCH],
                                   documents=texts[i:i + MAX_BATCH], metadatas=metas[i:i + MAX_BATCH])
        self._wrote()

    def delete(self, ids: list[str]) -> None:
        for i in range(0, len(ids), MAX_BATCH):
            if ids[i:i + MAX_BATCH]:
                self.collection.delete(ids=ids[i:i + MAX_BATCH])
        self._wrote()

    def query(self, vector: list[float], k: int, where: dict[str, Any] | None = None) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity), best first."""
        self.refresh()
        if self.collection.count() == 0:
            return []
        res = self.collection.query(query_embeddings=[vector], n_results=k, where=where or None,
                                    include=["distances"])
        return [(cid, 1.0 - d) for cid, d in zip(res["ids"][0], res["distances"][0], strict=True)]

    def count(self) -> int:
        return self.collection.count()

    def all_ids(self, page: int = MAX_BATCH) -> set[str]:
        """Every id in the collection, read a page at a time."""
        out: set[str] = set()
        offset = 0
        while True:
            got = self.collection.get(include=[], limit=page, offset=offset)
            out.update(got["ids"])
            if len(got["ids"]) < page:
                return out
            offset += page

    def unreadable(self, ids: list[str]) -> list[str]:
        """Ids whose vectors Chroma lists but cannot read back ("Error finding id" after concurrent writers)."""
        bad: list[str] = []
        for i in range(0, len(ids), 500):
            part = ids[i:i + 500]
            try:
                self.collection.get(ids=part, include=["embeddings"])
            except Exception:  # noqa: BLE001 - Chroma raises its internal errors untyped; narrow to single ids
                for one in part:
                    try:
                        self.collection.get(ids=[one], include=["embeddings"])
                    except Exception:  # noqa: BLE001
                        bad.append(one)
        return bad
