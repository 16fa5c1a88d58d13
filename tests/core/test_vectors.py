"""The real embedded Chroma store: its nearest chunks are the exact nearest chunks, run after run."""

import numpy as np
import pytest

from core.settings import Settings
from core.store.vectors import VectorStore

pytestmark = pytest.mark.integration


def test_the_vector_search_returns_the_exact_nearest_chunks(tmp_path):
    rng = np.random.RandomState(0)
    # Clustered like real embeddings (many near neighbours), where a narrow graph search misses some.
    centres = rng.normal(size=(20, 64))
    x = centres[rng.randint(0, 20, 1500)] + 0.6 * rng.normal(size=(1500, 64))
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    ids = [f"c{i}" for i in range(len(x))]
    store = VectorStore(Settings(store=tmp_path))
    store.upsert(ids, x.tolist(), ["text"] * len(x), [{"kind": "chunk"}] * len(x))
    for q in x[rng.choice(len(x), 20, replace=False)] + 0.3 * rng.normal(size=(20, 64)):
        q /= np.linalg.norm(q)
        exact = [ids[i] for i in np.argsort(-(x @ q))[:40]]
        assert {cid for cid, _ in store.query(q.tolist(), 40)} == set(exact)
