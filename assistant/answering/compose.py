"""Stage 5, compose: a first sentence that answers and names its subject, then the cited quotes that hold the fact;
commitments one line each (due date, who acts, what), newest route-map version first; each part of a two-part
question answered or marked missing. Every citation supports a claim; nothing is written that is not quoted."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from assistant.answering.answer import Answer, Citation
from assistant.answering.candidates import LABELS, Candidate
from assistant.answering.decide import Decision
from assistant.answering.evidence import CitationMaker, Claim, numbered, version_label
from assistant.answering.records import RecordBook
from assistant.answering.understand import Understanding
from assistant.retrieval.hybrid import Hit

STATUS_FILE = Path(__file__).with_name("statuses.yaml")


@lru_cache(maxsize=1)
def statuses() -> dict:
    return yaml.safe_load(STATUS_FILE.read_text(encoding="utf-8"))


class Compose:
    def __init__(self, book: RecordBook, cites: CitationMaker) -> None:
        self.book = book
        self.cites = cites

    def _cite(self, c: Candidate) -> Citation:
        return self.cites.make(c.doc_id, c.quote, c.section, c.locator, c.chunk_id or None)

    def _claim(self, c: Candidate) -> Claim:
        if c.kind == "field":
            label = LABELS.get(c.field, c.field.replace("_", " "))
            if c.field == "definition":
                return Claim(c.quote, [self._cite(c)])
            return Claim(f"{c.subject} — {label}: {c.text.rstrip('.')}", [self._cite(c)])
        if c.kind == "commitment" and c.record is not None:
            f = c.record.fields
            when = f.get("when") or (f"due {f['due']}" if f.get("due") else "no date stated")
            who = ", ".join(f.get("actors") or f.get("responsible") or []) or "no one named"
            where = version_label(self.cites.doc(c.doc_id)) or c.subject
            return Claim(f"- {when} — {who} ({where}): “{c.quote}”", [self._cite(c)])
        where = version_label(self.cites.doc(c.doc_id)) or c.subject
        section = f" ({c.section})" if c.section and c.section not in where else ""
        return Claim(f"{where}{section}: “{c.quote}”", [self._cite(c)])

    def _order(self, cands: list[Candidate]) -> list[Candidate]:
        if cands and all(c.kind == "commitment" for c in cands):
            return sorted(cands, key=lambda c: (self.book.newest_first(c.record), c.record.fields.get("due") or "9999"))
        return cands

    def run(self, u: Understanding, d: Decision, hits: list[Hit]) -> Answer:
        conf = statuses()[d.status]
        claims: list[Claim] = []
        items: list[str] = []
        if d.status in ("answered", "partial"):
            for part_cands in d.chosen:
                ordered = self._order(part_cands)
                items.extend(c.record.id for c in ordered if c.kind == "commitment" and c.record is not None)
                for c in ordered:
                    if not any(c.quote == q.quote for cl in claims for q in cl.cites):
                        claims.append(self._claim(c))
            lines, citations = numbered(claims)
            lists = sum(cl.text.startswith("- ") for cl in claims) > 1
            if lists:
                span = f" {u.dates.text}" if u.dates else ""
                text = "\n".join([f"{len(items)} commitments in the indexed plans match{span}:", *lines])
            else:
                text = " ".join(line.removeprefix("- ") for line in lines)
            if d.missing:
                text += ("\n\n" if lists else " ") + conf["message"].format(
                    missing=" or ".join(f"“{m.rstrip('?')}”" for m in d.missing))
            return Answer(u.question, text, False, citations, status=d.status, resolved_question=u.query,
                          confidence=round(d.confidence, 3), items=items)
        if d.status != "no_information":
            return Answer(u.question, conf["message"].strip(), True, [], status=d.status, resolved_question=u.query)
        topic = u.query if len(u.query) < 120 else u.query[:117] + "..."
        text = conf["message"].format(topic=topic.rstrip("?"))
        datasets = [e for e in u.subjects if e.kind == "dataset" and e.holder]
        orgs = [e.name for e in u.subjects if e.kind == "organisation"]
        if datasets:
            text += " " + conf["holder"].format(holder=datasets[0].holder, dataset=datasets[0].name)
        elif orgs:
            text += " " + conf["organisation"].format(organisation=orgs[0])
        related = [self.cites.make(h.chunk.doc_id, h.chunk.text, h.chunk.meta.get("section", ""),
                                   h.chunk.meta.get("locator", ""), h.chunk.id) for h in hits[:2]]
        for i, c in enumerate(related, start=1):
            c.n = i
        if related:
            text += " " + conf["related"]
        return Answer(u.question, text, True, [], status=d.status, resolved_question=u.query, related=related)
