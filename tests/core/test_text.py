import pytest

from core.text import content_terms, stem

pytestmark = pytest.mark.unit


def test_a_word_and_its_inflections_share_a_stem():
    # "carried out" in a passage answers "who can carry out ...?"
    assert len({stem(w) for w in ("carry", "carries", "carried")}) == 1
    assert len({stem(w) for w in ("assessment", "assessments")}) == 1
    # "Removal of following data items:" answers "which items were removed?"
    assert len({stem(w) for w in ("removal", "removed", "removing")}) == 1
    assert len({stem(w) for w in ("Children's", "children")}) == 1
    assert content_terms("Who can carry out the reviews?") == [stem("carry"), stem("review")]


def test_a_word_with_a_digit_is_kept_as_written():
    # figures, codes and identifiers have no suffix to strip: "S6" and "N00582" match as typed
    assert [stem(w) for w in ("S6", "N00582", "2020s", "6158eec0-90b6")] == ["s6", "n00582", "2020s", "6158eec0-90b6"]


def test_a_span_of_years_is_one_word_however_it_is_written():
    # a question's "23-24" and a document's "2023/24" are the same reporting year
    assert {content_terms(x)[0] for x in ("2023/24", "2023-24", "23-24", "2023-2024", "2023 - 24")} == {"2023-24"}
    assert content_terms("the 2019-22 rate") == ["2019-22", "rate"]
    # dates, decimals and other number ranges are left as they were
    assert content_terms("2019-12-20") == ["2019-12-20"]
    assert content_terms("24.48% (16.45 - 31.08%)") == ["24", "48", "16", "45", "31", "08"]
    assert content_terms("rows 10-40") == ["row", "10-40"]
