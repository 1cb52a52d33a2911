"""Signed session cookies and CSRF tokens for the review pages (stdlib HMAC).

A session cookie holds the user name, a random session id and an expiry, signed with
HMAC-SHA256 under the context's ``session_secret``; the roles are looked up again in the
users file on every request, so removing a user or a role takes effect at once. The CSRF
token of a session is an HMAC of its id (synchroniser token, never stored): every form
carries it and every POST is refused without it. Before sign-in, a random cookie and the
same value in the form (double submit) protect the sign-in form itself.

Logout clears the cookie and revokes the session id in :class:`SessionRevocations`, a table
of the review database (``compliance._sqlite``): every process serving the pages over the same
review database refuses a cookie copied before logout from then on. Revocations are kept until
the session would have expired anyway, then purged.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path

SESSION_COOKIE = "compliance_session"
LOGIN_COOKIE = "compliance_login"
SESSION_SECONDS = 8 * 3600
MIN_SECRET_BYTES = 16


@dataclass(frozen=True)
class Session:
    user: str
    sid: str
    expires: int


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class SessionRevocations:
    """Revoked session ids, shared through SQLite by every process using one database.

    One connection per thread (SQLite connections stay in the thread that opened them);
    a look-up is one primary-key probe.
    """

    _SCHEMA = (
        "CREATE TABLE IF NOT EXISTS web_revoked_sessions "
        "(sid TEXT PRIMARY KEY, expires INTEGER NOT NULL) WITHOUT ROWID"
    )

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._local = threading.local()  # the table is made on first use, not at start-up

    def _db(self) -> sqlite3.Connection:
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            from compliance._sqlite import connect

            db = connect(self.path)
            db.execute(self._SCHEMA)
            self._local.db = db
        return db

    def revoke(self, sid: str, expires: int, *, now: float | None = None) -> None:
        from compliance._sqlite import transaction

        moment = int(time.time() if now is None else now)
        db = self._db()
        with transaction(db, immediate=True):
            db.execute("DELETE FROM web_revoked_sessions WHERE expires <= ?", (moment,))
            db.execute(
                "INSERT OR REPLACE INTO web_revoked_sessions (sid, expires) VALUES (?, ?)",
                (sid, expires),
            )

    def is_revoked(self, sid: str) -> bool:
        row = (
            self._db()
            .execute("SELECT 1 FROM web_revoked_sessions WHERE sid = ?", (sid,))
            .fetchone()
        )
        return row is not None


class SessionSigner:
    """Issues and checks session cookies and CSRF tokens under one secret.

    With ``revocations`` a logout holds in every process sharing that store; without, only
    in this object (tests of the signer alone).
    """

    def __init__(
        self,
        secret: bytes,
        *,
        lifetime: int = SESSION_SECONDS,
        revocations: SessionRevocations | None = None,
    ) -> None:
        if len(secret) < MIN_SECRET_BYTES:
            raise ValueError(f"session_secret: at least {MIN_SECRET_BYTES} bytes are needed")
        self._key = hashlib.sha256(b"compliance.web session\0" + secret).digest()
        self._csrf_key = hashlib.sha256(b"compliance.web csrf\0" + secret).digest()
        self.lifetime = lifetime
        self._revoked: set[str] = set()
        self.revocations = revocations

    def _mac(self, payload: str) -> str:
        return _b64(hmac.new(self._key, payload.encode("ascii"), hashlib.sha256).digest())

    def issue(self, user: str, *, now: float | None = None) -> tuple[str, Session]:
        moment = time.time() if now is None else now
        session = Session(
            user=user, sid=secrets.token_urlsafe(18), expires=int(moment) + self.lifetime
        )
        body = json.dumps(
            {"u": session.user, "s": session.sid, "e": session.expires},
            separators=(",", ":"),
            ensure_ascii=True,
        )
        payload = _b64(body.encode("ascii"))
        return f"{payload}.{self._mac(payload)}", session

    def read(self, cookie: str | None, *, now: float | None = None) -> Session | None:
        """The session a cookie proves, or None (bad signature, expired, revoked, garbage)."""
        if not cookie or len(cookie) > 4096 or cookie.count(".") != 1:
            return None
        payload, mac = cookie.split(".")
        try:
            if not hmac.compare_digest(mac.encode("ascii"), self._mac(payload).encode("ascii")):
                return None
            data = json.loads(_unb64(payload))
            session = Session(user=str(data["u"]), sid=str(data["s"]), expires=int(data["e"]))
        except (ValueError, KeyError, TypeError, UnicodeError):
            return None
        moment = time.time() if now is None else now
        if session.expires <= moment or session.sid in self._revoked:
            return None
        if self.revocations is not None and self.revocations.is_revoked(session.sid):
            return None
        return session

    def revoke(self, session: Session) -> None:
        self._revoked.add(session.sid)
        if self.revocations is not None:
            self.revocations.revoke(session.sid, session.expires)

    def csrf_token(self, session: Session) -> str:
        return _b64(hmac.new(self._csrf_key, session.sid.encode("ascii"), hashlib.sha256).digest())

    def check_csrf(self, session: Session, token: str | None) -> bool:
        if not token:
            return False
        return hmac.compare_digest(token.encode("utf-8"), self.csrf_token(session).encode("ascii"))


def new_login_token() -> str:
    """The random value of the sign-in form's double-submit cookie."""
    return secrets.token_urlsafe(24)
