"""The answer object: the CLI's JSON and what the chat app renders."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Citation:
    n: int
    source: str  # the indexed file's name or the document's address
    title: str
    section: str
    locator: str
    quote: str  # exact text from the document
    url: str = ""
    version: str = ""
    kind: str = ""
    chunk_id: str = ""


@dataclass
class Answer:
    question: str
    answer: str
    abstained: bool
    citations: list[Citation] = field(default_factory=list)
    id: Any = None
    latency_ms: float = 0.0
    status: str = "answered"  # answered | partial | no_information | out_of_scope | needs_clarification | declined
    resolved_question: str = ""
    related: list[Citation] = field(default_factory=list)  # nearest passages offered when abstaining
    confidence: float = 0.0  # the reader's probability for the weakest answered part
    items: list[str] = field(default_factory=list)  # record ids of a listed answer, so "the first of those" resolves
    subjects: list[str] = field(default_factory=list)
    read_as: str = ""  # the question as it was read, when that is not as typed ("and SCRA?" -> "Who holds SCRA?")

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        order = ["id", "question", "status", "answer", "abstained", "citations", "latency_ms"]
        return {k: d[k] for k in order} | {k: v for k, v in d.items() if k not in order}
