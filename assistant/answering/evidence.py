"""Evidence and claims: every sentence of an answer is tied to an exact quote from a stored document."""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.answering.answer import Citation
from core.store.index import DocumentRow, SqliteIndex


@dataclass
class Claim:
    text: str  # the answer sentence, without its marker
    cites: list[Citation] = field(default_factory=list)


def version_label(doc: DocumentRow | None) -> str:
    if doc is None or doc.kind != "route_map" or not doc.version:
        return ""
    return f"the {doc.version} route map"


class CitationMaker:
    """Builds citations from stored documents, so a quote always carries its title, section, locator and address."""

    def __init__(self, index: SqliteIndex) -> None:
        self.index = index
        self._docs: dict[str, DocumentRow | None] = {}

    def doc(self, doc_id: str) -> DocumentRow | None:
        if doc_id not in self._docs:
            self._docs[doc_id] = self.index.document(doc_id=doc_id)
        return self._docs[doc_id]

    def make(self, doc_id: str, quote: str, section: str, locator: str, chunk_id: str | None = None) -> Citation:
        d = self.doc(doc_id)
        return Citation(
            n=0, source=(d.url if d and d.url and d.source.startswith("http") else d.source) if d else "",
            title=d.title if d else "", section=section, locator=locator, quote=quote, url=d.url if d else "",
            version=d.version if d else "", kind=d.kind if d else "",
            chunk_id=chunk_id or self.index.chunk_containing(doc_id, quote) or "",
        )


def numbered(claims: list[Claim]) -> tuple[list[str], list[Citation]]:
    """Each claim with its [n] markers, and the citations they number."""
    out: list[Citation] = []
    parts: list[str] = []
    for claim in claims:
        marks = []
        for c in claim.cites:
            same = next((x for x in out if x.quote == c.quote and x.chunk_id == c.chunk_id), None)
            if same is None:
                c.n = len(out) + 1
                out.append(c)
                same = c
            marks.append(f"[{same.n}]")
        text = claim.text.rstrip()
        end = "" if text.endswith((".", "?", "!", ":", ".”", "?”", "!”")) else "."
        parts.append(f"{text}{end} {''.join(dict.fromkeys(marks))}".strip())
    return parts, out
