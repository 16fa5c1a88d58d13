"""Section-bounded, sentence-aware chunks, small enough for the model, with stable ids.

A chunk never crosses a section, never splits a table row, and carries the document title and section path in the
text that is embedded, so "Who needs to work on this" lists stay with the outcome they close.
"""

from __future__ import annotations

import hashlib
import re

from core.model import Block, Chunk, ParsedDocument
from core.text import sentences

_PIECE = re.compile(r"\w+|[^\w\s]")


def estimate_tokens(text: str) -> int:
    """Word pieces, estimated: the MiniLM tokenizer splits rarer words, so words and marks count a bit over one."""
    return int(len(_PIECE.findall(text)) * 1.2) + 1


def _pieces(block: Block, limit: int) -> list[str]:
    """A block as one piece, or split at sentence ends when it is too long (a table row always stays whole)."""
    if estimate_tokens(block.text) <= limit or block.kind == "row" and "\n" not in block.text:
        return [block.text]
    out: list[str] = []
    cur: list[str] = []
    # A record's text is one labelled field per line: split between lines, never inside a field's line.
    units = [x for x in block.text.split("\n") if x] if "\n" in block.text else sentences(block.text)
    if block.kind in ("para", "item"):  # a paragraph's kept line breaks: a long line still splits at sentences
        units = [s for u in units for s in (sentences(u) if estimate_tokens(u) > limit else [u])]
    joiner = "\n" if "\n" in block.text else " "
    for s in units:
        if cur and estimate_tokens(joiner.join([*cur, s])) > limit:
            out.append(joiner.join(cur))
            cur = []
        cur.append(s)
    if cur:
        out.append(joiner.join(cur))
    return out


def _span(parts: list[tuple[str, Block]]) -> str:
    """Where a chunk sits: one locator, or a range; for a paged source, printed pages and PDF pages."""
    locs = [b.locator for _, b in parts if b.locator]
    if len(set(locs)) <= 1:
        return locs[0] if locs else ""
    first, last = parts[0][1], parts[-1][1]
    if first.page and last.page:
        a, z = first.page_label or str(first.page), last.page_label or str(last.page)
        printed = f"page {a}" if a == z else f"pages {a} to {z}"
        if (a, z) == (str(first.page), str(last.page)):
            return printed
        return f"{printed} (PDF pages {first.page} to {last.page})"
    return f"{locs[0]} to {locs[-1].split()[-1]}"


def doc_id_for(source_key: str) -> str:
    return hashlib.sha1(source_key.encode("utf-8")).hexdigest()[:16]


def chunk_document(doc: ParsedDocument, doc_id: str, base_meta: dict, limit: int = 180) -> list[Chunk]:
    standalone = doc.kind in ("catalogue", "glossary")  # one record, one chunk: citations point at one entry
    groups: list[tuple[tuple[str, ...], str, list[tuple[str, Block]]]] = []  # (section, header, [(text, block)])
    for b in doc.blocks:
        for piece in _pieces(b, limit):
            header = b.header if b.kind == "row" else ""
            if standalone:
                groups.append((b.section, header, [(piece, b)]))
                continue
            if groups and groups[-1][0] == b.section and groups[-1][1] == header:
                current = " ".join(t for t, _ in groups[-1][2])
                if estimate_tokens(f"{current} {piece}") <= limit:
                    groups[-1][2].append((piece, b))
                    continue
            groups.append((b.section, header, [(piece, b)]))
    chunks: list[Chunk] = []
    seen: dict[str, int] = {}
    for ordinal, (section, header, parts) in enumerate(groups):
        text = "\n".join(t for t, _ in parts)
        locator = _span(parts)
        path = " > ".join(section[1:]) if section and section[0] == doc.title else " > ".join(section)
        heading = f"{doc.title}" + (f" — {path}" if path else "")
        embed = f"{heading}\n{('Columns: ' + header + chr(10)) if header else ''}{text}"
        digest = hashlib.sha1(f"{section}\x00{embed}".encode()).hexdigest()[:12]
        seen[digest] = seen.get(digest, 0) + 1
        cid = f"{doc_id}-{digest}" + (f"-{seen[digest]}" if seen[digest] > 1 else "")
        meta = {**base_meta, "section": path, "locator": locator, "ordinal": ordinal}
        chunks.append(Chunk(cid, text, embed, meta))
    return chunks
