"""Stage units without the model or a store: dates, parts, field quotes, the linear model, and every status."""

import datetime as dt
import re

import numpy as np
import pytest

from assistant.answering.calibrate import Calibrator
from assistant.answering.candidates import (
    PAIR_QUOTE,
    Candidate,
    _long_prose,
    _segment,
    adjacent_pairs,
    field_candidates,
)
from assistant.answering.decide import Decide, Thresholds
from assistant.answering.entities import Entity
from assistant.answering.kinds import LinearModel
from assistant.answering.understand import Part, Understanding, split_parts
from assistant.retrieval.fusion import reciprocal_rank_fusion
from core.dates import parse_dates
from core.glossary import load_glossary
from core.settings import Settings

pytestmark = pytest.mark.unit
TODAY = dt.date(2026, 11, 22)


def test_rrf_rewards_agreement():
    fused = reciprocal_rank_fusion([["a", "b", "c"], ["c", "a", "d"]])
    assert [x for x, _ in fused][:2] == ["a", "c"]
    assert dict(fused)["d"] < dict(fused)["b"]  # both appear once: the better rank wins
    assert {x for x, _ in fused} == {"a", "b", "c", "d"}


def test_dates_relative_to_today():
    assert parse_dates("What is due this year?", TODAY).year_only == 2026
    assert parse_dates("What is due next year?", TODAY).year_only == 2027


def test_casual_and_month_dates():
    assert parse_dates("whats due b4 mar 2027", TODAY).end == dt.date(2027, 3, 31)
    assert parse_dates("What is due by end 2026?", TODAY).end == dt.date(2026, 12, 31)
    assert parse_dates("milestones in 2028", TODAY).year_only == 2028
    assert parse_dates("the Strategy 2018-2021", TODAY) is None  # a year range in a name is not a period asked


def test_glossary_expansion_and_normalisation():
    g = load_glossary()
    assert "Public Health Scotland" in g.expansions("What does PHS do?")
    assert "PHS" in g.expansions("Public Health Scotland")
    assert g.organisations("Improvement Service (IS) is here, and it is big") == ["Improvement Service"]


def test_collection_name_carries_the_model():
    assert Settings(model="all-MiniLM-L6-v2").collection_name == "wayfinder-all-minilm-l6-v2"
    assert Settings(model="/models/Other_Model").collection_name == "wayfinder-other-model"


def test_two_part_questions_split_at_a_second_question():
    assert split_parts("Who holds CLAS, and how often is it updated?") == ["Who holds CLAS", "how often is it updated"]
    assert split_parts("whats due b4 march 2027 and who has to do it") == ["whats due b4 march 2027",
                                                                             "who has to do it"]
    assert split_parts("What do children and families need?") == ["What do children and families need"]


def test_an_opening_that_asks_nothing_belongs_to_the_part_after_it():
    # A conditional or "according to" clause sets the scene; split off, it would be read as a question of its own.
    assert split_parts("If a child is placed in an emergency, how quickly must the council tell the GP?") == [
        "If a child is placed in an emergency, how quickly must the council tell the GP"]
    assert split_parts("According to the Class Sizes dataset, what is the limit, and who set it?") == [
        "According to the Class Sizes dataset, what is the limit", "According to the Class Sizes dataset, who set it"]


def test_asks_after_a_topic_each_keep_the_topic():
    # Casual questions name the topic once, then ask: each ask is a part about that topic.
    assert split_parts("hwb census s1 - bullied q number? what gets skipped if not yes?") == [
        "hwb census s1, bullied q number", "hwb census s1, what gets skipped if not yes"]
    assert split_parts("dashboard - deadline + who's doing it?") == ["dashboard, deadline", "dashboard, who's doing it"]
    assert split_parts("gap target - by when and by how much?") == ["gap target, by when", "gap target, by how much"]
    # After the topic, things named in a row are asked for one by one.
    assert split_parts("Growing Up in Scotland - sampling frame, and the access route?") == [
        "Growing Up in Scotland, sampling frame", "Growing Up in Scotland, the access route"]
    assert split_parts("CSWS: publication date?") == ["CSWS, publication date"]
    # Not when an ask follows the row, nor when the row is one thing asked of several ("for P1 and for P4-7").
    assert split_parts("PHS infant feeding: besides board and council area, what breakdowns are there?") == [
        "PHS infant feeding, besides board and council area", "PHS infant feeding, what breakdowns are there"]
    assert split_parts("class sizes - max class size for P1 and for P4-7?") == [
        "class sizes, max class size for P1 and for P4-7"]
    # A closing aside belongs to every part; a dash inside a question that already asks is not a topic.
    assert split_parts("waiting time standard? since when? (phs open data)") == [
        "waiting time standard, (phs open data)", "since when, (phs open data)"]
    assert split_parts("What is CLAS - the looked after statistics - used for?") == [
        "What is CLAS - the looked after statistics - used for"]


def test_a_field_is_cited_by_its_own_labelled_line():
    quote = "Dataset: X. Held by: Anytown Council. How often: Annual."
    assert _segment(quote, "Anytown Council") == "Held by: Anytown Council."
    assert _segment(quote, "missing") == ""


def test_a_catalogue_notes_field_is_a_candidate_of_its_own():
    from core.store.index import StoredRecord

    notes = "A class size maxima for P1 pupils is 25."
    rec = StoredRecord("r", "d", "dataset", {"title": "Class Sizes", "holder": "Anytown Council", "notes": notes},
                       f"Dataset: Class Sizes\nHeld by: Anytown Council\nNotes: {notes}", "", "")
    (c,) = [c for c in field_candidates(rec) if c.field == "notes"]
    assert c.quote == f"Notes: {notes}" and c.text == notes


def test_a_long_field_is_also_read_a_sentence_at_a_time():
    from core.store.index import StoredRecord

    description = ("Every child looked after at any point in the reporting year, every episode of care, every placement "
                   "within an episode and every legal reason; also young people in continuing care and those eligible "
                   "for aftercare. Latest edition seen: the 2023/24 statistics, published 22 April 2025.")
    rec = StoredRecord("r", "d", "dataset", {"title": "Looked After", "holder": "X", "description": description},
                       f"Dataset: Looked After\nHeld by: X\nWhat it covers: {description}", "", "")
    found = [c for c in field_candidates(rec) if c.field == "description"]
    assert [c.text for c in found] == [description, *re.split(r"(?<=\.) ", description)]
    assert all(c.quote in rec.quote and c.record is rec for c in found)
    short = StoredRecord("s", "d", "dataset", {"title": "T", "description": "Short. Two sentences."},
                         "Dataset: T\nWhat it covers: Short. Two sentences.", "", "")
    assert len([c for c in field_candidates(short) if c.field == "description"]) == 1


def test_a_catalogue_records_files_are_a_candidate_quoted_as_stored():
    from core.store.index import StoredRecord
    from ingest.loaders.catalogue import dataset_text

    fields = {"title": "Teacher Numbers", "holder": "Anytown Council", "formats": "JSON, CSV",
              "distributions": [{"title": "API", "format": "JSON"},
                                {"title": "Teacher Numbers 2007 to 2017.csv", "format": "CSV"}]}
    rec = StoredRecord("r", "d", "dataset", fields, dataset_text(fields), "", "")
    [files] = [c for c in field_candidates(rec) if c.field == "distributions"]
    assert files.quote == "Download: API (JSON)\nDownload: Teacher Numbers 2007 to 2017.csv (CSV)"
    assert files.quote in rec.quote


def test_neighbouring_units_are_quoted_together_as_stored():
    text = "Four projects were planned.  They covered kinship care and\nchild voice.\n" + "Long. " * 200
    units = ["Four projects were planned.", "They covered kinship care and", "child voice."]
    pairs = adjacent_pairs(text, units + ["Long."])
    assert pairs[:2] == ["Four projects were planned.  They covered kinship care and",
                         "They covered kinship care and\nchild voice."]
    assert all(p in text and len(p) <= PAIR_QUOTE for p in pairs)
    assert adjacent_pairs(text, ["not in the text", "Long."]) == []  # no guessed spans


def test_a_table_row_is_quoted_whole_unless_it_is_very_long():
    row = "code: care_for_someone | topic: Caring responsibilities | question: Q48. Do you care for someone? " * 5
    prose = "A long sentence about the guidance. " * 14
    assert len(row) > 400 and len(prose) > 400
    assert not _long_prose(row) and _long_prose(prose)
    assert _long_prose(row * 2)  # past twice a quote's length even a row is cut at its sentences


def test_a_table_row_is_read_with_its_tables_caption():
    """A row alone names no topic ("Group: Children | Proportion: 24.48%"): its caption is its passage and is
    embedded before it. The embedder is a recording stand-in: what is checked is the text the reader embeds."""
    from assistant.answering.candidates import sentence_candidates
    from assistant.answering.reader import Reader
    from assistant.retrieval.hybrid import Hit
    from core.store.index import StoredChunk

    caption = "Table 1: Relative poverty after housing costs, Scotland 2019-22"
    rows = "Group: People | Proportion: 20.55%\nGroup: Children | Proportion: 24.48%"
    meta = {"section": f"Tables > {caption}", "locator": "element 9"}
    table = StoredChunk("c1", "d", rows, f"Uncertainty — Tables > {caption}\nColumns: Group | Proportion\n{rows}", meta)
    prose = StoredChunk("c2", "d", "Poverty rates are rounded to whole percentages in the commentary.",
                        "Uncertainty — Tables > Notes\nPoverty rates are rounded.", {"section": "Notes"})
    row = next(c for c in sentence_candidates(Hit(table, 1.0), 0, "Uncertainty") if "Children" in c.quote)
    assert row.quote == "Group: Children | Proportion: 24.48%" and row.context == caption
    assert row.passage.startswith(caption) and row.quote in row.passage
    sentence = sentence_candidates(Hit(prose, 1.0), 1, "Uncertainty")[0]
    assert sentence.context == "" and sentence.passage == prose.text  # prose carries its own topic

    embedded: list[str] = []

    def embed(texts: list[str]) -> np.ndarray:
        embedded.extend(texts)
        return np.ones((len(texts), 3)) / np.sqrt(3)

    class Book:
        entities = None

        def idf(self, term: str) -> float:
            return 1.0

        def mentions(self, text: str, entity: object) -> bool:
            return False

    u = _understanding()
    u.spelled, u.parts[0].vector = {}, np.ones(3) / np.sqrt(3)
    Reader(Book(), embed).matrices(u, [row, sentence])
    assert f"{caption}: {row.quote}" in embedded and sentence.quote in embedded


def test_a_quotes_web_address_is_embedded_as_its_site():
    """A download line's address runs to the model's 256 word pieces of resource ids: the reader embeds its site
    alone, and the line's words before it."""
    from assistant.answering.reader import _opening

    line = ("Download: Cases among Children (CSV, 18.2 KB, updated 2022-05-27) "
            "https://www.opendata.nhs.scot/dataset/6158eec0-90b6-43db-8903-901ad2fb1a02/resource/a1b2/download/c.csv")
    assert _opening(line) == "Download: Cases among Children (CSV, 18.2 KB, updated 2022-05-27) www.opendata.nhs.scot"
    assert _opening("Published at gov.scot/publications/looked-after-children/ each March.") == \
        "Published at gov.scot each March."
    assert _opening("A rate of 24.48% (16.45 - 31.08%) in 2019-22.") == "A rate of 24.48% (16.45 - 31.08%) in 2019-22."


def test_question_words_are_weighted_as_the_fitted_vectorizer_weighted_them():
    from sklearn.feature_extraction.text import TfidfVectorizer

    from assistant.answering.kinds import TOKEN, WordWeights

    texts = ["how many were admitted", "how often is it updated", "who holds it", "how many how many beds"]
    fitted = TfidfVectorizer(sublinear_tf=True, min_df=1, token_pattern=TOKEN.pattern).fit(texts)
    words = WordWeights.from_json(WordWeights(dict(fitted.vocabulary_), fitted.idf_).to_json())
    for text in ["How many beds, how many?", "updated when", "nothing known"]:
        assert np.allclose(words.vector(text), fitted.transform([text]).toarray()[0])


def test_linear_model_probabilities_sum_to_one():
    m = LinearModel(["a", "b", "c"], np.array([[1.0, 0], [0, 1.0], [0, 0]]), np.zeros(3))
    p = m.proba(np.array([2.0, 0.0]))[0]
    assert abs(p.sum() - 1) < 1e-9 and p.argmax() == 0


def _understanding(parts=1, subjects=(), case=0.0, anaphoric=False, own=True):
    ps = [Part(f"part {i}", "organisation", {"organisation": 1.0}, ["x"]) for i in range(parts)]
    return Understanding("q", "q", ps, list(subjects), None, ["x"], [], np.zeros(3), own, anaphoric,
                         case_request=case)


def _cand(score, quote="a quote"):
    return Candidate("sentence", quote, quote, "d", "", "", "", "", score=score)


def _decide(**thresholds: float) -> Decide:
    """Decision rules over given scores: the reader's score stands in for the fitted answer/decline model (these
    candidates carry no features for it to read)."""
    return Decide(Thresholds(**thresholds), Calibrator(None))


@pytest.mark.parametrize("kwargs,ranked,status", [
    ({}, [[_cand(0.9)]], "answered"),
    ({"parts": 2}, [[_cand(0.9)], [_cand(0.1)]], "partial"),
    ({"subjects": [Entity("Some Dataset", "dataset", ("Some Dataset",))]}, [[_cand(0.1)]], "no_information"),
    ({}, [[_cand(0.1)]], "out_of_scope"),
    ({"anaphoric": True, "own": False}, [[_cand(0.9)]], "needs_clarification"),
    ({"case": 0.9}, [[_cand(0.9)]], "declined"),
])
def test_each_status_is_decided_from_scores_and_understanding(kwargs, ranked, status):
    d = _decide(answer=0.5, case_request=0.5, in_scope_similarity=0.35).run(
        _understanding(**kwargs), ranked, [])
    assert d.status == status
    if status == "partial":
        assert d.missing == ["part 1"]


def _commitment(score, in_span, rid="r1"):
    from core.store.index import StoredRecord

    rec = StoredRecord(rid, "d", "commitment", {"due": "2027-03-31", "actors": ["COSLA"]}, f"quote {rid}", "", "")
    return Candidate("commitment", f"quote {rid}", f"quote {rid}", "d", "", "", "", "", record=rec,
                     in_span=in_span, score=score)


def test_a_period_question_is_a_lookup_of_the_commitments_due_in_it():
    u = _understanding()
    u.parts[0].text, u.dates = "What is due by March 2027", parse_dates("What is due by March 2027", TODAY)
    ranked = [[_commitment(0.2, True, "a"), _commitment(0.1, False, "b"), _cand(0.15)]]
    d = _decide(answer=0.5).run(u, ranked, [])
    assert d.status == "answered" and [c.record.id for c in d.chosen[0]] == ["a"]  # low scores, exact selection
    u.parts[0].text = "What is due by March 2027 on kinship care"  # a topic of its own: the reader decides
    assert _decide(answer=0.5).run(u, ranked, []).status != "answered"


def test_a_pointed_at_list_item_is_looked_up_by_id():
    u = _understanding()
    u.referent_items = ["b"]
    ranked = [[_commitment(0.3, False, "a"), _commitment(0.1, False, "b")]]
    d = _decide(answer=0.5).run(u, ranked, [])
    assert d.status == "answered" and [c.record.id for c in d.chosen[0]] == ["b"]


@pytest.mark.parametrize("which", ["reader", "calibrator"])
def test_the_fitted_models_never_rank_more_evidence_lower(which):
    # The shipped models, on rows drawn around their training means: raising any feature whose evidence has a
    # direction (naming the subject, being the linked record, more overlap; a better best score) never lowers the
    # probability.
    from assistant.answering import calibrate, reader

    if which == "reader":
        model, names, directions = reader.load_reader(), reader.FEATURES, reader.MONOTONE
    else:
        model, names, directions = calibrate.Calibrator.load().model, calibrate.COLUMNS, calibrate.MONOTONE
    assert model is not None and model.kind in ("boosted", "logistic")
    rows = model.mean + model.scale * np.random.default_rng(0).normal(size=(200, len(names)))
    base = model.proba(rows)[:, 1]
    for k, direction in enumerate(directions):
        if direction:
            more = rows.copy()
            more[:, k] += model.scale[k]
            assert (model.proba(more)[:, 1] >= base - 1e-9).all(), names[k]


def test_answer_shapes_read_amounts_and_periods_in_words():
    from assistant.answering.reader import holds_type

    # "How quickly...?" is answered by a period, written in words as often as in digits.
    assert holds_type("notification must be provided within five working days", "date") == 1.0
    assert holds_type("within 5 working days", "date") == 1.0
    assert holds_type("the local authority must notify the GP", "date") == 0.0
    # A year is a date, not an amount.
    assert holds_type("Coverage: Scotland, March 2022", "number") == 0.0
    assert holds_type("snapshot counts at 31 July", "number") == 0.0  # a day of a month is not an amount either
    assert holds_type("about sixty children", "number") == 1.0


def test_typos_are_repaired_but_real_words_the_documents_lack_are_kept():
    from assistant.answering.spelling import Speller

    speller = Speller(["Temporary registration; changing the plan."], lexicon=frozenset({"charging", "temporary"}))
    assert speller.correct("temprary registration") == "temporary registration"
    # "charging" is one edit from "changing", but it is a word of its own: a question about charges stays one.
    assert speller.correct("what charging applies") == "what charging applies"
    assert Speller(["changing"]).correct("charging") == "changing"  # without the lexicon it would be "repaired"
    # Another apostrophe is not a typo, and a repaired word keeps its capitals: "DfE" still names the department.
    speller = Speller(["The DfE’s projects were temporary."])
    assert speller.correct("Were the DfE's projects Temprary?") == "Were the DfE's projects Temporary?"
    # A known word with its clitic is not a typo of the word one edit away ("where's" is not "whereas").
    speller = Speller(["whereas the census was listed"], lexicon=frozenset({"where"}))
    assert speller.correct("where's it listed") == "where's it listed"


def test_a_name_of_several_words_is_found_as_people_type_it():
    from assistant.answering.entities import EntityIndex
    from core.glossary import Glossary

    index = EntityIndex(Glossary([]), [{"title": "Children's Social Work Statistics"}, {"title": "Care Home Census"}])
    assert [e.name for e in index.find("childrens social work stats - what dates?")] == [
        "Children's Social Work Statistics"]
    assert index.find("social work stats") == []  # every word of the name, in order
    assert [e.name for e in index.find("care homes census")] == ["Care Home Census"]
    # Written properly too: a long word's possessive ("Children's", "Children’s") once hid the whole name.
    for typed in ("Who holds the Children's Social Work Statistics?", "the Children’s Social Work Stats"):
        assert [e.name for e in index.find(typed)] == ["Children's Social Work Statistics"]


def test_a_long_title_is_found_by_its_opening_words():
    from assistant.answering.entities import EntityIndex
    from core.glossary import Glossary

    index = EntityIndex(Glossary([]), [{"title": "Growing Up in Kinship Care linked-data study"},
                                       {"title": "Growing Up in Scotland"}, {"title": "Care Home Census"}])
    assert [e.name for e in index.find("Who holds the Growing Up in Kinship Care study?")] == [
        "Growing Up in Kinship Care linked-data study"]
    # Not by words that open another name too, nor by a short name's every word but one.
    assert [e.name for e in index.find("who runs growing up in scotland?")] == ["Growing Up in Scotland"]
    assert index.find("growing up in care") == [] and index.find("the care home") == []


def test_an_elliptical_follow_up_borrows_the_earlier_ask():
    import datetime as dt

    from assistant.answering.entities import EntityIndex
    from assistant.answering.understand import Turn, borrow_ask, period_of
    from core.glossary import Glossary

    index = EntityIndex(Glossary([]), [{"title": "Children's Social Work Statistics"}, {"title": "Care Home Census"}])
    today = dt.date(2026, 11, 24)
    holds = Turn("Who holds the Children's Social Work Statistics?")
    # The new subject takes the place of the earlier one, whichever way the ellipsis opens.
    for asked, read in (("And what about the care home census?", "Who holds the care home census?"),
                        ("same for care home census", "Who holds care home census?"),
                        ("and Care Home Census?", "Who holds Care Home Census?")):
        assert borrow_ask(asked, holds, today, index) == read
    # A new period takes the place of the earlier one, keeping its preposition.
    due = Turn("What is due by March 2027 in the route map?")
    assert borrow_ask("and for 2028?", due, today, index) == "What is due by 2028 in the route map?"
    # A long title named by its opening words goes whole, however much of it was typed.
    long_index = EntityIndex(Glossary([]), [{"title": "Growing Up in Kinship Care linked-data study"},
                                            {"title": "Care Home Census"}])
    study = Turn("Who holds the Growing Up in Kinship Care study?")
    assert borrow_ask("and the care home census?", study, today, long_index) == "Who holds the care home census?"
    # A contrast within one topic: the words the two share mark what is swapped.
    rate = Turn("What was the poverty rate after housing costs in 2019-22?")
    assert borrow_ask("what about before housing costs?", rate, today, index) == (
        "What was the poverty rate before housing costs in 2019-22?")
    # A version the earlier question names is not its period; a new subject with its own period drops the old one.
    def versions(text):
        return [(m.start(), m.end(), "December 2025") for m in re.finditer(r"December 2025(?= route map)", text)]

    plan = Turn("In the December 2025 route map, who will have developed the business case for the Care Home "
                "Census by end 2026?")
    assert borrow_ask("and by March 2027?", plan, today, index, versions) == (
        "In the December 2025 route map, who will have developed the business case for the Care Home Census by "
        "March 2027?")
    assert borrow_ask("and for the Microsoft 365 roll-out due by March 2027?", plan, today, index, versions) == (
        "In the December 2025 route map, who will have developed the business case for the Microsoft 365 roll-out "
        "due by March 2027?")
    assert period_of("In the December 2025 route map, what is due by end 2026?", today, versions).text == (
        "by end 2026")
    # Not elliptical: an ask of its own, a pronoun, or no earlier turn.
    assert borrow_ask("and how often is it updated?", holds, today, index) is None
    assert borrow_ask("what about its analysis?", holds, today, index) is None
    assert borrow_ask("what about the care home census?", None, today, index) is None


def test_an_answer_from_the_named_records_field_quotes_no_other_records_field():
    def field(score, linked, holder):
        q = f"Held by: {holder}"
        return Candidate("field", holder, q, "d", "", "", "", "", field="holder", linked=linked, score=score)

    ranked = [[field(0.9, True, "Scottish Government, from the secure units"),
               field(0.8, False, "Scottish Government, using census data"),  # another dataset's holder
               _cand(0.7, "Secure care data are collected from the secure units.")]]
    d = _decide(answer=0.5, margin=0.5).run(_understanding(), ranked, [])
    assert [c.quote for c in d.chosen[0]] == ["Held by: Scottish Government, from the secure units",
                                            "Secure care data are collected from the secure units."]


def test_an_acronym_is_read_with_its_written_out_name():
    from assistant.answering.records import idf_coverage
    from assistant.answering.understand import spelled_out

    term = Entity("Looked after", "term", ("Looked after", "LAC", "looked after children"))
    org = Entity("Public Health Scotland", "organisation", ("Public Health Scotland", "PHS"))
    text, spelled = spelled_out("LAC school leavers - phs stats?", [term, org])
    # The embedding reads the longest name; "phs" typed in lower case is not the acronym (short names match as written).
    assert text == "LAC (looked after children) school leavers - phs stats?"
    assert set(spelled) == {"lac"}  # an organisation's name is matched through its records, not as topic words

    class Book:
        def idf(self, term: str) -> float:
            return 1.0

    passage = "Attainment of looked after children who left school"
    assert idf_coverage(Book(), ["lac", "leaver"], passage) == 0.0
    assert idf_coverage(Book(), ["lac", "leaver"], passage, spelled) == 0.5  # "leaver" is not "left": no stemming
    assert idf_coverage(Book(), ["lac"], "looked after", spelled) == 1.0
    assert idf_coverage(Book(), ["lac"], "after school", spelled) == 0.0  # every word of a name, not some


def test_a_name_typed_short_is_not_also_a_topic_word():
    from assistant.answering.understand import topic_terms

    dataset = Entity("Secure Care statistics", "dataset", ("Secure Care statistics",))
    # "stats" is how the name was typed (found as the dataset, entities.LONG), not a word to look for in passages.
    assert topic_terms("secure care stats, who holds them", [dataset]) == []
    assert topic_terms("secure care state of play", [dataset]) == ["state", "play"]


def test_a_follow_up_also_searches_with_its_own_words():
    """The search is a recording stand-in: what is checked is which requests the stage makes and how it merges them."""
    from assistant.answering.candidates import OWN_HITS, Candidates
    from assistant.answering.understand import Turn
    from assistant.retrieval.hybrid import Hit
    from core.store.index import StoredChunk

    class Search:
        def __init__(self):
            self.asked = []

        def run(self, req, query_vector=None):
            self.asked.append((req.query, req.k))
            ids = ["shared", "own-1", "own-2"] if req.query == "what took over from them?" else ["shared", "combined"]
            return [Hit(StoredChunk(i, "d", i, i, {}), 1.0) for i in ids]

    u = _understanding()
    u.question, u.query = "what took over from them?", "what took over from them? (who is it addressed to)"
    u.parts[0].vector = np.ones(3) / np.sqrt(3)
    search = Search()
    stage = Candidates(search, None, k=2)
    assert [h.chunk.id for h in stage.hits(u, None, None)] == ["shared", "combined"]  # not a follow-up: one search
    u.followup = Turn("who is it addressed to?")
    hits = stage.hits(u, None, None)
    assert search.asked[1:] == [(u.query, 2), (u.question, OWN_HITS)]
    assert [h.chunk.id for h in hits] == ["shared", "combined", "own-1", "own-2"]


def test_a_pronoun_its_own_clause_cannot_bind_points_outside_the_question():
    from assistant.answering.entities import EntityIndex
    from assistant.answering.understand import free_pronoun
    from core.glossary import Glossary

    index = EntityIndex(Glossary([]), [{"title": "Secure Care Census"}])
    # Nothing before the clause that holds the pronoun: the local authorities submit "it", they are not "it".
    assert free_pronoun("How can local authorities submit it to DfE?", index)
    assert free_pronoun("Do they publish the Secure Care Census?", index)
    # A name or a topic word in an earlier clause is there for the pronoun to point at.
    assert not free_pronoun("What is the Secure Care Census and who runs it?", index)
    assert not free_pronoun("kinship care stats - how often are they updated?", index)
    assert not free_pronoun("Who holds the Secure Care Census?", index)


def test_a_quote_that_ends_in_a_colon_is_quoted_with_what_it_introduces():
    lead = "The census is submitted via the following formats:"
    ranked = [[_cand(0.9, lead), _cand(0.2, f"{lead}\ndirect entry\nan XML upload"), _cand(0.1, "direct entry")]]
    d = _decide(answer=0.5).run(_understanding(), ranked, [])
    assert [c.quote for c in d.chosen[0]] == [f"{lead}\ndirect entry\nan XML upload"]


def test_the_entity_an_answer_supplied_is_the_one_named_for_what_was_asked():
    from assistant.answering.entities import EntityIndex
    from assistant.answering.understand import answered_entity
    from core.glossary import Glossary, Term

    index = EntityIndex(Glossary([Term(n, "", type="organisation") for n in
                                  ("COSLA", "Data Advisory Group", "Scottish Government")]), [])
    subjects = index.find("Scottish Government")
    quotes = ["COSLA and the Scottish Government set up the Data Advisory Group."]
    assert answered_entity("Which group did the Scottish Government set up?", subjects, quotes, index).name == (
        "Data Advisory Group")
    # Nothing named for the noun asked with: no guess (COSLA is named, but not as a group).
    assert answered_entity("Which body did the Scottish Government fund?", subjects, quotes, index) is None


def test_quotes_are_embedded_a_few_at_a_time_each_with_its_own_vector():
    # A batch pads every text to its longest: one long download line must not slow the short quotes beside it.
    from assistant.answering.reader import QUOTE_BATCH, Reader

    calls: list[list[str]] = []

    def embed(texts: list[str]) -> np.ndarray:
        calls.append(list(texts))
        return np.array([[float(len(t)), 1.0] for t in texts])

    quotes = ["a b " * (i + 1) for i in range(QUOTE_BATCH * 2 + 1)][::-1]
    vecs = Reader(None, embed)._quote_vecs(quotes)
    assert all(len(c) <= QUOTE_BATCH for c in calls) and calls[0][0] == quotes[-1].strip()
    assert [v[0] for v in vecs] == [float(len(q.strip())) for q in quotes]


def test_fitted_trees_score_a_question_on_one_thread():
    """A question's few rows are scored on one OpenMP thread (spinning threads on busy cores cost seconds); the
    estimator here is a stand-in that records the thread limit in force while it scores, and the scores it returns
    must come back unchanged."""
    import sklearn.ensemble  # noqa: F401  (loads scikit-learn's OpenMP runtime, as a fitted model's load does)

    from assistant.answering.kinds import ScaledModel, _openmp

    seen = []

    class Recording:
        def predict_proba(self, x):
            seen.extend(p["num_threads"] for p in _openmp().info() if p["user_api"] == "openmp")
            return np.hstack([1 - x[:, :1], x[:, :1]])

    model = ScaledModel("boosted", Recording(), np.zeros(2), np.ones(2))
    assert model.proba(np.array([0.25, 0.0])).tolist() == [[0.75, 0.25]]
    assert seen and set(seen) == {1}


def test_an_answer_stands_beside_what_it_answers():
    """Nearness of the expected answer type to the part's topic words: the question's own numbers and dates, and
    dates asked about as amounts, are not answers."""
    from assistant.answering.reader import type_nearness
    from core.text import content_terms

    q = "How many benefits are being transferred under the Digital Strategy 2018-2021?"
    terms, asked = frozenset(content_terms(q)), frozenset(w.lower() for w in re.findall(r"\w+", q))
    beside = type_nearness("11 benefits are being wholly transferred.", {"number": 1.0}, terms, asked)
    apart = type_nearness("Of the benefits listed here, and in the annex that follows them, 11 remain.",
                          {"number": 1.0}, terms, asked)
    assert beside == 0.5 and 0 < apart < beside
    assert type_nearness("The Digital Strategy 2018-2021 sets out the approach.", {"number": 1.0}, terms, asked) == 0.0
    assert type_nearness("In March 2024 the benefits were transferred.", {"number": 1.0}, terms, asked) == 0.0
    assert type_nearness("In March 2024 the benefits were transferred.", {"date": 1.0}, terms, asked) > 0
    assert type_nearness("11 benefits are being wholly transferred.", {"definition": 1.0}, terms, asked) == 0.0
    assert type_nearness("11 benefits are being wholly transferred.", {"number": 0.5, "list": 0.5}, terms, asked) == 0.25


def test_answer_types_held_are_found_once_per_text_and_agree_with_each_check():
    from assistant.answering.reader import _SHAPES, holds_type, types_held

    text = "Published 22 April 2025 by the Scottish Government; updated annually, 11,844 children."
    held = types_held(text)
    assert held == {t: holds_type(text, t) for t in _SHAPES} and held["date"] == held["number"] == 1.0
    assert types_held(text) is held  # cached: a second read of the same sentence costs nothing
    assert types_held("No figures here at all.")["number"] == 0.0
