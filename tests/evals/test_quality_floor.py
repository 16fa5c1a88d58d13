"""CI's quality gate: the test split must stay above the floors measured when they were set (no timing here)."""

import datetime as dt
import json

import pytest

from evals.run import FLOORS, load_questions, score
from evals.systems import WayfinderSystem

pytestmark = pytest.mark.integration


def test_test_split_quality_floor(corpus_store):
    corpus_store.settings.__dict__["today"] = dt.date(2026, 11, 22)  # the date the questions were written for
    floors = json.loads(FLOORS.read_text())
    questions = load_questions("test")
    assert len(questions) >= 60 and sum(not q["answerable"] for q in questions) >= 10
    s = score(WayfinderSystem(corpus_store), questions, corpus_store.index)["summary"]
    assert s["key_fact_accuracy"] >= floors["key_fact_accuracy"], s
    assert s["recall@5"] >= floors["recall@5"], s
    assert s["abstention_recall"] >= floors["abstention_recall"], s
    assert s["wrong_abstention"] <= floors["wrong_abstention_max"], s


def test_question_set_shape():
    rows = load_questions("all")
    assert len(rows) >= 120
    assert {r["split"] for r in rows} == {"dev", "test"}
    assert {r["group"] for r in rows} == {"workforce", "policy", "newcomer"}
    assert {"who_holds", "how_access", "how_often", "who_must_act", "due_when", "what_is",
            "followup"} <= {r["intent"] for r in rows}
    assert sum(not r["answerable"] for r in rows) >= 15
    key = [(r["question"], tuple(r["conversation"])) for r in rows]  # a question is its text and its conversation
    assert len(set(key)) == len(key)
    dev = {k for k, r in zip(key, rows, strict=True) if r["split"] == "dev"}
    assert not dev & {k for k, r in zip(key, rows, strict=True) if r["split"] == "test"}  # no question in both splits
