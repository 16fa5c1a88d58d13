"""`wayfinder eval`: quality on the evaluation questions, Wayfinder beside its baselines, per split and user group.

Scored as in Meta's CRAG: an answer whose cited quotes hold every key fact is accurate (+1); an answer that does
not, or any answer to a question that must be declined, is a hallucination (-1); an honest decline scores 0.
Truthfulness = accuracy - hallucination. A partial answer that holds every key fact it gives counts as accurate only
when all the question's facts are there; otherwise it is missing (0), since it says which part it could not answer.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from evals import metrics as m
from evals import question_sets
from evals.store import eval_components
from evals.systems import LangChainDefault, SearchBaseline, WayfinderSystem

RESULTS = Path(__file__).with_name("results")
FLOORS = Path(__file__).with_name("floors.json")


def relevant_ids(index: Any, expected: str) -> set[str]:
    if not expected:
        return set()
    rows = index.conn.execute("SELECT id FROM chunks WHERE instr(lower(text), lower(?)) > 0", (expected,))
    return {r[0] for r in rows}


def judge(q: dict[str, Any], quotes: list[str], abstained: bool, status: str) -> dict[str, float]:
    must_decline = q["expect"] != "answered"
    accurate = not must_decline and not abstained and m.answer_correct(q["must"], quotes)
    hallucinated = (not abstained and must_decline) or (
        not must_decline and not abstained and not accurate and status != "partial")
    return {"accurate": float(accurate), "hallucinated": float(hallucinated),
            "wrong_decline": float(not must_decline and abstained),
            "right_decline": float(must_decline and abstained),
            "status_right": float(status == q["expect"] or (q["expect"] == "answered" and accurate))}


def score(system: Any, questions: list[dict[str, Any]], index: Any) -> dict[str, Any]:
    per: list[dict[str, Any]] = []
    for q in questions:
        res = system.run(q["question"], q["conversation"])
        rel = relevant_ids(index, q.get("expected_source", ""))
        status = res.extra.get("status", "answered")
        row: dict[str, Any] = {"id": q["id"], "family": q.get("family", q["id"]), "wording": q.get("wording", ""),
                               "group": q["group"], "set": q["set"], "expect": q["expect"], "status": status,
                               "latency_ms": res.latency_ms, "r5": m.recall_at(res.ranking, rel, 5),
                               "rr": m.reciprocal_rank(res.ranking, rel), "has_rel": bool(rel)}
        row |= judge(q, res.quotes, res.abstained, status)
        per.append(row)
    return {"per_question": per, "summary": summarise(per)}


def summarise(per: list[dict[str, Any]]) -> dict[str, float]:
    ans = [r for r in per if r["expect"] == "answered"]
    dec = [r for r in per if r["expect"] != "answered"]
    ranked = [r for r in ans if r["has_rel"]]

    def mean(rows: list[dict[str, Any]], key: str) -> float:
        return sum(r[key] for r in rows) / len(rows) if rows else 0.0

    acc, hal = mean(per, "accurate"), mean(per, "hallucinated")
    lat = [r["latency_ms"] for r in per]
    return {
        "n": len(per), "answerable": len(ans), "must_decline": len(dec),
        "accuracy": acc, "hallucination": hal, "truthfulness": acc - hal,
        "accuracy_answerable": mean(ans, "accurate"), "wrong_declines": mean(ans, "wrong_decline"),
        "declines_right": mean(dec, "right_decline"), "status_right": mean(per, "status_right"),
        "recall@5": mean(ranked, "r5"), "mrr": mean(ranked, "rr"),
        "latency_median_ms": m.median(lat), "latency_p95_ms": m.percentile(lat, 95),
    }


def families(per: list[dict[str, Any]]) -> dict[str, float]:
    """Facts asked in three or more wordings: the share answered right in every wording."""
    fam: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in per:
        if r["expect"] == "answered" and r["wording"]:
            fam[r["family"]].append(r)
    full = {f: rows for f, rows in fam.items() if len(rows) >= 3}
    allright = sum(all(r["accurate"] for r in rows) for rows in full.values())
    return {"families": len(full), "all_wordings_right": allright / len(full) if full else 0.0}


def breakdown(per: list[dict[str, Any]], key: str) -> dict[str, dict[str, float]]:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in per:
        groups[r[key]].append(r)
    return {g: summarise(rows) for g, rows in sorted(groups.items())}


def machine() -> str:
    import os

    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


COLS = ["accuracy", "hallucination", "truthfulness", "wrong_declines", "declines_right", "accuracy_answerable",
        "status_right", "recall@5", "mrr", "latency_median_ms", "latency_p95_ms"]


def markdown(split: str, runs: dict[str, dict[str, Any]]) -> str:
    first = next(iter(runs.values()))["summary"]
    lines = [f"# Evaluation: {split}", "",
             f"- date: {dt.date.today().isoformat()}", f"- machine: {machine()}",
             f"- command: `wayfinder eval --split {split} --write`",
             f"- questions: {first['n']} ({first['answerable']} answerable, {first['must_decline']} must be declined)",
             "", "| system | " + " | ".join(COLS) + " |", "|---" * (len(COLS) + 1) + "|"]
    for name, run in runs.items():
        s = run["summary"]
        lines.append(f"| {name} | " + " | ".join(f"{s[c]:.1f}" if c.startswith("latency") else f"{s[c]:.2f}"
                                                   for c in COLS) + " |")
    for key in ("group", "set", "wording", "expect"):
        lines += ["", f"## By {key} (accuracy / hallucination / truthfulness)", "",
                  f"| {key} | n | " + " | ".join(runs) + " |", "|---|---" + "|---" * len(runs) + "|"]
        parts = {n: breakdown(r["per_question"], key) for n, r in runs.items()}
        for g, s0 in next(iter(parts.values())).items():
            cells = [f"{parts[n][g]['accuracy']:.2f} / {parts[n][g]['hallucination']:.2f} / "
                     f"{parts[n][g]['truthfulness']:.2f}" for n in runs]
            lines.append(f"| {g} | {s0['n']} | " + " | ".join(cells) + " |")
    wf = runs.get("Wayfinder")
    if wf:
        fam = families(wf["per_question"])
        lines += ["", f"Paraphrase families (3+ wordings of one fact): {fam['families']}; answered right in every "
                      f"wording: {fam['all_wordings_right']:.2f}"]
        wrong = [f"{r['id']} ({r['status']})" for r in wf["per_question"] if r["hallucinated"]]
        declined = [r["id"] for r in wf["per_question"] if r["wrong_decline"]]
        lines += ["", f"Wayfinder hallucinations ({len(wrong)}): {', '.join(wrong) or 'none'}", "",
                  f"Wayfinder wrong declines ({len(declined)}): {', '.join(declined) or 'none'}"]
    return "\n".join(lines) + "\n"


def main(args: argparse.Namespace, components: Any = None) -> int:
    questions = question_sets.load(args.split)
    components = eval_components(Path(args.store) if args.store else None,
                                 realdocs=args.split == "real" or any(q["set"] == "realdocs" for q in questions))
    systems: list[Any] = [WayfinderSystem(components)]
    if not args.no_baselines:
        systems += [SearchBaseline(components, "lexical"), SearchBaseline(components, "dense"),
                    LangChainDefault(components)]
    systems[0].run("warm-up question", [])  # load the model before timing
    runs = {s.name: score(s, questions, components.index) for s in systems}
    if args.write:
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / f"eval-{args.split}.md").write_text(markdown(args.split, runs), encoding="utf-8")
    if args.json:
        print(json.dumps({n: {"summary": r["summary"], "by_group": breakdown(r["per_question"], "group"),
                              "families": families(r["per_question"]), "per_question": r["per_question"]}
                          for n, r in runs.items()}, indent=2))
    else:
        sys.stdout.write(markdown(args.split, runs))
    return 0
