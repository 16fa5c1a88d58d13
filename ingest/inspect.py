"""`wayfinder inspect SOURCE`: how a file is read, so a user can check it before trusting answers from it.

The file is parsed exactly as ingestion parses it (same loader, same commitment extraction, same personal-data screen)
but nothing is stored: sections, tables with their header, records with their fields, what was dropped, warnings.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from core.glossary import load_glossary
from core.model import ParsedDocument
from ingest import commitments
from ingest.errors import IngestError
from ingest.loaders import load
from ingest.screening import screen


def parse(path: Path) -> tuple[ParsedDocument, list[str]]:
    """The parsed document and the screen's findings (kind and place only, never the value)."""
    doc = load(path, path.read_bytes())
    findings = [f"{f.kind} at {f.where}" for f in screen(doc)]
    doc.records.extend(commitments.extract(doc, load_glossary()))
    return doc, findings


def report(doc: ParsedDocument, findings: list[str], limit: int = 12) -> dict[str, Any]:
    sections = Counter(" > ".join(b.section[1:]) or "(top)" for b in doc.blocks)
    tables: dict[str, dict[str, Any]] = {}
    for b in doc.blocks:
        if b.kind == "row" and (b.table or b.header):  # a catalogue's rows are records, listed below
            t = tables.setdefault(b.table or b.header or "(rows)", {"header": b.header, "rows": 0, "where": b.locator,
                                                                     "first_row": b.text})
            t["rows"] += 1
    records = Counter(r.type for r in doc.records)
    return {
        "title": doc.title, "kind": doc.kind, "version": doc.version, "publisher": doc.publisher,
        "blocks": Counter(b.kind for b in doc.blocks),
        "sections": dict(sections),
        "tables": tables,
        "records": dict(records),
        "record_examples": [{"type": r.type, "where": r.locator, "fields": {k: v for k, v in r.fields.items() if v}}
                            for r in doc.records[:limit]],
        "dropped": doc.dropped,
        "warnings": doc.warnings + ([f"would be refused by the personal-data screen: {'; '.join(findings[:5])}"]
                                    if findings else []),
    }


def render(rep: dict[str, Any], limit: int = 12) -> str:
    out = [f"{rep['title']}  [{rep['kind']}{', ' + rep['version'] if rep['version'] else ''}]"]
    if rep["publisher"]:
        out.append(f"publisher: {rep['publisher']}")
    out.append("blocks: " + ", ".join(f"{n} {k}" for k, n in rep["blocks"].items()))
    out.append(f"\nsections ({len(rep['sections'])}):")
    out += [f"  {n:>4}  {s}" for s, n in list(rep["sections"].items())[:40]]
    if len(rep["sections"]) > 40:
        out.append(f"  ... and {len(rep['sections']) - 40} more")
    out.append(f"\ntables ({len(rep['tables'])}):")
    for name, t in list(rep["tables"].items())[:limit]:
        out.append(f"  {name} ({t['where']}, {t['rows']} rows)  header: {t['header'] or '(none found)'}")
        out.append(f"      first row: {t['first_row'][:160]}")
    out.append(f"\nrecords: {', '.join(f'{n} {k}' for k, n in rep['records'].items()) or 'none'}")
    for r in rep["record_examples"]:
        fields = "; ".join(f"{k}={v if not isinstance(v, list) else len(v)}" for k, v in r["fields"].items()
                           if k not in ("text", "description"))
        out.append(f"  {r['type']} ({r['where']}): {fields[:240]}")
    out.append(f"\ndropped ({len(rep['dropped'])}):")
    out += [f"  {d}" for d in rep["dropped"][:30]]
    out.append(f"\nwarnings ({len(rep['warnings'])}):")
    out += [f"  {w}" for w in rep["warnings"][:30]]
    return "\n".join(out)


def main(source: str, as_json: bool = False, limit: int = 12) -> int:
    path = Path(source).expanduser()
    if not path.is_file():
        print(f"error: {source}: no such file")
        return 1
    try:
        doc, findings = parse(path)
    except IngestError as exc:
        print(f"error: {exc.line()}")
        return 1
    rep = report(doc, findings, limit)
    print(json.dumps(rep, indent=2, ensure_ascii=False, default=dict) if as_json else render(rep, limit))
    return 0
