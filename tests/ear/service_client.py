"""A ready in-process service for the EAR tests' HTTP door (one definition for every file)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from fastapi.testclient import TestClient

from compliance.service import ServiceConfig, create_app
from compliance.users import hash_api_key, parse_users
from compliance.watchlists.bundled import bundled_lists_dir


@contextmanager
def evaluate_client(root: Path, key: str) -> Iterator[TestClient]:
    """A client of an app with one user holding ``key`` and the evaluate role, once ready."""
    users = parse_users(
        {"users": [{"name": "e", "roles": ["evaluate"], "api_keys_sha256": [hash_api_key(key)]}]}
    )
    config = ServiceConfig(
        lists=(bundled_lists_dir() / "entity_list_excerpt.csv",),
        review_db=root / "review.sqlite",
        reload_interval_s=0,
    )
    with TestClient(create_app(config, users=users), headers={"X-API-Key": key}) as c:
        deadline = time.monotonic() + 120
        while c.get("/readyz").status_code != 200 and time.monotonic() < deadline:
            time.sleep(0.05)
        yield c
