"""Entity linking: the glossary terms and catalogue datasets a text names, by every name they go by."""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.glossary import Glossary, Term, alias_pattern


@dataclass
class Entity:
    name: str  # canonical
    kind: str  # organisation | dataset | term | project | framework | law
    names: tuple[str, ...]
    holder: str = ""


class EntityIndex:
    """Glossary terms and catalogue datasets by every name they go by, longest match first. Acronyms of four letters or
    more match in any case ("girfec", "clas" as people type them); shorter acronyms and short or mixed-case names
    only as written ("IS", "LA", "CHaMP"), since in lower case they are often ordinary words."""

    def __init__(self, glossary: Glossary, datasets: list[dict]) -> None:
        self.glossary = glossary
        self.entities: list[Entity] = [Entity(t.name, t.type, t.names) for t in glossary.terms]
        for d in datasets:
            names = tuple(n for n in (d.get("title", ""), d.get("acronym", "")) if n)
            self.entities.append(Entity(d["title"], "dataset", names, d.get("holder", "")))
        pairs = sorted(((n, e) for e in self.entities for n in e.names if len(n) >= 2), key=lambda p: -len(p[0]))
        self._patterns = [
            (re.compile(alias_pattern(n),
                        re.I if (n.isupper() and len(n) >= 4) or not (n.isupper() or len(n) <= 5 or any(c.isupper() for c in n[1:])) else 0), e)
            for n, e in pairs
        ]

    def find(self, text: str) -> list[Entity]:
        taken: list[tuple[int, int]] = []
        found: list[tuple[int, Entity]] = []
        for pat, e in self._patterns:
            for m in pat.finditer(text):
                if any(m.start() < b and a < m.end() for a, b in taken):
                    continue
                taken.append((m.start(), m.end()))
                if all(e is not f for _, f in found):
                    found.append((m.start(), e))
        return [e for _, e in sorted(found, key=lambda p: p[0])]

    def term(self, name: str) -> Term | None:
        return self.glossary.lookup(name)
