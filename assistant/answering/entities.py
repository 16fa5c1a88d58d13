"""Entity linking: the glossary terms and catalogue datasets a text names, by every name they go by."""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.glossary import Glossary, alias_pattern
from core.text import content_terms

_WORDS = re.compile(r"[\w']+")
KEY = 4  # names are looked up by the first letters of their first word: "childrens" and "stats" find them too
LONG = 8  # a word of a name this long may be cut short ("stats" for Statistics, "info" for Information)


def _key(word: str) -> str:
    return word.lower().replace("’", "'").replace("'", "")[:KEY]


def _first_word(name: str) -> str:
    m = _WORDS.search(name.lower().replace("’", "'"))
    return _key(m.group(0)) if m else ""


def loose_pattern(name: str) -> str:
    """A name of several words as people type it: with or without its possessive ("childrens social work stats"
    for Children's Social Work Statistics), a long word cut to its first letters. Every word is still there, in
    order, so a name is not found in a question that only shares some of its words."""
    def word(w: str) -> str:
        base = re.sub(r"['’]s$", "", w)
        if not base.isalpha() or len(base) < 4:
            return re.escape(w).replace("'", "['’]").replace("’", "['’]")
        if len(base) >= LONG:
            return re.escape(base[:KEY]) + r"\w*(?:['’]s)?"
        return re.escape(base) + r"(?:['’]?s)?"

    return r"(?<![\w-])" + r"\s+".join(word(w) for w in name.split()) + r"(?![\w-])"


def name_flags(name: str) -> int:
    """Case-blind for names of several words, of six letters or more, and acronyms of four or more letters."""
    return re.I if len(name) >= 6 or " " in name.strip() or (name.isupper() and len(name) >= 4) else 0


@dataclass
class Entity:
    name: str  # canonical
    kind: str  # organisation | dataset | term | project | framework | law
    names: tuple[str, ...]
    holder: str = ""


SHORT_WORDS = 3  # the fewest opening words of a long title that can stand for it


def short_titles(entities: list[Entity]) -> list[tuple[str, Entity]]:
    """A long catalogue title as people cut it short: its opening words ("Growing Up in Kinship Care" for the
    Growing Up in Kinship Care linked-data study), the fewest that end on a topic word and open no other name."""
    opens: dict[tuple[str, ...], set[int]] = {}
    for e in entities:
        for n in e.names:
            w = tuple(n.lower().split())
            for k in range(1, len(w) + 1):
                opens.setdefault(w[:k], set()).add(id(e))
    out = []
    for e in entities:
        words = e.name.split()
        if e.kind != "dataset" or len(words) <= SHORT_WORDS:
            continue
        for k in range(SHORT_WORDS, len(words)):
            if content_terms(words[k - 1]) and words[k - 1][-1].isalnum() and \
                    opens.get(tuple(x.lower() for x in words[:k])) == {id(e)}:
                out.append((" ".join(words[:k]), e))
                break
    return out


class EntityIndex:
    """Glossary terms and catalogue datasets by every name they go by, longest match first. Names of several words,
    of six letters or more, and acronyms of four letters or more match in any case ("girfec", "clas" as people type
    them); shorter names only as written ("IS", "LA", "CHaMP", "Voice"): in lower case they are often ordinary words."""

    def __init__(self, glossary: Glossary, datasets: list[dict]) -> None:
        self.glossary = glossary
        self.entities: list[Entity] = [Entity(t.name, t.type, t.names) for t in glossary.terms]
        for d in datasets:
            names = tuple(n for n in (d.get("title", ""), d.get("acronym", "")) if n)
            self.entities.append(Entity(d["title"], "dataset", names, d.get("holder", "")))
        named = [(n, e) for e in self.entities for n in e.names if len(n) >= 2]
        pairs = sorted(named + short_titles(self.entities), key=lambda p: -len(p[0]))
        # Names are looked up by their first word, so a question is matched against the few names that could start
        # at one of its words, not against every name in a large catalogue.
        self._by_first: dict[str, list[tuple[int, re.Pattern[str], Entity]]] = {}
        for order, (n, e) in enumerate(pairs):
            several = " " in n.strip()
            flags = name_flags(n)
            first = _first_word(n)
            if first:
                pattern = loose_pattern(n) if several else alias_pattern(n)
                self._by_first.setdefault(first, []).append((order, re.compile(pattern, flags), e))

    def find(self, text: str) -> list[Entity]:
        found: list[Entity] = []
        for _, _, e in self.spans(text):
            if all(e is not f for f in found):
                found.append(e)
        return found

    def spans(self, text: str) -> list[tuple[int, int, Entity]]:
        """Where the text names an entity, in order, longest names first where two overlap."""
        cands = sorted({id(x): x for w in {_key(w) for w in _WORDS.findall(text)}
                        for x in self._by_first.get(w, [])}.values(), key=lambda x: x[0])  # longest names first
        taken: list[tuple[int, int, Entity]] = []
        for _, pat, e in cands:
            for m in pat.finditer(text):
                if not any(m.start() < b and a < m.end() for a, b, _ in taken):
                    taken.append((m.start(), m.end(), e))
        return sorted(taken, key=lambda t: t[0])
