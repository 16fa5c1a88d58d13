"""The real chainlit app on 127.0.0.1, driven in headless Debian Chromium through playwright."""

from __future__ import annotations

import os
import re
import shutil
import socket
import sqlite3
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from assistant.app.launch import command, prepare
from core.settings import PROJECT_ROOT, Settings
from ingest.pipeline import Ingestor
from tests.conftest import CORPUS, make_components

pytestmark = pytest.mark.e2e
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]
SCRIPT_DOC = """---
title: Council data note
kind: other
---
# Data note

The Kinship Data Register <script>window.__wayfinderPwned = true</script> is held by the Anytown Council data team.
"""

if not Path(CHROMIUM).exists():
    pytest.skip("Debian chromium is not installed (scripts/test installs it)", allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_app(store: Path, **extra_env: str):
    os.environ["WAYFINDER_STORE"] = str(store)
    try:
        env = prepare(Settings(store=store))
    finally:
        os.environ.pop("WAYFINDER_STORE")
    env.update({"WAYFINDER_TODAY": "2026-11-22", **extra_env})
    port = _free_port()
    log = open(store / f"chainlit-{port}.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(command("127.0.0.1", port), env=env, cwd=PROJECT_ROOT, stdout=log,
                            stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 180
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(url, timeout=2).status == 200:
                return proc, url, log
        except OSError:
            time.sleep(1)
    proc.kill()
    pytest.fail("the chat app did not start: " + (store / f"chainlit-{port}.log").read_text()[-2000:])


def _stop(proc, log) -> None:
    proc.terminate()
    proc.wait(timeout=30)
    log.close()


@pytest.fixture(scope="module")
def indexed_store(tmp_path_factory, shared_embedder):
    store = tmp_path_factory.mktemp("app-store")
    docs = tmp_path_factory.mktemp("extra")
    (docs / "council-note.md").write_text(SCRIPT_DOC)
    report = Ingestor(make_components(store, shared_embedder)).run([CORPUS, docs], progress=False)
    assert report.ok, report.errors
    return store


@pytest.fixture(scope="module")
def app_url(indexed_store):
    proc, url, log = _start_app(indexed_store)
    yield url, indexed_store
    _stop(proc, log)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, app_url):
    ctx = browser.new_context(viewport={"width": 1300, "height": 900})
    pg = ctx.new_page()
    external: list[str] = []
    pg.on("request", lambda r: external.append(r.url)
          if not r.url.startswith(("http://127.0.0.1", "http://localhost", "data:", "blob:")) else None)
    pg.goto(app_url[0])
    pg.get_by_text("Learn: what is CLAS?").wait_for(timeout=60000)  # connected: the starters are shown
    yield pg
    assert external == []  # the page works offline: nothing it asks for leaves the machine
    ctx.close()


def ask(pg, question: str, expect: str):
    before = pg.locator('[data-step-type="assistant_message"]').count()
    pg.fill("#chat-input", question)
    pg.locator("#chat-submit").click()
    msg = pg.locator('[data-step-type="assistant_message"]').nth(before)
    msg.get_by_text(expect).first.wait_for(timeout=60000)
    pg.wait_for_timeout(800)  # the stream finishes
    return msg


def test_starter_gives_a_cited_answer_and_the_source_opens(page):
    page.get_by_text("Where data lives: kinship care").click()
    msg = page.locator('[data-step-type="assistant_message"]').first
    msg.get_by_text("Source 1").first.wait_for(timeout=60000)
    page.wait_for_timeout(800)
    text = msg.inner_text()
    assert "SCADR" in text and "[1]" in text
    msg.get_by_text("Source 1").first.click()
    # Source 1 is one field of the kinship-care record (which field comes first is the reader's ranking).
    quote = page.get_by_text(re.compile(r"^(Held by: SCADR|How to get access: Published report and Data Insight)")).last
    quote.wait_for(timeout=10000)
    assert int(quote.evaluate("e => getComputedStyle(e).fontWeight")) >= 600  # the quote, highlighted
    assert page.get_by_text("What it covers: Over 19,000 children").first.is_visible()  # inside its context
    assert page.get_by_text("Where: record 11").first.is_visible()
    if os.environ.get("WAYFINDER_SCREENSHOT"):  # regenerates the README's picture
        page.screenshot(path=str(PROJECT_ROOT / "docs" / "cited-answer.png"))


def test_follow_up_resolves_it_within_its_own_chat(page, browser, app_url):
    ask(page, "What is CHaMP?", "Source 1")
    msg = ask(page, "Who leads it?", "Public Health Scotland")
    assert "Children's Health and Monitoring the Promise" in msg.inner_text()
    # An elliptical follow-up takes the earlier ask, and the chat shows how it was read.
    ask(page, "Who holds the Children Looked After Statistics?", "Source 1")
    msg = ask(page, "And what about the Secure Care statistics?", "Read as")
    assert "Who holds the Secure Care statistics?" in msg.inner_text() and "from the secure units" in msg.inner_text()
    other = browser.new_context().new_page()
    other.goto(app_url[0])
    other.get_by_text("Learn: what is CLAS?").wait_for(timeout=60000)
    reply = ask(other, "Who leads it?", "")
    assert "Children's Health and Monitoring" not in reply.inner_text()  # another chat's context is not used
    other.context.close()


def test_feedback_survives_a_reload(page, app_url):
    ask(page, "What does SHANARRI stand for?", "Source 1")
    page.locator("button:has(svg.lucide-thumbs-up)").last.click()
    page.get_by_placeholder("Your feedback...").fill("clear and cited")
    page.get_by_text("Submit feedback").click()
    page.wait_for_timeout(1500)
    rows = sqlite3.connect(app_url[1] / "chats.sqlite3").execute("SELECT value, comment FROM feedbacks").fetchall()
    assert (1, "clear and cited") in rows
    page.reload()
    if "/thread/" not in page.url:
        page.get_by_text("What does SHANARRI stand for?").first.click()
    page.locator('[data-step-type="assistant_message"]').first.get_by_text("safe, healthy").first.wait_for(
        timeout=30000)
    up = page.locator("button:has(svg.lucide-thumbs-up)").last
    assert "green" in (up.get_attribute("class") or "") + up.inner_html()  # the saved rating shows


def test_script_in_a_document_shows_as_text(page):
    msg = ask(page, "What does the council data note say about the Kinship Data Register?", "Kinship Data Register")
    assert "<script>" in msg.inner_text()
    assert page.evaluate("window.__wayfinderPwned") is None


def test_with_login_one_user_never_sees_another_users_chats(browser, indexed_store):
    proc, url, log = _start_app(indexed_store, WAYFINDER_AUTH_USERS="alice:alice-pw,bob:bob-pw")
    try:
        def login(user: str, password: str):
            pg = browser.new_context().new_page()
            pg.goto(url)
            pg.locator("#email").fill(user)
            pg.locator("#password").fill(password)
            pg.get_by_role("button", name="Sign In").click()
            pg.get_by_text("Learn: what is CLAS?").wait_for(timeout=60000)
            return pg

        bad = browser.new_context().new_page()
        bad.goto(url)
        bad.locator("#email").fill("alice")
        bad.locator("#password").fill("wrong")
        bad.get_by_role("button", name="Sign In").click()
        bad.wait_for_timeout(1500)
        assert bad.locator("#password").is_visible()  # a wrong password does not get in
        alice = login("alice", "alice-pw")
        ask(alice, "What is the Five Safes framework?", "Source 1")
        alice.reload()
        alice.get_by_text("What is the Five Safes framework?").first.wait_for(timeout=30000)  # her history
        bob = login("bob", "bob-pw")
        bob.wait_for_timeout(2000)
        assert bob.get_by_text("What is the Five Safes framework?").count() == 0
    finally:
        _stop(proc, log)
