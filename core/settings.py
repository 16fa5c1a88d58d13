"""One typed settings object for the whole of Wayfinder (env vars ``WAYFINDER_*``)."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from pathlib import Path

from platformdirs import user_data_dir
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BUNDLED_CORPUS = PROJECT_ROOT / "corpus"


class Settings(BaseSettings):
    """Everything configurable. Backends are chosen here and imported lazily where used."""

    model_config = SettingsConfigDict(env_prefix="WAYFINDER_", extra="ignore")

    store: Path = Field(
        default_factory=lambda: Path(user_data_dir("wayfinder")) / "store",
        description="Folder holding the Chroma store and the SQLite index of documents, chunks and records.",
    )
    chroma_host: str | None = Field(None, description="Address of a `chroma run` server; unset = embedded store.")
    chroma_port: int = 8000
    search_ef: int = Field(500, description="Candidates the vector index explores per query. Chroma's default (100) "
                           "missed up to 6 of the exact 40 nearest chunks of a 1,600-chunk store, and which ones "
                           "changed from process to process; at 500 the search was exact and repeatable.")
    model: str = Field("all-MiniLM-L6-v2", description="Sentence-transformers model name or folder.")
    model_max_tokens: int = Field(256, description="The model truncates beyond this many word pieces.")
    chunk_tokens: int = Field(180, description="Target chunk size in word pieces (kept under the model's limit).")
    embed_batch: int = 32
    threads: int = Field(2, description="Torch threads for encoding.")
    corpus: Path = BUNDLED_CORPUS
    max_file_mb: float = Field(50.0, description="Files larger than this are refused at ingestion.")
    lock_timeout: float = Field(600.0, description="Seconds a second ingest or remove waits for the store's writer.")
    today: dt.date | None = Field(None, description="Override the current date (for reproducible tests).")
    top_k: int = 8
    # chat app
    chat_db_url: str | None = Field(
        None, description="Async SQLAlchemy URL for chat history (postgresql+asyncpg://...); unset = SQLite in the store."
    )

    @property
    def chat_db(self) -> str:
        return self.chat_db_url or f"sqlite+aiosqlite:///{self.store / 'chats.sqlite3'}"
    auth_users: str | None = Field(
        None, description="Turn on login in the chat app: 'user:password,user2:password2'. Unset = one local user."
    )

    def users(self) -> dict[str, str]:
        """The configured logins (empty when login is off)."""
        out: dict[str, str] = {}
        for pair in (self.auth_users or "").split(","):
            if ":" in pair:
                user, pw = pair.split(":", 1)
                if user.strip() and pw:
                    out[user.strip()] = pw
        return out

    @property
    def collection_name(self) -> str:
        """The collection name carries the model, so a model change never mixes vectors."""
        slug = re.sub(r"[^a-zA-Z0-9]+", "-", Path(self.model).name).strip("-").lower()
        return f"wayfinder-{slug}"[:500]

    @property
    def index_path(self) -> Path:
        return self.store / "wayfinder.sqlite3"

    def current_date(self) -> dt.date:
        return self.today or dt.date.today()


@lru_cache(maxsize=8)
def _cached(store: str | None) -> Settings:
    return Settings(store=Path(store)) if store else Settings()


def get_settings(store: str | Path | None = None) -> Settings:
    """Settings from the environment, with an optional ``--store`` override."""
    return _cached(str(store) if store else None)
