"""Hybrid search: the persistent FTS5 lexical index and Chroma's vectors, fused, with glossary expansion."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from assistant.retrieval.fusion import reciprocal_rank_fusion
from core.store.index import StoredChunk
from core.text import STOP


@dataclass
class Hit:
    chunk: StoredChunk
    score: float
    lexical_rank: int | None = None
    dense_rank: int | None = None
    similarity: float = 0.0  # cosine similarity of the chunk to the question
    boosts: list[str] = field(default_factory=list)


@dataclass
class SearchRequest:
    query: str
    k: int = 8
    kinds: list[str] | None = None
    versions: list[str] | None = None
    doc_ids: list[str] | None = None
    expansions: list[str] = field(default_factory=list)
    boost_terms: list[str] = field(default_factory=list)  # entity names: chunks naming them come first
    pool: int = 40


EACH_RANKER_KEEPS = 2  # hits each ranker puts first that stay whatever the fusion says


def _with_each_rankers_best(hits: list[Hit], k: int) -> list[Hit]:
    """The k best fused hits, but never without the first EACH_RANKER_KEEPS of either ranker. Rank fusion sees ranks,
    not margins: a record that only the lexical ranker finds, far ahead of everything else ("admissions to secure
    care" among a thousand hospital-admissions rows that the dense ranker prefers), would otherwise fall out."""
    chosen: set[int] = set()
    for rank_of in (lambda h: h.lexical_rank, lambda h: h.dense_rank):
        ranked = sorted((h for h in hits if rank_of(h) is not None), key=rank_of)
        chosen |= {id(h) for h in ranked[:EACH_RANKER_KEEPS]}
    chosen |= {id(h) for h in [h for h in hits if id(h) not in chosen][: max(0, k - len(chosen))]}
    return [h for h in hits if id(h) in chosen]


class HybridSearch:
    """One `run`: a request in, fused hits out."""

    def __init__(self, components: Any, mode: str = "hybrid") -> None:
        self.c = components
        self.mode = mode  # hybrid | lexical | dense (the last two are the evaluation baselines)

    def run(self, req: SearchRequest, query_vector: list[float] | None = None) -> list[Hit]:
        index = self.c.index
        rankings: list[list[str]] = []
        lex: list[str] = []
        dense: list[tuple[str, float]] = []
        if self.mode in ("hybrid", "lexical"):
            lex_query = " ".join([req.query, *req.expansions])
            lex = [cid for cid, _ in index.lexical(lex_query, req.pool, STOP, req.kinds)]
            rankings.append(lex)
        if self.mode in ("hybrid", "dense"):
            where: dict[str, Any] | None = None
            if req.kinds:
                where = {"kind": {"$in": list(req.kinds)}}
            vec = query_vector if query_vector is not None else self.c.embedder.embed_query(req.query)
            dense = self.c.vectors.query(vec, req.pool, where)
            rankings.append([cid for cid, _ in dense])
        fused = reciprocal_rank_fusion(rankings) if len(rankings) > 1 else [
            (cid, 1.0 / (i + 1)) for i, cid in enumerate(rankings[0])]
        chunks = index.chunks(cid for cid, _ in fused)  # SQLite is the authority: stale vectors drop out here
        sims = dict(dense)
        lex_rank = {cid: i for i, cid in enumerate(lex)}
        dense_rank = {cid: i for i, (cid, _) in enumerate(dense)}
        hits: list[Hit] = []
        for cid, score in fused:
            ch = chunks.get(cid)
            if ch is None:
                continue
            if req.versions and ch.meta.get("kind") == "route_map" and ch.meta.get("version") not in req.versions:
                continue
            if req.doc_ids and ch.doc_id not in req.doc_ids:
                continue
            hit = Hit(ch, score, lex_rank.get(cid), dense_rank.get(cid), sims.get(cid, 0.0))
            low = ch.embed_text.lower()
            for term in req.boost_terms:
                if term.lower() in low:
                    hit.score += 1.0 / 30  # an entity the question names outranks any single fused rank
                    hit.boosts.append(term)
                    break
            hits.append(hit)
        hits.sort(key=lambda h: -h.score)
        return _with_each_rankers_best(hits, req.k)


class WayfinderRetriever(BaseRetriever):
    """LangChain face of the hybrid search, for chains and for comparison with other retrievers."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    components: Any
    k: int = 8
    kinds: list[str] | None = None
    mode: str = "hybrid"

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        glossary = self.components.glossary
        req = SearchRequest(query, self.k, self.kinds, expansions=glossary.expansions(query))
        return [
            Document(page_content=h.chunk.text, id=h.chunk.id, metadata={**h.chunk.meta, "score": h.score})
            for h in HybridSearch(self.components, self.mode).run(req)
        ]
