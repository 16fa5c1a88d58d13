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


def _table_header(table: Tag, n: int) -> tuple[list[str], str, str, list[Tag]]:
    """A table's column names (from <thead> or a first row of <th> cells; several header rows are joined per
    column), its caption, a name for it, and the header rows themselves (which are not data)."""
    caption_tag = table.find("caption")
    caption = " ".join(caption_tag.get_text(" ").split()) if caption_tag else ""
    rows = [r for r in table.find_all("tr") if r.find_parent("table") is table]
    thead = table.find("thead")
    header_rows = [r for r in rows if thead is not None and r.find_parent("thead") is thead]
    if not header_rows and rows:
        first = rows[0]
        cells = first.find_all(["td", "th"], recursive=False)
        if cells and (all(c.name == "th" for c in cells) or len(rows) > 1 and not first.find("td", recursive=False)):
            header_rows = [first]
        elif len(rows) > 1:
            header_rows = [first]  # a first row with no header markup: still the column names, as before
    names: list[str] = []
    for r in header_rows:
        cells: list[str] = []
        for c in r.find_all(["td", "th"], recursive=False):
            span = int(c.get("colspan") or 1) if str(c.get("colspan") or "1").isdigit() else 1
            cells.extend([clean(c.get_text(" "))] * span)
        if not names:
            names = cells
        else:
            names = [f"{a} {b}".strip() if a != b else a for a, b in zip(names, cells, strict=False)]
    return names, caption, caption or f"table {n}", header_rows


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
    tables: dict[int, tuple[list[str], str, str, list[Tag]]] = {}
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
        if el.name != "tr" and el.find_parent(["table"]):
            continue  # text inside a table comes in with its row, once
        if el.name == "p" and el.find_parent(["li", "td", "th", "blockquote"]):
            continue
        if el.name == "li" and el.find("li"):
            continue
        if el.name == "tr":
            table = el.find_parent("table")
            if table is None:
                continue
            if id(table) not in tables:
                tables[id(table)] = _table_header(table, len(tables) + 1)
            names, caption, tid, header_rows = tables[id(table)]
            if el in header_rows:
                continue
            cells = [clean(c.get_text(" ")) for c in el.find_all(["td", "th"], recursive=False)]
            if not any(cells):
                continue
            if names and len(names) == len(cells):
                text = " | ".join(f"{h}: {c}" if h else c for h, c in zip(names, cells, strict=True) if c)
            else:
                text = " | ".join(c for c in cells if c)
            sec = (*section(), caption) if caption else section()
            blocks.append(Block(text, sec, f"element {counter}", "row", " | ".join(names), table=tid))
            continue
        text = clean(el.get_text(" "))
        if not text or is_noise(text):
            continue
        blocks.append(Block(text, section(), f"element {counter}", "item" if el.name == "li" else "para"))
    is_route_map = any(ROUTE_MAP_SECTION in b.section or WHO_NEEDS in b.section for b in blocks)
    return ParsedDocument(source=str(path), title=title, kind="route_map" if is_route_map else "other", blocks=blocks)
