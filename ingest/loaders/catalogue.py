"""Data catalogues (CSV, TSV, XLSX, CKAN, DCAT-AP JSON-LD, DCAT-US data.json, YAML) into one record per dataset;
other spreadsheets and CSVs into table documents.

Publishers name their columns differently ("custodian", "publisher", "data owner"): fields are mapped by meaning. A
portal export often has one row per resource (file): rows of one dataset are grouped and the files kept as its
distributions. A table is a catalogue only when its columns say so (a title and at least two other catalogue fields);
anything else (a data dictionary, a survey's code list) is a table document whose rows keep their column names.
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

# Normalised field -> header words that mean it (compared after lower-casing and dropping punctuation). Exact
# matches are tried before words inside a header, and fields earlier in this table win ties.
FIELD_SYNONYMS: dict[str, list[str]] = {
    "title": ["title", "name", "dataset", "dataset name", "dataset title", "data asset", "asset name",
              "data set"],
    "acronym": ["acronym", "short name", "abbreviation", "alternative title", "alt title"],
    "holder": ["holder", "held by", "custodian", "data custodian", "publisher", "owner", "data owner", "maintainer",
               "organisation", "organization", "data controller", "controller", "provider", "data provider",
               "responsible organisation", "author", "creator", "steward", "data steward", "source organisation"],
    "description": ["description", "summary", "about", "abstract", "what it covers", "content",
                    "what", "details", "purpose"],
    "notes": ["notes", "comment", "comments", "lineage"],
    "coverage": ["coverage", "spatial", "temporal", "geography", "geographic coverage", "time period", "period",
                 "covers", "scope", "years", "date range", "population", "coverage area"],
    "updated": ["updated", "date updated", "last updated", "modified", "last modified", "date modified",
                "metadata modified", "updated at", "last update", "update date"],
    "created": ["created", "date created", "created at", "issued", "date issued", "metadata created",
                "publication date", "date published", "release date", "first published"],
    "frequency": ["frequency", "update frequency", "accrual periodicity", "accrualperiodicity", "periodicity",
                  "how often", "release frequency", "refresh", "refresh rate", "cadence", "publication frequency",
                  "update schedule"],
    "access": ["access", "how to access", "access route", "access rights", "accessrights", "availability",
               "how to get access", "how to get it", "access conditions", "access level", "rights"],
    "licence": ["licence", "license", "license title", "licence title", "license id", "terms of use"],
    "contact": ["contact", "contact point", "contactpoint", "email", "contact email", "maintainer email",
                "author email", "enquiries"],
    "landing_page": ["landing page", "landingpage", "page url", "dataset url", "dataset page"],
    "url": ["url", "source", "source address", "source url", "link", "homepage", "address", "web address",
            "website", "uri", "page"],
    "keywords": ["keywords", "keyword", "tags", "tag", "original tags", "manual tags", "subject"],
    "themes": ["theme", "themes", "category", "categories", "groups", "topic category"],
    "status": ["status", "state", "notes on status"],
    # one file of a dataset, when a catalogue has a row per resource
    "download_url": ["asset url", "download url", "access url", "accessurl", "downloadurl", "resource url",
                     "file url", "download"],
    "format": ["file type", "format", "media type", "mediatype", "resource format", "mime type", "file format"],
    "resource_name": ["file name", "filename", "resource name", "resource title", "resource"],
    "size": ["file size", "size", "byte size", "bytesize"],
    "size_unit": ["file size unit", "size unit"],
}
MULTI = {"keywords", "themes"}  # fields that gather several columns ("OriginalTags", "ManualTags")
RESOURCE = ("download_url", "format", "resource_name", "size", "size_unit")
CATALOGUE_SIGNS = ("holder", "description", "frequency", "access", "licence", "url", "landing_page", "keywords",
                   "download_url", "updated", "contact")
REQUIRED = ("title", "holder")
DOWNLOAD = "Download: "  # the label of each distribution's line in a dataset record's text
LABELS = [("description", "What it covers"), ("notes", "Notes"), ("coverage", "Coverage"),
          ("frequency", "How often"), ("updated", "Last updated"), ("created", "Created"),
          ("access", "How to get access"), ("licence", "Licence"), ("formats", "Formats"),
          ("keywords", "Keywords"), ("themes", "Themes"), ("contact", "Contact"), ("status", "Status"),
          ("landing_page", "Landing page"), ("url", "Source")]

_FREQ = r"(daily|weekly|fortnightly|monthly|quarterly|annually|yearly|biannually|every (?:\w+ ){0,2}(?:days?|weeks?|months?|years?))"
FREQ_PHRASE = re.compile(
    rf"\b(?:updated|published|refreshed|released|produced|collected)\s+{_FREQ}\b"
    rf"|\b(daily|weekly|fortnightly|monthly|quarterly|annual|yearly)\s+(?:updates?|releases?|publications?|refresh)\b",
    re.IGNORECASE,
)
_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$")


def _norm(header: str) -> str:
    header = re.sub(r"^(dct|dcat|dcterms|foaf|vcard|schema|adms):", "", str(header))
    header = re.sub(r"([a-z])([A-Z])", r"\1 \2", header)
    header = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1 \2", header)
    return re.sub(r"[^a-z0-9]+", " ", header.lower()).strip()


def map_headers(headers: list[str]) -> dict[str, str]:
    """Header -> normalised field, by exact meaning first, then by a meaningful word inside the header. Where two
    headers mean one field exactly, the field's first synonym wins ("notes" over "lineage", whatever their order):
    a second header taking it would leave the first unread."""
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    normed = {h: _norm(h) for h in headers}
    for fld, words in FIELD_SYNONYMS.items():
        for w in words:
            for h in headers:
                if h not in mapping and normed[h] == w and (fld not in taken or fld in MULTI):
                    mapping[h] = fld
                    taken.add(fld)
    for h in headers:
        if h in mapping:
            continue
        for fld, words in FIELD_SYNONYMS.items():
            if fld in taken and fld not in MULTI:
                continue
            if any(re.search(rf"\b{re.escape(w)}\b", normed[h]) for w in words if len(w) > 3):
                mapping[h] = fld
                taken.add(fld)
                break
    return mapping


def is_catalogue(headers: list[str]) -> bool:
    """A table describes datasets when its columns name a title and at least two other catalogue fields."""
    fields = set(map_headers(headers).values())
    if "title" not in fields:
        return False
    return "holder" in fields or len(fields & set(CATALOGUE_SIGNS)) >= 3 and bool(
        fields & {"description", "url", "landing_page", "download_url"})


def strip_markup(text: str) -> str:
    """Catalogue descriptions carry HTML, inline CSS, Markdown links and escaped line breaks: plain text only."""
    if not text:
        return ""
    text = text.replace("\\r\\n", "\n").replace("\\n", "\n").replace("\\t", " ")
    if re.search(r"<[a-zA-Z/][^>]*>", text):
        from bs4 import BeautifulSoup

        soup = BeautifulSoup(text, "html.parser")
        for tag in soup.find_all(["style", "script"]):
            tag.decompose()
        for br in soup.find_all(["br", "p", "li", "div", "tr", "h1", "h2", "h3", "h4"]):
            br.insert_after("\n")
        text = soup.get_text()
    text = re.sub(r"\{[^{}]*:[^{}]*\}", " ", text)  # CSS rule bodies left in text
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"\[([^\]]+)\]\(([^)]+)\)", r"\1 (\2)", text)
    text = re.sub(r"(\*\*|__|`|^#+\s*)", "", text, flags=re.MULTILINE)
    lines = [clean(x) for x in text.replace("\r", "\n").split("\n")]
    return clean(" ".join(x for x in lines if x))


def iso_date(value: Any) -> str:
    """A date as YYYY-MM-DD, or "" when the value is not a date (a frequency is never a date)."""
    if value is None or value == "":
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    m = _DATE.match(str(value).strip())
    return m.group(1) if m else ""


def frequency_in(text: str) -> str:
    """A stated update frequency ("updated weekly") found in a description, as written."""
    m = FREQ_PHRASE.search(text or "")
    return clean(m.group(0)) if m else ""


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


def _contact(value: Any) -> str:
    """A contact point as "name <email>" (vCard fn and hasEmail, DCAT-US fn and email)."""
    if isinstance(value, list):
        return "; ".join(x for x in (_contact(v) for v in value) if x)
    if not isinstance(value, dict):
        return _flatten(value)
    name = _flatten(value.get("fn") or value.get("vcard:fn") or value.get("name") or "")
    email = _flatten(value.get("hasEmail") or value.get("vcard:hasEmail") or value.get("email") or "")
    return f"{name} <{email}>" if name and email else name or email


def _size(size: Any, unit: Any = "") -> str:
    try:
        n = float(str(size).replace(",", ""))
    except ValueError:
        return clean(f"{size} {unit or ''}")
    unit = str(unit or "B").strip()
    if unit.upper() in ("B", "BYTES", ""):
        for u in ("B", "KB", "MB", "GB"):
            if n < 1024 or u == "GB":
                return f"{n:.0f} {u}" if u == "B" else f"{n:.1f} {u}"
            n /= 1024
    return f"{n:g} {unit}"


def _format(value: Any) -> str:
    """A distribution's format as a short name: "text/csv" -> "CSV"."""
    f = _flatten(value)
    if "/" in f:
        f = f.rsplit("/", 1)[1]
        f = {"vnd.openxmlformats-officedocument.spreadsheetml.sheet": "XLSX", "vnd.ms-excel": "XLS",
             "geo+json": "GeoJSON", "vnd.geo+json": "GeoJSON"}.get(f.lower(), f)
    return f.upper() if len(f) <= 8 else f


def _distribution(d: dict[str, Any]) -> dict[str, str]:
    """A DCAT (AP or US) distribution or a CKAN resource."""
    get = lambda *ks: next((d[k] for k in ks if d.get(k)), "")  # noqa: E731
    return {k: v for k, v in {
        "title": _flatten(get("title", "dct:title", "name", "description")),
        "format": _format(get("format", "dct:format", "mediaType", "dcat:mediaType", "mimetype")),
        "url": _flatten(get("downloadURL", "dcat:downloadURL", "accessURL", "dcat:accessURL", "url", "@id")),
        "size": _size(get("byteSize", "dcat:byteSize", "size")) if get("byteSize", "dcat:byteSize", "size") else "",
        "updated": iso_date(get("modified", "dct:modified", "last_modified", "metadata_modified")),
    }.items() if v}


def _ckan(pkg: dict[str, Any]) -> dict[str, Any]:
    extras = {e.get("key", ""): e.get("value", "") for e in pkg.get("extras") or [] if isinstance(e, dict)}
    org = pkg.get("organization") or {}
    return {
        "title": pkg.get("title") or pkg.get("name"),
        "holder": (org.get("title") if isinstance(org, dict) else org) or pkg.get("maintainer") or pkg.get("author"),
        "description": pkg.get("notes"),
        "frequency": pkg.get("frequency") or extras.get("frequency") or extras.get("update_frequency"),
        "coverage": extras.get("spatial") or extras.get("temporal") or extras.get("coverage"),
        "licence": pkg.get("license_title") or pkg.get("license_id"),
        "access": extras.get("access"),
        "contact": pkg.get("maintainer_email") or pkg.get("author_email"),
        "url": pkg.get("url") or extras.get("landing_page"),
        "created": pkg.get("metadata_created"),
        "updated": pkg.get("metadata_modified"),
        "keywords": [t.get("display_name") or t.get("name") for t in pkg.get("tags") or [] if isinstance(t, dict)],
        "themes": [g.get("title") or g.get("name") for g in pkg.get("groups") or [] if isinstance(g, dict)],
        "distribution": pkg.get("resources") or [],
    }


def _rows_from_json(obj: Any) -> list[dict[str, Any]] | None:
    if isinstance(obj, dict) and isinstance(obj.get("result"), dict):  # CKAN API envelope
        res = obj["result"]
        if isinstance(res.get("results"), list):
            return [_ckan(p) for p in res["results"]]
        return [_ckan(res)]
    if isinstance(obj, dict) and isinstance(obj.get("result"), list):  # CKAN package_list of packages
        return [_ckan(p) for p in obj["result"] if isinstance(p, dict)]
    if isinstance(obj, dict) and "name" in obj and ("notes" in obj or "resources" in obj or "organization" in obj):
        return [_ckan(obj)]  # a bare CKAN package
    if isinstance(obj, dict):
        graph = obj.get("@graph")
        if isinstance(graph, list):  # DCAT-AP JSON-LD graph: datasets among other nodes
            ds = [n for n in graph if isinstance(n, dict) and "Dataset" in str(n.get("@type", ""))]
            if ds:
                return ds
        for key in ("dataset", "dcat:dataset", "datasets", "@graph", "items", "records", "data"):
            if isinstance(obj.get(key), list):
                return [r for r in obj[key] if isinstance(r, dict)]
    if isinstance(obj, list) and all(isinstance(r, dict) for r in obj):
        return obj
    return None


def _sheets(path: Path, data: bytes) -> list[tuple[str, list[str], list[tuple[int, tuple]]]]:
    """Every sheet of a workbook as (name, header, [(row number, values)])."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001
        raise IngestError(str(path), f"not a readable XLSX workbook ({type(exc).__name__})") from None
    out = []
    for ws in wb.worksheets:
        rows = [(i, r) for i, r in enumerate(ws.iter_rows(values_only=True), start=1)
                if any(c not in (None, "") for c in r)]
        if not rows:
            continue
        header = [clean(str(h or "")) for h in rows[0][1]]
        out.append((ws.title, header, rows[1:]))
    return out


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


def dataset_text(f: dict[str, Any]) -> str:
    """A dataset record as readable text, one labelled field per line, so a citation can quote the line that
    answers ("How often: Annual")."""
    name = f"{f['title']} ({f['acronym']})" if f.get("acronym") else f["title"]
    lines = [f"Dataset: {name}", f"Held by: {f['holder']}"]
    for key, label in LABELS:
        value = f.get(key)
        if value and not (key == "licence" and value == f.get("access")
                          or key == "url" and value == f.get("landing_page")):
            lines.append(f"{label}: {value}")
    for d in f.get("distributions") or []:
        bits = ", ".join(x for x in (d.get("format"), d.get("size"), d.get("updated") and f"updated {d['updated']}")
                         if x)
        lines.append(f"{DOWNLOAD}{d.get('title') or d.get('format') or 'file'}" + (f" ({bits})" if bits else "")
                     + (f" {d['url']}" if d.get("url") else ""))
    return "\n".join(lines)


def _fields(raw: dict[str, Any], mapping: dict[str, str]) -> dict[str, Any]:
    """One row or JSON object into normalised fields (values still raw)."""
    out: dict[str, Any] = {}
    for h, v in raw.items():
        fld = mapping.get(str(h))
        if not fld or v in (None, "", []):
            continue
        if fld in MULTI:
            out.setdefault(fld, []).append(v)
        elif fld not in out:
            out[fld] = v
    return out


def _keywords(values: list[Any]) -> str:
    words: list[str] = []
    for v in values:
        items = v if isinstance(v, list) else re.split(r"\s*[;|]\s*|\s*,\s*(?=\S)", _flatten(v))
        for w in items:
            w = _flatten(w)
            if w and w.lower() not in (x.lower() for x in words):
                words.append(w)
    return "; ".join(words)


def _dataset(raw: dict[str, Any], catalogue_holder: str) -> dict[str, Any]:
    """Normalised dataset fields: markup stripped, dates as dates, frequency from the field or the description."""
    f: dict[str, Any] = {k: "" for k in ("title", "acronym", "holder", "description", "coverage", "frequency",
                                          "access", "contact", "url", "status")}
    for k, v in raw.items():
        if k in MULTI:
            f[k] = _keywords(v if isinstance(v, list) else [v])
        elif k == "contact":
            f[k] = _contact(v)
        elif k in ("description", "notes"):
            f[k] = strip_markup(_flatten(v) if not isinstance(v, str) else v)
        elif k in ("created", "updated"):
            f[k] = iso_date(_flatten(v) if not isinstance(v, str) else v)
        elif k not in ("distribution", *RESOURCE):
            f[k] = _flatten(v)
    if f.get("notes") and f["notes"].startswith(f["description"]):
        f["description"], f["notes"] = f["notes"], ""
    if f["frequency"].startswith("http"):  # a DCAT-AP frequency vocabulary address: its last word
        f["frequency"] = f["frequency"].rstrip("/").rsplit("/", 1)[-1].replace("_", " ").capitalize()
    if f["frequency"] and iso_date(f["frequency"]):  # a date in a frequency column is when it was updated
        f["updated"] = f.get("updated") or iso_date(f["frequency"])
        f["frequency"] = ""
    if not f["frequency"]:
        f["frequency"] = frequency_in(f["description"]) or frequency_in(f.get("notes", ""))
    if f["holder"].startswith(("http://", "https://")) and catalogue_holder:
        f["holder"] = catalogue_holder  # DCAT-US publishers are sometimes only a portal address
    if f.get("landing_page") and not f["url"]:
        f["url"] = f["landing_page"]
    if not f["access"] and f.get("licence"):
        f["access"] = f["licence"]
    return {k: v for k, v in f.items() if v or k in ("title", "acronym", "holder", "description", "coverage",
                                                     "frequency", "access", "contact", "url", "status")}


def _catalogue_holder(meta: dict[str, Any]) -> str:
    pub = _flatten(meta.get("publisher") or meta.get("dct:publisher") or "")
    if pub and not pub.startswith("http"):
        return pub
    title = _flatten(meta.get("title") or meta.get("dct:title") or "")
    return re.sub(r"\s+(open data\s+)?(data\s+)?catalog(ue)?$", "", title, flags=re.IGNORECASE).strip()


def _records(doc: ParsedDocument, rows: list[tuple[str, dict[str, Any]]], holder: str) -> None:
    """Rows (with their locators) into dataset records; rows of one dataset (one row per file) are grouped."""
    headers = list(dict.fromkeys(str(h) for _, r in rows for h in r))
    mapping = map_headers(headers)
    groups: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    order: list[str] = []
    for where, row in rows:
        raw = _fields(row, mapping)
        for k in ("distribution", "dcat:distribution", "resources"):  # nested distributions (DCAT, CKAN)
            if isinstance(row.get(k), list | dict) and k != "distribution":
                raw["distribution"] = row[k]
        if isinstance(row.get("distribution"), list | dict):
            raw["distribution"] = row["distribution"]
        title = _flatten(raw.get("title"))
        key = _flatten(raw.get("landing_page") or raw.get("url") or "") or title
        key = f"{title}\x00{key}"
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append((where, raw))
    for n, key in enumerate(order, start=1):
        members = groups[key]
        first_where, first = members[0]
        fields = _dataset(first, holder)
        dists: list[dict[str, str]] = []
        for _, raw in members:
            nested = raw.get("distribution")
            for d in (nested if isinstance(nested, list) else [nested] if isinstance(nested, dict) else []):
                if isinstance(d, dict) and (dist := _distribution(d)):
                    dists.append(dist)
            res = {k: v for k, v in {
                "title": _flatten(raw.get("resource_name")), "format": _format(raw.get("format")),
                "url": _flatten(raw.get("download_url")),
                "size": _size(raw["size"], raw.get("size_unit")) if raw.get("size") else "",
                "updated": iso_date(_flatten(raw.get("updated"))),
            }.items() if v}
            if res.get("url") or res.get("title"):
                dists.append(res)
        if dists:
            fields["distributions"] = dists
            fields["formats"] = ", ".join(dict.fromkeys(d["format"] for d in dists if d.get("format")))
        dates = [iso_date(_flatten(raw.get("updated"))) for _, raw in members]
        if any(dates):
            fields["updated"] = max(d for d in dates if d)
        missing = [f for f in REQUIRED if not fields.get(f)]
        where = first_where if len(members) == 1 else f"{first_where} to {members[-1][0].split()[-1]}"
        if missing:
            doc.warnings.append(f"{where}: missing {' and '.join(missing)}; this row was skipped")
            continue
        text = dataset_text(fields)
        section = (doc.title, fields["title"])
        doc.blocks.append(Block(text, section, where, "row"))
        doc.records.append(Record("dataset", f"dataset-{n}", fields, text, section, where))


def _table_document(path: Path, sheets: list[tuple[str, list[str], list[tuple[int, tuple]]]]) -> ParsedDocument:
    """A spreadsheet or CSV that is not a catalogue: each row one block carrying its column names."""
    doc = ParsedDocument(source=str(path), title=path.stem.replace("_", " "), kind="other")
    for n, (sheet, header, rows) in enumerate(sheets, start=1):
        names = [h or f"Column {i + 1}" for i, h in enumerate(header)]
        section = (doc.title, sheet) if len(sheets) > 1 or sheet not in ("", path.stem) else (doc.title,)
        for number, values in rows:
            cells = [(h, clean(str(v))) for h, v in zip(names, values, strict=False) if v not in (None, "")]
            cells = [(h, v) for h, v in cells if v]
            if not cells:
                continue
            loc = f"sheet {sheet}, row {number}" if sheet else f"row {number}"
            doc.blocks.append(Block(" | ".join(f"{h}: {v}" for h, v in cells), section, loc, "row",
                                    " | ".join(names), table=f"table {n}"))
    if not doc.blocks:
        raise IngestError(str(path), "no rows found under the header row")
    return doc


def load(path: Path, data: bytes) -> ParsedDocument:
    src, suffix = str(path), path.suffix.lower()
    meta: dict[str, Any] = {}
    rows: list[tuple[str, dict[str, Any]]]
    if suffix == ".xlsx":
        sheets = _sheets(path, data)
        if not sheets:
            raise IngestError(src, "the workbook has no rows")
        cats = [s for s in sheets if is_catalogue(s[1])]
        if not cats:
            return _table_document(path, sheets)
        rows = [(f"row {i}" if len(sheets) == 1 else f"sheet {name}, row {i}",
                 dict(zip(header, values, strict=False))) for name, header, body in cats for i, values in body]
    elif suffix in (".csv", ".tsv"):
        text = decode(path, data)
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t|") if suffix == ".csv" else csv.excel_tab
        except csv.Error:
            dialect = csv.excel
        table = list(csv.reader(io.StringIO(text), dialect=dialect))
        table = [r for r in table if any(c.strip() for c in r)]
        if not table or len(table[0]) < 2:
            raise IngestError(src, "not a table: expected a header row and at least two columns")
        header = [clean(h) for h in table[0]]
        if not is_catalogue(header):
            return _table_document(path, [("", header, list(enumerate(table[1:], start=2)))])
        rows = [(f"row {i}", dict(zip(header, r, strict=False))) for i, r in enumerate(table[1:], start=2)]
    else:
        text = decode(path, data)
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
            meta = {k: v for k, v in obj.items() if isinstance(v, str | int | float | dict) and k != "result"}
        found = _rows_from_json(obj)
        if found is None:
            raise IngestError(src, "no datasets found: expected a list of records, a CKAN result or a DCAT catalogue")
        rows = [(f"record {i}", r) for i, r in enumerate(found, start=1)]
    title = (_flatten(meta.get("title") or meta.get("dct:title"))
             or path.stem.replace("_", " ").replace("-", " "))
    doc = ParsedDocument(source=src, title=title, kind="catalogue", version=_flatten(meta.get("version") or ""),
                         publisher=_catalogue_holder(meta) if meta else "", url=_flatten(meta.get("url") or ""))
    _records(doc, rows, _catalogue_holder(meta) if meta else "")
    if not doc.records:
        raise IngestError(src, "no usable catalogue records (each needs a title and a holder): "
                          + "; ".join(doc.warnings[:3]))
    return doc
