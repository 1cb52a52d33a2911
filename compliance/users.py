"""Users, roles and credentials for the doors that need sign-in (HTTP API, review page).

A users file (YAML) lists principals; secrets are stored only as hashes::

    # compliance users file: path from --users FILE or $COMPLIANCE_USERS_FILE
    users:
      - name: alice
        roles: [screen, review]
        api_keys_sha256: [<hex sha256 of the key>]   # HTTP API: X-API-Key / Bearer
        password_hash: "scrypt$16384$8$1$<salt b64>$<hash b64>"  # review page sign-in

Roles: ``screen`` (screen parties, search), ``evaluate`` (EAR cases), ``review`` (record
decisions, see the queue), ``admin`` (everything, list reloads). API keys are random and
long, so a plain SHA-256 is enough to store them; passwords are not, so they use scrypt
(stdlib ``hashlib.scrypt``, no extra dependency). Comparisons are constant-time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from compliance.errors import ConfigurationError

ROLES = ("screen", "evaluate", "review", "admin")
USERS_FILE_ENV = "COMPLIANCE_USERS_FILE"

_SCRYPT_N = 2**14
_SCRYPT_R = 8
_SCRYPT_P = 1


@dataclass(frozen=True)
class Principal:
    """A signed-in user or API client: a name and its roles."""

    name: str
    roles: frozenset[str] = field(default_factory=frozenset)

    def has_role(self, role: str) -> bool:
        """True when the principal holds ``role`` (``admin`` holds every role)."""
        return role in self.roles or "admin" in self.roles


def new_api_key() -> str:
    """A fresh random API key (shown once to its owner; store only its hash)."""
    return "ck_" + secrets.token_urlsafe(32)


def hash_api_key(key: str) -> str:
    """SHA-256 hex of an API key, as stored in the users file."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """An scrypt hash of ``password`` in the users-file format."""
    salt = salt if salt is not None else os.urandom(16)
    digest = hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P, dklen=32
    )
    b64 = base64.b64encode
    return (
        f"scrypt${_SCRYPT_N}${_SCRYPT_R}${_SCRYPT_P}$"
        f"{b64(salt).decode('ascii')}${b64(digest).decode('ascii')}"
    )


def verify_password(password: str, stored: str) -> bool:
    """Constant-time check of ``password`` against a stored scrypt hash."""
    try:
        scheme, n, r, p, salt_b64, hash_b64 = stored.split("$")
        if scheme != "scrypt":
            return False
        salt = base64.b64decode(salt_b64, validate=True)
        expected = base64.b64decode(hash_b64, validate=True)
        digest = hashlib.scrypt(
            password.encode("utf-8"),
            salt=salt,
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(expected),
            maxmem=64 * 1024 * 1024,
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(digest, expected)


@dataclass(frozen=True)
class User:
    """One entry of the users file."""

    name: str
    roles: frozenset[str]
    api_keys_sha256: tuple[str, ...] = ()
    password_hash: str | None = None

    @property
    def principal(self) -> Principal:
        return Principal(self.name, self.roles)


class UserDirectory:
    """The users of one installation, looked up by API key or by name and password."""

    def __init__(self, users: Iterable[User]) -> None:
        self._users: dict[str, User] = {}
        self._by_key: dict[str, User] = {}
        for user in users:
            if user.name in self._users:
                raise ConfigurationError(f"users file: user {user.name!r} is listed twice")
            self._users[user.name] = user
            for digest in user.api_keys_sha256:
                if digest in self._by_key:
                    raise ConfigurationError(
                        f"users file: an API key of {user.name!r} is also "
                        f"{self._by_key[digest].name!r}'s"
                    )
                self._by_key[digest] = user

    def __len__(self) -> int:
        return len(self._users)

    @property
    def users(self) -> tuple[User, ...]:
        return tuple(self._users.values())

    def by_api_key(self, key: str) -> Principal | None:
        """The principal whose API key this is, else None (constant-time per stored key)."""
        digest = hash_api_key(key)
        found: User | None = None
        for stored, user in self._by_key.items():
            if hmac.compare_digest(stored, digest):
                found = user
        return found.principal if found is not None else None

    def by_password(self, name: str, password: str) -> Principal | None:
        """The principal for a name and password, else None (same work when unknown)."""
        user = self._users.get(name)
        stored = user.password_hash if user is not None else None
        if stored is None:
            verify_password(password, _DUMMY_HASH)  # same cost for unknown users
            return None
        return user.principal if user is not None and verify_password(password, stored) else None


_DUMMY_HASH = hash_password("not a password", salt=b"\0" * 16)


def _user_from_mapping(raw: Mapping[str, Any], where: str) -> User:
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ConfigurationError(f"{where}: 'name' must be a non-empty string")
    roles_raw = raw.get("roles", [])
    if not isinstance(roles_raw, list) or not all(isinstance(r, str) for r in roles_raw):
        raise ConfigurationError(f"{where}: 'roles' must be a list of role names")
    unknown = sorted(set(roles_raw) - set(ROLES))
    if unknown:
        raise ConfigurationError(
            f"{where}: unknown role(s) {', '.join(unknown)}; known: {', '.join(ROLES)}"
        )
    keys_raw = raw.get("api_keys_sha256", [])
    if isinstance(keys_raw, str):
        keys_raw = [keys_raw]
    if not isinstance(keys_raw, list) or not all(
        isinstance(k, str) and len(k) == 64 and all(c in "0123456789abcdef" for c in k.lower())
        for k in keys_raw
    ):
        raise ConfigurationError(f"{where}: 'api_keys_sha256' must hold 64-digit hex digests")
    password_hash = raw.get("password_hash")
    if password_hash is not None and (
        not isinstance(password_hash, str) or not password_hash.startswith("scrypt$")
    ):
        raise ConfigurationError(f"{where}: 'password_hash' must be an scrypt$... hash")
    return User(
        name=name.strip(),
        roles=frozenset(roles_raw),
        api_keys_sha256=tuple(k.lower() for k in keys_raw),
        password_hash=password_hash,
    )


def parse_users(document: Any, source: str = "users file") -> UserDirectory:
    """Build a :class:`UserDirectory` from a parsed users document."""
    if not isinstance(document, Mapping) or not isinstance(document.get("users"), list):
        raise ConfigurationError(f"{source}: expected a mapping with a 'users' list")
    users = []
    for i, raw in enumerate(document["users"], start=1):
        if not isinstance(raw, Mapping):
            raise ConfigurationError(f"{source}: user {i} is not a mapping")
        users.append(_user_from_mapping(raw, f"{source}: user {i}"))
    return UserDirectory(users)


def load_users(path: Path | str | None = None) -> UserDirectory:
    """Read a users file (``path`` or ``$COMPLIANCE_USERS_FILE``)."""
    if path is None:
        env = os.environ.get(USERS_FILE_ENV)
        if not env:
            raise ConfigurationError(f"no users file given (--users or ${USERS_FILE_ENV})")
        path = env
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ConfigurationError(f"users file {path} does not exist") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigurationError(f"users file {path}: {exc}") from exc
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigurationError(f"users file {path}: not valid YAML: {exc}") from exc
    return parse_users(document, str(path))


__all__ = [
    "ROLES",
    "USERS_FILE_ENV",
    "Principal",
    "User",
    "UserDirectory",
    "hash_api_key",
    "hash_password",
    "load_users",
    "new_api_key",
    "parse_users",
    "verify_password",
]
