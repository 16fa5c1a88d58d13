import io
import json

import pytest
from openpyxl import Workbook

from ingest.errors import IngestError
from ingest.loaders import catalogue

pytestmark = pytest.mark.unit


def _load(tmp_path, name, content):
    p = tmp_path / name
    p.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return catalogue.load(p, p.read_bytes())


def test_csv_with_other_column_names_is_mapped_by_meaning(tmp_path):
    doc = _load(tmp_path, "council.csv",
                "Data Asset,Data Custodian,Summary,Update Frequency,How to get it,Web address\n"
                "Kinship care register,Anytown Council,Children in kinship care,Quarterly,Ask the data team,"
                "https://example.org/kin\n")
    (rec,) = doc.records
    assert rec.fields["title"] == "Kinship care register"
    assert rec.fields["holder"] == "Anytown Council"
    assert rec.fields["frequency"] == "Quarterly"
    assert rec.fields["access"] == "Ask the data team"
    assert rec.fields["url"] == "https://example.org/kin"
    assert "Held by: Anytown Council" in doc.blocks[0].text


def test_malformed_row_is_reported_with_its_row_and_others_are_kept(tmp_path):
    doc = _load(tmp_path, "c.csv", "title,publisher\nGood one,Scottish Government\nNo holder,\n,Orphan holder\n")
    assert [r.fields["title"] for r in doc.records] == ["Good one"]
    assert doc.warnings == ["row 3: missing holder; this row was skipped", "row 4: missing title; this row was skipped"]


def test_xlsx(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["Name", "Owner", "Frequency"])
    ws.append(["Secure care census", "Scottish Government", "Annual"])
    buf = io.BytesIO()
    wb.save(buf)
    doc = _load(tmp_path, "c.xlsx", buf.getvalue())
    assert doc.records[0].fields["holder"] == "Scottish Government"
    assert doc.records[0].locator == "row 2"


def test_ckan_package_search_and_package_show(tmp_path):
    pkg = {"name": "ecd", "title": "Early Child Development", "notes": "Health visitor reviews",
           "organization": {"title": "Public Health Scotland"}, "maintainer_email": "phs.data@phs.scot",
           "url": "https://example.org/ecd", "extras": [{"key": "frequency", "value": "Annual"}]}
    search = _load(tmp_path, "s.json", json.dumps({"success": True, "result": {"count": 1, "results": [pkg]}}))
    show = _load(tmp_path, "p.json", json.dumps({"success": True, "result": pkg}))
    for doc in (search, show):
        f = doc.records[0].fields
        assert (f["title"], f["holder"], f["frequency"]) == ("Early Child Development", "Public Health Scotland",
                                                           "Annual")


def test_dcat_jsonld(tmp_path):
    cat = {"@context": "https://www.w3.org/ns/dcat.jsonld", "@type": "dcat:Catalog", "dct:title": "Open data",
           "dcat:dataset": [{"@type": "dcat:Dataset", "dct:title": "SCRA statistics",
                             "dct:publisher": {"foaf:name": "SCRA"}, "dct:description": "Referrals",
                             "dct:accrualPeriodicity": "annual", "dcat:landingPage": {"@id": "https://scra.gov.uk/stats"},
                             "dcat:contactPoint": {"vcard:fn": "Statistics team",
                                                   "vcard:hasEmail": "mailto:stats@scra.gov.uk"}}]}
    doc = _load(tmp_path, "d.jsonld", json.dumps(cat))
    f = doc.records[0].fields
    assert doc.title == "Open data"
    assert (f["holder"], f["frequency"], f["url"]) == ("SCRA", "annual", "https://scra.gov.uk/stats")
    assert f["contact"] == "Statistics team"


def test_yaml_catalogue_and_glossary(tmp_path):
    doc = _load(tmp_path, "c.yaml", "datasets:\n  - title: GUS\n    maintainer: ScotCen\n")
    assert doc.records[0].fields["holder"] == "ScotCen"
    gl = _load(tmp_path, "g.yaml", "terms:\n  - {term: Care Inspectorate, acronym: CI, definition: Regulator.}\n")
    assert gl.kind == "glossary" and gl.records[0].fields["acronym"] == "CI"


def test_broken_json_and_yaml_name_the_line(tmp_path):
    with pytest.raises(IngestError) as e:
        _load(tmp_path, "bad.json", '{"dataset": [\n{"title": }\n]}')
    assert "line 2" in str(e.value) and "not valid JSON" in str(e.value)
    with pytest.raises(IngestError) as e:
        _load(tmp_path, "bad.yaml", "datasets:\n  - title: [unclosed\n")
    assert "not valid YAML" in str(e.value)
