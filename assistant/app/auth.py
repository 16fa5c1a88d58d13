"""Chat-app logins: scrypt password hashes, failed-login throttling and revoked session tokens.

WAYFINDER_AUTH_USERS holds ``name:scrypt$<n>$<r>$<p>$<salt>$<hash>`` entries written by `wayfinder user add`, so the
environment never holds a password. A plain-text entry is still accepted (a migration path) but logged as such.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
import time
from collections import deque

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
