"""A running app (one long-lived process) sees documents another process ingests or removes, without restart."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from ingest.pipeline import Ingestor
from tests.conftest import ROOT, SEED_2024, make_components

pytestmark = pytest.mark.integration
NEW = ("# Kinship Data Observatory\n\nThe Kinship Data Observatory is held by Anytown Council. It counts kinship "
       "carers in each council area every quarter.\n")


def _wayfinder(*args: str) -> None:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(ROOT)}
    r = subprocess.run([sys.executable, "-m", "assistant.cli", *args], cwd=ROOT, env=env, capture_output=True,
                       text=True, timeout=300)
    assert r.returncode == 0, r.stderr


def test_vectors_and_answers_follow_another_process_s_writes(tmp_path, shared_embedder):
    from assistant.answering.service import Assistant

    store = tmp_path / "store"
    c = make_components(store, shared_embedder)
    Ingestor(c).run([SEED_2024], progress=False)
    assistant = Assistant(c)
    question = "Who holds the Kinship Data Observatory?"
    first = assistant.ask(question, [])
    assert not any(cit.source == "observatory.md" for cit in first.citations)
    vec = shared_embedder.embed_query("Kinship Data Observatory held by Anytown Council")
    before = {cid for cid, _ in c.vectors.query(vec, 3)}

    (tmp_path / "observatory.md").write_text(NEW)
    _wayfinder("ingest", str(tmp_path / "observatory.md"), "--store", str(store), "--quiet")
    new_ids = {
        cid for d in c.index.documents() if d.source == "observatory.md" for cid in c.index.chunk_ids(d.doc_id)}
    assert new_ids
    top = {cid for cid, _ in c.vectors.query(vec, 3)}
    assert new_ids & top and top != before  # this process's vector index was reopened
    answer = assistant.ask(question, [])
    assert any(cit.source == "observatory.md" for cit in answer.citations), answer.answer

    _wayfinder("remove", str(tmp_path / "observatory.md"), "--store", str(store))
    assert not new_ids & {cid for cid, _ in c.vectors.query(vec, 3)}
    gone = assistant.ask(question, [])
    assert not any(cit.source == "observatory.md" for cit in gone.citations)
