"""Concurrent chats against a running chat app, spoken at the socket.io protocol level (no browsers), so the figure
is the server's: time from sending a question to its complete answer, for 1, 2, 5, 10 chats at once.

A browser per chat measures the browsers when 20 of them share two cores; this client costs little. Each chat logs
in as the local user (POST /auth/header, the app's header auth when WAYFINDER_AUTH_USERS is unset), connects to
chainlit's socket.io endpoint with the session cookie, sends its questions one after another, and waits for the
assistant message that completes each (chainlit's ``new_message`` after the streamed tokens).

    wayfinder chat --port 8011 --store /tmp/chatstore &
    python -m evals.chat_load --url http://127.0.0.1:8011 --chats 1,2,5,10 --questions 4

Only loopback addresses are accepted; every wait is bounded, and the run stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlparse

QUESTIONS = [
    "Who holds data on kinship care?",
    "What is due by March 2027?",
    "What is CLAS?",
    "How do I get access to the LAC longitudinal dataset?",
    "What does Public Health Scotland have to do?",
    "What is the Story of Progress for?",
]
ANSWER_TIMEOUT = 60.0  # seconds one answer may take before the chat gives up
CONNECT_TIMEOUT = 20.0


@dataclass
class ChatResult:
    seconds: list[float] = field(default_factory=list)  # send -> complete answer, per question
    first: list[float] = field(default_factory=list)  # send -> first streamed text
    server: list[float] = field(default_factory=list)  # the app's own total_ms for the answer (in its metadata)
    errors: list[str] = field(default_factory=list)


async def _login(base: str) -> str:
    """The session cookie chainlit's header auth sets for the local user."""
    import aiohttp

    async with aiohttp.ClientSession() as http, http.post(f"{base}/auth/header") as resp:
        resp.raise_for_status()
        cookie = resp.cookies.get("access_token")
        if cookie is None:
            raise RuntimeError("no access_token cookie: is WAYFINDER_AUTH_USERS set? this client uses header auth")
        return cookie.value


async def chat(base: str, token: str, questions: list[str]) -> ChatResult:
    """One chat: connect, start it, send each question after the previous answer is complete."""
    import socketio

    out = ChatResult()
    sio = socketio.AsyncClient(reconnection=False)
    done: asyncio.Queue[tuple[float, dict]] = asyncio.Queue()
    first_token: list[float] = []
    ready = asyncio.Event()

    @sio.on("stream_start")
    async def _start(step: dict) -> None:
        if step.get("type") == "assistant_message" and not first_token:
            first_token.append(time.perf_counter())

    @sio.on("new_message")
    async def _new(step: dict) -> None:
        if step.get("type") == "assistant_message":
            await done.put((time.perf_counter(), step))

    @sio.on("chat_settings")
    async def _settings(_: object) -> None:
        ready.set()  # on_chat_start has run: the chat is ready for a question

    thread_id = str(uuid.uuid4())
    auth = {"clientType": "webapp", "sessionId": str(uuid.uuid4()), "threadId": thread_id, "userEnv": "{}"}
    try:
        await sio.connect(base, socketio_path="/ws/socket.io", transports=["websocket"], auth=auth,
                          headers={"Cookie": f"access_token={token}"}, wait_timeout=CONNECT_TIMEOUT)
        await sio.emit("connection_successful")
        await asyncio.wait_for(ready.wait(), CONNECT_TIMEOUT)
        for q in questions:
            first_token.clear()
            step = {"id": str(uuid.uuid4()), "threadId": thread_id, "name": "local", "type": "user_message",
                    "output": q, "createdAt": datetime.now(UTC).isoformat().replace("+00:00", "Z")}
            t0 = time.perf_counter()
            await sio.emit("client_message", {"message": step, "fileReferences": []})
            t1, answer = await asyncio.wait_for(done.get(), ANSWER_TIMEOUT)
            if not answer.get("output"):
                out.errors.append(f"empty answer to {q!r}")
            out.seconds.append(t1 - t0)
            if "total_ms" in (answer.get("metadata") or {}):
                out.server.append(answer["metadata"]["total_ms"] / 1000)
            if first_token:
                out.first.append(first_token[0] - t0)
    except Exception as exc:  # noqa: BLE001 - a failed chat is counted and reported, the others go on
        out.errors.append(f"{type(exc).__name__}: {exc}")
    finally:
        await sio.disconnect()
    return out


async def probe(base: str, stop: asyncio.Event) -> list[float]:
    """GET /health every 100 ms while the chats run: the app serves it on the same event loop as the chats, so its
    latency is how long the loop is held up (answering on the loop would show here as answer-long stalls)."""
    import aiohttp

    lat: list[float] = []
    async with aiohttp.ClientSession() as http:
        while not stop.is_set() and len(lat) < 3000:
            t0 = time.perf_counter()
            async with http.get(f"{base}/health", timeout=aiohttp.ClientTimeout(total=ANSWER_TIMEOUT)) as resp:
                await resp.read()
            lat.append(time.perf_counter() - t0)
            await asyncio.sleep(0.1)
    return lat


def _pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(q * (len(s) - 1))))] if s else float("nan")


async def load(base: str, n_chats: int, n_questions: int) -> dict[str, float | int]:
    """n_chats chats at once, each asking n_questions questions (rotated so chats do not all ask the same)."""
    tokens = [await _login(base) for _ in range(n_chats)]
    qs = [[QUESTIONS[(i + j) % len(QUESTIONS)] for j in range(n_questions)] for i in range(n_chats)]
    stop = asyncio.Event()
    probing = asyncio.create_task(probe(base, stop))
    t0 = time.perf_counter()
    results = await asyncio.gather(*(chat(base, tokens[i], qs[i]) for i in range(n_chats)))
    wall = time.perf_counter() - t0
    stop.set()
    health = await probing
    server = [s for r in results for s in r.server]
    full = [s for r in results for s in r.seconds]
    first = [s for r in results for s in r.first]
    errors = [e for r in results for e in r.errors]
    return {"chats": n_chats, "answers": len(full), "errors": len(errors),
            "median_ms": round(statistics.median(full) * 1000, 1) if full else float("nan"),
            "p95_ms": round(_pct(full, 0.95) * 1000, 1), "max_ms": round(max(full, default=float("nan")) * 1000, 1),
            "first_text_median_ms": round(statistics.median(first) * 1000, 1) if first else float("nan"),
            "server_median_ms": round(statistics.median(server) * 1000, 1) if server else float("nan"),
            "health_median_ms": round(statistics.median(health) * 1000, 1) if health else float("nan"),
            "health_max_ms": round(max(health, default=float("nan")) * 1000, 1),
            "answers_per_s": round(len(full) / wall, 2), "first_error": errors[0] if errors else ""}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--url", default="http://127.0.0.1:8011")
    p.add_argument("--chats", default="1,2,5,10", help="concurrent chats, one run per value")
    p.add_argument("--questions", type=int, default=4, help="questions per chat (sent one after another)")
    p.add_argument("--warmup", type=int, default=1, help="answers asked and discarded before timing")
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)
    host = urlparse(args.url).hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        p.error("only a loopback address is accepted: this is a load test")
    base = args.url.rstrip("/")
    levels = [int(x) for x in args.chats.split(",") if x.strip()]
    if args.warmup:
        asyncio.run(load(base, 1, min(args.warmup, 10)))
    rows = [asyncio.run(load(base, n, min(args.questions, 20))) for n in levels if 0 < n <= 50]
    if args.json:
        print(json.dumps(rows, indent=2))
    else:
        print("| chats | answers | errors | complete answer median ms | p95 ms | max ms | first text median ms | "
              "app's own total median ms | /health median ms | /health max ms | answers/s |")
        print("|---|---|---|---|---|---|---|---|---|---|---|")
        for r in rows:
            print(f"| {r['chats']} | {r['answers']} | {r['errors']} | {r['median_ms']} | {r['p95_ms']} | "
                  f"{r['max_ms']} | {r['first_text_median_ms']} | {r['server_median_ms']} | {r['health_median_ms']} | "
                  f"{r['health_max_ms']} | {r['answers_per_s']} |")
        for r in rows:
            if r["first_error"]:
                print(f"first error with {r['chats']} chats: {r['first_error']}")
    return 0 if all(not r["errors"] for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
