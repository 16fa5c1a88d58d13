"""Ingestion errors: one clear line naming the file, the place, and what is wrong."""

from __future__ import annotations

import re

# C0/C1 controls, DEL, line and paragraph separators, and bidirectional overrides: each could clear a terminal,
# forge a line of output or reorder what is shown.
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: object) -> str:
    """Text safe to write to a terminal on one line: control characters shown escaped (``\\n``, ``\\x1b``)."""
    def esc(m: re.Match[str]) -> str:
        ch = m.group()
        return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(ch) or (
            f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")
    return _UNSAFE.sub(esc, str(text))


class IngestError(Exception):
    """A document that cannot be ingested. ``where`` is a page, row or line when known."""

    def __init__(self, source: str, problem: str, where: str = "") -> None:
        self.source, self.problem, self.where = source, problem, where
        super().__init__(self.line())

    def line(self) -> str:
        place = f" ({self.where})" if self.where else ""
        return printable(f"{self.source}{place}: {self.problem}")


class PersonalDataError(IngestError):
    """The document holds personal identifiers; the value itself is never repeated."""
