"""The users file: hashed secrets, roles, and clear errors for a wrong file."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compliance.errors import ComplianceError, ConfigurationError
from compliance.users import (
    hash_api_key,
    hash_password,
    load_users,
    new_api_key,
    parse_users,
    verify_password,
)


def test_api_key_and_password_authenticate(tmp_path: Path) -> None:
    key = new_api_key()
    users_file = tmp_path / "users.yaml"
    users_file.write_text(
        "users:\n"
        "  - name: alice\n    roles: [screen, review]\n"
        f"    api_keys_sha256: [{hash_api_key(key)}]\n"
        f"    password_hash: '{hash_password('correct horse')}'\n"
        "  - name: root\n    roles: [admin]\n",
        encoding="utf-8",
    )
    directory = load_users(users_file)
    alice = directory.by_api_key(key)
    assert alice is not None and alice.name == "alice"
    assert alice.has_role("review") and not alice.has_role("admin")
    assert directory.by_api_key(key + "x") is None
    assert directory.by_password("alice", "correct horse") == alice
    assert directory.by_password("alice", "wrong") is None
    assert directory.by_password("nobody", "correct horse") is None
    assert directory.by_password("root", "") is None  # no password set: no sign-in
    root = parse_users({"users": [{"name": "root", "roles": ["admin"]}]}).users[0].principal
    assert root.has_role("review") and root.has_role("evaluate")


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"users": [{"name": "a", "roles": ["superuser"]}]}, "unknown role"),
        ({"users": [{"name": "a"}, {"name": "a"}]}, "listed twice"),
        ({"users": [{"name": "a", "api_keys_sha256": ["abc"]}]}, "64-digit"),
        ({"users": [{"name": "a", "password_hash": "plain"}]}, "scrypt"),
        ({"people": []}, "'users' list"),
    ],
)
def test_bad_users_file_names_the_problem(document: object, message: str) -> None:
    with pytest.raises(ConfigurationError, match=message) as info:
        parse_users(document)
    assert isinstance(info.value, ComplianceError)


def test_missing_users_file_is_a_configuration_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="does not exist"):
        load_users(tmp_path / "nope.yaml")


@settings(max_examples=5, deadline=None)
@given(st.text(min_size=0, max_size=40), st.text(min_size=0, max_size=40))
def test_password_round_trip(password: str, other: str) -> None:
    stored = hash_password(password)
    assert verify_password(password, stored)
    assert verify_password(other, stored) == (other == password)
