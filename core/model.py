"""What loaders produce: documents made of blocks that keep their structure, plus structured records."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

DocKind = Literal["route_map", "catalogue", "framework", "glossary", "other"]
BlockKind = Literal["para", "item", "row", "heading"]
RecordType = Literal["dataset", "commitment", "term", "milestone_gap", "responsibility"]


@dataclass
class Block:
    """One unit of text (a paragraph, a list item, a table row) and where it sits."""

    text: str
    section: tuple[str, ...] = ()
    locator: str = ""  # "page 3", "line 12", "row 5": what a citation points at
    kind: BlockKind = "para"
    header: str = ""  # a table's column names, carried with each of its rows
    table: str = ""  # which table a row belongs to ("table 3"), so a viewer can show it whole
    page: int = 0  # PDF page (1-based) when the source is paged
    page_label: str = ""  # the page number printed on that page, when it differs from ``page``


@dataclass
class Record:
    """A structured fact (dataset, commitment, glossary term) that keeps its exact source passage."""

    type: RecordType
    key: str  # stable within the document
    fields: dict[str, Any]
    quote: str
    section: tuple[str, ...] = ()
    locator: str = ""


@dataclass
class ParsedDocument:
    source: str  # the file's path as given, or its address
    title: str
    kind: DocKind = "other"
    version: str = ""
    date: str = ""  # publication date (from the manifest): orders versions of one document
    url: str = ""
    publisher: str = ""
    blocks: list[Block] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)  # what was read but left out (contents page, running header)


@dataclass
class Chunk:
    id: str
    text: str  # what a citation quotes
    embed_text: str  # title and section path prepended, for the model and the lexical index
    metadata: dict[str, Any]
