"""Chat-app logins: scrypt password hashes, failed-login throttling and revoked session tokens.

WAYFINDER_AUTH_USERS holds ``name:scrypt$<n>$<r>$<p>$<salt>$<hash>`` entries written by `wayfinder user add`, so the
environment never holds a password. A plain-text entry is still accepted (a migration path) but logged as such.
"""

from __future__ import annotations

import base64
import contextvars
import hashlib
import hmac
import logging
import secrets
import threading
import time
from collections import deque
from typing import Any

log = logging.getLogger("wayfinder.auth")

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1


def hash_password(password: str, salt: bytes | None = None) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    b64 = base64.urlsafe_b64encode
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${b64(salt).decode()}${b64(digest).decode()}"


def is_hash(stored: str) -> bool:
    return stored.startswith("scrypt$") and stored.count("$") == 5


def verify_password(stored: str, password: str) -> bool:
    """Constant-time comparison against a scrypt hash (or, for an old plain entry, against the plain text)."""
    if not is_hash(stored):
        return hmac.compare_digest(stored.encode(), password.encode())
    _, n, r, p, salt, digest = stored.split("$")
    try:
        got = hashlib.scrypt(password.encode(), salt=base64.urlsafe_b64decode(salt), n=int(n), r=int(r), p=int(p),
                             dklen=32)
        return hmac.compare_digest(got, base64.urlsafe_b64decode(digest))
    except (ValueError, TypeError):
        return False


class Throttle:
    """At most ``limit`` failed logins per user name and per client address in ``window`` seconds; after that every
    attempt is refused (even with the right password) until the oldest failure ages out."""

    def __init__(self, limit: int = 5, window: float = 300.0) -> None:
        self.limit, self.window = limit, window
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        q = self._failures.setdefault(key, deque())
        while q and now - q[0] > self.window:
            q.popleft()
        return q

    def blocked(self, *keys: str) -> bool:
        now = time.monotonic()
        with self._lock:
            return any(len(self._recent(k, now)) >= self.limit for k in keys if k)

    def fail(self, *keys: str) -> None:
        now = time.monotonic()
        with self._lock:
            for k in keys:
                if k:
                    self._recent(k, now).append(now)

    def succeed(self, *keys: str) -> None:
        with self._lock:
            for k in keys:
                self._failures.pop(k, None)


class RevokedTokens:
    """Session tokens ended by logout: refused until they would have expired anyway."""

    def __init__(self) -> None:
        self._revoked: dict[str, float] = {}
        self._lock = threading.Lock()

    def revoke(self, token: str, expires_at: float) -> None:
        with self._lock:
            self._revoked[hashlib.sha256(token.encode()).hexdigest()] = expires_at
            now = time.time()
            for k in [k for k, t in self._revoked.items() if t < now]:
                del self._revoked[k]

    def is_revoked(self, token: str) -> bool:
        with self._lock:
            return hashlib.sha256(token.encode()).hexdigest() in self._revoked


# ---- chainlit wiring (imported by the chat app only)

CURRENT_USER: contextvars.ContextVar[str | None] = contextvars.ContextVar("wayfinder_current_user", default=None)
THROTTLE = Throttle(limit=5, window=300.0)
ADDRESS_THROTTLE = Throttle(limit=20, window=300.0)
REVOKED = RevokedTokens()
_DUMMY = hash_password("not a password", salt=b"0" * 16)  # unknown users cost the same time as known ones


def check_login(users: dict[str, str], username: str, password: str) -> bool:
    """True for a right password; a user with too many recent failures is refused without checking."""
    key = f"user:{username}"
    if THROTTLE.blocked(key):
        return False
    stored = users.get(username)
    ok = verify_password(stored if stored is not None else _DUMMY, password) and stored is not None
    if ok:
        THROTTLE.succeed(key)
    else:
        THROTTLE.fail(key)
    return ok


def install_login(settings: Any) -> None:  # noqa: ANN401 - core.settings.Settings; kept loose to avoid cycles
    """Password login with hashes and throttling, sessions revoked at logout, and the current user recorded per
    request so the data layer can check who owns a thread before feedback is changed."""
    import chainlit as cl
    import chainlit.auth
    import chainlit.server
    import jwt as pyjwt
    from starlette.requests import Request
    from starlette.responses import JSONResponse, Response

    users = settings.users()
    plain = sorted(u for u, p in users.items() if not is_hash(p))
    if plain:
        log.warning("WAYFINDER_AUTH_USERS holds plain-text passwords for %s; replace each with the line "
                    "`wayfinder user add NAME` prints", ", ".join(plain))

    original_decode = chainlit.auth.decode_jwt

    def decode_unless_revoked(token: str) -> Any:  # noqa: ANN401
        if REVOKED.is_revoked(token):
            raise PermissionError("this session was ended by logging out")
        user = original_decode(token)
        CURRENT_USER.set(user.identifier)
        return user

    chainlit.auth.decode_jwt = decode_unless_revoked  # used by every HTTP and websocket authentication

    @cl.password_auth_callback
    def password_login(username: str, password: str) -> cl.User | None:
        if check_login(users, username, password):
            # A per-login nonce: two logins in one second must not share a token, or logging out of one ends both.
            return cl.User(identifier=username, metadata={"provider": "password", "login": secrets.token_hex(8)})
        return None

    @cl.on_logout
    async def logout(request: Request, response: Response) -> dict[str, bool]:
        token = chainlit.auth.get_token_from_cookies(request.cookies)
        header = request.headers.get("Authorization", "")
        token = token or (header[7:] if header.lower().startswith("bearer ") else None)
        if token:
            try:
                exp = float(pyjwt.decode(token, options={"verify_signature": False}).get("exp", time.time() + 86400))
            except pyjwt.PyJWTError:
                exp = time.time() + 86400
            REVOKED.revoke(token, exp)
        return {"success": True}

    @chainlit.server.app.middleware("http")
    async def throttle_by_address(request: Request, call_next: Any) -> Any:  # noqa: ANN401
        if request.method != "POST" or not request.url.path.endswith("/login"):
            return await call_next(request)
        key = f"address:{request.client.host if request.client else ''}"
        if ADDRESS_THROTTLE.blocked(key):
            return JSONResponse({"detail": "Too many failed logins; try again in a few minutes"}, status_code=429,
                                headers={"Retry-After": str(int(ADDRESS_THROTTLE.window))})
        response = await call_next(request)
        if response.status_code == 401:
            ADDRESS_THROTTLE.fail(key)
        return response
