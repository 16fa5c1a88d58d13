"""The evaluation questions in one shape, whatever file they come from.

- evals/questions/families*.jsonl: facts asked in several wordings (formal, casual, compound, follow-up) and
  questions that must be declined, on the bundled corpus and on the real documents (families_dev2.jsonl: a second
  set, written later by someone who saw neither the code nor the first set; all dev, training data for the reader;
  families_dev3a/b.jsonl: a third, on the bundled corpus and on the real documents, by two more such writers, with
  every family that shares a fact with a scored question dropped by evals/questions/apart.py);
- evals/questions/questions.jsonl: the first question set (one wording each);
- ../shared/realdocs/questions.jsonl: questions on nine real published documents, written by others; their own set;
- evals/questions/fresh.jsonl: the last set, written after the reader was built by someone who saw neither the code
  nor the other questions; never used to fit or choose anything. Its families are dealt into two halves: fresh-a
  was looked at to find what fails, fresh-b only scored, never examined question by question;
- evals/questions/followups.jsonl: follow-up questions only (a pronoun, an elliptical "and what about X?", an item of
  the list just given, a new ask of the same subject), each in a neat and a casual wording, written by someone who saw
  neither the code nor the other questions; never fitted on. followup-a may be examined, followup-b is only scored.

Each question: id, split (dev | test | real), set, family, wording, group, answer_type, question, conversation,
expect (answered | no_information | out_of_scope | declined | needs_clarification), must (groups of accepted
strings: every group must be matched by one of its strings), source.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from core.settings import PROJECT_ROOT

HERE = Path(__file__).with_name("questions")
FAMILIES = sorted(HERE.glob("families*.jsonl"))
FIRST_SET = HERE / "questions.jsonl"
FRESH = HERE / "fresh.jsonl"  # written last by someone who saw neither code nor questions; never fitted on
FOLLOWUPS = HERE / "followups.jsonl"  # follow-ups only, by another such writer; never fitted on
REALDOCS = PROJECT_ROOT.parent / "shared" / "realdocs"
DECLINES = ("no_information", "out_of_scope", "declined", "needs_clarification")
INTENT_TYPES = {"who_holds": "organisation", "how_access": "access", "how_often": "frequency",
                "who_must_act": "organisation", "due_when": "list", "what_is": "definition"}


def _jsonl(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def _first_set() -> list[dict[str, Any]]:
    out = []
    for q in _jsonl(FIRST_SET):
        out.append({
            "id": q["id"], "split": q["split"], "set": "corpus", "family": q["id"], "wording": "formal",
            "group": q["group"], "answer_type": INTENT_TYPES.get(q["intent"], "none"), "question": q["question"],
            "conversation": q.get("conversation") or [],
            "expect": "answered" if q["answerable"] else "no_information",
            "must": [[k] for k in q["key_facts"]] if q["answerable"] else [], "source": None,
            "expected_source": q.get("expected_source", ""), "intent": q["intent"],
        })
    return out


def _families(paths: list[Path] = FAMILIES) -> list[dict[str, Any]]:
    out = []
    for q in (row for path in paths for row in _jsonl(path)):
        q = dict(q)
        q.setdefault("conversation", [])
        q.setdefault("intent", q.get("answer_type", ""))
        q["expected_source"] = q["must"][0][0] if q.get("must") else ""
        out.append(q)
    return out


def _realdocs() -> list[dict[str, Any]]:
    out = []
    for q in _jsonl(REALDOCS / "questions.jsonl"):
        oos = q.get("set") == "oos"
        out.append({
            "id": f"real-{q['id']}", "split": "real", "set": "realdocs", "family": q["id"], "wording": "formal",
            "group": "workforce", "answer_type": "none", "question": q["question"],
            "conversation": q.get("conversation") or [], "expect": "no_information" if oos else "answered",
            "must": q.get("must") or [], "source": q.get("source"), "intent": "out_of_scope" if oos else "real",
            "expected_source": q["must"][0][0] if q.get("must") else "",
        })
    return out


def load(split: str) -> list[dict[str, Any]]:
    """dev | test | real | fresh-a | fresh-b | followup-a | followup-b | all (dev and test)."""
    if split == "real":
        return _realdocs()
    if split.startswith("followup"):
        return [r for r in _families([FOLLOWUPS]) if r["split"] == split]
    if split.startswith("fresh"):
        return [r for r in _families([FRESH]) if r["split"] == split]
    rows = _first_set() + _families()
    return rows if split == "all" else [r for r in rows if r["split"] == split]
