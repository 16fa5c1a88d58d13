"""HTML pages (route maps as published): chrome dropped, headings kept as each block's section path."""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup, Tag

from core.model import Block, ParsedDocument
from core.text import clean
from ingest.loaders.text import decode, is_noise
from ingest.loaders.text_capture import ROUTE_MAP_SECTION, WHO_NEEDS

_CHROME_TAGS = ["script", "style", "noscript", "nav", "header", "footer", "aside", "form", "svg", "iframe", "template"]
_CHROME_HINT = re.compile(r"cookie|consent|banner|skip|breadcrumb|navbar|site-nav|menu|footer|share", re.IGNORECASE)


def _is_chrome(tag: Tag) -> bool:
    if tag.get("role") in ("navigation", "banner", "contentinfo", "search"):
        return True
    hints = " ".join([tag.get("id") or "", *(tag.get("class") or [])])
    return bool(hints and _CHROME_HINT.search(hints))


def load(path: Path, data: bytes) -> ParsedDocument:
    soup = BeautifulSoup(decode(path, data), "html.parser")
    for tag in soup.find_all(_CHROME_TAGS):
        tag.decompose()
    for tag in [t for t in soup.find_all(True) if isinstance(t, Tag) and _is_chrome(t)]:
        if not tag.decomposed:
            tag.decompose()
    root = soup.find("main") or soup.body or soup
    h1 = root.find("h1")
    title = clean(h1.get_text(" ")) if h1 else clean(soup.title.get_text(" ")) if soup.title else path.stem
    title = re.sub(r"^route map:\s*", "", title, flags=re.IGNORECASE)
    blocks: list[Block] = []
    headings: dict[int, str] = {}
    counter = 0

    def section() -> tuple[str, ...]:
        return (title, *[headings[k] for k in sorted(headings)])

    for el in root.find_all(["h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "tr", "dd", "dt", "blockquote"]):
        counter += 1
        if el.name[0] == "h" and len(el.name) == 2:
            level = int(el.name[1])
            text = clean(el.get_text(" ")).rstrip(":")
            if level == 1 or not text:
                continue
            headings = {k: v for k, v in headings.items() if k < level}
            headings[level] = text
            continue
        if el.name == "p" and el.find_parent(["li", "td", "th", "blockquote"]):
            continue
        if el.name == "li" and el.find("li"):
            continue
        if el.name == "tr":
            table = el.find_parent("table")
            header_row = table.find("tr") if table else None
            if el is header_row:
                continue
            cells = [clean(c.get_text(" ")) for c in el.find_all(["td", "th"])]
            header = " | ".join(clean(c.get_text(" ")) for c in header_row.find_all(["th", "td"])) if header_row else ""
            blocks.append(Block(" | ".join(cells), section(), f"element {counter}", "row", header))
            continue
        text = clean(el.get_text(" "))
        if not text or is_noise(text):
            continue
        blocks.append(Block(text, section(), f"element {counter}", "item" if el.name == "li" else "para"))
    is_route_map = any(ROUTE_MAP_SECTION in b.section or WHO_NEEDS in b.section for b in blocks)
    return ParsedDocument(source=str(path), title=title, kind="route_map" if is_route_map else "other", blocks=blocks)
