"""The chainlit app. Run it with `wayfinder chat`, which indexes the corpus first and sets up history storage."""

from __future__ import annotations

import asyncio
import re
import tempfile
import time
from pathlib import Path
from typing import Any

import chainlit as cl
import chainlit.config
import chainlit.server
from chainlit.input_widget import MultiSelect, Select

from assistant.answering.service import Assistant, Filters
from assistant.app.auth import install_login
from assistant.app.datalayer import make_data_layer
from assistant.app.render import answer_markdown, passage_markdown, related_name, source_name
from core.components import Components
from core.settings import Settings

# Offline by design: chainlit's page links a KaTeX stylesheet on a CDN (we render no LaTeX), so the served page
# drops links that leave the machine. Fonts are removed by public/theme.json.
_html_template = chainlit.server.get_html_template


def _offline_html(root_path: str) -> str:
    return re.sub(r"<link[^>]*https?://(?!127\.0\.0\.1|localhost)[^>]*>", "", _html_template(root_path), flags=re.S)


chainlit.server.get_html_template = _offline_html

# chainlit keeps uploaded and element files in <app root>/.files and deletes that folder at shutdown: with two
# instances on one checkout (the app and its tests) one would delete the other's. Each process gets its own.
_files_dir = Path(tempfile.mkdtemp(prefix="wayfinder-chat-files-"))
chainlit.config.FILES_DIRECTORY = chainlit.server.FILES_DIRECTORY = _files_dir

SETTINGS = Settings()
COMPONENTS = Components(SETTINGS)
ASSISTANT = Assistant(COMPONENTS)
COMPONENTS.embedder.embed_query("warm-up")  # load the model at start, not on the first user's question
KINDS = ["route_map", "catalogue", "framework", "glossary", "other"]
KIND_LABELS = {"route_map": "Route maps", "catalogue": "Data catalogue", "framework": "Framework documents",
               "glossary": "Glossary", "other": "Other documents"}
ALL_VERSIONS = "All versions"
STREAM_WORDS = 12


@cl.data_layer
def data_layer() -> Any:
    return make_data_layer(SETTINGS.chat_db)


if SETTINGS.users():
    install_login(SETTINGS)  # hashed passwords, throttled failures, logout revokes, feedback owner checked

else:

    @cl.header_auth_callback
    async def local_user(headers: Any) -> cl.User | None:
        """No login configured: one local user, so chats and feedback persist and can be resumed."""
        return cl.User(identifier="local", metadata={"provider": "local"})


@cl.set_starters
async def starters(user: Any = None, language: Any = None) -> list[cl.Starter]:
    return [
        cl.Starter(label="Where data lives: kinship care", message="Who holds data on kinship care?"),
        cl.Starter(label="Access: the LAC longitudinal dataset",
                   message="How do I get access to the LAC longitudinal dataset?"),
        cl.Starter(label="Commitments due by March 2027", message="What is due by March 2027?"),
        cl.Starter(label="What Public Health Scotland must do", message="What does Public Health Scotland have to do?"),
        cl.Starter(label="Learn: what is CLAS?", message="What is CLAS?"),
        cl.Starter(label="Learn: the Story of Progress", message="What is the Story of Progress for?"),
    ]


def _versions() -> list[str]:
    docs = COMPONENTS.index.documents()
    return sorted({d.version for d in docs if d.kind == "route_map" and d.version}, reverse=True)


async def _send_settings() -> None:
    await cl.ChatSettings([
        MultiSelect(id="kinds", label="Search these documents", initial=KINDS,
                    items={KIND_LABELS[k]: k for k in KINDS}),
        Select(id="version", label="Route map version", values=[ALL_VERSIONS, *_versions()], initial_index=0),
    ]).send()


def _filters() -> Filters:
    s = cl.user_session.get("settings") or {}
    kinds = s.get("kinds") or None
    version = s.get("version")
    return Filters(kinds=kinds if kinds and set(kinds) != set(KINDS) else None,
                   versions=[version] if version and version != ALL_VERSIONS else None)


@cl.on_chat_start
async def start() -> None:
    cl.user_session.set("history", [])
    await _send_settings()


@cl.on_chat_resume
async def resume(thread: dict) -> None:
    """A resumed chat keeps its own conversation, so follow-ups still resolve against it."""
    steps = sorted(thread.get("steps") or [], key=lambda s: s.get("createdAt") or "")
    cl.user_session.set("history", [s.get("output") or "" for s in steps if s.get("type") == "user_message"])
    await _send_settings()


@cl.on_settings_update
async def settings_update(settings: dict) -> None:
    cl.user_session.set("settings", settings)


def _elements(answer: Any) -> list[cl.Text]:
    out = []
    for c, name in [*[(c, source_name(c)) for c in answer.citations], *[(c, related_name(c)) for c in answer.related]]:
        context = ""
        if c.chunk_id:
            # Prose is shown with the passages around it; a catalogue or glossary record stands alone.
            span = 0 if c.kind in ("catalogue", "glossary") else 1
            context = "\n".join(ch.text for ch in COMPONENTS.index.neighbours(c.chunk_id, span=span))
        out.append(cl.Text(name=name, content=passage_markdown(c, context), display="side"))
    return out


@cl.on_message
async def on_message(message: cl.Message) -> None:
    history: list[str] = cl.user_session.get("history") or []
    t0 = time.perf_counter()
    try:
        answer = await asyncio.to_thread(ASSISTANT.ask, message.content, list(history), _filters())
    except ValueError as exc:
        await cl.Message(content=f"Please ask a question ({exc}).").send()
        return
    history.append(message.content)
    cl.user_session.set("history", history)
    text = answer_markdown(answer)
    msg = cl.Message(content="", elements=_elements(answer),
                     metadata={"abstained": answer.abstained, "citations": len(answer.citations)})
    first_token_ms = None
    # Stream in phrases of about a dozen words: each piece re-renders the message's markdown in the browser,
    # so word-by-word streaming made long answers take seconds to finish rendering.
    words = re.findall(r"\S+\s*", text)
    for i in range(0, len(words), STREAM_WORDS):
        await msg.stream_token("".join(words[i:i + STREAM_WORDS]))
        if first_token_ms is None:
            first_token_ms = (time.perf_counter() - t0) * 1000
        await asyncio.sleep(0)
    msg.metadata["first_token_ms"] = round(first_token_ms or 0.0, 1)
    msg.metadata["total_ms"] = round((time.perf_counter() - t0) * 1000, 1)
    await msg.send()
