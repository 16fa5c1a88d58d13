"""Plain-text captures of web pages (such as the Plan 24-30 route-map seeds): recover their structure.

A capture has lost its markup, but its headings still stand alone on a line, its lists are bullets, and a route map
closes each milestone block with a "Who needs to work on this:" list. Year headings are lost: never invent them.
"""

from __future__ import annotations

import re
from pathlib import Path

from core.model import Block, ParsedDocument
from core.text import clean
from ingest.loaders.text import decode, is_noise

ROUTE_MAP_SECTION = "The route map to get there"
WHO_NEEDS = "Who needs to work on this"
LINKS = "Other route maps this links to"

# Headings a Plan 24-30 page uses; any other short, unpunctuated line between blank lines is a heading too.
KNOWN_HEADINGS = [
    r"Where is Scotland (now|in \d{4})\?",
    r"Where does Scotland need to be by \d{4}\?",
    ROUTE_MAP_SECTION,
    r"What is helping\?",
    r"Who must act\?",
    r"Here is what matters to children and families",
    r"What matters to children, families,? and care experienced adults",
    r"Mapping",
]
_KNOWN = re.compile(r"^(" + "|".join(KNOWN_HEADINGS) + r")$", re.IGNORECASE)
_BULLET = re.compile(r"^\s*[•·▪◦\-*]\s+")


def _looks_like_heading(line: str, prev_blank: bool, next_blank: bool) -> bool:
    if _KNOWN.match(line):
        return True
    return (
        prev_blank
        and next_blank
        and len(line) <= 60
        and not line.endswith((".", ",", ";", ":"))
        and line[:1].isupper()
        and len(line.split()) <= 9
    )


def parse_lines(lines: list[str], title: str) -> tuple[list[Block], bool]:
    """Blocks with section paths. Returns (blocks, has_who_needs) so callers know the page's shape."""
    blocks: list[Block] = []
    section: list[str] = [title]
    has_who = any(clean(x).rstrip(":").lower() == WHO_NEEDS.lower() for x in lines)
    milestone_block = 1
    mode = "normal"  # normal | who | links
    for i, raw in enumerate(lines):
        line = clean(raw)
        if not line or is_noise(line):
            continue
        locator = f"line {i + 1}"
        prev_blank = i == 0 or not clean(lines[i - 1])
        next_blank = i + 1 >= len(lines) or not clean(lines[i + 1])
        bare = line.rstrip(":").strip()
        in_route = len(section) > 1 and section[1] == ROUTE_MAP_SECTION

        if bare.lower() == title.lower() or bare.lower() == f"route map: {title}".lower():
            continue  # the page title repeated above each section
        if bare.lower() == WHO_NEEDS.lower():
            mode = "who"
            continue
        if bare.lower() == LINKS.lower():
            mode = "links"
            continue
        if mode == "who":
            path = (*section, f"Milestone block {milestone_block}", WHO_NEEDS) if in_route else (*section, WHO_NEEDS)
            blocks.append(Block(line, tuple(path), locator, "para"))
            mode = "after"
            continue
        if mode in ("links", "after") and len(line) <= 60 and not line.endswith("."):
            path = (*section, f"Milestone block {milestone_block}", LINKS) if in_route else (*section, LINKS)
            blocks.append(Block(line, tuple(path), locator, "item"))
            continue
        if mode in ("who", "links", "after"):
            mode = "normal"
            if in_route:
                milestone_block += 1
        if _looks_like_heading(line, prev_blank, next_blank) and not _BULLET.match(raw):
            if section[1:] and section[-1].lower() == bare.lower():
                continue  # a heading repeated as a stray label
            section = [title, bare]
            mode = "normal"
            continue
        path = tuple(section)
        if in_route and has_who:
            path = (*section, f"Milestone block {milestone_block}")
        if _BULLET.match(raw):
            blocks.append(Block(_BULLET.sub("", raw).strip(), path, locator, "item"))
        else:
            blocks.append(Block(line, path, locator, "para"))
    return blocks, has_who


def load(path: Path, data: bytes) -> ParsedDocument:
    text = decode(path, data)
    lines = text.splitlines()
    first = next((clean(x) for x in lines if clean(x) and not is_noise(clean(x))), path.stem)
    title = re.sub(r"^route map:\s*", "", first, flags=re.IGNORECASE)
    blocks, has_who = parse_lines(lines, title)
    if not blocks:  # a short note: its only line is its title, and it is still the document's text
        blocks = [Block(clean(x), (title,), f"line {i}", "para") for i, x in enumerate(lines, start=1) if clean(x)]
    is_route_map = has_who or any(b.section[1:2] == (ROUTE_MAP_SECTION,) for b in blocks)
    version = ""
    m = re.search(r"last updated in ((?:January|February|March|April|May|June|July|August|September|October|"
                  r"November|December) \d{4})", text)
    if m:
        version = m.group(1)
    else:
        m = re.search(r"Where is Scotland in (\d{4})\?", text)
        version = m.group(1) if m else ""
    return ParsedDocument(
        source=str(path), title=title, kind="route_map" if is_route_map else "other", version=version, blocks=blocks
    )
