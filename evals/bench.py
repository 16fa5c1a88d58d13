"""`wayfinder bench`: how fast Wayfinder is, on this machine, in one run. Medians and ratios; nothing asserted.

Large stores are made from the real corpus: every chunk is copied N times with its text marked as a copy and its
vector jittered (Gaussian noise, sigma 0.02, renormalised), so they build in minutes instead of re-embedding.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from core.components import Components
from core.model import Chunk
from core.settings import PROJECT_ROOT, Settings
from core.text import STOP
from evals import metrics as m
from evals.question_sets import REALDOCS
from evals.question_sets import load as load_questions
from evals.run import RESULTS, machine
from ingest.pipeline import Ingestor

PHS_CATALOGUE = REALDOCS / "Public_Health_Scotland.csv"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _components(store: Path, like: Components) -> Components:
    c = Components(Settings(store=store, today=like.settings.today))
    c.__dict__["embedder"] = like.embedder  # one model in memory for the whole run
    return c


def measure_ingest(base: Components, tmp: Path) -> dict[str, float]:
    c = _components(tmp / "ingest", base)
    c.embedder.encode(["warm-up"])
    report = Ingestor(c).run([c.settings.corpus], progress=False)
    texts = [ch.embed_text for ch in c.index.chunks(
        [r[0] for r in c.index.conn.execute("SELECT id FROM chunks")]).values()]
    t0 = time.perf_counter()
    c.embedder.encode(texts)
    raw = len(texts) / (time.perf_counter() - t0)
    again = Ingestor(c).run([c.settings.corpus], progress=False)
    return {
        "chunks": report.chunks_stored, "ingest_seconds": report.seconds,
        "ingest_chunks_per_s": report.chunks_stored / report.seconds,
        "raw_encode_per_s": raw, "ingest_vs_raw": (report.chunks_stored / report.seconds) / raw,
        "unchanged_reingest_seconds": again.seconds, "unchanged_reembedded": again.chunks_embedded,
    }


def latency(c: Components, questions: list[dict[str, Any]]) -> dict[str, float]:
    from assistant.answering.service import Assistant

    a = Assistant(c)
    a.ask("warm-up: what is CLAS?")
    total, lex, dense = [], [], []
    for q in questions:
        t0 = time.perf_counter()
        a.ask(q["question"], q["conversation"])
        total.append((time.perf_counter() - t0) * 1000)
        u = a.trace(q["question"], q["conversation"], read=False).understanding
        t1 = time.perf_counter()
        c.index.lexical(" ".join([u.query, *u.expansions]), 40, STOP)
        t2 = time.perf_counter()
        vec = c.embedder.embed_query(u.query)
        t3 = time.perf_counter()
        c.vectors.query(vec, 40)
        t4 = time.perf_counter()
        lex.append((t2 - t1) * 1000)
        dense.append(((t3 - t2) + (t4 - t3)) * 1000)
    return {"median_ms": m.median(total), "p95_ms": m.percentile(total, 95),
            "lexical_median_ms": m.median(lex), "embed_and_vector_median_ms": m.median(dense)}


def build_scaled(base: Components, store: Path, copies: int, extra: tuple[Path, ...] = ()) -> Components:
    """The real corpus (and `extra` documents) plus `copies - 1` jittered copies of every chunk."""
    c = _components(store, base)
    Ingestor(c).run([c.settings.corpus, *extra], progress=False)
    if copies <= 1:
        return c
    ids = [r[0] for r in c.index.conn.execute("SELECT id FROM chunks ORDER BY rowid")]
    originals = c.index.chunks(ids)
    vecs = c.vectors.existing_vectors(ids)
    docs = {d.doc_id: d for d in c.index.documents()}
    rng = np.random.default_rng(7)
    for k in range(1, copies):
        for doc_id, doc in docs.items():
            chunk_ids = [i for i in ids if originals[i].doc_id == doc_id]
            new_id = f"{doc_id[:10]}c{k:05d}"
            chunks = []
            for cid in chunk_ids:
                ch = originals[cid]
                meta = {**ch.meta, "doc_id": new_id, "source": f"copy-{k}-{ch.meta.get('source', '')}"}
                chunks.append(Chunk(f"{new_id}-{cid.split('-', 1)[1]}", f"{ch.text} (copy {k})",
                                    f"{ch.embed_text} (copy {k})", meta))
            arr = np.array([vecs[cid] for cid in chunk_ids])
            arr = arr + rng.normal(0, 0.02, arr.shape)
            arr /= np.linalg.norm(arr, axis=1, keepdims=True)
            c.vectors.upsert([x.id for x in chunks], arr.tolist(), [x.text for x in chunks],
                             [x.metadata for x in chunks])
            row = type(doc)(**{**doc.__dict__, "doc_id": new_id, "path": f"{doc.path}#copy{k}",
                               "n_records": 0, "n_chunks": len(chunks)})
            c.index.replace_document(row, chunks, [])
    return c


def cold_start(store: Path) -> float:
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "assistant.cli", "ask", "What is CLAS?", "--json", "--store",
                        str(store)], capture_output=True, check=True, cwd=PROJECT_ROOT)
        times.append(time.perf_counter() - t0)
    return m.median(times)


def markdown(r: dict[str, Any]) -> str:
    ing = r["ingest"]
    lines = ["# Benchmarks", "", f"- date: {r['date']}", f"- machine: {r['machine']}",
             f"- command: `wayfinder bench --scales {r['scales']} --write`", "",
             "## Ingestion (bundled corpus, fresh store)", "",
             "| chunks | seconds | chunks/s (whole pipeline) | raw model encode/s | ratio | unchanged re-ingest s "
             "| re-embedded |", "|---|---|---|---|---|---|---|",
             f"| {ing['chunks']} | {ing['ingest_seconds']:.1f} | {ing['ingest_chunks_per_s']:.1f} | "
             f"{ing['raw_encode_per_s']:.1f} | {ing['ingest_vs_raw']:.2f} | {ing['unchanged_reingest_seconds']:.3f} | "
             f"{ing['unchanged_reembedded']} |", "",
             "## `ask` latency, warm, and where the time goes", "",
             "| corpus multiple | chunks | build s | median ms | p95 ms | lexical (FTS5) median ms | "
             "embed + vector median ms | peak RSS MB |", "|---|---|---|---|---|---|---|---|"]
    for s in r["scaling"]:
        name = f"1x + {s['extra']}" if "extra" in s else f"{s['copies']}x"
        lines.append(f"| {name} | {s['chunks']} | {s['build_seconds']:.0f} | {s['median_ms']:.1f} | "
                     f"{s['p95_ms']:.1f} | {s['lexical_median_ms']:.1f} | {s['embed_and_vector_median_ms']:.1f} | "
                     f"{s['peak_rss_mb']:.0f} |")
    lines += ["", "Catalogue size: entity linking per question (the only per-question step that grows with records)",
              "", "| dataset records | index build s | median ms | p95 ms |", "|---|---|---|---|"]
    lines += [f"| {x['records']:,} | {x['build_seconds']:.1f} | {x['link_median_ms']:.2f} | {x['link_p95_ms']:.2f} |"
              for x in r.get("records", [])]
    lines += ["", f"CLI cold start to a first answer (`wayfinder ask ... --json`, median of 3): "
              f"{r['cold_start_seconds']:.1f} s", "",
              "Large stores: the real chunks copied with their text marked as a copy and their vectors jittered "
              "(sigma 0.02, renormalised). Latency is over the dev questions, one process, warm."]
    return "\n".join(lines) + "\n"


def record_scaling(components: Components, questions: list[dict[str, Any]],
                   sizes: tuple[int, ...] = (1_000, 10_000, 50_000)) -> list[dict[str, float]]:
    """What a question costs as a catalogue grows: entity linking over every dataset title, the one per-question
    step whose input grows with the records (records are then looked up by key, never scanned)."""
    from assistant.answering.entities import EntityIndex

    real = [r.fields for r in components.index.records("dataset")]
    rows = []
    for n in sizes:
        synthetic = [{**real[i % len(real)], "title": f"{real[i % len(real)]['title']} ({i})", "acronym": ""}
                     for i in range(n)]
        t0 = time.perf_counter()
        index = EntityIndex(components.glossary, real + synthetic)
        build = time.perf_counter() - t0
        times = []
        for q in questions:
            t1 = time.perf_counter()
            index.find(q["question"])
            times.append((time.perf_counter() - t1) * 1000)
        rows.append({"records": n + len(real), "build_seconds": build, "link_median_ms": m.median(times),
                     "link_p95_ms": m.percentile(times, 95)})
    return rows


def main(args: argparse.Namespace, components: Components) -> int:
    scales = [int(x) for x in args.scales.split(",") if x.strip()]
    questions = load_questions("dev")
    result: dict[str, Any] = {"date": dt.date.today().isoformat(), "machine": machine(), "scales": args.scales}
    with tempfile.TemporaryDirectory(prefix="wayfinder-bench-") as tmp_s:
        tmp = Path(tmp_s)
        result["ingest"] = measure_ingest(components, tmp)
        print(f"ingest: {json.dumps(result['ingest'])}", file=sys.stderr)
        result["scaling"] = []
        runs = [(f"x{copies}", copies, (), {}) for copies in scales]
        if PHS_CATALOGUE.is_file():  # the issue's own case: a real 1,142-row statistics-portal catalogue beside ours
            with PHS_CATALOGUE.open(encoding="utf-8", newline="") as f:
                rows = sum(1 for _ in csv.DictReader(f))
            runs.append(("phs", 1, (PHS_CATALOGUE,), {"extra": f"{PHS_CATALOGUE.name} ({rows:,} rows)"}))
        for name, copies, extra, label in runs:
            t0 = time.perf_counter()
            c = build_scaled(components, tmp / name, copies, extra)
            built = time.perf_counter() - t0
            row = {"copies": copies, **label, "chunks": c.index.count_chunks(), "build_seconds": built,
                   **latency(c, questions), "peak_rss_mb": peak_rss_mb()}
            result["scaling"].append(row)
            print(f"scale: {json.dumps(row)}", file=sys.stderr)
        result["cold_start_seconds"] = cold_start(tmp / "x1")
        result["records"] = record_scaling(build_scaled(components, tmp / "x1", 1), questions)
    if args.write:
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / "bench.md").write_text(markdown(result), encoding="utf-8")
    print(json.dumps(result, indent=2) if args.json else markdown(result))
    return 0
