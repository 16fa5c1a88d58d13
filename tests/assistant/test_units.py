import datetime as dt

import pytest

from assistant.answering.analysis import EntityIndex, analyse, classify, parse_dates
from assistant.answering.evidence import coverage
from assistant.retrieval.fusion import reciprocal_rank_fusion
from core.glossary import load_glossary
from core.settings import Settings

pytestmark = pytest.mark.unit
TODAY = dt.date(2026, 11, 22)


def test_rrf_rewards_agreement():
    fused = reciprocal_rank_fusion([["a", "b", "c"], ["c", "a", "d"]])
    assert [x for x, _ in fused][:2] == ["a", "c"]
    assert dict(fused)["d"] < dict(fused)["b"]  # both appear once: the better rank wins
    assert {x for x, _ in fused} == {"a", "b", "c", "d"}


@pytest.mark.parametrize("q,intent", [
    ("Who holds data on kinship care?", "who_holds"),
    ("How do I get access to the LAC longitudinal dataset?", "how_access"),
    ("How often is CLAS updated?", "how_often"),
    ("What does Public Health Scotland have to do?", "who_must_act"),
    ("What is due by March 2027?", "due_when"),
    ("What is CLAS?", "what_is"),
])
def test_intents(q, intent):
    assert classify(q) == intent


def test_dates_relative_to_today():
    assert parse_dates("What is due this year?", TODAY).year_only == 2026
    assert parse_dates("What is due next year?", TODAY).year_only == 2027
    span = parse_dates("What is due by March 2027?", TODAY)
    assert span.end == dt.date(2027, 3, 31) and span.start is None


def test_glossary_expansion_and_normalisation():
    g = load_glossary()
    assert "Public Health Scotland" in g.expansions("What does PHS do?")
    assert "PHS" in g.expansions("Public Health Scotland")
    assert g.organisations("Improvement Service (IS) is here, and it is big") == ["Improvement Service"]


def test_follow_up_takes_the_latest_referent():
    ents = EntityIndex(load_glossary(), [])
    a = analyse("Who leads it?", ["What is DataLoch?", "What is CHaMP?"], ents, TODAY)
    assert a.entities[0].name == "Children's Health and Monitoring the Promise"
    b = analyse("What is due this year?", ["What is CHaMP?"], ents, TODAY)
    assert not b.followup_of  # "this year" is not a reference to the earlier topic


def test_coverage_needs_words_together():
    assert coverage(["budget"], ["The Promise Data Map will launch."]) == 0.0
    assert coverage(["kinship", "care"], ["kinship is here", "care is there"]) == 0.5
    assert coverage([], []) == 1.0


def test_collection_name_carries_the_model():
    assert Settings(model="all-MiniLM-L6-v2").collection_name == "wayfinder-all-minilm-l6-v2"
    assert Settings(model="/models/Other_Model").collection_name == "wayfinder-other-model"


def test_unknown_referent_carries_the_previous_topic_or_asks():
    ents = EntityIndex(load_glossary(), [])
    a = analyse("Who is involved in it?", ["Tell me about the Microsoft 365 roll-out"], ents, TODAY)
    assert "Microsoft 365" in a.resolved and not a.unresolved
    assert analyse("Who leads it?", [], ents, TODAY).unresolved
