"""Chroma: an embedded PersistentClient by default, a `chroma run` server when its address is configured.

We always pass our own vectors; Chroma's default embedding function (which downloads a model) is never used.
"""

from __future__ import annotations

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
        chroma_settings = ChromaSettings(anonymized_telemetry=False)
        if settings.chroma_host:
            self.client = chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port,
                                              settings=chroma_settings)
        else:
            path = settings.store / "chroma"
            path.mkdir(parents=True, exist_ok=True)
            self.client = chromadb.PersistentClient(path=str(path), settings=chroma_settings)
        self.name = settings.collection_name
        self.collection = self.client.get_or_create_collection(
            self.name, embedding_function=None, metadata={"hnsw:space": "cosine", "model": settings.model}
        )

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

    def delete(self, ids: list[str]) -> None:
        for i in range(0, len(ids), MAX_BATCH):
            if ids[i:i + MAX_BATCH]:
                self.collection.delete(ids=ids[i:i + MAX_BATCH])

    def query(self, vector: list[float], k: int, where: dict[str, Any] | None = None) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity), best first."""
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
