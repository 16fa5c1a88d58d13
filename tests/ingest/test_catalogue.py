import io
import json

import pytest
from openpyxl import Workbook

from ingest.errors import IngestError
from ingest.loaders import catalogue
from tests.conftest import real_document

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
    assert f["contact"] == "Statistics team <stats@scra.gov.uk>"


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


# ------------------------------------------------------------------------------------------------ portal shapes


def test_dcat_us_data_json_keeps_distributions_landing_page_and_catalogue_name(tmp_path):
    cat = {"@type": "dcat:Catalog", "title": "Anytown Council Catalog", "dataset": [{
        "@type": "dcat:Dataset", "title": "School rolls", "description": "Pupils by school",
        "notes": "School rolls\t\t\n<p style=\"color:red\">Counted at the <b>September</b> census.</p>",
        "publisher": {"@type": "org:Organization", "name": "https://portal.example/org/anytown"},
        "contactPoint": {"fn": "Open Data", "email": "opendata@anytown.example"},
        "accrualPeriodicity": "Annual", "issued": "2017-11-16T14:25:40.882Z", "modified": "2019-01-02T10:00:00Z",
        "keyword": ["Children", "Education"], "theme": ["Social / Community"],
        "licence": "http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
        "landingPage": "https://portal.example/ds/rolls",
        "distribution": [{"@type": "dcat:Distribution", "mediaType": "text/csv", "title": "rolls.csv",
                          "accessURL": "https://portal.example/files/rolls.csv"}]}]}
    doc = _load(tmp_path, "data.json", json.dumps(cat))
    f = doc.records[0].fields
    assert doc.title == "Anytown Council Catalog"
    assert f["holder"] == "Anytown Council"  # the publisher was only a portal address
    assert (f["frequency"], f["created"], f["updated"]) == ("Annual", "2017-11-16", "2019-01-02")
    assert f["keywords"] == "Children; Education" and f["themes"] == "Social / Community"
    assert f["landing_page"] == "https://portal.example/ds/rolls"
    assert f["distributions"] == [{"title": "rolls.csv", "format": "CSV",
                                   "url": "https://portal.example/files/rolls.csv"}]
    assert f["formats"] == "CSV"
    assert f["contact"] == "Open Data <opendata@anytown.example>"
    assert "<" not in f["notes"] and "color" not in f["notes"] and "Counted at the September census." in f["notes"]
    assert "How often: Annual\n" in doc.records[0].quote
    assert "Download: rolls.csv (CSV) https://portal.example/files/rolls.csv" in doc.records[0].quote


def test_a_header_meaning_a_field_exactly_is_not_displaced_by_a_later_synonym():
    # DCAT-US lists "lineage" before "notes"; a lineage taking the notes field left the notes unread
    headers = ["title", "lineage", "publisher", "notes"]
    mapping = catalogue.map_headers(headers)
    assert mapping["notes"] == "notes" and "lineage" not in mapping
    assert catalogue.map_headers(list(reversed(headers)))["notes"] == "notes"


def test_dcat_ap_graph_with_distributions_and_frequency_vocabulary(tmp_path):
    cat = {"@context": {"dcat": "http://www.w3.org/ns/dcat#"}, "@graph": [
        {"@id": "https://ex/cat", "@type": "dcat:Catalog", "dct:title": "Regional catalogue"},
        {"@id": "https://ex/ds/1", "@type": "dcat:Dataset", "dct:title": "Referrals",
         "dct:publisher": {"foaf:name": "SCRA"},
         "dct:description": "<div><style>.x{color:red}</style><p>Referrals to the Reporter.</p></div>",
         "dct:accrualPeriodicity": {"@id": "http://publications.europa.eu/resource/authority/frequency/QUARTERLY"},
         "dcat:keyword": ["referrals", "hearings"],
         "dcat:distribution": [{"@type": "dcat:Distribution", "dct:format": "XLSX", "dcat:byteSize": 2048,
                                "dcat:downloadURL": {"@id": "https://ex/files/ref.xlsx"}}]}]}
    doc = _load(tmp_path, "cat.jsonld", json.dumps(cat))
    (rec,) = doc.records
    assert rec.fields["description"] == "Referrals to the Reporter."
    assert rec.fields["frequency"] == "Quarterly"
    assert rec.fields["distributions"] == [{"format": "XLSX", "url": "https://ex/files/ref.xlsx", "size": "2.0 KB"}]


def test_ckan_resources_markup_and_frequency_found_in_the_description(tmp_path):
    pkg = {"name": "beds", "title": "Hospital beds", "notes": "**Beds** by board. This dataset is updated weekly.\r\n"
           "See [the guide](https://ex/guide).", "organization": {"title": "Public Health Scotland"},
           "license_title": "UK Open Government Licence (OGL)", "metadata_created": "2020-01-01T00:00:00",
           "metadata_modified": "2024-05-06T07:08:09", "tags": [{"name": "beds"}, {"name": "hospital"}],
           "groups": [{"title": "Hospital care"}],
           "resources": [{"name": "Beds by board", "format": "CSV", "url": "https://ex/beds.csv", "size": 1048576},
                         {"name": "Data dictionary", "format": "PDF", "url": "https://ex/dict.pdf"}]}
    doc = _load(tmp_path, "beds.json", json.dumps({"success": True, "result": {"results": [pkg]}}))
    f = doc.records[0].fields
    assert f["frequency"] == "updated weekly"
    assert f["description"] == "Beds by board. This dataset is updated weekly. See the guide (https://ex/guide)."
    assert (f["created"], f["updated"], f["licence"]) == ("2020-01-01", "2024-05-06", "UK Open Government Licence (OGL)")
    assert f["formats"] == "CSV, PDF" and f["keywords"] == "beds; hospital" and f["themes"] == "Hospital care"
    assert f["distributions"][0] == {"title": "Beds by board", "format": "CSV", "url": "https://ex/beds.csv",
                                     "size": "1.0 MB"}


def test_resource_per_row_csv_is_grouped_and_a_date_is_never_a_frequency(tmp_path):
    doc = _load(tmp_path, "Portal_export.csv",
                "Title,Owner,PageURL,AssetURL,FileName,DateCreated,DateUpdated,FileType,OriginalTags,License,"
                "Description\n"
                "Beds,PHS,https://ex/ds/beds,https://ex/a.csv,Beds by board,2019-07-22T07:49:14,"
                "2023-02-28T15:04:10Z,CSV,beds;hospital,OGL,Beds in use.\\r\\nUpdated monthly.\n"
                "Beds,PHS,https://ex/ds/beds,https://ex/b.csv,Beds by specialty,2019-07-22T07:49:14,"
                "2024-03-01T00:00:00Z,CSV,beds;hospital,OGL,Beds in use.\\r\\nUpdated monthly.\n"
                "Deaths,PHS,https://ex/ds/deaths,https://ex/d.csv,Deaths,2019-01-01,2020-01-01,XLSX,deaths,OGL,"
                "Deaths registered.\n")
    assert doc.title == "Portal export"
    beds, deaths = doc.records
    assert beds.locator == "row 2 to 3"
    assert beds.fields["updated"] == "2024-03-01" and beds.fields["frequency"] == "Updated monthly"
    assert [d["title"] for d in beds.fields["distributions"]] == ["Beds by board", "Beds by specialty"]
    assert beds.fields["landing_page"] == "https://ex/ds/beds" and beds.fields["description"] == (
        "Beds in use. Updated monthly.")
    assert deaths.fields["frequency"] == "" and "How often" not in deaths.quote
    assert "Last updated: 2020-01-01" in deaths.quote.splitlines()


def test_spreadsheet_that_is_not_a_catalogue_is_a_table_document_with_every_sheet(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "S1"
    ws.append(["code", "code_description", "topic", "question"])
    ws.append(["take_part", "Whether respondent agreed\u200b to take part", "NA", "Q1. Are you happy?"])
    ws2 = wb.create_sheet("S2")
    ws2.append(["code", "code_description"])
    ws2.append(["sleep", "Hours of sleep"])
    buf = io.BytesIO()
    wb.save(buf)
    doc = _load(tmp_path, "dictionary.xlsx", buf.getvalue())
    assert doc.kind == "other" and not doc.records
    assert [(b.locator, b.text) for b in doc.blocks] == [
        ("sheet S1, row 2", "code: take_part | code_description: Whether respondent agreed to take part | topic: NA"
                            " | question: Q1. Are you happy?"),
        ("sheet S2, row 2", "code: sleep | code_description: Hours of sleep")]
    assert doc.blocks[0].header == "code | code_description | topic | question"
    assert doc.blocks[1].section[-1] == "S2"


def test_plain_csv_table_is_a_table_document(tmp_path):
    doc = _load(tmp_path, "rates.csv", "Year,Rate,Interval\n2019-22,24.48%,16.45 - 31.08%\n")
    assert doc.kind == "other"
    assert doc.blocks[0].text == "Year: 2019-22 | Rate: 24.48% | Interval: 16.45 - 31.08%"


def _real(name):
    path = real_document(name)
    return catalogue.load(path, path.read_bytes())


def test_real_dcat_us_council_catalogue():
    doc = _real("Dumfries_and_Galloway_Council.json")
    assert doc.title == "Dumfries and Galloway Council Catalog" and len(doc.records) == 31
    roll = next(r for r in doc.records if r.fields["title"] == "Secondary School Roll")
    assert roll.fields["formats"] == "JSON, CSV" and roll.fields["keywords"] == "Children; Education; Young People"
    assert all("\t" not in r.quote for r in doc.records)
    assert {r.fields["frequency"] for r in doc.records} <= {"", "Annual", "Irregular"}
    sizes = next(r for r in doc.records if r.fields["title"] == "Class Sizes")
    assert "Lower Class Sizes" in sizes.fields["notes"] and "Lower Class Sizes" in sizes.quote


def test_real_phs_catalogue_groups_1142_resources_into_104_datasets():
    doc = _real("Public_Health_Scotland.csv")
    assert len(doc.records) == 104 and not doc.warnings
    assert sum(len(r.fields.get("distributions", [])) for r in doc.records) == 1142
    for r in doc.records:
        assert not r.fields["frequency"] or not r.fields["frequency"][:4].isdigit()
        assert "\\r\\n" not in r.quote and "](" not in r.quote
        assert len(r.fields["updated"]) == 10
