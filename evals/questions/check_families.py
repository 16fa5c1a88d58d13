"""Check evals/questions/families.jsonl against the documents it was written from.

    python evals/questions/check_families.py          # exit status 1 on any error
    python evals/questions/check_families.py evals/questions/families_dev3a.jsonl   # another family file (dev
                                                      # training sets: the minimum counts are the main set's)

Checks: field names and values; unique ids (id = family-wording); every family has one
set/group/answer_type/expect/must/source/split; every answerable family has formal, casual and
compound wordings; follow-ups carry a conversation; must-not-answer questions have must [] and
source null; the FIRST string of every must group occurs verbatim (case-insensitive, whitespace
normalised) in its source's text; minimum counts. Warnings (not errors) are printed when a first
string only matches because whitespace was normalised (it spans a line break in the source).

Source text: corpus files and realdocs files are read raw; PDFs with pypdf's extract_text()
(pages joined by newlines); the XLSX with openpyxl (all cell values); the HTML with tags stripped
and entities unescaped.
"""
from __future__ import annotations

import html
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
QUESTIONS = HERE / "families.jsonl"
CORPUS = ROOT / "corpus"
REALDOCS = Path("/work/shared/realdocs")

CORPUS_FILES = {
    "data-and-information-2024.txt": CORPUS / "routemaps" / "data-and-information-2024.txt",
    "data-and-information-2025-12.txt": CORPUS / "routemaps" / "data-and-information-2025-12.txt",
    "datasets.yaml": CORPUS / "catalogue" / "datasets.yaml",
    "glossary.yaml": CORPUS / "glossary" / "glossary.yaml",
    "understanding-progress.md": CORPUS / "framework" / "understanding-progress.md",
}
REAL_FILES = [
    "Promoting_the_health_and_well-being_of_looked-after_children_August_2022_update.pdf",
    "Childrens_social_work_workforce_census_2024_to_2025_technical_specification_v1.pdf",
    "Standard_Safeguarding_Dataset_Final_Report_April_2024_v1.0.pdf",
    "SCT04185156361.pdf",
    "Public_Health_Scotland.csv",
    "Dumfries_and_Galloway_Council.json",
    "hwb_metadata_s1_column_names.xlsx",
    "uncertainty.html",
    "3-inclusion.md",
]

FIELDS = ["id", "family", "split", "set", "wording", "group", "answer_type", "question",
          "conversation", "expect", "must", "source"]
ENUMS = {
    "split": {"dev", "test"},
    "set": {"corpus", "realdocs"},
    "wording": {"formal", "casual", "compound", "followup"},
    "group": {"workforce", "policy", "newcomer"},
    "answer_type": {"organisation", "date", "number", "frequency", "access", "definition", "list",
                    "yesno", "none"},
    "expect": {"answered", "declined", "out_of_scope", "no_information"},
}
MINIMUM = {
    "corpus answerable families": 100,
    "realdocs answerable families": 25,
    "follow-up questions": 20,
    "must-not-answer questions": 70,
    "out-of-scope questions (kind o)": 30,
    "near-miss questions (kind m)": 25,
    "declined questions": 15,
}


def _pdf_text(path: Path) -> str:
    import pypdf  # the project venv has it

    reader = pypdf.PdfReader(str(path))
    return "\n".join((page.extract_text() or "") for page in reader.pages)


def _xlsx_text(path: Path) -> str:
    import openpyxl

    wb = openpyxl.load_workbook(str(path), read_only=True, data_only=True)
    cells = []
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            cells.extend(str(c) for c in row if c is not None)
    return "\n".join(cells)


def _html_text(path: Path) -> str:
    raw = path.read_text(encoding="utf-8")
    raw = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", raw)
    return html.unescape(re.sub(r"<[^>]+>", " ", raw))


def source_text(name: str) -> str:
    if name in CORPUS_FILES:
        return CORPUS_FILES[name].read_text(encoding="utf-8")
    if name not in REAL_FILES:
        raise KeyError(name)
    path = REALDOCS / name
    if name.endswith(".pdf"):
        return _pdf_text(path)
    if name.endswith(".xlsx"):
        return _xlsx_text(path)
    if name.endswith(".html"):
        return _html_text(path)
    return path.read_text(encoding="utf-8")


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u200b", "")).strip().lower()


def main() -> int:
    errors: list[str] = []
    warnings: list[str] = []
    rows = []
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else QUESTIONS
    main_set = path.resolve() == QUESTIONS.resolve()
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as exc:
            errors.append(f"line {n}: bad JSON ({exc})")

    ids = Counter(r.get("id") for r in rows)
    errors += [f"duplicate id {i}" for i, c in ids.items() if c > 1]

    texts: dict[str, tuple[str, str]] = {}
    fams: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        rid = r.get("id")
        if list(r.keys()) != FIELDS:
            errors.append(f"{rid}: fields {list(r.keys())} != {FIELDS}")
            continue
        for field, allowed in ENUMS.items():
            if r[field] not in allowed:
                errors.append(f"{rid}: {field}={r[field]!r}")
        if rid != f"{r['family']}-{r['wording']}":
            errors.append(f"{rid}: id should be family-wording")
        if not isinstance(r["question"], str) or len(r["question"].strip()) < 5:
            errors.append(f"{rid}: empty question")
        if not isinstance(r["conversation"], list):
            errors.append(f"{rid}: conversation must be a list")
        if (r["wording"] == "followup") != bool(r["conversation"]):
            errors.append(f"{rid}: follow-ups (and only follow-ups) carry a conversation")
        fams[r["family"]].append(r)
        answerable = r["expect"] == "answered"
        if not answerable:
            if r["must"] != [] or r["source"] is not None or r["answer_type"] != "none":
                errors.append(f"{rid}: must-not-answer needs must [], source null, answer_type none")
            continue
        if r["answer_type"] == "none":
            errors.append(f"{rid}: answerable question with answer_type none")
        if not (1 <= len(r["must"]) <= 3) or not all(isinstance(g, list) and g for g in r["must"]):
            errors.append(f"{rid}: must should hold 1-3 non-empty groups")
            continue
        src = r["source"]
        if src not in texts:
            try:
                raw = source_text(src)
                texts[src] = (norm(raw), re.sub(r"[ \t]+", " ", raw.replace("\u200b", "")).lower())
            except (KeyError, OSError) as exc:
                errors.append(f"{rid}: cannot read source {src!r} ({exc})")
                texts[src] = ("", "")
        normed, lines = texts[src]
        for group in r["must"]:
            first = group[0]
            if norm(first) not in normed:
                errors.append(f"{rid}: {first!r} not found verbatim in {src}")
            elif first.lower() not in lines:
                warnings.append(f"{rid}: {first!r} spans a line break in {src}")

    for fam, members in fams.items():
        for field in ("set", "group", "answer_type", "expect", "must", "source", "split"):
            values = {json.dumps(m[field]) for m in members}
            if len(values) > 1:
                errors.append(f"family {fam}: differing {field}: {sorted(values)}")
        wordings = Counter(m["wording"] for m in members)
        if any(c > 1 for c in wordings.values()):
            errors.append(f"family {fam}: repeated wording {wordings}")
        if members[0]["expect"] == "answered":
            missing = {"formal", "casual", "compound"} - set(wordings)
            if missing:
                errors.append(f"family {fam}: missing wordings {sorted(missing)}")
        elif "formal" not in wordings:
            errors.append(f"family {fam}: must-not-answer family without a formal wording")

    # ---- counts
    def fam_count(pred) -> int:
        return sum(1 for m in fams.values() if pred(m[0]))

    actual = {
        "corpus answerable families": fam_count(lambda r: r["expect"] == "answered" and r["set"] == "corpus"),
        "realdocs answerable families": fam_count(lambda r: r["expect"] == "answered" and r["set"] == "realdocs"),
        "follow-up questions": sum(1 for r in rows if r["wording"] == "followup"),
        "must-not-answer questions": sum(1 for r in rows if r["expect"] != "answered"),
        "out-of-scope questions (kind o)": sum(1 for r in rows if r["family"].startswith("o")),
        "near-miss questions (kind m)": sum(1 for r in rows if r["family"].startswith("m")),
        "declined questions": sum(1 for r in rows if r["expect"] == "declined"),
    }
    for key, minimum in MINIMUM.items():
        if main_set and actual[key] < minimum:
            errors.append(f"count {key} = {actual[key]} < {minimum}")
    real_sources = {r["source"] for r in rows if r["set"] == "realdocs" and r["source"]}
    for name in REAL_FILES:
        if main_set and name not in real_sources:
            errors.append(f"no realdocs question on {name}")

    print(f"questions: {len(rows)}  families: {len(fams)}")
    for key in MINIMUM:
        print(f"  {key}: {actual[key]} (minimum {MINIMUM[key]})")
    for label, key in (("set", "set"), ("split", "split"), ("expect", "expect"), ("wording", "wording"),
                       ("group", "group"), ("answer_type", "answer_type")):
        print(f"  by {label}: {dict(sorted(Counter(r[key] for r in rows).items()))}")
    by = Counter((r["set"], r["split"], r["expect"]) for r in rows)
    print("  by set/split/expect:")
    for k in sorted(by):
        print(f"    {k[0]:9} {k[1]:5} {k[2]:15} {by[k]}")
    fam_split = Counter((m[0]["family"][0], m[0]["split"]) for m in fams.values())
    print(f"  families by kind/split: {dict(sorted(fam_split.items()))}")
    print(f"  realdocs questions by source: {dict(sorted(Counter(r['source'] for r in rows if r['set'] == 'realdocs' and r['source']).items()))}")

    for w in warnings:
        print("WARNING:", w)
    for e in errors:
        print("ERROR:", e)
    print("OK" if not errors else f"{len(errors)} error(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
