"""Organisations, acronyms and terms with their aliases: normalises names at ingestion, expands queries at answer time."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from core.settings import BUNDLED_CORPUS

GLOSSARY_FILE = BUNDLED_CORPUS / "glossary" / "glossary.yaml"


@dataclass(frozen=True)
class Term:
    name: str
    definition: str
    type: str = "term"  # organisation | term | project | framework | law
    acronym: str = ""
    aliases: tuple[str, ...] = ()
    url: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(n for n in (self.name, self.acronym, *self.aliases) if n)


@dataclass(frozen=True)
class Mention:
    term: Term
    start: int
    end: int
    text: str


def alias_pattern(alias: str) -> str:
    body = re.escape(alias).replace(r"\ ", r"\s+").replace("'", "['’]").replace("’", "['’]")
    return rf"(?<![\w-]){body}(?![\w-])"


@dataclass
class Glossary:
    terms: list[Term] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._by_key: dict[str, Term] = {}
        for t in self.terms:
            for n in t.names:
                self._by_key.setdefault(n.lower(), t)
        # Longest alias first so "Scottish Government Digital Health and Care" beats "Scottish Government".
        aliases = sorted({(n, t) for t in self.terms for n in t.names}, key=lambda p: -len(p[0]))
        self._patterns = [
            # Acronyms and short names must match case ("IS" is not "is"); longer names match any case.
            (re.compile(alias_pattern(n), 0 if (n.isupper() or len(n) <= 5) else re.IGNORECASE), t)
            for n, t in aliases
        ]
        # A word every match must contain (lower-cased): a substring test skips most of the patterns cheaply, which
        # is what keeps ingesting a 200k-row table from spending more time here than in the model.
        self._needles = [max(re.findall(r"\w+", n.lower()), key=len, default="") for n, _ in aliases]

    @classmethod
    def from_yaml(cls, path: Path) -> Glossary:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        terms = [
            Term(
                name=str(e["term"]).strip(),
                definition=str(e.get("definition", "")).strip(),
                type=str(e.get("type", "term")),
                acronym=str(e.get("acronym") or "").strip(),
                aliases=tuple(str(a).strip() for a in e.get("aliases") or ()),
                url=str(e.get("source") or e.get("url") or ""),
            )
            for e in data.get("terms", [])
        ]
        return cls(terms)

    def lookup(self, name: str) -> Term | None:
        return self._by_key.get(name.strip().lower())

    def mentions(self, text: str, types: set[str] | None = None) -> list[Mention]:
        """Non-overlapping mentions, longest alias first, in text order."""
        taken: list[tuple[int, int]] = []
        found: list[Mention] = []
        lower = text.lower()
        for (pat, term), needle in zip(self._patterns, self._needles, strict=True):
            if types and term.type not in types or needle not in lower:
                continue
            for m in pat.finditer(text):
                if any(m.start() < e and s < m.end() for s, e in taken):
                    continue
                taken.append((m.start(), m.end()))
                found.append(Mention(term, m.start(), m.end(), m.group(0)))
        return sorted(found, key=lambda m: m.start)

    def organisations(self, text: str) -> list[str]:
        """Canonical names of the organisations a text names, in order, without repeats."""
        seen: dict[str, None] = {}
        for m in self.mentions(text, {"organisation"}):
            seen.setdefault(m.term.name, None)
        return list(seen)

    def expansions(self, text: str) -> list[str]:
        """Other names of every term the text mentions (PHS -> Public Health Scotland, and back)."""
        out: list[str] = []
        for m in self.mentions(text):
            out.extend(n for n in m.term.names if n.lower() != m.text.lower() and n not in out)
        return out


@lru_cache(maxsize=4)
def load_glossary(path: Path = GLOSSARY_FILE) -> Glossary:
    return Glossary.from_yaml(path) if path.exists() else Glossary([])
