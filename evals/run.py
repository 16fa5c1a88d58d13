"""`wayfinder eval`: quality on the evaluation questions, Wayfinder beside its baselines, per intent and group."""

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
from evals.systems import LangChainDefault, SearchBaseline, WayfinderSystem

QUESTIONS = Path(__file__).with_name("questions") / "questions.jsonl"
RESULTS = Path(__file__).with_name("results")
FLOORS = Path(__file__).with_name("floors.json")


def load_questions(split: str) -> list[dict[str, Any]]:
    rows = [json.loads(x) for x in QUESTIONS.read_text(encoding="utf-8").splitlines() if x.strip()]
    return rows if split == "all" else [r for r in rows if r["split"] == split]


def relevant_ids(index: Any, expected: str) -> set[str]:
    if not expected:
        return set()
    rows = index.conn.execute("SELECT id FROM chunks WHERE instr(lower(text), lower(?)) > 0", (expected,))
    return {r[0] for r in rows}


def score(system: Any, questions: list[dict[str, Any]], index: Any) -> dict[str, Any]:
    per: list[dict[str, Any]] = []
    for q in questions:
        res = system.run(q["question"], q["conversation"])
        rel = relevant_ids(index, q["expected_source"])
        row: dict[str, Any] = {"id": q["id"], "intent": q["intent"], "group": q["group"],
                               "answerable": q["answerable"], "abstained": res.abstained,
                               "latency_ms": res.latency_ms}
        if q["answerable"]:
            row |= {
                "r1": m.recall_at(res.ranking, rel, 1), "r5": m.recall_at(res.ranking, rel, 5),
                "r10": m.recall_at(res.ranking, rel, 10), "rr": m.reciprocal_rank(res.ranking, rel),
                "ndcg": m.ndcg_at(res.ranking, rel, 10),
                "fact": float(not res.abstained and m.facts_cited(q["key_facts"], res.quotes)),
                "cites": len(res.quotes) if not res.abstained else 0,
                "good_cites": sum(m.supports(x, q["key_facts"], q["expected_source"]) for x in res.quotes)
                if not res.abstained else 0,
            }
        per.append(row)
    return {"per_question": per, "summary": summarise(per)}


def summarise(per: list[dict[str, Any]]) -> dict[str, float]:
    ans = [r for r in per if r["answerable"]]
    oos = [r for r in per if not r["answerable"]]
    abst = [r for r in per if r["abstained"]]

    def mean(rows: list[dict[str, Any]], key: str) -> float:
        return sum(r[key] for r in rows) / len(rows) if rows else 0.0

    cites = sum(r["cites"] for r in ans)
    lat = [r["latency_ms"] for r in per]
    return {
        "n": len(per), "answerable": len(ans), "out_of_scope": len(oos),
        "recall@1": mean(ans, "r1"), "recall@5": mean(ans, "r5"), "recall@10": mean(ans, "r10"),
        "mrr": mean(ans, "rr"), "ndcg@10": mean(ans, "ndcg"),
        "key_fact_accuracy": mean(ans, "fact"),
        "citation_precision": sum(r["good_cites"] for r in ans) / cites if cites else 0.0,
        "abstention_precision": sum(1 for r in abst if not r["answerable"]) / len(abst) if abst else 0.0,
        "abstention_recall": sum(1 for r in oos if r["abstained"]) / len(oos) if oos else 0.0,
        "wrong_abstention": sum(1 for r in ans if r["abstained"]) / len(ans) if ans else 0.0,
        "latency_median_ms": m.median(lat), "latency_p95_ms": m.percentile(lat, 95),
    }


def breakdown(per: list[dict[str, Any]], key: str) -> dict[str, dict[str, float]]:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in per:
        groups[r[key]].append(r)
    return {g: summarise(rows) for g, rows in sorted(groups.items())}


def machine() -> str:
    import os

    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


def markdown(split: str, runs: dict[str, dict[str, Any]]) -> str:
    cols = ["recall@1", "recall@5", "recall@10", "mrr", "ndcg@10", "key_fact_accuracy", "citation_precision",
            "abstention_precision", "abstention_recall", "wrong_abstention", "latency_median_ms"]
    lines = [f"# Evaluation: {split} split", "",
             f"- date: {dt.date.today().isoformat()}", f"- machine: {machine()}",
             f"- command: `wayfinder eval --split {split} --write`", "",
             "| system | " + " | ".join(cols) + " |", "|---" * (len(cols) + 1) + "|"]
    for name, run in runs.items():
        s = run["summary"]
        lines.append(f"| {name} | " + " | ".join(f"{s[c]:.1f}" if c.startswith("latency") else f"{s[c]:.2f}"
                                                   for c in cols) + " |")
    for key in ("intent", "group"):
        lines += ["", f"## Key-fact accuracy and recall@5 by {key}", "",
                  "| " + key + " | n | " + " | ".join(f"{n} facts / r@5" for n in runs) + " |",
                  "|---|---" + "|---" * len(runs) + "|"]
        parts = {n: breakdown(r["per_question"], key) for n, r in runs.items()}
        first = next(iter(parts.values()))
        for g in first:
            cells = [f"{parts[n][g]['key_fact_accuracy']:.2f} / {parts[n][g]['recall@5']:.2f}" for n in runs]
            lines.append(f"| {g} | {first[g]['n']} | " + " | ".join(cells) + " |")
    wf = runs.get("Wayfinder")
    if wf:
        misses = [r["id"] for r in wf["per_question"] if (r["answerable"] and (r["fact"] < 1)) or
                  (not r["answerable"] and not r["abstained"])]
        lines += ["", f"Wayfinder misses ({len(misses)}): {', '.join(misses) or 'none'}"]
    return "\n".join(lines) + "\n"


def main(args: argparse.Namespace, components: Any) -> int:
    from ingest.pipeline import ensure_indexed

    ensure_indexed(components)
    questions = load_questions(args.split)
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
        print(json.dumps({n: {"summary": r["summary"], "by_intent": breakdown(r["per_question"], "intent"),
                              "by_group": breakdown(r["per_question"], "group"),
                              "per_question": r["per_question"]} for n, r in runs.items()}, indent=2))
    else:
        sys.stdout.write(markdown(args.split, runs))
    return 0
