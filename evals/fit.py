"""`wayfinder fit`: fit the question classifiers and the reader on the dev split, choose the thresholds on dev for
a stated precision, and write the coverage-accuracy curve. The test split and the real-documents set are never read.

Labels need no hand work: a candidate is a positive for a question when it holds one of the question's accepted
answer strings; every candidate of a question that must be declined is a negative.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

from assistant.answering.decide import THRESHOLDS, Thresholds
from assistant.answering.kinds import ANSWER_TYPES, MODELS, TRAINING, LinearModel
from assistant.answering.reader import ReaderModel
from assistant.answering.service import Assistant
from evals import question_sets
from evals.store import eval_components

RESULTS = Path(__file__).with_name("results")
MIN_GAIN = 0.02  # held-out coverage gain that justifies the slower model
TARGET_PRECISION = 0.8  # of answers given on dev (held out by family), this share must be right


def _save(name: str, model: LinearModel) -> None:
    MODELS.mkdir(parents=True, exist_ok=True)
    (MODELS / f"{name}.json").write_text(json.dumps(model.to_json()), encoding="utf-8")


def _jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def fit_question_kinds(components: Any, dev: list[dict[str, Any]]) -> dict[str, int]:
    from sklearn.linear_model import LogisticRegression

    from assistant.answering.understand import _NAME

    rows = [(r["text"], r["answer_type"]) for r in _jsonl(TRAINING / "question_kinds.jsonl")]
    rows += [(q["question"], q["answer_type"]) for q in dev if q.get("answer_type") in ANSWER_TYPES]
    x = np.asarray(components.embedder.encode([t for t, _ in rows]))
    types = LogisticRegression(C=4.0, max_iter=2000).fit(x, [y for _, y in rows])
    _save("answer_types", LinearModel.from_sklearn(types))

    cases = [(r["text"], bool(r["case"])) for r in _jsonl(TRAINING / "case_requests.jsonl")]
    cases += [(q["question"], q["expect"] == "declined") for q in dev]
    xc = np.asarray(components.embedder.encode([t for t, _ in cases]))
    flag = np.array([[float(bool(_NAME.search(t)))] for t, _ in cases])
    case = LogisticRegression(C=2.0, max_iter=2000, class_weight="balanced").fit(
        np.hstack([xc, flag]), [int(y) for _, y in cases])
    _save("case_requests", LinearModel.from_sklearn(case))
    return {"answer_type_examples": len(rows), "case_examples": len(cases)}


def _label(text: str, must: list[list[str]]) -> int:
    low = " ".join(text.lower().split())
    return int(any(any(" ".join(a.lower().split()) in low for a in group) for group in must))


def fit_reader(assistant: Assistant, dev: list[dict[str, Any]], precision: float) -> dict[str, Any]:
    # Follow-ups replay a turn that must be read first: fit on the rest, then on all.
    first = fit_reader_on(assistant, [q for q in dev if not q["conversation"]], precision)
    return fit_reader_on(assistant, dev, precision) | {"first_pass_pairs": first["pairs"]}


def _models() -> dict[str, Any]:
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression

    return {"logistic": lambda: LogisticRegression(C=1.0, max_iter=5000),
            "boosted": lambda: HistGradientBoostingClassifier(max_iter=150, learning_rate=0.08, max_leaf_nodes=15,
                                                              min_samples_leaf=20, random_state=0)}


def _top1(model: Any, x: np.ndarray, y: np.ndarray, qid: np.ndarray) -> float:
    """Share of questions (with a right candidate) whose best-scored candidate is right."""
    p = model.predict_proba(x)[:, 1]
    hits, n = 0, 0
    for q in np.unique(qid):
        m = qid == q
        if y[m].any():
            n += 1
            hits += int(y[m][np.argmax(p[m])])
    return hits / n if n else 0.0


def _coverage_at(points: list[dict[str, float]], precision: float) -> float:
    threshold, table = choose_threshold(points, precision)
    return next(r["coverage"] for r in table if r["threshold"] == threshold)


def fit_reader_on(assistant: Assistant, dev: list[dict[str, Any]], precision: float) -> dict[str, Any]:
    """Pairs from the dev questions; the model kind chosen by cross-validation over question families."""
    from sklearn.model_selection import GroupKFold

    xs, ys, qids, pids, groups, pre = [], [], [], [], [], {}
    for i, q in enumerate(dev):
        trace = assistant.trace(q["question"], q["conversation"], read=False)
        u = trace.understanding
        pre[i] = u.case_request >= assistant.decide.t.case_request or u.needs_referent
        must = q["must"] if q["expect"] == "answered" else []
        for j, matrix in enumerate(assistant.reader.matrices(u, trace.candidates)):
            for c, row in zip(trace.candidates, matrix, strict=True):
                xs.append(row)
                ys.append(_label(f"{c.quote} {c.text}", must) if must else 0)
                qids.append(i)
                pids.append(j)
                groups.append(q.get("family", q["id"]))
    x, y, qid, pid = np.asarray(xs), np.asarray(ys), np.asarray(qids), np.asarray(pids)
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-6
    xz = (x - mean) / scale
    cv: dict[str, float] = {}
    oof: dict[str, np.ndarray] = {}
    for name, make in _models().items():
        scores, oof[name] = [], np.zeros(len(y))
        for tr, te in GroupKFold(n_splits=5).split(xz, y, groups):
            model = make().fit(xz[tr], y[tr])
            scores.append(_top1(model, xz[te], y[te], qid[te]))
            oof[name][te] = model.predict_proba(xz[te])[:, 1]
        cv[name] = round(float(np.mean(scores)), 3)
    def held_out_points(name: str) -> list[dict[str, float]]:
        points = []
        for i, q in enumerate(dev):  # held-out probabilities: the threshold is not chosen on scores the model fitted
            m = qid == i
            parts = [(oof[name][m & (pid == j)], y[m & (pid == j)]) for j in np.unique(pid[m])]
            best_per_part = [(float(p.max()), int(lab[p.argmax()])) for p, lab in parts if len(p)]
            conf = min((b for b, _ in best_per_part), default=0.0)
            right = float(q["expect"] == "answered" and bool(best_per_part) and all(r for _, r in best_per_part))
            points.append({"conf": conf, "answerable": float(q["expect"] == "answered"), "right": right,
                           "pre_decided": float(pre[i])})
        return points

    # The model kind is chosen by what matters: held-out coverage at the stated precision. Trees cost more per
    # question, so they must cover more than noise (MIN_GAIN) beyond the logistic model.
    curves = {name: held_out_points(name) for name in oof}
    covered = {name: _coverage_at(pts, precision) for name, pts in curves.items()}
    best = "boosted" if covered["boosted"] >= covered["logistic"] + MIN_GAIN else "logistic"
    model = _models()[best]().fit(xz, y)
    fitted = ReaderModel(best, model, mean, scale)
    fitted.save()
    assistant.reader.model = fitted
    points = curves[best]
    cv = {name: {"top1": cv[name], f"coverage_at_{precision:.2f}": round(covered[name], 3)} for name in cv}
    return {"pairs": len(y), "positives": int(y.sum()), "cv_top1": cv, "chosen": best, "points": points}


def choose_threshold(points: list[dict[str, float]], target: float) -> tuple[float, list[dict[str, float]]]:
    """Lowest threshold at which answers given on dev are right at least `target` of the time."""
    table = []
    answerable = sum(p["answerable"] for p in points) or 1
    for t in np.round(np.arange(0.05, 0.96, 0.05), 2):
        given = [p for p in points if p["conf"] >= t and not p["pre_decided"]]
        right = sum(p["right"] for p in given)
        table.append({"threshold": float(t), "coverage": right / answerable if given else 0.0,
                      "answered": len(given), "precision": right / len(given) if given else 1.0})
    ok = [r for r in table if r["precision"] >= target]
    chosen = ok[0]["threshold"] if ok else table[-1]["threshold"]
    return chosen, table


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="wayfinder fit", description=__doc__)
    ap.add_argument("--store", type=Path, help="the evaluation store (default: eval-store beside the store)")
    ap.add_argument("--precision", type=float, default=TARGET_PRECISION)
    args = ap.parse_args(argv)
    components = eval_components(args.store)
    dev = question_sets.load("dev")
    print(f"dev questions: {len(dev)} ({Counter(q['expect'] for q in dev)})", file=sys.stderr)
    kinds = fit_question_kinds(components, dev)
    assistant = Assistant(components, Thresholds())
    reader = fit_reader(assistant, dev, args.precision)
    threshold, table = choose_threshold(reader["points"], args.precision)
    t = Thresholds(answer=threshold)
    THRESHOLDS.write_text(json.dumps(t.__dict__, indent=1), encoding="utf-8")
    RESULTS.mkdir(exist_ok=True)
    lines = ["# Coverage and accuracy against the answer threshold (dev split)", "",
             f"`wayfinder fit` on {len(dev)} dev questions, from held-out (5-fold, by family) reader probabilities. "
             "Coverage: share of answerable questions whose best candidate per part is right; precision: share of "
             "answers given that are right (an answer to a must-decline question is wrong). Chosen threshold: the "
             f"lowest whose precision is at least {args.precision:.2f}: **{threshold:.2f}**.", "",
             "| threshold | answered | coverage | precision |", "|---|---|---|---|"]
    lines += [f"| {r['threshold']:.2f} | {r['answered']} | {r['coverage']:.2f} | {r['precision']:.2f} |" for r in table]
    lines += ["", f"Reader: {reader['pairs']} question-candidate pairs, {reader['positives']} positive.",
              f"Reader model chosen by 5-fold cross-validation over question families (share of questions whose "
              f"best-scored candidate is right, held-out folds; and coverage at the stated precision): {reader['cv_top1']} "
              f"-> {reader['chosen']}.",
              "", f"Question classifiers: {kinds}"]
    (RESULTS / "coverage-accuracy.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
