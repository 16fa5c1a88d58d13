"""Loaders: one per format, each turning a file into a ParsedDocument that keeps its structure."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from core.model import ParsedDocument
from ingest.errors import IngestError

Loader = Callable[[Path, bytes], ParsedDocument]


def _registry() -> dict[str, Loader]:
    from ingest.loaders import catalogue, html, markdown, pdf, text_capture

    return {
        ".txt": text_capture.load,
        ".text": text_capture.load,
        ".html": html.load,
        ".htm": html.load,
        ".md": markdown.load,
        ".markdown": markdown.load,
        ".pdf": pdf.load,
        ".csv": catalogue.load,
        ".tsv": catalogue.load,
        ".xlsx": catalogue.load,
        ".json": catalogue.load,
        ".jsonld": catalogue.load,
        ".yaml": catalogue.load,
        ".yml": catalogue.load,
    }


def supported_suffixes() -> set[str]:
    return set(_registry())


def loader_for(path: Path) -> Loader:
    """The loader for a file's format, or an error naming the formats Wayfinder reads."""
    loader = _registry().get(path.suffix.lower())
    if loader is None:
        known = ", ".join(sorted(supported_suffixes()))
        raise IngestError(str(path), f"unknown format '{path.suffix or '(no extension)'}'; Wayfinder reads {known}")
    return loader


def load(path: Path, data: bytes) -> ParsedDocument:
    loader = loader_for(path)
    if not data.strip():
        raise IngestError(str(path), "the file is empty")
    return loader(path, data)
