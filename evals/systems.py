"""The systems compared: Wayfinder and three baselines on the same store, each answering with citations."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from assistant.answering.service import Assistant
from assistant.retrieval.hybrid import HybridSearch, SearchRequest


@dataclass
class Result:
    ranking: list[str]  # chunk ids, best first
    quotes: list[str]  # cited quotes
    abstained: bool
    latency_ms: float
    answer: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


class WayfinderSystem:
    name = "Wayfinder"

    def __init__(self, components: Any) -> None:
        self.c = components
        self.assistant = Assistant(components)
        self.search = HybridSearch(components)

    def run(self, question: str, conversation: list[str]) -> Result:
        t0 = time.perf_counter()
        trace = self.assistant.trace(question, conversation)
        ans = self.assistant.compose(trace)
        ms = (time.perf_counter() - t0) * 1000
        ranking = list(dict.fromkeys([c.chunk_id for c in ans.citations if c.chunk_id]
                                     + [h.chunk.id for h in trace.hits]))
        return Result(ranking[:10], [c.quote for c in ans.citations], ans.abstained, ms, ans.answer,
                      {"status": ans.status})


class SearchBaseline:
    """BM25-only or dense-only: the top passage is the answer and its citation. Never abstains."""

    def __init__(self, components: Any, mode: str) -> None:
        self.name = {"lexical": "BM25 only", "dense": "Dense only"}[mode]
        self.search = HybridSearch(components, mode)

    def run(self, question: str, conversation: list[str]) -> Result:
        t0 = time.perf_counter()
        hits = self.search.run(SearchRequest(question, k=10))
        ms = (time.perf_counter() - t0) * 1000
        return Result([h.chunk.id for h in hits], [hits[0].chunk.text] if hits else [], False, ms,
                      hits[0].chunk.text if hits else "")


class LangChainDefault:
    """LangChain's `vectorstore.as_retriever()` (k=4) over the same Chroma collection; answers with its top passage."""

    name = "LangChain as_retriever(k=4)"

    def __init__(self, components: Any) -> None:
        from langchain_chroma import Chroma

        store = Chroma(client=components.vectors.client, collection_name=components.vectors.name,
                       embedding_function=components.embedder)
        self.retriever = store.as_retriever(search_kwargs={"k": 4})

    def run(self, question: str, conversation: list[str]) -> Result:
        t0 = time.perf_counter()
        docs = self.retriever.invoke(question)
        ms = (time.perf_counter() - t0) * 1000
        ids = [d.id for d in docs if d.id]
        return Result(ids, [docs[0].page_content] if docs else [], False, ms, docs[0].page_content if docs else "")
