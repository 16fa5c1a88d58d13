"""Stage 1, understand: the question's parts, each part's expected answer type, its subject, its dates, and what an
earlier turn lends it when it has no subject of its own."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from assistant.answering.entities import KEY, LONG, Entity, EntityIndex, name_flags
from assistant.answering.kinds import QuestionKinds
from assistant.answering.lists import Listing, pick
from assistant.answering.spelling import Speller
from core.dates import DateSpan, parse_dates
from core.glossary import alias_pattern
from core.text import GENERIC, content_terms, stem

VersionSpans = Callable[[str], list[tuple[int, int, str]]]  # (start, end, version) of each version named

# Closed word classes, not topic words: the words that split a question, refer back, or count items.
_WH_WORDS = r"how|what|whats|what's|who|whos|who's|which|when|where|why"
_ASKS = (r"(?:" + _WH_WORDS + r"|is|are|does|do|did|can|could|should|will|"
         r"in\s+what|in\s+which|by\s+when|until\s+when|under\s+what|at\s+what)\b")
# A part ends at a question mark, a semicolon or a plus, or where a comma or "and" is followed by another question
# (a short preposition may come first: "... and by how much?").
_PART_BREAK = re.compile(r"\?\s+(?=\S)|\s*[;+]\s*|(?:,\s*(?:and\s+|&\s+)?|\s+(?:and|&)\s+(?:also\s+)?)"
                         r"(?=(?:\w{2,4}\s+)?" + _ASKS + ")", re.I)
_ASKING = re.compile(_ASKS, re.I)
_ASKS_ANYWHERE = re.compile(r"\b" + _ASKS, re.I)
_WH = re.compile(r"\b(?:" + _WH_WORDS + r")\b", re.I)
# "care inspectorate stats - how often?", "Plan 24-30: what is due?": a topic set out before the asks.
_SCENE = re.compile(r"\s+[-–—]+\s+|:\s+")
_PREPOSITION = re.compile(r"(?:for|in|of|on|at|by|from|to|with|about|between|within|under|over)\b", re.I)
_NOUN_LIST = re.compile(r"\s*,\s*(?:and\s+|&\s+)?|\s+(?:and|&)\s+", re.I)  # "number of children and publication date"
# (Not "fifth" on: "the most deprived fifth" is a share, not an item.)
_ORDINAL = {w: i for i, w in enumerate(("first", "second", "third", "fourth"))} | {"last": -1, "latter": -1,
                                                                                  "former": 0}
_ORDINAL_WORD = r"(?:" + "|".join(_ORDINAL) + r"|[1-9](?:st|nd|rd|th))"  # "the 5th one" is an item
_ANAPHOR = re.compile(r"\b(it|its|it's|they|them|their|theirs|that|this|those|these|he|she|his|her|"
                      r"the same|the (?:" + "|".join(_ORDINAL) + r")|one)\b", re.I)
# A personal pronoun is bound outside its own clause (binding theory's principle B): in "How can local authorities
# submit it?" the "it" is not the local authorities. Its antecedent, if the question holds one, comes before a clause
# boundary: punctuation, a conjunction or a question word. ("that" is left out: it also opens relative clauses.)
_PERSONAL = re.compile(r"\b(?:it|its|it's|they|them|their|theirs|he|she|his|her|this|these|those)\b", re.I)
_CLAUSE = re.compile(r"[,;:?()–—]|\s-\s|\b(?:and|or|but|" + _WH_WORDS + r")\b", re.I)
_ORDINAL_REF = re.compile(r"\b(?:the\s+)?(" + _ORDINAL_WORD + r")\b(?:\s+(?:one|of\s+"
                          r"(?:those|these|them)|item|milestone|outcome|thing))?", re.I)
# "And what about SCRA?", "same for kinship care?", "and for 2028?": the openings of an elliptical question, which
# names a new subject and leaves the ask to the question before it.
_ELLIPSIS = re.compile(r"^\s*(?:(?:and|&)\s+)?(?:(?:what|how)\s+about|(?:the\s+)?same\s+(?:for|with|about|in|of)|"
                       r"and\s+(?:for|in|with|by|at|of)?)\s*(?P<rest>\S.*?)\s*[?.!]*\s*$", re.I)
_ARTICLE = re.compile(r"(?:the|a|an)\s", re.I)
_WORD = re.compile(r"[\w'’-]+")
_NAME = re.compile(r"(?<![.?!]\s)(?<!^)\b[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)?\s+(?:[A-Z][a-z]*[-'’])?[A-Z][a-z]+\b")


@dataclass
class Part:
    text: str
    answer_type: str
    type_probs: dict[str, float]
    terms: list[str]  # topic words of this part (stems), without the subject's own name words
    vector: np.ndarray | None = None

    @cached_property
    def term_set(self) -> frozenset[str]:
        """The terms as a set, once per part: the reader looks each candidate's words up in it."""
        return frozenset(self.terms)


@dataclass
class Turn:
    """What an earlier question and its answer lend a follow-up."""

    question: str
    subjects: list[Entity] = field(default_factory=list)
    items: list[str] = field(default_factory=list)  # record ids of a list the answer gave, in order
    cited: list[str] = field(default_factory=list)  # record ids the answer cited
    lists: list[Listing] = field(default_factory=list)  # the lists its quotes give ("It asks three questions: ...")
    answered: Entity | None = None  # the organisation its answer named ("Which group did SG set up?" -> the group)


@dataclass
class Understanding:
    question: str
    query: str  # the text retrieval searches with (the question plus what a follow-up borrows)
    parts: list[Part]
    subjects: list[Entity]
    dates: DateSpan | None
    terms: list[str]
    expansions: list[str]
    vector: np.ndarray
    own_subject: bool
    anaphoric: bool
    followup: Turn | None = None
    # A short name's stem -> the stems of its written-out names: "LAC" is found in a passage that says "looked after
    # children", and the passage is credited with the acronym's weight.
    spelled: dict[str, tuple[frozenset[str], ...]] = field(default_factory=dict)
    referent_items: list[str] = field(default_factory=list)  # "the first of those": record ids from the last list
    case_request: float = 0.0
    person_named: bool = False
    # Read as written out: an elliptical question as the earlier question asked of its new subject, or "the third
    # of those" as the item it names.
    borrowed: bool = False

    @cached_property
    def asked_terms(self) -> frozenset[str]:
        """The query's topic stems, once per question: the reader compares every candidate with them."""
        return frozenset(content_terms(self.query))

    @cached_property
    def asked_words(self) -> frozenset[str]:
        return frozenset(w.lower() for w in re.findall(r"\w+", self.query))

    @property
    def needs_referent(self) -> bool:
        return self.anaphoric and not self.own_subject and self.followup is None

    @property
    def organisations(self) -> list[str]:
        return [e.name for e in self.subjects if e.kind == "organisation"]


def _asks(piece: str) -> bool:
    return bool(_ASKING.match(piece) or _WH.search(piece))


def period_of(text: str, today: dt.date, versions: VersionSpans | None = None) -> DateSpan | None:
    """The period a text asks about, not counting a date that names a document's version ("in the December 2025
    route map" says which plan, not when)."""
    for a, b, _ in (versions(text) if versions else []):
        text = text[:a] + " " * (b - a) + text[b:]
    return parse_dates(text, today)


def borrow_ask(question: str, previous: Turn | None, today: dt.date, entities: EntityIndex,
               versions: VersionSpans | None = None) -> str | None:
    """An elliptical follow-up written out in full: the earlier question with its subject (or its date) swapped for
    the new one ("Who holds the CSWS?" then "and what about SCRA?" -> "Who holds SCRA?"). None when the question
    is not elliptical: it asks something of its own, or points back with a pronoun, or there is no earlier turn."""
    m = _ELLIPSIS.match(question)
    if previous is None or m is None:
        return None
    rest, before = m.group("rest"), previous.question.strip()
    if _ASKS_ANYWHERE.search(rest) or _ANAPHOR.search(rest) or not content_terms(rest):
        return None
    new, old = period_of(rest, today, versions), period_of(before, today, versions)
    if swapped := _swap_period(before, rest, new, old):
        return swapped
    # A new subject that brings its own period ("and the Microsoft 365 roll-out due by March 2027?") is not also
    # asked about the old one: the earlier question's period goes with its subject.
    if new is not None and old is not None and (at := _at(before, old)):
        before = before[: at[0]].rstrip() + before[at[1]:]
    return _swap_name(before, rest, entities) or _swap_shared(before, rest) or f"{before.rstrip(' ?.!')} ({rest})?"


# An ordinal points at a list's item when a word says so ("the 4th one", "the first of those", "the third on that
# list") or when the noun after it is what the earlier question asked for ("the first outcome" after "what are the
# outcomes?"); "their first report" is a report, not an item.
_ITEM_REF = re.compile(r"\b(?P<ord>" + _ORDINAL_WORD + r"|middle)\b(?P<pointer>\s+(?:ones?\b|items?\b|"
                       r"(?:of|from)\s+(?:those|these|them)\b|on\s+(?:that|the|this)\s+\w+))?(?:\s+(?P<noun>\w+))?",
                       re.I)


def name_item(question: str, previous: Turn | None) -> str | None:
    """"When was the fourth organisation on that list founded?" with the item it points at, when the earlier answer
    quoted a list long enough to have it: "... founded (Who Cares? Scotland)?". The item is added, not swapped in:
    the passage that answers may say "the first question" too. None otherwise, and when the earlier answer listed
    records, which "the first of those" picks by id."""
    if previous is None or previous.items or not previous.lists:
        return None
    # The list is told by what the question asked for ("the three questions"), not by the subject it named.
    names = {stem(w) for e in previous.subjects for n in e.names for w in _WORD.findall(n)}
    asked = {t for t in content_terms(previous.question) if t not in names}
    m = next((m for m in _ITEM_REF.finditer(question)
              if m.group("pointer") or (m.group("noun") and _same_word(m.group("noun"), asked))), None)
    if m is None:
        return None
    said = m.group("ord").lower()
    index = None if said == "middle" else _ORDINAL[said] if said in _ORDINAL else int(said[:-2]) - 1
    item = pick(previous.lists, index, asked)
    return None if item is None else f"{question.rstrip(' ?.!')} ({item})?"


def _same_word(word: str, stems: set[str]) -> bool:
    """The same word in another form: one stem, or the same first five letters ("commitments", "committed")."""
    w = stem(word)
    return any(w == s or (len(w) >= 5 and len(s) >= 5 and w[:5] == s[:5]) for s in stems)


def _at(text: str, period: DateSpan) -> tuple[int, int] | None:
    m = re.search(re.escape(period.text), text, re.I)
    return (m.start(), m.end()) if m else None


def _swap_period(before: str, rest: str, new: DateSpan | None, old: DateSpan | None) -> str | None:
    """A new period alone takes the old one's place and keeps its preposition ("by March 2027", "and 2028?")."""
    if new is None or old is None or len(content_terms(rest)) > len(content_terms(new.text)):
        return None
    at = _at(before, old)
    if not at:
        return None
    head = old.text.split()[0]
    prep = head if len(old.text.split()) > 1 and not re.fullmatch(r"\d+", head) else ""
    said = rest if not prep or rest.lower().startswith(prep) else f"{prep} {rest}"
    return f"{before[: at[0]]}{said}{before[at[1]:]}"


def _swap_name(before: str, rest: str, entities: EntityIndex) -> str | None:
    """The earlier question's longest named entity gives way to the new subject."""
    spans = entities.spans(before)
    if not spans:
        return None
    a, b, e = max(spans, key=lambda x: x[1] - x[0])
    # A name found by its opening words takes the rest of it as typed ("Growing Up in Kinship Care study").
    words = {w.lower() for n in e.names for w in _WORD.findall(n)}
    while (more := re.match(r"\s+(" + _WORD.pattern + ")", before[b:])) and more.group(1).lower() in words:
        b += more.end()
    # The old name's "the" goes with it, and its "a" too when the new subject brings its own article.
    article = re.search(r"\b(the|a|an)\s+$", before[:a], re.I)
    if article and (article.group(1).lower() == "the" or _ARTICLE.match(rest)):
        a = article.start()
    return f"{before[:a]}{rest}{before[b:]}"


def _swap_shared(before: str, rest: str) -> str | None:
    """A contrast within one topic ("after housing costs", then "what about before housing costs?"): the words the
    two share (most of the new subject's words) mark the place, widened to as many words as the new subject has."""
    new_words = [w.lower() for w in _WORD.findall(rest)]
    words = [(m.start(), m.end(), m.group(0).lower()) for m in _WORD.finditer(before)]
    shared = [i for i, (_, _, w) in enumerate(words) if w in new_words and content_terms(w)]
    if not shared or not shared[-1] - shared[0] < len(new_words) <= 2 * len(shared):
        return None
    first = max(0, shared[-1] + 1 - len(new_words))
    return f"{before[: words[first][0]]}{rest}{before[words[shared[-1]][1]:]}"


def split_parts(question: str) -> list[str]:
    """A question's asks, each with the scene it is set in: "hwb census s1 - which question? what gets skipped?" is
    two parts, each about the census. One part when the question asks one thing.

    A piece is an ask when a question mark ends it, it follows a scene, or it has a question word; the other pieces
    ("If a child is placed in an emergency", "According to the Class Sizes dataset", "(phs open data)") set the
    scene: read on their own they would be questions about nothing."""
    q = question.strip()
    raw, start = [], 0
    for m in _PART_BREAK.finditer(q):
        raw.append((q[start: m.start()], "?" in m.group(0)))
        start = m.end()
    raw.append((q[start:], q.endswith("?")))
    before: list[str] = []
    after: list[str] = []
    asks: list[str] = []
    for i, (text, asked) in enumerate(raw):
        text = re.sub(r"^(?:and|&)\s+", "", text.strip(" ,;?&+"), flags=re.I)
        if not text:
            continue
        if not asks and not before and (s := _SCENE.search(text)) and not _asks(text[: s.start()]) \
                and text[s.end():].strip():
            before.append(text[: s.start()].strip())
            text, asked = text[s.end():].strip(), True
            # "GUS - sampling frame, and the access route?": things named in a row, and nothing asked after them,
            # are each an ask ("max class size for P1 and for P4-7" is one thing asked of two classes).
            named = [x for x in _NOUN_LIST.split(text) if x.strip()]
            if i == len(raw) - 1 and not _asks(text) and not any(_PREPOSITION.match(x) for x in named[1:]):
                asks.extend(named)
                continue
        if asked or (_asks(text) and (len(text.split()) >= 2 or _WH.fullmatch(text))):
            asks.append(text)
        else:
            (after if asks else before).append(text)
    if not asks:
        return [q.rstrip(" ?")]
    opening, closing = ", ".join(before), ", ".join(after)
    return [", ".join(x for x in (opening, a, closing) if x) for a in asks]


# Kinds whose names are matched through their records; the names of other kinds (terms, projects, frameworks, laws)
# are the topic itself.
_RECORD_KINDS = ("dataset", "organisation")


def topic_terms(text: str, subjects: list[Entity], scaffold: str = "",
                kinds: tuple[str, ...] = _RECORD_KINDS) -> list[str]:
    # A dataset's or organisation's own name is matched through its records; a term's words are the topic itself
    # (unless `kinds` says otherwise).
    words = {w.lower() for e in subjects if e.kind in kinds for n in e.names for w in re.findall(r"\w+", n)}
    name_words = {stem(w) for w in words}
    generic = GENERIC | {stem(g) for g in GENERIC}
    skip = name_words | generic | set(content_terms(scaffold))
    return [t for t in content_terms(text) if t not in skip and not t.isdigit()
            # a long word of a name is found cut short ("stats" for Statistics, entities.LONG): so is it skipped
            and not (len(t) >= KEY and any(len(w) >= LONG and w.startswith(t) for w in words))]


def spelled_out(text: str, subjects: list[Entity]) -> tuple[str, dict[str, tuple[frozenset[str], ...]]]:
    """The text with each one-word name it uses followed by the entity's longest name ("LAC (looked after
    children)"), for the embedding, which does not know most acronyms; and, for a topic entity, the acronym's stem
    with the stems of its longer names, for the lexical match."""
    spelled: dict[str, tuple[frozenset[str], ...]] = {}
    for e in subjects:
        longest = max(e.names, key=len)
        for n in e.names:
            if " " in n or n == longest:
                continue
            m = re.search(alias_pattern(n), text, name_flags(n))
            if not m:
                continue
            if longest.lower() not in text.lower():
                text = f"{text[: m.end()]} ({longest}){text[m.end():]}"
            if e.kind not in _RECORD_KINDS:
                spelled[stem(n)] = tuple(frozenset(content_terms(x)) for x in e.names if " " in x)
    return text, spelled


_WH_HEAD = re.compile(r"\b(?:which|what)\s+(\w+(?:\s+\w+)?)", re.I)  # "which group", "what national body"


def answered_entity(asked: str, subjects: list[Entity], quotes: list[str], entities: EntityIndex) -> Entity | None:
    """The organisation an answer supplied, which a follow-up's pronoun most likely means ("Which group did SG set
    up?" then "What period does their work programme cover?"): of those the quotes name and the question did not,
    the first whose name holds the noun the question asked with ("which group" -> the Data and Evidence Group)."""
    new = [e for q in quotes for e in entities.find(q) if e.kind == "organisation"
           and all(e is not s for s in subjects)]
    head = {stem(w) for m in _WH_HEAD.finditer(asked) for w in content_terms(m.group(1))}
    named = [e for e in new if head & {stem(w) for n in e.names for w in content_terms(n)}]
    return next(iter(named), None)


def free_pronoun(question: str, entities: EntityIndex, scaffold: str = "") -> bool:
    """Whether a personal pronoun has no name or topic word before a clause boundary ahead of it: "How can local
    authorities submit it?" points outside the question, "secure care stats - how often are they updated?" inside."""
    for m in _PERSONAL.finditer(question):
        bounds = [b.start() for b in _CLAUSE.finditer(question, 0, m.start())]
        before = question[: bounds[-1]] if bounds else ""
        if not (entities.find(before) or topic_terms(before, [], scaffold)):
            return True
    return False


class Understand:
    """One `run`: question and earlier turns in, an Understanding out."""

    def __init__(self, entities: EntityIndex, kinds: QuestionKinds, embed, speller: Speller | None = None,  # noqa: ANN001
                 versions: VersionSpans | None = None) -> None:
        self.speller = speller
        self.versions = versions  # where a question names a document's version: not a period
        self.entities = entities
        self.kinds = kinds
        self.embed = embed  # list[str] -> np.ndarray of normalised rows

    def run(self, asked: str, previous: Turn | None, today: dt.date) -> Understanding:
        question = self.speller.correct(asked) if self.speller else asked  # typos repaired against the documents
        borrowed = borrow_ask(question, previous, today, self.entities, self.versions)
        named = None if borrowed is not None else name_item(question, previous)
        if borrowed is not None:  # read as a question of its own: it now has its subject and its ask
            question, previous = borrowed, None
        elif named is not None:  # the list item it points at, written out
            question = named
        subjects = self.entities.find(question)
        parts_text = split_parts(question)
        anaphor = _ANAPHOR.search(question)
        anaphoric = anaphor is not None
        dates = period_of(question, today, self.versions)
        # Words that name the period asked about, the plan's version to read ("in the December 2025 Data and
        # information route map") or point back at a list are handled as such, not as topic words.
        scaffold = " ".join([dates.text if dates else "", *(m.group(0) for m in _ORDINAL_REF.finditer(question)),
                             *(question[a:b] for a, b, _ in (self.versions(question) if self.versions else []))])
        terms = topic_terms(question, subjects, scaffold)
        # A pronoun with a topic word before it ("secure care stats - how often are they updated?") points inside the
        # question; one with nothing before it ("is that a snapshot?") points at an earlier turn.
        antecedent = anaphor is not None and bool(topic_terms(question[: anaphor.start()], subjects, scaffold))
        # A question has a subject of its own when it names something, a period, or enough topic words.
        own_subject = bool(subjects) or dates is not None or antecedent or (len(terms) >= 3 and not anaphoric) or (
            len(parts_text) > 1 and len(terms) >= 1)
        followup, query, referent_items = None, question, []
        # In a conversation, a question that names nothing and points somewhere ("was the dashboard one met? when
        # did it come out?") borrows the earlier turn even when its pronoun has a word before it to lean on.
        # An item named in its place ("how Scotland is progressing nationally") keeps the earlier question's scene.
        # A pronoun left free by the question's own names ("How can local authorities submit it?") points back too.
        if previous is not None and (not subjects or free_pronoun(question, self.entities, scaffold)) and (
                anaphoric or len(terms) <= 2 or named is not None):
            followup = previous
            lent = [*([previous.answered] if previous.answered is not None else []), *previous.subjects]
            subjects = [*lent, *(e for e in subjects if all(e is not p for p in lent))]
            m = _ORDINAL_REF.search(question)
            if m and previous.items:
                said = m.group(1).lower()
                i = _ORDINAL[said] if said in _ORDINAL else int(said[:-2]) - 1
                referent_items = [previous.items[i]] if -len(previous.items) <= i < len(previous.items) else []
            said = f"{previous.answered.name}; " if previous.answered is not None else ""
            query = f"{question.rstrip(' ?')} ({said}{previous.question.rstrip(' ?')})"
        # A part's answer type comes from its own words: "who leads it?" asks for an organisation even when the
        # search borrows "what is CHaMP?" from the turn before.
        own = len(parts_text) > 1 or query != question
        (query_read, spelled), parts_read = spelled_out(query, subjects), [spelled_out(t, subjects)[0] for t in parts_text]
        # A later part whose pronoun has nothing to lean on, in a question that names nothing ("What was the poverty
        # rate for children in 2019-22, and what is its confidence interval?"), is about what the part before it
        # asks: it is read with that part beside it. Its answer type still comes from its own words.
        read_as = list(parts_read)
        if not subjects:
            for i in range(1, len(parts_text)):
                if free_pronoun(parts_text[i], self.entities, scaffold):
                    read_as[i] = f"{parts_read[i]} ({read_as[i - 1]})"
        resolved = [i for i, (a, b) in enumerate(zip(read_as, parts_read, strict=True)) if a != b]
        vecs = self.embed([query_read, *parts_read, *(read_as[i] for i in resolved)] if own else [query_read])
        qvec = vecs[0]
        context = {i: vecs[1 + len(parts_read) + k] for k, i in enumerate(resolved)}
        parts: list[Part] = []
        for i, text in enumerate(parts_text):
            v = vecs[i + 1] if own else qvec
            probs = self.kinds.answer_types(v, text if own else query)
            part_terms = topic_terms(text, subjects, scaffold)
            if i in context:  # its own words first, then the words of the part it leans on
                part_terms += [t for t in topic_terms(read_as[i], subjects, scaffold) if t not in part_terms]
            parts.append(Part(text, max(probs, key=probs.get), probs, part_terms or terms, context.get(i, v)))
        known = " ".join(n.lower() for e in subjects for n in e.names)
        person = any(m.group(0).lower() not in known for m in _NAME.finditer(question))
        return Understanding(
            question=asked, query=query, parts=parts, subjects=subjects, dates=dates,
            terms=topic_terms(query, subjects, scaffold), expansions=self.entities.glossary.expansions(query), vector=qvec,
            own_subject=own_subject, anaphoric=anaphoric, followup=followup, referent_items=referent_items,
            case_request=self.kinds.case_request(np.append(qvec, float(person))), person_named=person, spelled=spelled,
            borrowed=borrowed is not None or named is not None,
        )
