import pytest

from core.text import content_terms, stem

pytestmark = pytest.mark.unit


def test_a_word_and_its_inflections_share_a_stem():
    # "carried out" in a passage answers "who can carry out ...?"
    assert {stem(w) for w in ("carry", "carries", "carried")} == {"carry"}
    assert {stem(w) for w in ("assessment", "assessments")} == {"assessment"}
    assert stem("tied") == "tied"  # too short to lose a suffix
    assert content_terms("Who can carry out the reviews?") == ["carry", "review"]
