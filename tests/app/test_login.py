"""Login hardening against the real chainlit server (HTTP, no browser): hashed passwords, throttled failures,
logout revoking the session, and feedback changes refused on someone else's chat."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import pytest

from assistant.app.auth import Throttle, hash_password, verify_password
from assistant.app.launch import command, prepare
from core.settings import PROJECT_ROOT, Settings
from ingest.pipeline import Ingestor
from tests.conftest import ROOT, SEED_2024, make_components

pytestmark = pytest.mark.e2e


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.time() + 180
    while time.time() < deadline:
        if proc.poll() is not None:
            break
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(1)
    proc.kill()
    pytest.fail("the chat app did not start: " + log.read_text()[-2000:])


@pytest.fixture(scope="module")
def store(tmp_path_factory, shared_embedder) -> Path:
    store = tmp_path_factory.mktemp("login-store")
    assert Ingestor(make_components(store, shared_embedder)).run([SEED_2024], progress=False).ok
    return store


@pytest.fixture(scope="module")
def app(store):
    users = f"alice:{hash_password('alice-secret-1')},bob:{hash_password('bob-secret-22')}"
    env = prepare(Settings(store=store))
    env.update({"WAYFINDER_STORE": str(store), "WAYFINDER_AUTH_USERS": users})
    port = _free_port()
    log = store / f"chainlit-{port}.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(command("127.0.0.1", port), env=env, cwd=PROJECT_ROOT, stdout=out,
                                stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    _wait(url, proc, log)
    yield url
    proc.terminate()
    proc.wait(timeout=30)


def _login(url: str, user: str, password: str) -> httpx.Response:
    return httpx.post(f"{url}/login", data={"username": user, "password": password}, timeout=30)


def _token(url: str, user: str, password: str) -> str:
    r = _login(url, user, password)
    assert r.status_code == 200, r.text
    return r.cookies.get("access_token") or r.json()["access_token"]


def _threads(url: str, token: str) -> httpx.Response:
    return httpx.post(f"{url}/project/threads", cookies={"access_token": token}, timeout=30,
                      json={"pagination": {"first": 20}, "filter": {}})


@pytest.mark.unit
def test_hashes_verify_and_the_throttle_counts():
    h = hash_password("correct horse")
    assert h.startswith("scrypt$") and "correct horse" not in h
    assert verify_password(h, "correct horse") and not verify_password(h, "wrong")
    t = Throttle(limit=3, window=60)
    for _ in range(3):
        t.fail("user:x")
    assert t.blocked("user:x") and not t.blocked("user:y")


@pytest.mark.unit
def test_user_add_prints_a_hash_never_the_password():
    r = subprocess.run([sys.executable, "-m", "assistant.cli", "user", "add", "alice", "--password-stdin"],
                       input="a-long-password\n", capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert r.returncode == 0
    name, stored = r.stdout.strip().split(":", 1)
    assert name == "alice" and verify_password(stored, "a-long-password") and "a-long-password" not in r.stdout


def test_logout_revokes_the_session(app):
    token = _token(app, "alice", "alice-secret-1")
    assert _threads(app, token).status_code == 200
    assert httpx.post(f"{app}/logout", cookies={"access_token": token}, timeout=30).status_code == 200
    assert _threads(app, token).status_code == 401


def test_feedback_on_another_user_s_chat_is_refused(app, store):
    _token(app, "alice", "alice-secret-1")  # both users exist in the history database
    bob = _token(app, "bob", "bob-secret-22")
    alice = _token(app, "alice", "alice-secret-1")
    thread, step, feedback = (str(uuid.uuid4()) for _ in range(3))
    with sqlite3.connect(store / "chats.sqlite3") as db:  # alice's chat, as the app stores it
        alice_id = db.execute("SELECT id FROM users WHERE identifier='alice'").fetchone()[0]
        db.execute('INSERT INTO threads ("id", "createdAt", "name", "userId", "userIdentifier") VALUES (?,?,?,?,?)',
                   (thread, "2026-11-23T00:00:00Z", "alice's chat", alice_id, "alice"))
        db.execute('INSERT INTO steps ("id", "name", "type", "threadId", "streaming", "output") VALUES '
                   "(?, 'Wayfinder', 'assistant_message', ?, 0, 'an answer')", (step, thread))
        db.execute('INSERT INTO feedbacks ("id", "forId", "threadId", "value", "comment") VALUES (?,?,?,1,?)',
                   (feedback, step, thread, "alice liked it"))
    body = {"feedback": {"id": feedback, "forId": step, "threadId": thread, "value": 0, "comment": "bob was here"},
            "sessionId": "none"}
    assert httpx.put(f"{app}/feedback", json=body, cookies={"access_token": bob}, timeout=30).status_code >= 400
    r = httpx.request("DELETE", f"{app}/feedback", json={"feedbackId": feedback}, cookies={"access_token": bob},
                      timeout=30)
    assert r.status_code == 403
    with sqlite3.connect(store / "chats.sqlite3") as db:
        assert db.execute("SELECT value, comment FROM feedbacks WHERE id=?", (feedback,)).fetchone() == \
            (1, "alice liked it")
    body["feedback"]["comment"] = "changed my mind"
    assert httpx.put(f"{app}/feedback", json=body, cookies={"access_token": alice}, timeout=30).status_code == 200
    with sqlite3.connect(store / "chats.sqlite3") as db:
        assert db.execute("SELECT comment FROM feedbacks WHERE id=?", (feedback,)).fetchone() == ("changed my mind",)


def test_failed_logins_are_throttled(app):
    """Runs last in this module: it locks bob out and then uses up the address's allowance."""
    codes = [_login(app, "bob", f"wrong-{i}").status_code for i in range(6)]
    assert codes == [401] * 6
    assert _login(app, "bob", "bob-secret-22").status_code == 401  # locked for a while, even with the password
    t0 = time.monotonic()
    codes = [_login(app, f"nobody{i}", "wrong").status_code for i in range(30)]
    assert 429 in codes and codes.index(429) <= 20
    assert time.monotonic() - t0 < 60


def test_wayfinder_chat_stops_whole_on_sigterm_and_sigint(store):
    for sig in (signal.SIGTERM, signal.SIGINT):
        port = _free_port()
        env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(ROOT)}
        log = store / f"chat-{port}.log"
        with open(log, "w") as out:
            proc = subprocess.Popen([sys.executable, "-m", "assistant.cli", "chat", "--store", str(store), "--port",
                                     str(port)], env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
        _wait(f"http://127.0.0.1:{port}", proc, log)
        proc.send_signal(sig)
        assert proc.wait(timeout=30) is not None
        with socket.socket() as s:  # the port is free again: nothing was left serving
            s.bind(("127.0.0.1", port))
