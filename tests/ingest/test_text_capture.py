import pytest

from ingest.loaders import text_capture
from tests.conftest import SEED_2024, SEED_2025

pytestmark = pytest.mark.unit


def _load(path):
    return text_capture.load(path, path.read_bytes())


def test_seed_2024_structure_recovered():
    doc = _load(SEED_2024)
    assert doc.title == "Data and information"
    assert doc.kind == "route_map"
    assert doc.version == "2024"
    sections = {b.section[1] for b in doc.blocks if len(b.section) > 1}
    assert {"Where is Scotland in 2024?", "Where does Scotland need to be by 2030?", "The route map to get there",
            "What is helping?"} <= sections
    texts = [b.text for b in doc.blocks]
    assert not any(t.startswith("Skip to main content") for t in texts)
    bullets = [b for b in doc.blocks if b.kind == "item" and b.section[1] == "The route map to get there"]
    assert any("Recommendation 4.4.5" in b.text for b in bullets)


def test_seed_2025_milestone_blocks_and_who_needs_lists():
    doc = _load(SEED_2025)
    assert doc.version == "December 2025"
    assert not any(b.text == "Read More..." for b in doc.blocks)
    who = [b for b in doc.blocks if b.section[-1] == "Who needs to work on this"]
    assert len(who) == 4
    assert who[0].section[-2] == "Milestone block 1"
    assert "Public Health Scotland" in who[0].text
    links = [b for b in doc.blocks if b.section[-1] == "Other route maps this links to"]
    assert {b.text for b in links} == {"Workforce support", "Rules, processes and culture"}
    m365 = next(b for b in doc.blocks if "Microsoft 365" in b.text)
    assert m365.section[-1] == "Milestone block 2"
    assert m365.locator.startswith("line ")


def test_a_one_line_note_is_a_document(tmp_path):
    from ingest.loaders import load

    for name, text in [("note.txt", "Ask the CLAS team about kinship care counts."), ("note.md", "# Call PHS on Monday")]:
        p = tmp_path / name
        p.write_text(text)
        doc = load(p, p.read_bytes())
        assert [b.text for b in doc.blocks] == [text.lstrip("# ")]
