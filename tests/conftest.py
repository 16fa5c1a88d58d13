"""Shared fixtures: real files, a real embedding model (loaded once), real Chroma stores in temp folders."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SEED_2024 = CORPUS / "routemaps" / "data-and-information-2024.txt"
SEED_2025 = CORPUS / "routemaps" / "data-and-information-2025-12.txt"
REALDOCS = ROOT.parent / "shared" / "realdocs"  # third-party documents, read in place, never copied into the repo


def real_document(name: str) -> Path:
    """A file of ../shared/realdocs, or a skip saying why when the set is not beside the repository."""
    path = REALDOCS / name
    if not path.exists():
        pytest.skip(f"{path} is absent (the real-document set lives beside the repository)")
    return path


@pytest.fixture(scope="session")
def shared_embedder():
    from core.embeddings import Embedder
    from core.settings import Settings

    return Embedder(Settings())


def make_components(store: Path, embedder, **overrides):
    from core.components import Components
    from core.settings import Settings

    c = Components(Settings(store=store, **overrides))
    c.__dict__["embedder"] = embedder  # one model load per test session; it is the real model
    return c


@pytest.fixture
def components(tmp_path, shared_embedder):
    return make_components(tmp_path / "store", shared_embedder)


@pytest.fixture(scope="session")
def corpus_store(tmp_path_factory, shared_embedder):
    """The bundled corpus ingested once into a real store, shared read-only by answer tests."""
    from ingest.pipeline import Ingestor

    store = tmp_path_factory.mktemp("corpus-store")
    c = make_components(store, shared_embedder)
    report = Ingestor(c).run([CORPUS], progress=False)
    assert report.ok, report.errors
    return c


@pytest.fixture
def corpus_copy(tmp_path):
    dst = tmp_path / "corpus"
    shutil.copytree(CORPUS, dst)
    return dst
