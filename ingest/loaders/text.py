"""Shared text helpers for loaders: decoding, whitespace, noise lines and sentence splitting."""

from __future__ import annotations

import re
from pathlib import Path

from ingest.errors import IngestError

# Navigation and link text that web captures carry but that is never content.
NOISE = re.compile(
    r"^(skip to (main )?content|read more(\.\.\.|…)?|back to top|accept( all)? cookies|reject( all)? cookies"
    r"|cookie settings|find out more about .*|also connected to this theme|share this page|print this page)\s*$",
    re.IGNORECASE,
)


def decode(path: Path, data: bytes) -> str:
    """UTF-8 (with or without BOM) or UTF-16 with BOM; anything else is refused rather than garbled."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise IngestError(
            str(path),
            f"not valid UTF-8 text (byte 0x{data[exc.start]:02x}); save it as UTF-8 and ingest it again",
            f"line {line}",
        ) from None


def clean(text: str) -> str:
    text = text.replace("\u00a0", " ").replace("\u200b", "").replace("\t", " ")
    return re.sub(r"[ ]{2,}", " ", text).strip()


_ABBREV = r"(?<!\be\.g)(?<!\bi\.e)(?<!\betc)(?<!\bNo)(?<!\bno)(?<!\bDr)(?<!\bMr)(?<!\bMrs)(?<!\bSt)(?<!\bvs)"
_SENT = re.compile(_ABBREV + r"(?<=[.!?])[\"”’)]?\s+(?=[A-Z0-9“\"(‘'])")


def sentences(text: str) -> list[str]:
    """Sentence split that keeps "e.g." and decimals intact; good enough for English policy prose."""
    return [s.strip() for s in _SENT.split(text.strip()) if s.strip()]


def is_noise(line: str) -> bool:
    return bool(NOISE.match(line.strip()))
