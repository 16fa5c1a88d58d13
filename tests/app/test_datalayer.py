"""Chat history and feedback through chainlit's SQLAlchemy data layer on the two databases we support.

SQLite always; Postgres when its server binaries are on the machine (a real server the test starts in a temp dir).
"""

from __future__ import annotations

import asyncio
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import pytest

from assistant.app.datalayer import ensure_schema, make_data_layer

pytestmark = pytest.mark.integration
PG_BIN = sorted(glob.glob("/usr/lib/postgresql/*/bin"))


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def postgres_url(tmp_path_factory):
    if not PG_BIN:
        pytest.skip("PostgreSQL server binaries are not installed")
    pytest.importorskip("asyncpg")
    bin_dir = PG_BIN[-1]
    data = tmp_path_factory.mktemp("pg")
    if os.geteuid() == 0:  # pytest's temp tree is root-only: the postgres user needs a folder of its own
        data = Path(tempfile.mkdtemp(prefix="wayfinder-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:  # postgres refuses to run as root
        shutil.chown(data, "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    subprocess.run([*as_user, f"{bin_dir}/initdb", "-D", str(data), "-U", "wayfinder", "--auth=trust"],
                   check=True, capture_output=True)
    port = _port()
    proc = subprocess.Popen([*as_user, f"{bin_dir}/postgres", "-D", str(data), "-p", str(port), "-h", "127.0.0.1",
                             "-k", str(data)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 30
    while time.time() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.3)
    time.sleep(0.5)
    yield f"postgresql+asyncpg://wayfinder@127.0.0.1:{port}/postgres"
    proc.terminate()
    proc.wait(timeout=20)
    shutil.rmtree(data, ignore_errors=True)


async def _round_trip(url: str) -> None:
    from chainlit.types import Feedback
    from chainlit.user import User

    layer = make_data_layer(url)
    user = await layer.create_user(User(identifier=f"alice-{uuid.uuid4().hex[:6]}"))
    thread_id = str(uuid.uuid4())
    await layer.update_thread(thread_id, name="What is CLAS?", user_id=user.id)
    step_id = str(uuid.uuid4())
    now = "2026-11-22T10:00:00.000Z"
    # create_step is wrapped to wait for a websocket session's first message; the storage itself is the wrapped method.
    await type(layer).create_step.__wrapped__(layer, {"id": step_id, "threadId": thread_id, "name": "Wayfinder", "type": "assistant_message",
                             "output": "CLAS is ... [1]", "streaming": False, "createdAt": now, "start": now,
                             "end": now, "metadata": {"abstained": False}})
    await layer.upsert_feedback(Feedback(forId=step_id, threadId=thread_id, value=1, comment="clear"))
    thread = await layer.get_thread(thread_id)
    assert thread["name"] == "What is CLAS?" and thread["userIdentifier"] == user.identifier
    (step,) = [s for s in thread["steps"] if s["id"] == step_id]
    assert step["output"] == "CLAS is ... [1]"
    assert step["feedback"]["value"] == 1 and step["feedback"]["comment"] == "clear"
    other = await layer.create_user(User(identifier=f"bob-{uuid.uuid4().hex[:6]}"))
    assert await layer.get_thread_author(thread_id) == user.identifier != other.identifier
    await layer.engine.dispose()


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_history_and_feedback_round_trip(backend, tmp_path, request):
    url = (f"sqlite+aiosqlite:///{tmp_path / 'chats.sqlite3'}" if backend == "sqlite"
           else request.getfixturevalue("postgres_url"))
    ensure_schema(url)
    ensure_schema(url)  # idempotent: every start runs it
    asyncio.run(_round_trip(url))
