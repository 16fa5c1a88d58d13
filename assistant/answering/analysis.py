"""What a question asks: its intent, the entities it names, the dates it means, and what "it" refers to."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field

from core.dates import MONTHS
from core.glossary import Glossary, Term, alias_pattern
from core.text import GENERIC, content_terms, stem

INTENTS: list[tuple[str, re.Pattern[str]]] = [
    ("how_access", re.compile(r"\b(access|get hold of|get (the|this|that|it)|apply|request|obtain|how (can|do) i "
                              r"(get|use|see)|available to|download)\b", re.I)),
    ("how_often", re.compile(r"\b(how often|frequency|updated|update[sd]?|refreshed|published (each|every)|"
                             r"annual(ly)?|how regularly|next update|when is .* (published|released))\b", re.I)),
    ("due_when", re.compile(r"\b(due|deadline|milestones?|timeline|by (end |the end of )?((january|february|march|"
                            r"april|may|june|july|august|september|october|november|december|spring|summer|autumn|"
                            r"winter) )?20\d\d|in 20\d\d|for 20\d\d|this year|next year|when will|what happens in)\b",
                            re.I)),
    ("who_must_act", re.compile(r"^\s*who (is|are|will be) \w+ing\b|\b(have to do|has to do|must (do|act)|what (must|should|will) .* do\b|"
                                r"(expected|going|supposed|due) to (do|deliver|achieve)|needs? to (work|do|act)|work on|"
                                r"responsib|who (must|should|will|needs?)|what (is|are) .* (doing|committed)|"
                                r"commit(ted|ments?)|role of|what does .* do\b|who is involved|involved in)\b", re.I)),
    ("who_holds", re.compile(r"\b(who (holds|has|keeps|collects|publishes|owns|runs|leads|maintains|produces|"
                             r"manages|is responsible for the data)|held by|holder|custodian|publisher|owner|"
                             r"where (can i find|is|are|does) .*data|which (organisation|body)|who led|who leads)\b",
                             re.I)),
    ("what_is", re.compile(r"^\s*(what|who) (is|are|was|were|does .* stand for)\b|\bwhat .* for\b|\bmeaning of\b|"
                           r"\bstand for\b|\bexplain\b|\bdefine\b|\btell me about\b", re.I)),
]
_PRONOUN = re.compile(r"\b(it|its|it's|they|them|their|he|she)\b|\b(this|that|these|those)\b(?!\s+(?:year|week|month))"
                      r"(\s+(project|dataset|programme|tool|framework|organisation|body|group|one|statistics|data))?"
                      r"(?=\s*[?.!,]|\s*$|\s+(project|dataset|programme|tool|framework|organisation|body|group|one|"
                      r"statistics|data)\b)", re.I)
_NOT_REFERENT = re.compile(r"\b(that|this) (year|week|month)\b|\bwhat is this\b", re.I)


@dataclass
class Entity:
    name: str  # canonical
    kind: str  # organisation | dataset | term | project | framework | law
    names: tuple[str, ...]
    holder: str = ""


@dataclass
class DateSpan:
    start: dt.date | None
    end: dt.date
    text: str
    year_only: int | None = None


@dataclass
class Analysis:
    question: str
    resolved: str
    intent: str
    entities: list[Entity] = field(default_factory=list)
    organisations: list[str] = field(default_factory=list)
    dates: DateSpan | None = None
    focus: list[str] = field(default_factory=list)  # topic words the evidence must contain
    expansions: list[str] = field(default_factory=list)
    followup_of: str = ""
    unresolved: bool = False  # "it" with nothing in the conversation to refer to


class EntityIndex:
    """Glossary terms and catalogue datasets by every name they go by, longest match first."""

    def __init__(self, glossary: Glossary, datasets: list[dict]) -> None:
        self.glossary = glossary
        self.entities: list[Entity] = [Entity(t.name, t.type, t.names) for t in glossary.terms]
        for d in datasets:
            names = tuple(n for n in (d.get("title", ""), d.get("acronym", "")) if n)
            self.entities.append(Entity(d["title"], "dataset", names, d.get("holder", "")))
        pairs = sorted(((n, e) for e in self.entities for n in e.names if len(n) >= 2), key=lambda p: -len(p[0]))
        self._patterns = [
            (re.compile(alias_pattern(n),
                        0 if (n.isupper() or len(n) <= 5 or any(c.isupper() for c in n[1:])) else re.I), e)
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


def classify(question: str) -> str:
    q = question.strip()
    for name, pat in INTENTS:
        if pat.search(q):
            if name == "what_is" and re.search(r"\bwhat (does|do) .* (have to|need to|must)\b", q, re.I):
                return "who_must_act"
            return name
    return "general"


def parse_dates(question: str, today: dt.date) -> DateSpan | None:
    q = question.lower()
    if "this year" in q:
        return DateSpan(dt.date(today.year, 1, 1), dt.date(today.year, 12, 31), "this year", today.year)
    if "next year" in q:
        y = today.year + 1
        return DateSpan(dt.date(y, 1, 1), dt.date(y, 12, 31), "next year", y)
    m = re.search(r"\bby (?:the )?(?:end (?:of )?)?(?:(" + "|".join(MONTHS) + r"|spring|summer|autumn|winter) )?"
                  r"(20\d\d)\b", q)
    if m:
        year = int(m.group(2))
        mon = MONTHS.get(m.group(1) or "", {"spring": 5, "summer": 8, "autumn": 11, "winter": 12}.get(
            m.group(1) or "", 12))
        end = dt.date(year, mon, calendar.monthrange(year, mon)[1])
        return DateSpan(None, end, m.group(0))
    m = re.search(r"\b(?:in|for|during|of) (20\d\d)\b|\b(20\d\d)\b", q)
    if m:
        y = int(m.group(1) or m.group(2))
        return DateSpan(dt.date(y, 1, 1), dt.date(y, 12, 31), str(y), y)
    return None


def _needs_referent(question: str, entities: list[Entity]) -> bool:
    if entities:
        return False
    q = _NOT_REFERENT.sub("", question)
    return bool(_PRONOUN.search(q))


def analyse(question: str, conversation: list[str], entities: EntityIndex, today: dt.date) -> Analysis:
    found = entities.find(question)
    resolved, followup_of, unresolved = question, "", False
    if _needs_referent(question, found):
        for earlier in reversed(conversation):
            prior = entities.find(earlier)
            if prior:
                referent = prior[0]
                name = next((n for n in referent.names if n.lower() in earlier.lower()), referent.name)
                resolved = f"{question.rstrip(' ?')} ({name})?"
                found, followup_of = [referent], earlier
                break
        else:
            if conversation:  # no known entity: the previous question's topic words stand for "it"
                followup_of = conversation[-1]
                resolved = f"{question.rstrip(' ?')} ({followup_of.rstrip(' ?')})?"
            else:
                unresolved = True
    intent = classify(question)
    orgs = [e.name for e in found if e.kind == "organisation"]
    entity_words = {stem(w) for e in found for n in e.names for w in re.findall(r"\w+", n)}
    generic = GENERIC | {stem(g) for g in GENERIC}
    focus = [t for t in content_terms(resolved) if t not in entity_words and t not in generic
             and not re.fullmatch(r"20\d\d|\d+", t) and t not in {stem(m) for m in MONTHS}]
    return Analysis(
        question=question, resolved=resolved, intent=intent, entities=found, organisations=orgs,
        dates=parse_dates(question, today), focus=focus, expansions=entities.glossary.expansions(resolved),
        followup_of=followup_of, unresolved=unresolved,
    )
