"""One writer per store: an advisory fcntl lock that ingest, remove and check --repair hold while they write.

Two embedded Chroma clients writing one folder at once lose vectors from its index, and two SQLite replacements of
one document interleave their lexical postings; holding this lock for the whole run makes writes take turns.
The kernel drops the lock when its holder dies (kill -9 included), so a crash never leaves the store locked.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

LOCK_NAME = "writer.lock"


class StoreBusy(Exception):
    """Another process kept the store's writer lock for longer than we were willing to wait."""


def _holder(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return "another process"
    return text or "another process"


@contextlib.contextmanager
def writer_lock(store: Path, what: str, timeout: float = 600.0, poll: float = 0.2) -> Iterator[None]:
    """Hold the store's writer lock; wait up to ``timeout`` seconds (saying so once) if another writer holds it."""
    store.mkdir(parents=True, exist_ok=True)
    path = store / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + timeout
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise StoreBusy(
                        f"the store {store} is still being written by {_holder(path)} after {timeout:g} s; "
                        "try again when it has finished (WAYFINDER_LOCK_TIMEOUT sets how long to wait)") from None
                if not told:
                    print(f"waiting: the store {store} is being written by {_holder(path)} "
                          f"(up to {timeout:g} s)…", file=sys.stderr, flush=True)
                    told = True
                time.sleep(poll)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"`wayfinder {what}` (pid {os.getpid()})".encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
