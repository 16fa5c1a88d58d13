"""Ingestion errors: one clear line naming the file, the place, and what is wrong."""

from __future__ import annotations


class IngestError(Exception):
    """A document that cannot be ingested. ``where`` is a page, row or line when known."""

    def __init__(self, source: str, problem: str, where: str = "") -> None:
        self.source, self.problem, self.where = source, problem, where
        super().__init__(self.line())

    def line(self) -> str:
        place = f" ({self.where})" if self.where else ""
        return f"{self.source}{place}: {self.problem}"


class PersonalDataError(IngestError):
    """The document holds personal identifiers; the value itself is never repeated."""
