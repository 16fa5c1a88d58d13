"""One writer per store, removal that survives a kill, `wayfinder check`, and readable store errors.

Real SQLite, real Chroma, real model; real processes where the property is about processes (the lock, the CLI).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time

import pytest

from core.store.check import check_store
from core.store.lock import StoreBusy, writer_lock
from ingest.errors import printable
from ingest.pipeline import AmbiguousSource, Ingestor
from tests.conftest import ROOT, SEED_2024, SEED_2025, make_components

pytestmark = pytest.mark.integration
WAYFINDER = [sys.executable, "-m", "assistant.cli"]


def _env() -> dict[str, str]:
    return {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(ROOT)}


def test_a_second_writer_waits_then_refuses_with_a_clear_message(tmp_path, shared_embedder):
    store = tmp_path / "store"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys,time; from pathlib import Path; from core.store.lock import writer_lock\n"
         f"with writer_lock(Path({str(store)!r}), 'ingest'):\n    print('held', flush=True); time.sleep(30)"],
        cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        c = make_components(store, shared_embedder, lock_timeout=0.6)
        t0 = time.monotonic()
        with pytest.raises(StoreBusy) as err:
            Ingestor(c).run([SEED_2024], progress=False)
        assert time.monotonic() - t0 >= 0.5
        assert "still being written by `wayfinder ingest` (pid" in str(err.value)
        assert c.index.documents() == []
    finally:
        holder.kill()
        holder.wait()
    with writer_lock(store, "ingest", timeout=1):  # the kernel released the killed holder's lock
        pass


def test_two_ingests_at_once_take_turns_and_leave_a_consistent_store(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(SEED_2024, folder / "a.txt")
    shutil.copy(SEED_2025, folder / "b.txt")
    store = tmp_path / "store"
    cmd = [*WAYFINDER, "ingest", str(folder), "--store", str(store), "--quiet"]
    procs = [subprocess.Popen(cmd, cwd=ROOT, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    assert [p.wait(timeout=300) for p in procs] == [0, 0]
    out = subprocess.run([*WAYFINDER, "check", "--json", "--store", str(store)], cwd=ROOT, env=_env(),
                         capture_output=True, text=True, timeout=120)
    report = json.loads(out.stdout)
    assert report["ok"], report
    assert report["counts"]["documents"] == 2 and report["counts"]["chunks"] == report["counts"]["vectors"]


def test_a_remove_killed_after_sqlite_is_finished_by_the_next_writer(tmp_path, shared_embedder):
    shutil.copy(SEED_2024, tmp_path / "a.txt")
    c = make_components(tmp_path / "store", shared_embedder)
    Ingestor(c).run([tmp_path / "a.txt", SEED_2025], progress=False)
    n_before = c.vectors.count()

    class Killed(BaseException):
        """Stands in for kill -9 at the worst moment: SQLite committed, Chroma not yet told."""

    def die(ids):  # noqa: ANN001, ANN202
        raise Killed

    c.vectors.delete = die
    with pytest.raises(Killed):
        Ingestor(c).remove(str(tmp_path / "a.txt"))
    fresh = make_components(tmp_path / "store", shared_embedder)  # a new process: new connections and clients
    assert fresh.vectors.count() == n_before  # the vectors are still there, but noted
    found = check_store(fresh)
    assert any("interrupted" in p for p in found.problems) and found.counts["orphan vectors"] > 0
    again = Ingestor(fresh)
    assert again.remove(str(tmp_path / "a.txt")) == []
    assert again.finished_removals == [str((tmp_path / "a.txt").resolve())]
    assert check_store(fresh).ok
    assert fresh.vectors.count() == fresh.index.count_chunks()


def test_check_finds_and_repairs_orphans_missing_vectors_and_stale_postings(tmp_path, shared_embedder):
    c = make_components(tmp_path / "store", shared_embedder)
    Ingestor(c).run([SEED_2024], progress=False)
    ids = sorted(c.index.all_chunk_ids())
    c.vectors.delete(ids[:3])  # lost vectors
    c.vectors.upsert(["orphan-1"], [[0.1] * 384], ["x"], [{"doc_id": "gone"}])  # an orphan
    with c.index.conn as conn:  # a chunk dropped without its FTS postings: stale postings
        conn.execute("DELETE FROM chunks WHERE id=?", (ids[5],))
    found = check_store(c)
    assert found.counts["missing vectors"] == 3 and found.counts["orphan vectors"] == 2  # ids[5]'s vector too
    assert found.counts["stale postings"] == 1
    repaired = check_store(c, repair=True)
    assert repaired.repairs
    after = check_store(c)
    assert after.ok, after.problems
    assert c.vectors.count() == c.index.count_chunks()


def test_an_ambiguous_name_lists_the_matches_and_removes_none(tmp_path, shared_embedder):
    for sub in ("x", "y"):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "notes.md").write_text(f"# Notes {sub}\n\nData held by the council about {sub}.\n")
    c = make_components(tmp_path / "store", shared_embedder)
    ing = Ingestor(c)
    ing.run([tmp_path / "x", tmp_path / "y"], progress=False)
    with pytest.raises(AmbiguousSource) as err:
        ing.remove("notes.md")
    assert len(err.value.matches) == 2 and len(c.index.documents()) == 2
    assert ing.remove(str(tmp_path / "x" / "notes.md")) == [str((tmp_path / "x" / "notes.md").resolve())]
    assert [d.title for d in c.index.documents()] == ["Notes y"]


def test_terminal_safe_names_in_sources(tmp_path, shared_embedder):
    assert printable("a\x1b[2Jb\nc\u202ed") == "a\\x1b[2Jb\\nc\\u202ed"
    f = tmp_path / "ev\nil.md"
    f.write_text("# Evil\x1b[2J title\n\nData held by the council.\n")
    c = make_components(tmp_path / "store", shared_embedder)
    assert Ingestor(c).run([f], progress=False).ok
    out = subprocess.run([*WAYFINDER, "sources", "--store", str(tmp_path / "store")], cwd=ROOT, env=_env(),
                         capture_output=True, text=True, timeout=60).stdout
    assert "\x1b" not in out and "Evil\\x1b[2J title" in out and "ev\\nil.md" in out
    assert len(out.strip().splitlines()) == 2  # one document, its two lines: no forged row


def test_a_corrupt_index_gives_a_readable_error_and_check_repair_moves_it_aside(tmp_path):
    store = tmp_path / "store"
    store.mkdir()
    (store / "wayfinder.sqlite3").write_bytes(b"this is not a database" * 200)
    for cmd in (["sources"], ["ask", "Who holds data on kinship care?"], ["remove", "x"], ["check"]):
        r = subprocess.run([*WAYFINDER, *cmd, "--store", str(store)], cwd=ROOT, env=_env(), capture_output=True,
                           text=True, timeout=120)
        assert r.returncode != 0 and "Traceback" not in r.stderr, (cmd, r.stderr)
        assert "wayfinder check --repair" in r.stderr, (cmd, r.stderr)
    r = subprocess.run([*WAYFINDER, "check", "--repair", "--store", str(store)], cwd=ROOT, env=_env(),
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and "moved the damaged index aside" in r.stdout, r.stderr
    assert list(store.glob("wayfinder.sqlite3.damaged-*"))
    r = subprocess.run([*WAYFINDER, "sources", "--store", str(store)], cwd=ROOT, env=_env(), capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 0 and "Nothing is indexed yet" in r.stdout
