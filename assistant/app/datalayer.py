"""Chat history and feedback through chainlit's SQLAlchemy data layer: SQLite by default, Postgres when configured.

chainlit does not create its tables; this module does, once, for either database.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

INSTALL_HINT = {"postgresql": "pip install asyncpg", "sqlite": "pip install aiosqlite"}

_SQLITE = """
CREATE TABLE IF NOT EXISTS users ("id" TEXT PRIMARY KEY, "identifier" TEXT NOT NULL UNIQUE,
  "metadata" TEXT NOT NULL, "createdAt" TEXT);
CREATE TABLE IF NOT EXISTS threads ("id" TEXT PRIMARY KEY, "createdAt" TEXT, "name" TEXT, "userId" TEXT,
  "userIdentifier" TEXT, "tags" TEXT, "metadata" TEXT,
  FOREIGN KEY ("userId") REFERENCES users("id") ON DELETE CASCADE);
CREATE TABLE IF NOT EXISTS steps ("id" TEXT PRIMARY KEY, "name" TEXT NOT NULL, "type" TEXT NOT NULL,
  "threadId" TEXT NOT NULL, "parentId" TEXT, "streaming" BOOLEAN NOT NULL, "waitForAnswer" BOOLEAN,
  "isError" BOOLEAN, "metadata" TEXT, "tags" TEXT, "input" TEXT, "output" TEXT, "createdAt" TEXT, "command" TEXT,
  "modes" TEXT, "start" TEXT, "end" TEXT, "generation" TEXT, "showInput" TEXT, "language" TEXT, "indent" INT,
  "defaultOpen" BOOLEAN, "autoCollapse" BOOLEAN, "icon" TEXT, "feedback" TEXT,
  FOREIGN KEY ("threadId") REFERENCES threads("id") ON DELETE CASCADE);
CREATE TABLE IF NOT EXISTS elements ("id" TEXT PRIMARY KEY, "threadId" TEXT, "type" TEXT, "url" TEXT,
  "chainlitKey" TEXT, "name" TEXT NOT NULL, "display" TEXT, "objectKey" TEXT, "size" TEXT, "page" INT,
  "language" TEXT, "forId" TEXT, "mime" TEXT, "props" TEXT, "path" TEXT, "autoPlay" BOOLEAN, "playerConfig" TEXT,
  FOREIGN KEY ("threadId") REFERENCES threads("id") ON DELETE CASCADE);
CREATE TABLE IF NOT EXISTS feedbacks ("id" TEXT PRIMARY KEY, "forId" TEXT NOT NULL, "threadId" TEXT NOT NULL,
  "value" INT NOT NULL, "comment" TEXT, FOREIGN KEY ("threadId") REFERENCES threads("id") ON DELETE CASCADE);
"""
# Postgres: the same tables with its native types (as chainlit documents them).
_POSTGRES = (_SQLITE.replace('"metadata" TEXT', '"metadata" JSONB').replace('"generation" TEXT', '"generation" JSONB')
             .replace('"tags" TEXT', '"tags" TEXT[]').replace('"modes" TEXT', '"modes" JSONB')
             .replace('"props" TEXT', '"props" JSONB').replace('"playerConfig" TEXT', '"playerConfig" JSONB'))


async def _create(url: str) -> None:
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    ddl = _POSTGRES if url.startswith("postgres") else _SQLITE
    engine = create_async_engine(url)
    async with engine.begin() as conn:
        for stmt in (s.strip() for s in ddl.split(";")):
            if stmt:
                await conn.execute(text(stmt))
    await engine.dispose()


def ensure_schema(url: str) -> None:
    try:
        # Its own thread and loop: callers may already be inside an event loop.
        with ThreadPoolExecutor(1) as pool:
            pool.submit(asyncio.run, _create(url)).result()
    except ModuleNotFoundError as exc:
        kind = "postgresql" if url.startswith("postgres") else "sqlite"
        raise RuntimeError(f"The chat database driver is missing ({exc.name}): {INSTALL_HINT[kind]}") from exc


def make_data_layer(url: str):  # noqa: ANN201 - chainlit type imported lazily
    """chainlit's SQLAlchemy layer, with feedback changes allowed only on the current user's own threads
    (chainlit's /feedback endpoints do not check who owns the message)."""
    from chainlit.data.sql_alchemy import SQLAlchemyDataLayer
    from fastapi import HTTPException

    from assistant.app.auth import CURRENT_USER

    class OwnedFeedbackDataLayer(SQLAlchemyDataLayer):
        async def _owners(self, query: str, key: str) -> set[str | None]:
            rows = await self.execute_sql(query=query, parameters={"key": key})
            return {r.get("userIdentifier") for r in rows} if isinstance(rows, list) and rows else {None}

        async def _require_owner(self, *, step_id: str | None = None, feedback_id: str | None = None) -> None:
            user = CURRENT_USER.get()
            if user is None:
                return  # no HTTP-authenticated user: called from the app's own session, not the endpoints
            owners: set[str | None] = set()
            if step_id:
                owners |= await self._owners('SELECT t."userIdentifier" FROM steps s JOIN threads t '
                                             'ON t."id" = s."threadId" WHERE s."id" = :key', step_id)
            if feedback_id:
                found = await self._owners('SELECT t."userIdentifier" FROM feedbacks f JOIN threads t '
                                           'ON t."id" = f."threadId" WHERE f."id" = :key', feedback_id)
                owners |= found - {None} if step_id else found
            if owners != {user}:
                raise HTTPException(status_code=403, detail="feedback can only be changed on your own chats")

        async def upsert_feedback(self, feedback):  # noqa: ANN001, ANN202
            await self._require_owner(step_id=feedback.forId, feedback_id=feedback.id)
            return await super().upsert_feedback(feedback)

        async def delete_feedback(self, feedback_id: str) -> bool:
            await self._require_owner(feedback_id=feedback_id)
            return await super().delete_feedback(feedback_id)

    return OwnedFeedbackDataLayer(conninfo=url)
