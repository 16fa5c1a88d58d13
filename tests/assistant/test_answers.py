"""Answers over the bundled corpus, for each kind of question, on a real store with the real model."""

import datetime as dt

import pytest

from assistant.answering.service import Assistant, Filters

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def assistant(corpus_store):
    corpus_store.settings.__dict__["today"] = dt.date(2026, 11, 22)  # "this year" is read against this date
    return Assistant(corpus_store)


def quotes(ans):
    return " ".join(c.quote for c in ans.citations)


def test_every_marker_has_a_citation_with_an_exact_quote(assistant, corpus_store):
    ans = assistant.ask("Who needs to work on the Common Data Platform?")
    assert not ans.abstained
    for c in ans.citations:
        assert f"[{c.n}]" in ans.answer
        chunk = corpus_store.index.chunks([c.chunk_id])[c.chunk_id]
        assert c.quote in chunk.text  # the quote is the document's own text
        assert c.title and c.locator and c.section


def test_who_holds_kinship_care_data(assistant):
    ans = assistant.ask("Who holds data on kinship care?")
    assert not ans.abstained
    assert "SCADR" in ans.answer and "Held by: SCADR" in quotes(ans)


def test_how_to_access_and_how_often(assistant):
    ans = assistant.ask("How do I get access to the LAC longitudinal dataset?")
    assert "secure access" in quotes(ans)
    ans = assistant.ask("How often is CLAS updated?")
    assert "How often: Annual" in quotes(ans)


def test_what_an_organisation_must_do(assistant):
    ans = assistant.ask("What does Public Health Scotland have to do?")
    assert "CHaMP" in quotes(ans)
    assert "December 2025 route map" in ans.answer  # the version each fact comes from


def test_what_is_due_by_march_2027_with_who(assistant):
    ans = assistant.ask("What is due by March 2027?")
    assert "Microsoft 365" in quotes(ans)
    assert "Local Government Digital Office" in ans.answer
    assert not any(c.version == "2024" for c in ans.citations)  # 2024-5 milestones are past, not due


def test_no_milestones_for_a_year_is_an_answer(assistant):
    ans = assistant.ask("What milestones are set for 2028?")
    assert not ans.abstained
    assert "No milestone" in ans.answer and "no milestones identified for this year" in quotes(ans).lower()


def test_relative_dates_use_the_current_date(assistant):
    this_year = assistant.ask("What is due this year?")
    assert "2026" in quotes(this_year)
    next_year = assistant.ask("What is due next year?")
    assert "March 2027" in quotes(next_year)


def test_framework_questions(assistant):
    assert "Children Looked After Statistics" in assistant.ask("What is CLAS?").answer
    ans = assistant.ask("What is the Story of Progress for?")
    assert "understanding how change is happening" in quotes(ans)
    assert "Independent Care Review" in quotes(assistant.ask("What are the What Matters questions?"))


def test_follow_up_resolves_it_from_the_conversation(assistant):
    ans = assistant.ask("Who leads it?", ["What is CHaMP?"])
    assert ans.resolved_question.endswith("(CHaMP)?")
    assert "Public Health Scotland" in ans.answer and not ans.abstained
    other = assistant.ask("Who leads it?", ["What is DataLoch?"])
    assert "NHS Lothian" in other.answer  # each conversation keeps its own referent


def test_abstains_when_the_key_term_is_in_no_passage(assistant):
    ans = assistant.ask("What is the budget of the Promise Data Map?")
    assert ans.abstained and not ans.citations
    assert "don't say" in ans.answer and "budget" in ans.answer
    assert ans.related  # nearest passages are offered
    assert assistant.ask("What is the weather in Glasgow tomorrow?").abstained


def test_both_route_map_versions_are_labelled(assistant):
    ans = assistant.ask("What is the Promise Progress Framework?", [])
    versions = {c.version for c in ans.citations if c.kind == "route_map"}
    text = assistant.ask("What milestones fall in 2025?").answer
    assert "2024 route map" in text
    assert versions <= {"2024", "December 2025"}


def test_filters_restrict_versions_and_kinds(assistant):
    ans = assistant.ask("What does the Scottish Government have to do?", filters=Filters(versions=["2024"]))
    assert ans.citations and all(c.version == "2024" for c in ans.citations)
    ans = assistant.ask("What is GIRFEC?", filters=Filters(kinds=["framework"]))
    assert ans.citations and all(c.kind == "framework" for c in ans.citations)


def test_json_shape(assistant):
    d = assistant.ask("What is GIRFEC?", qid="q1").to_json()
    assert list(d)[:6] == ["id", "question", "answer", "abstained", "citations", "latency_ms"]
    assert set(d["citations"][0]) >= {"n", "source", "title", "section", "locator", "quote", "url"}


def test_it_without_a_conversation_asks_instead_of_guessing(assistant):
    ans = assistant.ask("Who leads it?")
    assert ans.abstained and not ans.citations and "Which project" in ans.answer
    follow = assistant.ask("Who is involved in it?", ["Tell me about the Microsoft 365 roll-out"])
    assert "Microsoft 365" in " ".join(c.quote for c in follow.citations)
