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


def test_an_action_plan_page_gives_commitments_with_stated_dates_only(tmp_path):
    page = tmp_path / "plan.md"
    page.write_text("---\ntitle: Labour market inclusion\n---\n## Actions\n\n"
                    "The Scottish Government will publish a fair work plan by March 2021. It is a good plan.\n\n"
                    "We will:\n\n* create a What Works Institute by summer next year\n* lobby for parental leave\n\n"
                    "We have committed to halving the disability employment gap by 2038.\n\n"
                    "The plan will address inequalities.\n")
    from ingest.loaders import markdown

    doc = markdown.load(page, page.read_bytes())
    recs = commitments.extract(doc, load_glossary())
    by_text = {r.quote: r.fields for r in recs}
    sg = by_text["The Scottish Government will publish a fair work plan by March 2021."]
    assert sg["actors"] == ["Scottish Government"] and (sg["when"], sg["due"]) == ("by March 2021", "2021-03-31")
    institute = by_text["create a What Works Institute by summer next year"]
    assert institute["subject"] == "we" and institute["when"] == "" and institute["due"] is None  # no guessed year
    assert "lobby for parental leave" in by_text
    assert by_text["We have committed to halving the disability employment gap by 2038."]["year"] == 2038
    assert "The plan will address inequalities." not in by_text and "It is a good plan." not in by_text


def test_real_action_plan_and_guidance_give_commitments():
    from ingest.loaders import load
    from tests.conftest import real_document

    path = real_document("3-inclusion.md")
    plan = load(path, path.read_bytes())
    recs = commitments.extract(plan, load_glossary())
    assert len(recs) >= 10
    assert any(r.fields["when"] == "by 2038" for r in recs)
    for r in recs:
        assert r.fields["year"] is None or str(r.fields["year"]) in r.quote
