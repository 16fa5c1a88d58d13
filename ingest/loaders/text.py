"""Reading helpers for loaders: decoding and noise lines (sentences and whitespace live in core.text)."""

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


def is_noise(line: str) -> bool:
    return bool(NOISE.match(line.strip()))
