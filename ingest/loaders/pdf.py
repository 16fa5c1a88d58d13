"""PDF through pypdf: page numbers kept as locators, table rows kept whole with their column names."""

from __future__ import annotations

import io
import re
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PdfReadError

from core.model import Block, ParsedDocument
from core.text import clean
from ingest.errors import IngestError
from ingest.loaders.text import is_noise

_SEGMENT = re.compile(r"\S+(?: {1,2}\S+)*")  # cells are separated by three or more spaces in layout mode


def _segments(line: str) -> list[tuple[int, str]]:
    return [(m.start(), m.group()) for m in _SEGMENT.finditer(line)]


def _column_of(start: int, columns: list[int]) -> int:
    best = 0
    for i, c in enumerate(columns):
        if start >= c - 2:
            best = i
    return best


def _table_rows(lines: list[str], columns: list[int]) -> list[list[str]]:
    """Lines of a table region into rows: blank-line separated groups when the table has them, else lines."""
    has_gaps = any(not x.strip() for x in lines)
    groups: list[list[str]] = [[]]
    for line in lines:
        if not line.strip():
            if groups[-1]:
                groups.append([])
            continue
        groups[-1].append(line)
        if not has_gaps:
            groups.append([])
    rows = []
    for group in (g for g in groups if g):
        cells = [""] * len(columns)
        for line in group:
            for start, seg in _segments(line):
                i = _column_of(start, columns)
                cells[i] = f"{cells[i]} {seg}".strip()
        rows.append(cells)
    return rows


def _page_blocks(text: str, page: int, title: str, section: list[str]) -> list[Block]:
    lines = text.splitlines()
    blocks: list[Block] = []
    para: list[str] = []
    loc = f"page {page}"

    def flush() -> None:
        if para:
            joined = clean(" ".join(para))
            if joined and not is_noise(joined):
                blocks.append(Block(joined, (title, *section), loc, "para"))
            para.clear()

    i = 0
    while i < len(lines):
        line = lines[i]
        segs = _segments(line)
        nxt = next((x for x in lines[i + 1:] if x.strip()), "")
        if len(segs) >= 2 and len(_segments(nxt)) >= 1 and (len(_segments(nxt)) >= 2 or _segments(nxt)[0][0] > 0):
            # A table: this line is its header; it runs while lines keep to the columns.
            flush()
            columns = [s for s, _ in segs]
            header = [clean(t) for _, t in segs]
            j = i + 1
            while j < len(lines):
                s = _segments(lines[j])
                if s and len(s) == 1 and s[0][0] < columns[1] - 2 and s[0][0] + len(s[0][1]) > columns[1]:
                    break  # a full-width line: prose again
                if not s and j + 1 < len(lines) and not lines[j + 1].strip():
                    break
                j += 1
            for cells in _table_rows(lines[i + 1:j], columns):
                if any(cells):
                    row = " | ".join(f"{h}: {c}" for h, c in zip(header, cells, strict=False) if c)
                    blocks.append(Block(row, (title, *section), loc, "row", " | ".join(header)))
            i = j
            continue
        stripped = clean(line)
        if not stripped:
            flush()
        elif (
            (not para)
            and len(stripped) <= 60
            and len(stripped.split()) <= 9
            and not stripped.endswith((".", ",", ";", ":"))
            and stripped[:1].isupper()
            and (nxt.strip() == "" or len(clean(nxt)) > len(stripped))
        ):
            section[:] = [stripped] if stripped != title else []
        else:
            para.append(stripped)
        i += 1
    flush()
    return blocks


def load(path: Path, data: bytes) -> ParsedDocument:
    src = str(path)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise IngestError(src, "the PDF is encrypted and needs a password; ingest an unencrypted copy")
        pages = reader.pages
        n = len(pages)
    except IngestError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise IngestError(src, f"not a readable PDF ({type(exc).__name__}: {exc})") from None
    except Exception as exc:  # pypdf raises assorted errors for damaged files  # noqa: BLE001
        if "crypt" in str(exc).lower() or "password" in str(exc).lower():
            raise IngestError(src, "the PDF is encrypted and needs a password; ingest an unencrypted copy") from None
        raise IngestError(src, f"not a readable PDF ({type(exc).__name__}: {exc})") from None
    meta_title = ""
    try:
        meta_title = clean(str(reader.metadata.title or "")) if reader.metadata else ""
    except Exception:  # noqa: BLE001
        meta_title = ""
    blocks: list[Block] = []
    section: list[str] = []
    title = meta_title
    for number in range(1, n + 1):
        try:
            text = pages[number - 1].extract_text(extraction_mode="layout") or ""
        except Exception as exc:  # noqa: BLE001
            raise IngestError(src, f"text could not be read ({type(exc).__name__}: {exc})", f"page {number}") from None
        if not title:
            title = next((clean(x) for x in text.splitlines() if clean(x)), "")
        blocks.extend(_page_blocks(text, number, title or path.stem, section))
    if not any(b.text for b in blocks):
        raise IngestError(src, "the PDF has no extractable text (a scanned image?); ingest a text PDF")
    return ParsedDocument(source=src, title=title or path.stem, kind="other", blocks=blocks)
