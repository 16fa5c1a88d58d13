import re

import pytest

from core.dates import find_dates
from core.glossary import load_glossary
from ingest import commitments
from ingest.loaders import html, text_capture
from tests.conftest import SEED_2024, SEED_2025

pytestmark = pytest.mark.unit


def _records(path):
    doc = text_capture.load(path, path.read_bytes())
    return commitments.extract(doc, load_glossary())


def test_microsoft_365_rollout_has_three_organisations_and_march_2027():
    recs = [r for r in _records(SEED_2025) if r.type == "commitment" and "Microsoft 365" in r.quote]
    assert len(recs) == 1
    f = recs[0].fields
    assert f["actors"] == ["COSLA", "Local Government Digital Office", "Scottish Government Digital Health and Care"]
    assert f["when"] == "By March 2027"
    assert f["due"] == "2027-03-31"
    assert "Who needs to work on this" not in recs[0].section


@pytest.mark.parametrize("seed", [SEED_2024, SEED_2025])
def test_no_commitment_carries_a_year_its_text_does_not_state(seed):
    recs = [r for r in _records(seed) if r.type == "commitment"]
    assert len(recs) > 15
    for r in recs:
        if r.fields["year"] is not None:
            assert str(r.fields["year"]) in r.quote, r.quote
            assert r.fields["when"] in r.quote
        else:
            assert r.fields["when"] == "" and r.fields["due"] is None


def test_every_record_keeps_its_exact_source_passage():
    text = SEED_2025.read_text(encoding="utf-8")
    for r in _records(SEED_2025):
        assert r.quote in re.sub(r"[ \t]+", " ", text.replace("\u00a0", " ")) or r.quote.split(".")[0] in text


def test_who_needs_lists_close_their_blocks_and_outcomes_are_marked_inferred():
    recs = _records(SEED_2025)
    m365 = next(r for r in recs if "Microsoft 365" in r.quote)
    assert "Scottish Prevention Hub" in m365.fields["responsible"]
    assert m365.fields["outcome"].startswith("Scotland’s data systems are integrated")
    assert m365.fields["outcome_inferred"] is True
    block3 = next(r for r in recs if r.type == "commitment" and r.fields["block"] == 3)
    assert "Children and Young People Improvement Collaborative" in block3.fields["responsible"]


def test_empty_years_are_recorded_as_gaps_not_invented():
    gaps = [r for r in _records(SEED_2025) if r.type == "milestone_gap"]
    assert [g.fields["count"] for g in sorted(gaps, key=lambda g: g.fields["block"])] == [3, 3, 3, 2]
    assert all(g.fields.get("year") is None for g in gaps)


def test_names_with_years_are_not_dates():
    assert find_dates("Work on the Equality Evidence Strategy 2023-2025 will be completed.") == []
    assert find_dates("responses for the 2031 Census will be available") == []
    assert [d.text for d in find_dates("By end 2026 the business case")] == ["By end 2026"]
    assert find_dates("Throughout 2025, mechanisms")[0].due.isoformat() == "2025-12-31"


def test_year_headings_of_an_html_route_map_date_its_milestones(tmp_path):
    page = tmp_path / "rm.html"
    page.write_text("""<html><body><nav>Home | Route maps</nav><main><h1>Route map: Health</h1>
      <h2>The route map to get there</h2><h3>2026</h3><p>Public Health Scotland will publish a plan.</p>
      <h3>2027</h3><p>There are no milestones identified for this year yet.</p>
      <h3>Who needs to work on this</h3><p>Public Health Scotland, COSLA</p></main></body></html>""")
    doc = html.load(page, page.read_bytes())
    recs = commitments.extract(doc, load_glossary())
    plan = next(r for r in recs if r.type == "commitment")
    assert plan.fields["year"] == 2026 and plan.fields["actors"] == ["Public Health Scotland"]
