"""Commitments from a route map: who must act, what, and when, each with its exact source passage.

"When" comes from a year heading when the document has one, else from a date stated in the sentence, else nothing.
The December 2025 capture lost its year and outcome headings: blocks are numbered, and pairing block N with
outcome N is recorded as an inference (``outcome_inferred``), never as a fact.
"""

from __future__ import annotations

import re

from core.dates import find_dates
from core.glossary import Glossary
from core.model import Block, ParsedDocument, Record
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


def extract(doc: ParsedDocument, glossary: Glossary) -> list[Record]:
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
