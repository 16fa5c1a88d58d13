"""CI's quality gate: the held-out test split must stay above the floors measured when they were set (no timing)."""

import json
from collections import Counter

import pytest

from evals import question_sets
from evals.run import FLOORS, score
from evals.systems import WayfinderSystem

pytestmark = pytest.mark.integration


def test_test_split_quality_floor(corpus_store):
    import datetime as dt

    corpus_store.settings.__dict__["today"] = dt.date(2026, 11, 22)  # the date the questions were written for
    floors = json.loads(FLOORS.read_text())
    questions = [q for q in question_sets.load("test") if q["set"] == "corpus"]  # the bundled corpus only
    s = score(WayfinderSystem(corpus_store), questions, corpus_store.index)["summary"]
    assert s["accuracy_answerable"] >= floors["accuracy_answerable"], s
    assert s["hallucination"] <= floors["hallucination_max"], s
    assert s["truthfulness"] >= floors["truthfulness"], s
    assert s["declines_right"] >= floors["declines_right"], s


def test_question_set_shape():
    rows = question_sets.load("all")
    assert len(rows) >= 400
    assert {r["split"] for r in rows} == {"dev", "test"}
    assert {r["group"] for r in rows} == {"workforce", "policy", "newcomer"}
    assert sum(r["expect"] != "answered" for r in rows) >= 60
    wordings = Counter(r["wording"] for r in rows)
    assert wordings["casual"] >= 100 and wordings["compound"] >= 100 and wordings["followup"] >= 15
    fam_split: dict[str, set[str]] = {}
    for r in rows:
        fam_split.setdefault(r["family"], set()).add(r["split"])
    assert all(len(s) == 1 for s in fam_split.values())  # a fact's wordings never straddle dev and test


def test_fresh_set_stays_apart():
    # The last unseen questions: never in dev or test, and a fact's wordings never straddle its two halves.
    a, b = question_sets.load("fresh-a"), question_sets.load("fresh-b")
    assert len(a) >= 100 and len(b) >= 100
    fams = {r["family"] for r in a}, {r["family"] for r in b}
    assert not fams[0] & fams[1]
    seen = {r["question"] for r in question_sets.load("all")}
    assert not seen & {r["question"] for r in a + b}
    assert all(r["expect"] != "answered" or r["must"] for r in a + b)


def test_follow_up_set_stays_apart():
    # Follow-ups by another unseen writer: never in dev or test; each family in its two wordings, in one half.
    a, b = question_sets.load("followup-a"), question_sets.load("followup-b")
    assert len(a) >= 50 and len(b) >= 50
    assert all(r["conversation"] for r in a + b)
    assert not {r["family"] for r in a} & {r["family"] for r in b}
    assert not {r["question"] for r in question_sets.load("all")} & {r["question"] for r in a + b}


def test_later_training_sets_share_no_fact_with_scored_questions():
    # Writers who never met ask the same facts; a training family that did would be scored on what it taught.
    from evals.questions.apart import scored_strings, shares_a_fact

    strings = scored_strings()
    later = [q for q in question_sets.load("dev") if q["family"][0] in "kp"]  # families_dev3a/b.jsonl
    assert len(later) >= 200
    families: dict[str, list[dict]] = {}
    for q in later:
        families.setdefault(q["family"], []).append(q)
    assert not [f for f, members in families.items() if shares_a_fact(members, strings)]
