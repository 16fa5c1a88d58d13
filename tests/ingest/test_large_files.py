"""Large valid files (issue 9: a 200k-row CSV, a 200k-line text) go through parsing, screening and chunking in one
pass per block, show a moving bar over chunks embedded, and a Ctrl-C leaves the store as it was.

No timing asserts: the speed figures are measured by hand (see the closing note of issue 9); these tests pin the
shape of the work, which is what made the old path super-linear.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

import ingest.chunking as chunking
import ingest.pipeline as pipeline
from core.glossary import load_glossary
from core.store.check import check_store
from ingest import commitments
from ingest.chunking import chunk_document, estimate_tokens
from ingest.loaders import load
from ingest.pipeline import Ingestor
from ingest.screening import screen
from tests.conftest import SEED_2024

AREAS = ["Aberdeen City", "Angus", "City of Edinburgh", "Dundee City", "Glasgow City", "Highland"]
ROWS = 20_000


def _table(path: Path, rows: int) -> Path:
    """A plain statistics table (id, area, year, value): not a catalogue, so each row is a block of its own."""
    rnd = random.Random(9)
    lines = ["id,area,year,value"] + [f"{i},{rnd.choice(AREAS)},{rnd.randint(2010, 2024)},{rnd.randint(0, 5000)}"
                                      for i in range(1, rows + 1)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _lines(path: Path, rows: int) -> Path:
    words = ["care", "data", "children", "families", "promise", "plan", "local", "support", "record", "review"]
    rnd = random.Random(9)
    body = [" ".join(rnd.choice(words) for _ in range(5)).capitalize() + "." for _ in range(rows)]
    path.write_text("Large plain text\n\n" + "\n".join(body) + "\n", encoding="utf-8")
    return path


def _count_pieces(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls = [0]
    real = chunking._pieces

    def counted(block, limit):  # noqa: ANN001, ANN202
        calls[0] += 1
        return real(block, limit)

    monkeypatch.setattr(chunking, "_pieces", counted)
    return calls


def test_20k_row_table_is_parsed_screened_and_chunked_once_per_row(tmp_path, monkeypatch):
    f = _table(tmp_path / "stats.csv", ROWS)
    doc = load(f, f.read_bytes())
    assert doc.kind == "other" and len(doc.blocks) == ROWS  # a table document, one block per row
    assert doc.blocks[0].text.startswith("id: 1 | area: ") and doc.blocks[0].header == "id | area | year | value"
    assert screen(doc, f.name) == []
    calls = _count_pieces(monkeypatch)
    chunks = chunk_document(doc, "d", {}, limit=180)
    assert calls[0] == ROWS  # the chunker sees each block once: no re-reading of what is already grouped
    rows_out = [line for ch in chunks for line in ch.text.split("\n")]
    assert rows_out == [b.text for b in doc.blocks]  # every row once, in order, never split
    assert all(estimate_tokens(ch.text) <= 180 for ch in chunks)
    per_row = estimate_tokens(doc.blocks[0].text)
    assert ROWS * per_row / 180 <= len(chunks) <= 2 * ROWS * per_row / 180  # packed, not one chunk per row
    assert len({ch.id for ch in chunks}) == len(chunks)


def test_20k_line_text_is_parsed_screened_and_chunked_once_per_line(tmp_path, monkeypatch):
    f = _lines(tmp_path / "notes.txt", ROWS)
    doc = load(f, f.read_bytes())
    assert len(doc.blocks) == ROWS
    assert screen(doc, f.name) == []
    assert commitments.extract(doc, load_glossary()) == []
    calls = _count_pieces(monkeypatch)
    chunks = chunk_document(doc, "d", {}, limit=180)
    assert calls[0] == ROWS
    assert " ".join(ch.text.replace("\n", " ") for ch in chunks) == " ".join(b.text for b in doc.blocks)
    assert all(estimate_tokens(ch.text) <= 180 for ch in chunks)


@pytest.mark.integration
def test_embedding_shows_a_bar_over_chunks(components, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(pipeline, "EMBED_SLICE", 4)  # a small file crosses several slices, as 200k rows do
    sizes: list[int] = []
    real = components.embedder.encode

    def encode(texts, progress=False):  # noqa: ANN001, ANN202 - the real model, calls counted
        sizes.append(len(texts))
        return real(texts, progress)

    monkeypatch.setattr(components.embedder, "encode", encode)
    f = _table(tmp_path / "stats.csv", 300)
    report = Ingestor(components).run([f], progress=True)
    n = report.chunks_embedded
    assert report.ok and n > 8
    assert sizes == [4] * (n // 4) + ([n % 4] if n % 4 else [])  # the bar can move after every slice
    err = capsys.readouterr().err
    assert f"Embedding stats.csv:   0%|          | 0/{n} [" in err


@pytest.mark.integration
def test_ctrl_c_while_storing_a_large_file_leaves_the_store_as_it_was(components, tmp_path, monkeypatch):
    """Ctrl-C after the vectors went to Chroma but before SQLite committed: the run reports the file as not stored
    and undoes the vectors at once, so `wayfinder check` finds nothing to repair."""
    keep = tmp_path / "rm.txt"
    shutil.copy(SEED_2024, keep)
    ing = Ingestor(components)
    assert ing.run([keep], progress=False).ok
    before = components.vectors.count()

    def interrupted(*a, **k):  # noqa: ANN002, ANN003, ANN202 - Ctrl-C cannot be timed to this point on demand
        raise KeyboardInterrupt

    monkeypatch.setattr(components.index, "replace_document", interrupted)
    big, other = _table(tmp_path / "stats.csv", 500), _lines(tmp_path / "later.txt", 50)
    report = ing.run([big, other], progress=False)
    monkeypatch.undo()
    assert report.errors == [f"{big}: interrupted; this file was not stored and 1 more file was not read"]
    assert components.vectors.count() == before
    assert [d.path for d in components.index.documents()] == [str(keep.resolve())]
    assert check_store(components).ok
