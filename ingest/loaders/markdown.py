"""Markdown: headings become the section path, list items and table rows stay whole."""

from __future__ import annotations

import re
from pathlib import Path

from core.model import Block, ParsedDocument
from core.text import clean
from ingest.loaders.text import decode, is_noise

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_RULE = re.compile(r"^\s*\|?\s*:?-{3,}")
_FRONT = re.compile(r"^---\n(.*?)\n---\n", re.DOTALL)


def _inline(text: str) -> str:
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"\[([^\]]+)\]\(([^)]+)\)", r"\1 (\2)", text)
    return clean(re.sub(r"(\*\*|__|`)", "", text))


def load(path: Path, data: bytes) -> ParsedDocument:
    text = decode(path, data)
    meta: dict[str, str] = {}
    front = _FRONT.match(text)
    if front:
        for line in front.group(1).splitlines():
            if ":" in line:
                k, v = line.split(":", 1)
                meta[k.strip().lower()] = v.strip().strip("\"'")
        text = text[front.end():]
    lines = text.splitlines()
    title = meta.get("title", "")
    headings: dict[int, str] = {}
    blocks: list[Block] = []
    para: list[str] = []
    para_start = 0
    table_header = ""

    def section() -> tuple[str, ...]:
        return (title or path.stem, *[headings[k] for k in sorted(headings)])

    def flush() -> None:
        nonlocal para
        if para:
            joined = _inline(" ".join(para))
            if joined and not is_noise(joined):
                blocks.append(Block(joined, section(), f"line {para_start}", "para"))
        para = []

    for i, line in enumerate(lines, start=1):
        h = _HEADING.match(line)
        if h:
            flush()
            level, name = len(h.group(1)), _inline(h.group(2))
            if level == 1 and not title:
                title = name
                continue
            headings = {k: v for k, v in headings.items() if k < level}
            headings[level] = name
            continue
        if line.strip().startswith("|"):
            flush()
            cells = [_inline(c) for c in line.strip().strip("|").split("|")]
            if _RULE.match(line):
                continue
            nxt = lines[i] if i < len(lines) else ""
            if _RULE.match(nxt):
                table_header = " | ".join(cells)
                continue
            names = table_header.split(" | ") if table_header else []
            text = (" | ".join(f"{h}: {c}" if h else c for h, c in zip(names, cells, strict=True) if c)
                    if len(names) == len(cells) else " | ".join(cells))
            blocks.append(Block(text, section(), f"line {i}", "row", table_header))
            continue
        table_header = "" if not line.strip() else table_header
        if _ITEM.match(line):
            flush()
            blocks.append(Block(_inline(_ITEM.sub("", line)), section(), f"line {i}", "item"))
        elif not line.strip():
            flush()
        else:
            if not para:
                para_start = i
            para.append(line.strip())
    flush()
    if not blocks and title:  # a note that is only a heading is still a document
        blocks.append(Block(title, (title,), "line 1", "para"))
    kind = meta.get("kind", "other")
    return ParsedDocument(
        source=str(path), title=title or path.stem, kind=kind if kind else "other",  # type: ignore[arg-type]
        version=meta.get("version", ""), url=meta.get("url", ""), publisher=meta.get("publisher", ""), blocks=blocks,
    )
