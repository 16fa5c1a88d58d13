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
