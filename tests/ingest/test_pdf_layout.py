"""PDF layouts that published documents use, generated with fpdf2, and the real PDFs of ../shared/realdocs.

Each generated file reproduces one way a print layout misleads a naive reader: a ruled table with a header and
multi-line cells, a bullet list, two text columns, a contents page with dot leaders, a running header and footer,
rotated chart labels, printed page numbers that differ from the PDF's.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fpdf import FPDF
from pypdf import PdfReader, PdfWriter

from ingest.loaders import pdf
from tests.conftest import real_document

pytestmark = pytest.mark.unit

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
LOREM = ("Local authorities collect information about the children they look after and share it with partners "
         "so that services can plan support. ")


class Report(FPDF):
    """A report with a running header and a page-number footer on every page."""

    running = True

    def header(self) -> None:
        if self.running:
            self.set_font("Helvetica", size=9)
            self.cell(0, 8, "Data Landscape Review | Interim report", new_x="LMARGIN", new_y="NEXT")

    def footer(self) -> None:
        if self.running:
            self.set_y(-15)
            self.set_font("Helvetica", size=9)
            self.cell(0, 10, str(self.page_no()), align="C")


def _doc(tmp_path: Path, build, name: str = "r.pdf", running: bool = False) -> tuple[Path, object]:
    d = Report()
    d.running = running
    d.set_title("Data Landscape Review")
    d.set_auto_page_break(True, 20)
    build(d)
    path = tmp_path / name
    d.output(str(path))
    return path, pdf.load(path, path.read_bytes())


def _heading(d: FPDF, text: str) -> None:
    d.set_font("Helvetica", "B", 16)
    d.cell(0, 10, text, new_x="LMARGIN", new_y="NEXT")
    d.set_font("Helvetica", size=11)


def test_ruled_table_keeps_header_and_multiline_cells(tmp_path):
    def build(d: FPDF) -> None:
        d.add_page()
        _heading(d, "Datasets")
        d.multi_cell(0, 6, LOREM)
        with d.table(col_widths=(40, 60, 30)) as t:
            for r in [("Dataset", "Holder", "Frequency"),
                      ("Children looked after", "Scottish Government, children and families analysis unit", "Annual"),
                      ("Child health reviews", "Public Health Scotland", "Quarterly")]:
                row = t.row()
                for c in r:
                    row.cell(c)
        d.multi_cell(0, 6, LOREM)

    _, doc = _doc(tmp_path, build)
    rows = [b for b in doc.blocks if b.kind == "row"]
    assert [b.text for b in rows] == [
        "Dataset: Children looked after | Holder: Scottish Government, children and families analysis unit | "
        "Frequency: Annual",
        "Dataset: Child health reviews | Holder: Public Health Scotland | Frequency: Quarterly",
    ]
    assert {b.header for b in rows} == {"Dataset | Holder | Frequency"}
    assert {b.table for b in rows} == {"table 1"}
    assert all(b.section[-1] == "Datasets" for b in rows)
    assert not any("Children looked after" in b.text for b in doc.blocks if b.kind != "row")  # no second copy


def test_bullets_and_prose_are_never_a_table(tmp_path):
    font = "DejaVu" if DEJAVU.exists() else "Helvetica"
    mark = "•" if DEJAVU.exists() else "-"

    def build(d: FPDF) -> None:
        if DEJAVU.exists():
            d.add_font("DejaVu", "", str(DEJAVU))
        d.add_page()
        _heading(d, "Who must act")
        d.set_font(font, size=11)
        d.multi_cell(0, 6, "Local authorities must:", new_x="LMARGIN", new_y="NEXT")
        for item in ["notify the health board within 5 working days", "arrange a health assessment",
                     "review the health plan"]:
            d.set_x(25)
            d.multi_cell(0, 6, f"{mark}   {item}", new_x="LMARGIN", new_y="NEXT")
        d.multi_cell(0, 6, "between 1 April 2024 and 31 March 2025        If a local authority fails to act, "
                           "the board may step in.")

    _, doc = _doc(tmp_path, build)
    assert not [b for b in doc.blocks if b.kind == "row"]
    items = [b.text for b in doc.blocks if b.kind == "item"]
    assert items == ["notify the health board within 5 working days", "arrange a health assessment",
                     "review the health plan"]


def test_two_columns_read_left_then_right(tmp_path):
    left = "The left column opens the argument. " * 12
    right = "The right column closes the argument. " * 12

    def build(d: FPDF) -> None:
        d.add_page()
        _heading(d, "Two columns")
        y = d.get_y()
        d.set_xy(10, y)
        d.multi_cell(90, 6, left)
        d.set_xy(110, y)
        d.multi_cell(90, 6, right)

    _, doc = _doc(tmp_path, build)
    text = " ".join(b.text for b in doc.blocks)
    assert text.index("left column opens") < text.index("right column closes")
    assert not any("left" in b.text and "right" in b.text for b in doc.blocks)  # the columns never interleave
    assert not [b for b in doc.blocks if b.kind == "row"]


def test_contents_page_running_header_and_page_numbers_are_dropped(tmp_path):
    def build(d: FPDF) -> None:
        d.add_page()
        _heading(d, "Contents")
        for name, page in [("Introduction", 2), ("Findings", 3), ("Next steps", 3), ("Annex", 3)]:
            d.cell(0, 8, f"{name} {'.' * 60} {page}", new_x="LMARGIN", new_y="NEXT")
        for title in ["Introduction", "Findings"]:
            d.add_page()
            _heading(d, title)
            d.multi_cell(0, 6, LOREM * 4)

    _, doc = _doc(tmp_path, build, running=True)
    text = "\n".join(b.text for b in doc.blocks)
    assert "...." not in text and "Contents" not in text
    assert "Interim report" not in text  # the running header
    assert not any(b.text.strip().isdigit() for b in doc.blocks)  # page numbers
    assert any("contents" in d for d in doc.dropped)
    assert any("running header" in d for d in doc.dropped)
    assert [b.section[-1] for b in doc.blocks] == ["Introduction", "Findings"]


def test_rotated_chart_text_is_not_read_and_large_labels_are_not_headings(tmp_path):
    def build(d: FPDF) -> None:
        d.add_page()
        _heading(d, "Results")
        d.multi_cell(0, 6, LOREM * 2)
        d.rect(30, 80, 120, 60)
        with d.rotation(90, 25, 130):
            d.text(25, 130, "Number of children (thousands)")
        d.set_font("Helvetica", "B", 18)
        d.text(60, 160, "Child")  # a diagram label in a large font, with nothing under it on its page

    _, doc = _doc(tmp_path, build)
    text = " ".join(b.text for b in doc.blocks)
    assert "Number of children" not in text
    assert {b.section for b in doc.blocks} == {(doc.title, "Results")}


def test_locators_give_printed_page_label_and_pdf_page(tmp_path):
    def build(d: FPDF) -> None:
        for n in range(3):
            d.add_page()
            _heading(d, f"Part {n + 1}")
            d.multi_cell(0, 6, LOREM)

    path, _ = _doc(tmp_path, build)
    w = PdfWriter(clone_from=PdfReader(path))
    w.set_page_label(0, 0, style="/r", start=1)
    w.set_page_label(1, 2, style="/D", start=1)
    labelled = tmp_path / "labelled.pdf"
    with open(labelled, "wb") as f:
        w.write(f)
    doc = pdf.load(labelled, labelled.read_bytes())
    locs = [b.locator for b in doc.blocks]
    assert locs == ["page i (PDF page 1)", "page 1 (PDF page 2)", "page 2 (PDF page 3)"]
    assert [(b.page, b.page_label) for b in doc.blocks] == [(1, "i"), (2, "1"), (3, "2")]


def test_a_numbered_footer_that_differs_from_the_pdf_page_becomes_the_label(tmp_path):
    class Offset(Report):
        def footer(self) -> None:
            if self.page_no() > 1:
                self.set_y(-15)
                self.set_font("Helvetica", size=9)
                self.cell(0, 10, str(self.page_no() - 1), align="C")

    d = Offset()
    d.running = False
    for n in range(4):
        d.add_page()
        _heading(d, f"Section {n + 1}")
        d.multi_cell(0, 6, LOREM)
    path = tmp_path / "offset.pdf"
    d.output(str(path))
    doc = pdf.load(path, path.read_bytes())
    assert [b.locator for b in doc.blocks if b.kind == "para"][1:] == [
        "page 1 (PDF page 2)", "page 2 (PDF page 3)", "page 3 (PDF page 4)"]


def test_lines_ended_by_their_writer_keep_their_breaks_and_wrapped_prose_does_not(tmp_path):
    def build(d: FPDF) -> None:
        d.add_page()
        d.set_font("Helvetica", size=11)
        d.multi_cell(0, 6, LOREM * 3)  # one paragraph wrapped at the margin
        d.ln(8)
        for line in ["Survey year <Year> will be '2025'", "Description: The year of the collection",
                     "Survey reference date <ReferenceDate> will be '2025-09-30' and is the baseline date of the",
                     "return, from which comparisons with other dates in the return can be made by the system"]:
            d.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")

    _, doc = _doc(tmp_path, build)
    prose, form = [b.text for b in doc.blocks if b.kind == "para"]
    assert "\n" not in prose
    assert form.split("\n") == [
        "Survey year <Year> will be '2025'", "Description: The year of the collection",
        "Survey reference date <ReferenceDate> will be '2025-09-30' and is the baseline date of the return, from "
        "which comparisons with other dates in the return can be made by the system"]


# ------------------------------------------------------------------------------------------------ real documents
def _real(name: str):
    path = real_document(name)
    return pdf.load(path, path.read_bytes())


def test_real_census_specification_tables_have_their_headers():
    doc = _real("Childrens_social_work_workforce_census_2024_to_2025_technical_specification_v1.pdf")
    rows = [b for b in doc.blocks if b.kind == "row"]
    tables = {b.table: b.header for b in rows}
    assert "CBDS | Variable name | Cardinality (1 unless specified) | Description" in tables.values()
    assert "Character | Entity reference" in tables.values()
    sex = next(b for b in rows if "<Sex>F</Sex>" in b.text)
    assert sex.text.startswith("CBDS: N00783 | Variable name: <Sex>F</Sex> | Cardinality (1 unless specified): 0..1")
    assert sex.locator == "page 22"  # the table continues from page 21 and keeps its header
    assert not any(b.text.startswith("•") or "• |" in b.text for b in rows)  # code lists stay lists
    assert any(b.text == "‘5’ = case holder" and b.kind == "item" for b in doc.blocks)
    assert any("contents" in d for d in doc.dropped)
    # the message header's lines are the writer's: each data item on a line of its own, not one run-on sentence
    assert any(line.startswith("Survey reference date <ReferenceDate> (N00603) will be ‘2025-09-30’")
               for b in doc.blocks for line in b.text.split("\n"))


def test_real_safeguarding_report_drops_contents_and_keeps_deliverables_table():
    doc = _real("Standard_Safeguarding_Dataset_Final_Report_April_2024_v1.0.pdf")
    assert not any("....." in b.text for b in doc.blocks)
    rows = [b.text for b in doc.blocks if b.kind == "row"]
    assert "Stage 1: Data mapping | Data mapping completed including consultation" in rows
    assert "Stage 2: Maintenance framework | Framework live and documented via GitHub" in rows


def test_real_two_column_strategy_reads_left_column_first_without_running_header():
    doc = _real("SCT04185156361.pdf")
    page4 = " ".join(b.text for b in doc.blocks if b.page == 4)
    assert page4.index("This document sets out the 2018-2021") < page4.index("As we embark on this digital")
    assert not any(b.text in ("Safe", "Secure", "Innovative") for b in doc.blocks)
    assert any(b.text.startswith("User centric: We will focus on user needs") for b in doc.blocks)


def test_real_guidance_headings_come_from_font_size():
    doc = _real("Promoting_the_health_and_well-being_of_looked-after_children_August_2022_update.pdf")
    sections = {b.section[-1] for b in doc.blocks}
    assert "Main points" in sections and "Child" not in sections
    assert not [b for b in doc.blocks if b.kind == "row"]  # numbered paragraphs and bullets, no tables
