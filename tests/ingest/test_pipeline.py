"""The ingestion path end to end, on a real Chroma store with the real model."""

import json
import shutil
import subprocess
import sys

import pytest

from ingest.pipeline import Ingestor
from tests.conftest import CORPUS, ROOT, SEED_2024, make_components
from tests.ingest.test_pdf_html_markdown import make_pdf

pytestmark = pytest.mark.integration


def test_bundled_corpus_is_indexed_with_records(corpus_store):
    docs = {d.kind: d for d in corpus_store.index.documents()}
    assert set(docs) == {"route_map", "catalogue", "glossary", "framework"}
    assert docs["catalogue"].n_records >= 30
    assert len(corpus_store.index.records("term")) >= 50
    route_maps = [d for d in corpus_store.index.documents() if d.kind == "route_map"]
    assert sorted(d.version for d in route_maps) == ["2024", "December 2025"]
    assert corpus_store.vectors.count() == corpus_store.index.count_chunks()
    for ch in corpus_store.index.chunks(corpus_store.index.chunk_ids(route_maps[0].doc_id)).values():
        assert ch.embed_text.startswith(route_maps[0].title)
        assert ch.meta["locator"]


def test_unchanged_reingest_embeds_nothing(components, corpus_copy):
    first = Ingestor(components).run([corpus_copy], progress=False)
    assert first.ok and first.chunks_embedded > 100
    again = Ingestor(components).run([corpus_copy], progress=False)
    assert again.ok
    assert again.chunks_embedded == 0 and again.chunks_stored == 0
    assert len(again.unchanged) == len(first.added)


def test_changed_file_replaces_its_chunks_and_reuses_unchanged_vectors(components, tmp_path):
    f = tmp_path / "rm.txt"
    shutil.copy(SEED_2024, f)
    ing = Ingestor(components)
    ing.run([f], progress=False)
    doc_id = components.index.documents()[0].doc_id
    before = set(components.index.chunk_ids(doc_id))
    f.write_text(f.read_text(encoding="utf-8") + "\n\nA brand new paragraph about the Kinship Data Observatory.\n",
                 encoding="utf-8")
    report = ing.run([f], progress=False)
    assert report.updated == [str(f)]
    after = set(components.index.chunk_ids(doc_id))
    assert report.chunks_embedded < 5 and report.chunks_reused > 20
    assert components.vectors.count() == len(after)
    assert before - after and not (after - before) - set(components.index.chunk_ids(doc_id))
    assert components.index.lexical("Kinship Data Observatory")


def test_failure_during_replacement_keeps_the_old_version_searchable(components, tmp_path, monkeypatch):
    f = tmp_path / "rm.txt"
    shutil.copy(SEED_2024, f)
    ing = Ingestor(components)
    ing.run([f], progress=False)
    old_ids = set(components.index.chunk_ids(components.index.documents()[0].doc_id))
    f.write_text(f.read_text(encoding="utf-8").replace("Data Loch", "Data Pond"), encoding="utf-8")

    # Simulated crash inside the SQLite transaction: the one failure point a real file cannot trigger on demand.
    def boom(*a, **k):
        raise OSError("disk full")

    monkeypatch.setattr(components.index, "replace_document", boom)
    report = ing.run([f], progress=False)
    assert report.errors and "disk full" in report.errors[0]
    monkeypatch.undo()
    assert set(components.index.chunk_ids(components.index.documents()[0].doc_id)) == old_ids
    assert components.vectors.count() == len(old_ids)
    assert components.index.lexical("Data Loch") and not components.index.lexical("Pond")


def test_bad_inputs_are_reported_and_good_files_still_indexed(components, tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    shutil.copy(SEED_2024, folder / "good.txt")
    (folder / "empty.md").write_bytes(b"")
    (folder / "notes.docx").write_bytes(b"PK\x03\x04 not really")
    (folder / "latin.txt").write_bytes("Caf\xe9".encode("latin-1"))
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 broken")
    (folder / "rows.csv").write_text("title,custodian\nGood,SG\nMissing holder,\n")
    (folder / "child.md").write_text("# Case note\n\nName: Jamie Smith, DOB: 04/05/2014, lives in Anytown.\n")
    report = Ingestor(components).run([folder], progress=False)
    assert not report.ok
    by_file = "\n".join(report.errors)
    assert "empty.md: the file is empty" in by_file
    assert "notes.docx: unknown format '.docx'" in by_file
    assert "latin.txt (line 1): not valid UTF-8" in by_file
    assert "broken.pdf" in by_file
    assert "rows.csv (row 3: missing holder" in by_file
    assert "child.md: refused: personal data found (date of birth next to a name at line 3)" in by_file
    assert "Jamie" not in by_file and "04/05/2014" not in by_file
    indexed = {d.source for d in components.index.documents()}
    assert indexed == {"good.txt", "rows.csv"}


def test_remove_deletes_one_document(components, tmp_path):
    shutil.copy(SEED_2024, tmp_path / "a.txt")
    ing = Ingestor(components)
    ing.run([tmp_path / "a.txt", CORPUS / "framework"], progress=False)
    assert ing.remove("a.txt") == [str((tmp_path / "a.txt").resolve())]
    assert [d.kind for d in components.index.documents()] == ["framework"]
    assert components.vectors.count() == components.index.count_chunks()


def test_folder_with_html_pdf_and_foreign_csv(components, tmp_path):
    folder = tmp_path / "council"
    folder.mkdir()
    (folder / "rm.html").write_text("<html><body><nav>menu</nav><main><h1>Route map: Care</h1><h2>The route map to "
                                    "get there</h2><p>By March 2028 COSLA will publish guidance.</p></main></body>"
                                    "</html>")
    make_pdf(folder / "report.pdf", [("Dataset", "Holder"), ("Kinship census", "Anytown Council")])
    (folder / "cat.csv").write_text("Asset Name;Data Owner;Refresh\nFoster carers list;Anytown Council;Monthly\n")
    report = Ingestor(components).run([folder], progress=False)
    assert report.ok, report.errors
    kinds = sorted(d.kind for d in components.index.documents())
    assert kinds == ["catalogue", "other", "route_map"]
    recs = components.index.records("commitment")
    assert recs[0].fields["when"] == "By March 2028" and recs[0].fields["actors"] == ["COSLA"]
    assert components.index.records("dataset")[0].fields["frequency"] == "Monthly"


def test_cli_ingest_and_sources_json(tmp_path):
    store = tmp_path / "s"
    env_cmd = [sys.executable, "-m", "assistant.cli"]
    r = subprocess.run([*env_cmd, "ingest", str(CORPUS / "framework"), "--store", str(store), "--quiet"],
                       capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    out = subprocess.run([*env_cmd, "sources", "--json", "--store", str(store)], capture_output=True, text=True,
                         cwd=ROOT)
    rows = json.loads(out.stdout)
    assert rows[0]["kind"] == "framework" and rows[0]["chunks"] > 0 and rows[0]["ingested_at"]
    bad = subprocess.run([*env_cmd, "ingest", str(tmp_path / "missing.txt"), "--store", str(store)],
                         capture_output=True, text=True, cwd=ROOT)
    assert bad.returncode == 1 and "no such file" in bad.stderr


def test_store_components_share_one_store(tmp_path, shared_embedder):
    a = make_components(tmp_path / "st", shared_embedder)
    Ingestor(a).run([CORPUS / "framework"], progress=False)
    b = make_components(tmp_path / "st", shared_embedder)
    assert [d.title for d in b.index.documents()] == [d.title for d in a.index.documents()]


def test_bundled_corpus_is_one_document_set_wherever_the_checkout_lives(tmp_path, shared_embedder, corpus_copy):
    """A second checkout (here: a copy of corpus/ configured as the corpus) does not index the corpus twice."""
    store = tmp_path / "st"
    first = make_components(store, shared_embedder)
    Ingestor(first).run([CORPUS / "framework"], progress=False)
    moved = make_components(store, shared_embedder, corpus=corpus_copy)
    report = Ingestor(moved).run([corpus_copy / "framework"], progress=False)
    assert report.unchanged and not report.added
    assert len(moved.index.documents()) == 1
    assert moved.index.documents()[0].path == "bundled:framework/understanding-progress.md"


def test_a_words_document_frequency_is_found_however_the_index_stemmed_it(corpus_store):
    """The reader weighs a question's words by how rare they are in the store: a short word whose Porter stem is
    not a prefix of it ("age" is stored as "ag") or has two letters ("UK") must not count as never seen, which
    would make it the question's weightiest word."""
    df = corpus_store.index._document_frequency
    assert df("age") > 0 and df("age") == df("ages") == df("aged")
    assert df("uk") > 0
    # the tokenizer stores a hyphenated word as its pieces: a chunk holding it holds both
    assert df("record-level") == min(df("record"), df("level")) > 0
    assert df("zzyzx") == 0
