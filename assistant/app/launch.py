"""`wayfinder chat`: index the bundled corpus if the store is empty, prepare history storage, start chainlit."""

from __future__ import annotations

import os
import secrets
import sys

from core.settings import PROJECT_ROOT, Settings

APP = PROJECT_ROOT / "assistant" / "app" / "chat.py"


def auth_secret(settings: Settings) -> str:
    """A per-store secret for chainlit's session tokens, made once and kept beside the store."""
    path = settings.store / "chainlit-secret"
    if not path.exists():
        settings.store.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def prepare(settings: Settings) -> dict[str, str]:
    from assistant.app.datalayer import ensure_schema
    from core.components import Components
    from ingest.pipeline import ensure_indexed

    ensure_indexed(Components(settings))
    ensure_schema(settings.chat_db)
    env = dict(os.environ)
    env.update({
        "WAYFINDER_STORE": str(settings.store), "CHAINLIT_AUTH_SECRET": env.get("CHAINLIT_AUTH_SECRET")
        or auth_secret(settings), "CHAINLIT_APP_ROOT": str(PROJECT_ROOT), "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False", "DO_NOT_TRACK": "1",
    })
    return env


def command(host: str, port: int) -> list[str]:
    return [sys.executable, "-m", "chainlit", "run", str(APP), "--headless", "--host", host, "--port", str(port)]


def launch(settings: Settings, host: str = "127.0.0.1", port: int = 8000) -> int:
    """Become the chainlit server (exec, same pid): SIGTERM or SIGINT from a service manager, a container runtime
    or Ctrl-C reaches the server itself, so it stops whole and frees the port; no orphaned child is left."""
    env = prepare(settings)
    print(f"Wayfinder chat on http://{host}:{port}", file=sys.stderr, flush=True)
    sys.stdout.flush()
    os.chdir(PROJECT_ROOT)
    cmd = command(host, port)
    os.execve(cmd[0], cmd, env)
    return 0  # not reached: execve replaces this process
