"""The lists a quoted passage gives, and "the fourth of those" naming one of their items."""

import pytest

from assistant.answering.lists import Listing, listings, pick
from assistant.answering.understand import Turn, name_item
from core.text import content_terms

pytestmark = pytest.mark.unit


def items(text: str, asked: str = "") -> list[tuple[str, ...]]:
    return [x.items for x in listings(text, asked)]


def test_a_series_after_a_colon_starts_where_the_colon_ends():
    text = ("It asks three questions: how Scotland is progressing nationally, whether the care community feels the "
            "impact, and how organisations are doing.")
    assert items(text) == [("how Scotland is progressing nationally", "whether the care community feels the impact",
                            "how organisations are doing")]


def test_a_series_without_an_opening_loses_the_words_of_the_question_that_asked_for_it():
    text = ("Health visitor reviews at 13-15 months, 27-30 months and 4-5 years across eight developmental domains, "
            "from the CHSP Pre-School and SIRS systems.")
    found = items(text, "At which ages do the health visitor reviews take place?")
    assert found == [("13-15 months", "27-30 months", "4-5 years across eight developmental domains")]


def test_a_list_in_brackets_is_its_own_list_and_a_question_mark_inside_a_name_ends_nothing():
    text = ("Scottish Government, COSLA and The Promise Scotland (input from PHS, Improvement Service, CELCIS, "
            "Who Cares? Scotland, Care Inspectorate, Police Scotland and SFRS)")
    asked = "Which organisations gave input to the dashboard?"
    found = listings(text, asked)
    assert [x.items for x in found] == [
        ("Scottish Government", "COSLA", "The Promise Scotland"),
        ("PHS", "Improvement Service", "CELCIS", "Who Cares? Scotland", "Care Inspectorate", "Police Scotland",
         "SFRS")]
    # The list whose opening shares the question's words ("gave input") is the one "the fourth" counts in.
    assert pick(found, 3, set(content_terms(asked))) == "Who Cares? Scotland"


def test_lines_introduced_by_a_colon_and_semicolon_series():
    text = "The census is submitted via the following formats:\n• COLLECT\n• entry into an XML template"
    assert items(text) == [("COLLECT", "entry into an XML template")]
    assert items("Keywords: adolescent; camhs; child; waiting time") == [("adolescent", "camhs", "child",
                                                                           "waiting time")]


def test_prose_with_commas_between_clauses_is_no_list():
    text = ("This document sets out the Strategy for supporting both the overall Programme, which will implement the "
            "devolved benefits across the whole of the country over several years, and the agency.")
    assert items(text) == []
    assert items("Coverage: Scotland, March 2022") == []


def test_pick_needs_a_list_long_enough_and_an_odd_one_for_the_middle():
    found = [Listing("", ("a", "b")), Listing("three reviews:", ("x", "y", "z"), opened=True)]
    assert pick(found, 2, set()) == "z"
    assert pick(found, None, set()) == "y"
    assert pick(found, 5, set()) is None


def test_an_ordinal_names_the_item_only_when_it_points_at_the_list():
    asked = "What are the three questions the Story of Progress asks?"
    turn = Turn(asked, lists=listings("It asks three questions: how Scotland is progressing nationally, whether "
                                      "the care community feels the impact, and how organisations are doing.", asked))
    for said in ("Which indicator set sits behind the first of those questions?", "whats behind the 1st one",
                 "which indicator set is behind the first question"):
        assert name_item(said, turn) is not None and "(how Scotland is progressing nationally)?" in name_item(said, turn)
    assert "(how organisations are doing)" in (name_item("and the last one?", turn) or "")
    # A new thing counted, not an item: "their first report".
    assert name_item("When did they publish their first data overview report?", turn) is None
    # Records listed by id are picked by id elsewhere; nothing to name without a list.
    assert name_item("the first of those?", Turn(asked, items=["r1", "r2"], lists=turn.lists)) is None
    assert name_item("the first of those?", Turn(asked)) is None
