"""The lists a quoted passage gives, item by item: what "the fourth of those" points at after an answer that quoted
a passage rather than listing records.

Lists are found by their shape, not their words: lines introduced by a colon, or a series within one sentence
("A, B and C", "A; B; C"), each in the brackets it sits in. A series' first item has no mark where it begins, so it
starts after the last colon or list opening before it ("including", "such as") and loses the words it shares with
the question that asked for the list ("Health visitor reviews at 13-15 months, ..." -> "13-15 months").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.text import STOP, content_terms, stem, words

_BULLET = re.compile(r"^\s*(?:[-•*–·▪]|\(?\d{1,2}[.)]|\(?[a-z][.)])\s+")
_OPENING = re.compile(r":\s+|\b(?:including|includes?|such as|namely|are|were)\s+", re.I)
_LAST = re.compile(r"^(?:(?P<before>.*?),?\s+)?(?:and|or|&)\s+(?P<last>.+)$", re.I | re.S)
_SENTENCE_END = re.compile(r"(?<=\.)\s+(?=[A-Z(])")  # not at "?": "Who Cares? Scotland" is one name
_BRACKET = re.compile(r"\(([^()]*)\)")
MAX_ITEM_WORDS = 12  # a longer piece is a clause of prose, and commas between clauses make no list


@dataclass(frozen=True)
class Listing:
    head: str  # the words that introduce the list ("It asks three questions:")
    items: tuple[str, ...]
    opened: bool = False  # by a colon or "including": the writer presents it as a list


def listings(text: str, asked: str = "") -> list[Listing]:
    """Every list in the text, in reading order. `asked` is the question the list answered: its words are trimmed
    from the front of a series' first item."""
    asked_stems = frozenset(content_terms(asked))
    out = _introduced_lines(text)
    for line in text.split("\n"):
        for sentence in _SENTENCE_END.split(line):
            regions = [_BRACKET.sub(" ", sentence), *_BRACKET.findall(sentence)]
            out += [s for r in regions if (s := _series(r, asked_stems)) is not None]
    return out


def _introduced_lines(text: str) -> list[Listing]:
    lines = text.split("\n")
    out = []
    for i, line in enumerate(lines):
        if not line.rstrip().endswith(":"):
            continue
        items = []
        for nxt in lines[i + 1 :]:
            if not nxt.strip():
                break
            items.append(_BULLET.sub("", nxt).strip(" ;,."))
        if len(items) >= 2:
            out.append(Listing(line.strip(), tuple(items), opened=True))
    return out


def _series(region: str, asked: frozenset[str]) -> Listing | None:
    """A series of at least three items: separated by semicolons, or by commas with "and"/"or" before the last."""
    region = " ".join(region.split()).strip(" .;,")
    if region.count(";") >= 2:
        pieces = [p.strip() for p in region.split(";")]
        pieces[-1] = re.sub(r"^(?:and|or|&)\s+", "", pieces[-1], flags=re.I)
    else:
        commas = [p.strip() for p in region.split(",")]
        end = next((i for i, p in enumerate(commas) if _LAST.match(p) and i >= 1), None)
        if end is None:
            return None
        m = _LAST.match(commas[end])
        assert m is not None
        pieces = [*commas[:end], *([m.group("before")] if m.group("before") else []), m.group("last")]
    pieces = [p for p in pieces if p]
    # The series starts at its opening ("..., including improvements to A, B, C and D"), the pieces before it are
    # the sentence that leads up to it.
    start = max((i for i, p in enumerate(pieces[:-2]) if _OPENING.search(p)), default=0)
    pieces = pieces[start:]
    if len(pieces) < 3:
        return None
    head, first = _opening(pieces[0], asked)
    items = (first, *pieces[1:])
    if not first or any(len(p.split()) > MAX_ITEM_WORDS for p in items[:-1]) or \
            len(items[-1].split()) > 2 * MAX_ITEM_WORDS:
        return None
    return Listing(head, items, opened=bool(_OPENING.search(pieces[0])))


def _opening(piece: str, asked: frozenset[str]) -> tuple[str, str]:
    """A series' first piece cut into the words that introduce the list and its first item: after its opening, or
    else after the last of the question's own words and the small words that follow it."""
    cut = 0
    for m in _OPENING.finditer(piece):
        cut = m.end()
    head, first = piece[:cut], piece[cut:]
    if cut:  # the opening marks where the item starts
        return head.strip(), first.strip()
    tokens = first.split()
    # The question's own words and the small words around them introduce the item ("Health visitor reviews at").
    last_asked = max((i for i, t in enumerate(tokens) if stem(_bare(t)) in asked), default=-1)
    keep = last_asked + 1
    while last_asked >= 0 and keep < len(tokens) and _bare(tokens[keep]) in STOP:
        keep += 1
    if keep >= len(tokens):  # the item is all the question's words ("national progress"): it stays whole
        return head.strip(), first.strip()
    return " ".join([head.strip(), *tokens[:keep]]).strip(), " ".join(tokens[keep:])


def _bare(token: str) -> str:
    found = words(token)
    return found[0] if found else ""


def pick(found: list[Listing], index: int | None, asked: set[str]) -> str | None:
    """The item at `index` (None: the middle one) of the list that best answers the question whose topic stems
    are `asked`: among the lists long enough to have it, the one whose introduction shares most of them; on a
    tie, one the writer opened as a list, and then the first."""
    fits = [x for x in found if (len(x.items) % 2 == 1 if index is None else -len(x.items) <= index < len(x.items))]
    if not fits:
        return None
    best = max(fits, key=lambda x: (len(asked & set(content_terms(x.head))), x.opened))
    return best.items[len(best.items) // 2 if index is None else index]
