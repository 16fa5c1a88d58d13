"""The parts Wayfinder is built from, made once per process and only when first needed."""

from __future__ import annotations

from functools import cached_property

from core.glossary import Glossary, load_glossary
from core.settings import Settings


class Components:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @cached_property
    def index(self):  # noqa: ANN201 - imported lazily
        from core.store.index import SqliteIndex

        return SqliteIndex(self.settings.index_path)

    @cached_property
    def vectors(self):  # noqa: ANN201
        from core.store.vectors import VectorStore

        return VectorStore(self.settings)

    @cached_property
    def embedder(self):  # noqa: ANN201
        from core.embeddings import Embedder

        return Embedder(self.settings)

    @cached_property
    def glossary(self) -> Glossary:
        return load_glossary()
