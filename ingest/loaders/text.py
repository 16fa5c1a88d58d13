"""Reading helpers for loaders: decoding and noise lines (sentences and whitespace live in core.text)."""

from __future__ import annotations

import re
from pathlib import Path

# Navigation and link text that web captures carry but that is never content.
NOISE = re.compile(
    r"^(skip to (main )?content|read more(\.\.\.|…)?|back to top|accept( all)? cookies|reject( all)? cookies"
    r"|cookie settings|find out more about .*|also connected to this theme|share this page|print this page)\s*$",
    re.IGNORECASE,
)


def decode(path: Path, data: bytes) -> str:
    """UTF-8 or UTF-16 (with or without BOM); NUL bytes and other encodings are refused (ingest.reading)."""
    from ingest.reading import decode_text

    return decode_text(path, data)


def is_noise(line: str) -> bool:
    return bool(NOISE.match(line.strip()))
