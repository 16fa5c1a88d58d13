"""The screen covers everything that is stored or shown, not only the body; real published documents pass it."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from fpdf import FPDF

from core.components import Components
from core.settings import Settings
from ingest.errors import PersonalDataError
from ingest.loaders import load
from ingest.pipeline import Ingestor, discover
from ingest.screening import scan_text, screen

pytestmark = pytest.mark.unit

CHI = "1504121236"  # valid check digit: 15 April 2012
from tests.conftest import REALDOCS  # noqa: E402


@pytest.fixture
def ingestor(tmp_path: Path) -> Ingestor:
    # Parsing and screening never touch the model or Chroma (both load lazily), so none is loaded here.
    return Ingestor(Components(Settings(store=tmp_path / "store")))


def _refusal(ingestor: Ingestor, path: Path) -> str:
    entry = dict(discover([path])[0][1])
    with pytest.raises(PersonalDataError) as err:
        ingestor.parse(path, path.read_bytes(), entry)
    message = str(err.value)
    assert CHI not in message and "150 412" not in message  # the value is never repeated
    return message


@pytest.mark.parametrize(("name", "content", "place"), [
    ("first-line.txt", f"Jamie Smith CHI {CHI}\n\nA paragraph about data.\n", "heading at line 3"),
    ("front.md", f"---\ntitle: Jamie Smith CHI {CHI}\n---\n\nBody text about data.\n", "title"),
    ("h2.md", "# Notes\n\n## Jamie CHI 150 412 1236\n\nBody text about data.\n", "heading at line 5"),
    ("h1.html", f"<html><body><main><h1>Jamie CHI {CHI}</h1><p>Body text about data.</p></main></body></html>",
     "title"),
    ("cat.csv", f"title,custodian\nRecords for CHI {CHI},Scottish Government\n", "row 2"),
    (f"Jamie CHI {CHI}.md", "# Notes\n\nBody text about data.\n", "file name"),
])
def test_personal_data_outside_the_body_is_refused(ingestor, tmp_path, name, content, place):
    p = tmp_path / name
    p.write_text(content, encoding="utf-8")
    message = _refusal(ingestor, p)
    assert f"CHI number at {place}" in message


def test_manifest_title_is_screened(ingestor, tmp_path):
    (tmp_path / "notes.md").write_text("# Notes\n\nBody text about data.\n", encoding="utf-8")
    (tmp_path / "manifest.yaml").write_text(f"documents:\n  - path: notes.md\n    title: Jamie CHI {CHI}\n")
    assert "CHI number at title" in _refusal(ingestor, tmp_path / "notes.md")


def test_pdf_metadata_title_is_screened(ingestor, tmp_path):
    pdf = FPDF()
    pdf.set_title("Case file for Jamie Smith, NI number ab123456c")
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 6, "Page text about datasets held by public bodies in Scotland.")
    p = tmp_path / "meta.pdf"
    pdf.output(str(p))
    assert "National Insurance number at title" in _refusal(ingestor, p)


def test_a_table_column_named_date_of_birth_is_read_as_one():
    doc = load(Path("t.md"), b"# Register\n\n| Name | Date of birth |\n|---|---|\n| Jamie Smith | 2015-04-03 |\n")
    assert [f.kind for f in screen(doc)] == ["date of birth next to a name"]


def test_a_published_contact_does_not_refuse_a_catalogue(ingestor, tmp_path):
    p = tmp_path / "cat.csv"
    p.write_text("title,custodian,contact\nChildren Looked After,Scottish Government,children.services@dumgal.gov.uk\n"
                 "Open data,Dumfries and Galloway Council,Louise Boyce louise.boyce@dumgal.gov.uk\n", encoding="utf-8")
    doc = ingestor.parse(p, p.read_bytes(), {})
    assert len(doc.records) >= 2


def _raw_texts(path: Path) -> list[str]:
    """A real file's text as bytes on disk, whatever the loaders make of it: PDF pages and metadata, XLSX cells."""
    if path.suffix == ".pdf":
        from pypdf import PdfReader

        reader = PdfReader(str(path))
        meta = [str(v) for v in (reader.metadata or {}).values()]
        return meta + [page.extract_text() or "" for page in reader.pages]
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as z:
            return [z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml")]
    return path.read_text(encoding="utf-8").splitlines()


@pytest.mark.skipif(not REALDOCS.is_dir(), reason="the shared real documents are not on this machine")
@pytest.mark.parametrize("path", sorted(REALDOCS.iterdir()) if REALDOCS.is_dir() else [], ids=lambda p: p.name)
def test_every_real_published_document_passes_the_screen(path):
    found = {kind for text in _raw_texts(path) for kind in scan_text(text)}
    assert not found, f"{path.name}: {found}"
    try:
        doc = load(path, path.read_bytes())
    except Exception:  # noqa: BLE001 - loaders are tested elsewhere; only the screen is under test here
        return
    assert screen(doc, path.name) == []
