import pytest
from fpdf import FPDF
from pypdf import PdfReader, PdfWriter

from ingest.errors import IngestError
from ingest.loaders import html, load, markdown, pdf

pytestmark = pytest.mark.unit


def make_pdf(path, rows=None, pages=2):
    doc = FPDF()
    doc.set_title("Data landscape report")
    for n in range(pages):
        doc.add_page()
        doc.set_font("Helvetica", size=11)
        doc.multi_cell(0, 6, f"Page {n + 1} describes datasets held by public bodies in Scotland. " * 3)
        if rows and n == 0:
            doc.ln(4)
            with doc.table() as t:
                for r in rows:
                    row = t.row()
                    for c in r:
                        row.cell(c)
    doc.output(str(path))
    return path


def test_pdf_keeps_pages_and_table_rows_whole_with_column_names(tmp_path):
    rows = [("Dataset", "Holder", "Frequency"),
            ("Children Looked After Statistics", "Scottish Government", "Annual"),
            ("Early Child Development", "Public Health Scotland, which publishes open data on the portal", "Annual")]
    p = make_pdf(tmp_path / "t.pdf", rows)
    doc = pdf.load(p, p.read_bytes())
    assert doc.title == "Data landscape report"
    table = [b for b in doc.blocks if b.kind == "row"]
    assert [b.locator for b in table] == ["page 1", "page 1"]
    assert table[1].text == ("Dataset: Early Child Development | Holder: Public Health Scotland, which publishes "
                             "open data on the portal | Frequency: Annual")
    assert table[0].header == "Dataset | Holder | Frequency"
    assert any(b.locator == "page 2" for b in doc.blocks)


def test_encrypted_pdf_is_refused_clearly(tmp_path):
    src = make_pdf(tmp_path / "plain.pdf")
    w = PdfWriter(clone_from=PdfReader(src))
    w.encrypt(user_password="secret", owner_password="owner", algorithm="AES-128")
    enc = tmp_path / "enc.pdf"
    with open(enc, "wb") as f:
        w.write(f)
    with pytest.raises(IngestError, match="encrypted"):
        pdf.load(enc, enc.read_bytes())


def test_corrupt_pdf_is_refused_clearly(tmp_path):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.7\n garbage that is not a pdf body")
    with pytest.raises(IngestError, match="not a readable PDF|no extractable text"):
        pdf.load(bad, bad.read_bytes())


def test_empty_unknown_and_wrongly_encoded_files(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(IngestError, match="empty"):
        load(empty, b"")
    with pytest.raises(IngestError, match="unknown format '.docx'"):
        load(tmp_path / "x.docx", b"PK\x03\x04")
    latin = tmp_path / "l.txt"
    latin.write_bytes("Caf\xe9 data\nsecond".encode("latin-1"))
    with pytest.raises(IngestError, match=r"not valid UTF-8.*line 1|line 1.*not valid UTF-8"):
        load(latin, latin.read_bytes())


def test_html_drops_chrome_and_keeps_headings(tmp_path):
    page = tmp_path / "p.html"
    page.write_text("""<html><head><title>T</title><script>var x=1</script></head><body>
      <a class="skip-link" href="#main">Skip to main content</a><div id="cookie-banner">We use cookies</div>
      <header>Site header</header><nav><li>Home</li></nav><main><h1>Route map: Justice</h1>
      <h2>Where is Scotland now?</h2><p>Progress is uneven.</p><ul><li>First point</li></ul>
      <table><tr><th>Year</th><th>Action</th></tr><tr><td>2026</td><td>Publish data</td></tr></table></main>
      <footer>Copyright</footer></body></html>""")
    doc = html.load(page, page.read_bytes())
    assert doc.title == "Justice"
    texts = [b.text for b in doc.blocks]
    assert texts == ["Progress is uneven.", "First point", "Year: 2026 | Action: Publish data"]
    assert doc.blocks[0].section == ("Justice", "Where is Scotland now?")
    assert doc.blocks[2].header == "Year | Action"


def test_markdown_front_matter_headings_and_tables(tmp_path):
    md = tmp_path / "m.md"
    md.write_text("---\ntitle: Guide\nkind: framework\n---\n# Ignored H1\n\n## Part\n\nSome **bold** text.\n\n"
                  "| a | b |\n|---|---|\n| 1 | 2 |\n- item one\n")
    doc = markdown.load(md, md.read_bytes())
    assert doc.title == "Guide" and doc.kind == "framework"
    assert [(b.kind, b.text) for b in doc.blocks] == [("para", "Some bold text."), ("row", "a: 1 | b: 2"),
                                                      ("item", "item one")]
    assert doc.blocks[1].header == "a | b"


def test_html_table_rows_carry_column_names_once_with_the_caption(tmp_path):
    page = tmp_path / "t.html"
    page.write_text("""<html><body><main><h1>Uncertainty</h1><h2>Tables</h2>
      <table><caption>Table 1: Relative poverty,\r\n  Scotland 2019-22</caption>
      <thead><tr><th>Group</th><th>Proportion</th></tr></thead>
      <tbody><tr><td>Children</td><td><p>24.48%  (16.45 - 31.08%)</p></td></tr>
      <tr><td><ul><li>Pensioners</li></ul></td><td>14.89%</td></tr></tbody></table></main></body></html>""")
    doc = html.load(page, page.read_bytes())
    assert [b.text for b in doc.blocks] == ["Group: Children | Proportion: 24.48% (16.45 - 31.08%)",
                                            "Group: Pensioners | Proportion: 14.89%"]
    assert {b.section for b in doc.blocks} == {("Uncertainty", "Tables", "Table 1: Relative poverty, Scotland 2019-22")}
    assert {b.header for b in doc.blocks} == {"Group | Proportion"}
