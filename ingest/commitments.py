"""Commitments: who must act, what, and when, each with its exact source passage.

From a route map, every milestone of the route-map section. "When" comes from a year heading when the document has
one, else from a date stated in the sentence, else nothing. The December 2025 capture lost its year and outcome
headings: blocks are numbered, and pairing block N with outcome N is recorded as an inference
(``outcome_inferred``), never as a fact.

From any other plan or guidance (Markdown, HTML, PDF, text): each sentence in which a named body (or "we", the
document's authors) will, must or shall do something; a bullet under a lead-in such as "We will:" inherits the
lead-in's subject. "When" is only ever a date the sentence itself states.
"""

from __future__ import annotations

import re

from core.dates import find_dates
from core.glossary import Glossary
from core.model import Block, ParsedDocument, Record
from core.text import sentences
from ingest.loaders.text_capture import LINKS, ROUTE_MAP_SECTION, WHO_NEEDS

NO_MILESTONES = re.compile(r"there are no milestones identified for this year", re.IGNORECASE)
YEAR_HEADING = re.compile(r"^(?:in |by )?(20\d\d)(?:\s*[-–/]\s*\d{2,4})?$", re.IGNORECASE)
ACTION = re.compile(
    r"\b(will|shall|should|must|to (?:explore|engage|outline|develop|deliver|review|lead)|is leading|are working"
    r"|take forward|progresses|by (?:end |march |spring |summer )?\d{4})\b"
    r"|^(support|establish|develop|updates?|continuous|local reviews|toolkit|first full|feedback|consideration)\b",
    re.IGNORECASE,
)


def _split_orgs(text: str, glossary: Glossary) -> list[str]:
    """A "Who needs to work on this" list: comma-separated names, normalised through the glossary."""
    out: list[str] = []
    for part in text.split(","):
        name = part.strip().strip(".")
        if not name:
            continue
        term = glossary.lookup(name)
        found = [term.name] if term else glossary.organisations(name) or [name[:1].upper() + name[1:]]
        out.extend(n for n in found if n not in out)
    return out


def _outcomes(doc: ParsedDocument) -> list[str]:
    intro = next((i for i, b in enumerate(doc.blocks) if re.match(r"the outcomes in .* are:?$", b.text, re.I)), None)
    if intro is None:
        return []
    out = []
    for b in doc.blocks[intro + 1:]:
        if b.kind != "item":
            break
        out.append(b.text)
    return out


def _year_from_section(section: tuple[str, ...]) -> int | None:
    for s in section:
        m = YEAR_HEADING.match(s.strip())
        if m:
            return int(m.group(1))
    return None


_MODAL = re.compile(
    r"\b(will|must|shall|(?:is|are) required to|(?:has|have) (?:a duty|committed) to)"
    r"(?:\s+(?!not\b|be able\b|also be able\b)|\s*:\s*$)",
    re.IGNORECASE)
_LEAD_PREP = re.compile(r"^(?:by|in|from|over|within|as|through|following|during|after|before|until|this|next|under"
                        r"|where|when|if|once|for|finally|also|however)\b"
                        r"[^,]*,\s*", re.IGNORECASE)
_PASSIVE_BY = re.compile(r"^(?:also\s+)?be\s+\w+(?:ed|en|ne|de)\s+by\s+(?:an?\s+|the\s+)?([^,.;]+)", re.IGNORECASE)
_WE = re.compile(r"\b(we|our)\b", re.IGNORECASE)
_NOT_A_BODY = re.compile(r"^(?:this|these|that|it|there|they|which|who|you|he|she|data|information|some|many|most|all"
                         r"|each|both|others|less|more|such)\b",
                         re.IGNORECASE)


_BODY = re.compile(r"\b(authorit(?:y|ies)|boards?|councils?|partners(?:hips?)?|practices|workers|officers|ministers?"
                   r"|government|agency|agencies|teams?|groups?|professionals|commissioners|practitioners|carers"
                   r"|nurses|doctors|GPs|services|department|directorate|bodies|organisations|providers|IROs?)\b",
                   re.IGNORECASE)
_PROPER = re.compile(r"(?:The\s+)?[A-Z][\w&’'-]*(?:\s+(?:[A-Z][\w&’'-]*|of|and|for|the|&))*")
_OPINION = re.compile(r"\b(expects?|recognises?|believes?|thinks?|agrees?|hopes?|that|which|if)\b", re.IGNORECASE)


def _subject(sentence: str, modal_start: int) -> str:
    subject = re.sub(r"^\d+\s+", "", sentence[:modal_start].strip())  # a footnote number run into the text
    subject = _LEAD_PREP.sub("", subject)
    return subject.strip(" ,;:")


def _plan_actors(sentence: str, glossary: Glossary, publisher: str) -> tuple[list[str], str] | None:
    """(actors, subject) when the sentence commits a named body to act; None when it does not."""
    m = _MODAL.search(sentence)
    if not m:
        return None
    subject = _subject(sentence, m.start())
    passive = _PASSIVE_BY.match(sentence[m.end():])
    if passive:
        subject = passive.group(1).strip()
    if not subject or len(subject.split()) > 12 or _NOT_A_BODY.match(subject):
        return None
    if _WE.fullmatch(subject.split()[-1]) and len(subject.split()) <= 6:
        return ([publisher] if publisher else []), "we"
    if _OPINION.search(re.sub(r"\b(?:that|which|who) (?:looks?|holds?|is|are|has|have)\b", "", subject)):
        return None
    actors = glossary.organisations(subject)
    if actors:
        return actors, subject
    if _BODY.search(subject) or _PROPER.fullmatch(subject) and len(subject.split()) <= 6 and not re.match(
            r"(?:The\s+)?(?:plan|strategy|aim|report|guidance|document|update|focus|intention)\b", subject, re.I):
        return [subject[:1].upper() + subject[1:]], subject
    return None


def extract_from_plan(doc: ParsedDocument, glossary: Glossary) -> list[Record]:
    """Commitments of a plan or guidance: named body + will/must/shall, with the date the sentence states."""
    records: list[Record] = []
    lead: tuple[list[str], str] | None = None  # a "We will:" lead-in that bullets below it complete
    for b in doc.blocks:
        if b.kind == "row" or b.kind == "heading":
            lead = None
            continue
        if b.kind == "item" and lead is not None:
            units = [(b.text, lead)]
        else:
            units = []
            lead = None
            for sent in sentences(b.text):
                found = _plan_actors(sent, glossary, doc.publisher)
                if found and sent.rstrip().endswith(":"):
                    lead = found  # the items that follow say what will be done
                    continue
                if found:
                    units.append((sent, found))
        for sent, (actors, subject) in units:
            dates = find_dates(sent)
            when, year, due = "", None, None
            if dates:
                d = min(dates, key=lambda d: d.due)
                when, year, due = d.text, d.year, d.due.isoformat()
            records.append(Record("commitment", f"commitment-{len(records) + 1}", {
                "text": sent, "actors": actors, "subject": subject, "responsible": [], "when": when, "year": year,
                "due": due, "route_map": "", "document": doc.title, "version": doc.version, "block": 0,
                "outcome": "", "outcome_inferred": False, "action": True,
            }, sent, b.section, b.locator))
    return records


PLAN_KINDS = ("other",)  # route maps have their own reading; catalogues, glossaries and framework summaries commit nobody


def extract(doc: ParsedDocument, glossary: Glossary) -> list[Record]:
    if doc.kind in PLAN_KINDS:
        return extract_from_plan(doc, glossary)
    if doc.kind != "route_map":
        return []
    outcomes = _outcomes(doc)
    blocks = [b for b in doc.blocks if ROUTE_MAP_SECTION in b.section]
    block_ids = sorted({s for b in blocks for s in b.section if s.startswith("Milestone block ")},
                       key=lambda s: int(s.split()[-1]))
    infer = bool(outcomes) and len(outcomes) == len(block_ids)
    records: list[Record] = []
    responsible: dict[str, list[str]] = {}
    last_actors: list[str] = []
    gaps: dict[str, list[Block]] = {}
    for b in blocks:
        group = next((s for s in b.section if s.startswith("Milestone block ")), "")
        if WHO_NEEDS in b.section:
            responsible[group] = _split_orgs(b.text, glossary)
            n = int(group.split()[-1]) if group else 0
            records.append(Record("responsibility", f"who-{n}", {
                "block": n, "organisations": responsible[group], "route_map": doc.title, "version": doc.version,
                "outcome": outcomes[n - 1] if infer and n else "", "outcome_inferred": bool(infer and n),
            }, b.text, b.section, b.locator))
            continue
        if LINKS in b.section:
            continue
        if NO_MILESTONES.search(b.text):
            gaps.setdefault(group, []).append(b)
            continue
        actors = glossary.organisations(b.text)
        if b.kind == "item" and not actors:
            actors = last_actors  # a bullet under "This includes:" inherits its lead-in's actors
        elif b.kind == "para":
            last_actors = actors
        heading_year = _year_from_section(b.section)
        dates = find_dates(b.text)
        when, year, due = "", None, None
        if heading_year:
            when, year, due = str(heading_year), heading_year, f"{heading_year}-12-31"
        elif dates:
            d = min(dates, key=lambda d: d.due)
            when, year, due = d.text, d.year, d.due.isoformat()
        n = int(group.split()[-1]) if group else 0
        fields = {
            "text": b.text, "actors": actors, "responsible": [], "when": when, "year": year, "due": due,
            "route_map": doc.title, "version": doc.version, "block": n,
            "outcome": outcomes[n - 1] if infer and n else "", "outcome_inferred": bool(infer and n),
            "action": bool(ACTION.search(b.text)) or bool(dates),
        }
        records.append(Record("commitment", f"commitment-{len(records) + 1}", fields, b.text, b.section, b.locator))
    for r in records:
        if r.type != "commitment":
            continue
        group = f"Milestone block {r.fields['block']}" if r.fields["block"] else ""
        r.fields["responsible"] = responsible.get(group, [])
    for group, gap_blocks in gaps.items():
        n = int(group.split()[-1]) if group else 0
        records.append(Record("milestone_gap", f"gap-{n}", {
            "block": n, "count": len(gap_blocks), "route_map": doc.title, "version": doc.version,
            "responsible": responsible.get(group, []), "outcome": outcomes[n - 1] if infer and n else "",
            "outcome_inferred": bool(infer and n), "text": gap_blocks[0].text,
        }, gap_blocks[0].text, gap_blocks[0].section, gap_blocks[0].locator))
    return records
