"""`wayfinder inspect`: the real command on a real file, nothing stored."""

from __future__ import annotations

import json

import pytest

from assistant.cli import main

pytestmark = pytest.mark.unit


def test_inspect_shows_sections_tables_records_and_dropped(tmp_path, capsys):
    page = tmp_path / "plan.html"
    page.write_text("""<html><body><nav>Home</nav><main><h1>Inclusion plan</h1><h2>Actions</h2>
      <p>The Scottish Government will publish a fair work plan by March 2021.</p>
      <table><caption>Funding</caption><tr><th>Year</th><th>Amount</th></tr><tr><td>2020</td><td>£5m</td></tr>
      </table></main></body></html>""")
    assert main(["inspect", str(page), "--json"]) == 0
    rep = json.loads(capsys.readouterr().out)
    assert rep["title"] == "Inclusion plan"
    assert rep["tables"]["Funding"]["header"] == "Year | Amount"
    assert rep["tables"]["Funding"]["first_row"] == "Year: 2020 | Amount: £5m"
    assert rep["records"] == {"commitment": 1}
    assert rep["record_examples"][0]["fields"]["when"] == "by March 2021"
    assert "Actions" in rep["sections"]
    assert main(["inspect", str(page)]) == 0
    text = capsys.readouterr().out
    assert "tables (1):" in text and "header: Year | Amount" in text


def test_inspect_names_a_file_it_cannot_read(tmp_path, capsys):
    bad = tmp_path / "x.docx"
    bad.write_bytes(b"PK")
    assert main(["inspect", str(bad)]) == 1
    assert "unknown format" in capsys.readouterr().out
