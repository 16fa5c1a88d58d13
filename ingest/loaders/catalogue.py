"""Data catalogues (CSV, TSV, XLSX, CKAN or DCAT JSON, YAML) into one normalised record per dataset.

Publishers name their columns differently ("custodian", "publisher", "data owner"): fields are mapped by meaning.
A glossary file (YAML or JSON with a ``terms`` list) is read here too, into one record per term.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import yaml

from core.model import Block, ParsedDocument, Record
from core.text import clean
from ingest.errors import IngestError
from ingest.loaders.text import decode

# Normalised field -> header words that mean it (compared after lower-casing and dropping punctuation).
FIELD_SYNONYMS: dict[str, list[str]] = {
    "title": ["title", "name", "dataset", "dataset name", "dataset title", "data asset", "asset", "asset name",
              "data set", "resource name"],
    "acronym": ["acronym", "short name", "abbreviation", "alternative title", "alt title"],
    "holder": ["holder", "held by", "custodian", "data custodian", "publisher", "owner", "data owner", "maintainer",
               "organisation", "organization", "data controller", "controller", "provider", "data provider",
               "responsible organisation", "author", "creator", "steward", "data steward", "source organisation"],
    "description": ["description", "notes", "summary", "about", "abstract", "what it covers", "content",
                    "what", "details", "purpose"],
    "coverage": ["coverage", "spatial", "temporal", "geography", "geographic coverage", "time period", "period",
                 "covers", "scope", "years", "date range", "population", "unit"],
    "frequency": ["frequency", "update frequency", "accrual periodicity", "accrualperiodicity", "periodicity",
                  "how often", "updated", "update", "release frequency", "refresh", "refresh rate", "cadence",
                  "publication frequency"],
    "access": ["access", "how to access", "access route", "access rights", "accessrights", "availability",
               "how to get access", "how to get it", "access conditions", "licence", "license", "rights",
               "access level"],
    "contact": ["contact", "contact point", "contactpoint", "email", "contact email", "maintainer email",
                "author email", "enquiries"],
    "url": ["url", "source", "source address", "source url", "landing page", "landingpage", "link", "homepage",
            "address", "web address", "website", "uri", "page"],
    "status": ["status", "state", "notes on status"],
}
REQUIRED = ("title", "holder")


def _norm(header: str) -> str:
    header = re.sub(r"^(dct|dcat|dcterms|foaf|vcard|schema|adms):", "", str(header))
    header = re.sub(r"([a-z])([A-Z])", r"\1 \2", header)
    return re.sub(r"[^a-z0-9]+", " ", header.lower()).strip()


def map_headers(headers: list[str]) -> dict[str, str]:
    """Header -> normalised field, by exact meaning first, then by a meaningful word inside the header."""
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for exact in (True, False):
        for h in headers:
            if h in mapping:
                continue
            n = _norm(h)
            for fld, words in FIELD_SYNONYMS.items():
                if fld in taken:
                    continue
                hit = n in words if exact else any(re.search(rf"\b{re.escape(w)}\b", n) for w in words if len(w) > 3)
                if hit:
                    mapping[h] = fld
                    taken.add(fld)
                    break
    return mapping


def _flatten(value: Any) -> str:
    """A JSON-LD or CKAN value (string, list, nested object) as plain text."""
    if value is None:
        return ""
    if isinstance(value, dict):
        for k in ("name", "title", "fn", "foaf:name", "vcard:fn", "label", "rdfs:label", "@value", "display_name",
                  "hasEmail", "vcard:hasEmail", "@id", "url"):
            if k in value and value[k]:
                return _flatten(value[k]).removeprefix("mailto:")
        return "; ".join(_flatten(v) for v in value.values() if isinstance(v, str | int | float) and v)
    if isinstance(value, list):
        return "; ".join(x for x in (_flatten(v) for v in value) if x)
    return clean(str(value)).removeprefix("mailto:")


def _ckan(pkg: dict[str, Any]) -> dict[str, Any]:
    extras = {e.get("key", ""): e.get("value", "") for e in pkg.get("extras") or [] if isinstance(e, dict)}
    org = pkg.get("organization") or {}
    return {
        "title": pkg.get("title") or pkg.get("name"),
        "holder": (org.get("title") if isinstance(org, dict) else org) or pkg.get("maintainer") or pkg.get("author"),
        "description": pkg.get("notes"),
        "frequency": pkg.get("frequency") or extras.get("frequency") or extras.get("update_frequency"),
        "coverage": extras.get("spatial") or extras.get("temporal") or extras.get("coverage"),
        "access": pkg.get("license_title") or extras.get("access"),
        "contact": pkg.get("maintainer_email") or pkg.get("author_email"),
        "url": pkg.get("url") or extras.get("landing_page"),
    }


def _rows_from_json(obj: Any) -> list[dict[str, Any]] | None:
    if isinstance(obj, dict) and isinstance(obj.get("result"), dict):  # CKAN API envelope
        res = obj["result"]
        if isinstance(res.get("results"), list):
            return [_ckan(p) for p in res["results"]]
        return [_ckan(res)]
    if isinstance(obj, dict) and "name" in obj and ("notes" in obj or "resources" in obj or "organization" in obj):
        return [_ckan(obj)]  # a bare CKAN package
    if isinstance(obj, dict):
        for key in ("dataset", "dcat:dataset", "datasets", "@graph", "items", "records", "data"):
            if isinstance(obj.get(key), list):
                return [r for r in obj[key] if isinstance(r, dict)]
    if isinstance(obj, list) and all(isinstance(r, dict) for r in obj):
        return obj
    return None


def _rows_from_sheet(path: Path, data: bytes) -> list[dict[str, Any]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001
        raise IngestError(str(path), f"not a readable XLSX workbook ({type(exc).__name__})") from None
    ws = wb.worksheets[0]
    it = ws.iter_rows(values_only=True)
    headers = [str(h or "").strip() for h in next(it, [])]
    return [dict(zip(headers, row, strict=False)) for row in it if any(c not in (None, "") for c in row)]


def _glossary(path: Path, terms: list[dict[str, Any]], meta: dict[str, Any]) -> ParsedDocument:
    doc = ParsedDocument(source=str(path), title=str(meta.get("title") or "Glossary"), kind="glossary",
                         version=str(meta.get("version") or ""), publisher=str(meta.get("publisher") or ""))
    for i, t in enumerate(terms, start=1):
        if not isinstance(t, dict) or not t.get("term") or not t.get("definition"):
            doc.warnings.append(f"entry {i}: a glossary entry needs 'term' and 'definition'")
            continue
        name, acr = clean(str(t["term"])), clean(str(t.get("acronym") or ""))
        aliases = [clean(str(a)) for a in t.get("aliases") or []]
        label = f"{name} ({acr})" if acr else name
        text = f"{label}: {clean(str(t['definition']))}"
        if aliases:
            text += f" Also called: {', '.join(aliases)}."
        section = (doc.title, str(t.get("type") or "term").title())
        doc.blocks.append(Block(text, section, f"entry {i}", "item"))
        doc.records.append(Record("term", f"term-{i}", {
            "term": name, "acronym": acr, "aliases": aliases, "type": str(t.get("type") or "term"),
            "definition": clean(str(t["definition"])), "url": str(t.get("source") or ""),
        }, text, section, f"entry {i}"))
    return doc


def dataset_text(f: dict[str, str]) -> str:
    """A dataset record as one searchable passage, every field labelled."""
    name = f"{f['title']} ({f['acronym']})" if f.get("acronym") else f["title"]
    parts = [f"Dataset: {name}.", f"Held by: {f['holder']}."]
    for key, label in (("description", "What it covers"), ("coverage", "Coverage"), ("frequency", "How often"),
                       ("access", "How to get access"), ("contact", "Contact"), ("status", "Status"),
                       ("url", "Source")):
        if f.get(key):
            parts.append(f"{label}: {f[key].rstrip('.')}.")
    return " ".join(parts)


def load(path: Path, data: bytes) -> ParsedDocument:
    src, suffix = str(path), path.suffix.lower()
    meta: dict[str, Any] = {}
    if suffix == ".xlsx":
        rows: list[dict[str, Any]] | None = _rows_from_sheet(path, data)
    else:
        text = decode(path, data)
        if suffix in (".csv", ".tsv"):
            try:
                dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t|") if suffix == ".csv" else csv.excel_tab
            except csv.Error:
                dialect = csv.excel
            rows = list(csv.DictReader(io.StringIO(text), dialect=dialect))
            if not rows or len(rows[0]) < 2:
                raise IngestError(src, "not a catalogue table: expected a header row and at least two columns")
        else:
            try:
                obj = yaml.safe_load(text) if suffix in (".yaml", ".yml") else json.loads(text)
            except (yaml.YAMLError, json.JSONDecodeError) as exc:
                where = ""
                mark = getattr(exc, "problem_mark", None)
                if mark is not None:
                    where = f"line {mark.line + 1}"
                elif isinstance(exc, json.JSONDecodeError):
                    where = f"line {exc.lineno}"
                raise IngestError(src, f"not valid {suffix.lstrip('.').upper()} ({str(exc).splitlines()[0]})",
                                  where) from None
            if isinstance(obj, dict) and isinstance(obj.get("terms"), list):
                return _glossary(path, obj["terms"], obj)
            if isinstance(obj, dict):
                meta = {k: v for k, v in obj.items() if isinstance(v, str | int | float)}
            rows = _rows_from_json(obj)
            if rows is None:
                raise IngestError(src, "no datasets found: expected a list of records, a CKAN result or a DCAT catalogue")
    title = _flatten(meta.get("title") or meta.get("dct:title")) or path.stem.replace("_", " ").replace("-", " ")
    doc = ParsedDocument(source=src, title=title, kind="catalogue", version=_flatten(meta.get("version") or ""),
                         publisher=_flatten(meta.get("publisher") or ""), url=_flatten(meta.get("url") or ""))
    headers = list(dict.fromkeys(h for r in rows for h in r))
    mapping = map_headers([str(h) for h in headers])
    row_base = 2 if suffix in (".csv", ".tsv", ".xlsx") else 1  # CSV/XLSX rows count the header line
    for i, row in enumerate(rows):
        where = f"row {i + row_base}" if suffix in (".csv", ".tsv", ".xlsx") else f"record {i + 1}"
        fields = {fld: "" for fld in FIELD_SYNONYMS}
        for h, v in row.items():
            fld = mapping.get(str(h))
            if fld and not fields[fld]:
                fields[fld] = _flatten(v)
        missing = [f for f in REQUIRED if not fields[f]]
        if missing:
            doc.warnings.append(f"{where}: missing {' and '.join(missing)}; this row was skipped")
            continue
        text = dataset_text(fields)
        section = (doc.title, fields["title"])
        doc.blocks.append(Block(text, section, where, "row"))
        doc.records.append(Record("dataset", f"dataset-{i + 1}", fields, text, section, where))
    if not doc.records:
        raise IngestError(src, "no usable catalogue records (each needs a title and a holder): "
                          + "; ".join(doc.warnings[:3]))
    return doc
