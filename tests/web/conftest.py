"""A running review site for the web tests: users, a review database with a queue of real
hits (the bundled Entity List excerpt plus a list of hostile names), and the app."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from compliance.review.queue import ReviewQueue
from compliance.screening.results import Party
from compliance.screening.screener import Screener
from compliance.users import User, UserDirectory, hash_password
from compliance.watchlists.bundled import bundled_excerpt
from compliance.web.context import StaticWebContext
from tests.servers import ThreadedServer
from tests.web.hostile import hostile_parties, hostile_snapshot

PASSWORDS = {"alice": "alice-pw-1", "sam": "sam-pw-1", "root": "root-pw-1"}
SECRET = b"test secret for the review pages, 32+ bytes"
T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def users() -> UserDirectory:
    roles = {"alice": {"review", "screen"}, "sam": {"screen"}, "root": {"admin"}}
    return UserDirectory(
        User(name, frozenset(roles[name]), password_hash=hash_password(pw))
        for name, pw in PASSWORDS.items()
    )


@pytest.fixture(scope="session")
def screener() -> Screener:
    return Screener([bundled_excerpt(), hostile_snapshot()])


def excerpt_parties(screener: Screener, count: int) -> list[Party]:
    """Counterparties named like excerpt entries (each gives at least one hit)."""
    entries = [e for s in screener.snapshots if s.is_excerpt for e in s.entries]
    return [
        Party(name=e.name, id=f"C-{i:03d}", country="CN", extra={"order": f"SO-{1000 + i}"})
        for i, e in enumerate(entries[:count])
    ]


def seed_queue(db: Path, screener: Screener, parties: list[Party]) -> int:
    """Screen ``parties`` and queue their hits, one minute apart (so the order is known)."""
    results = [screener.screen(p, row=i + 2) for i, p in enumerate(parties)]
    with ReviewQueue(db) as queue:
        waiting = 0
        for i, result in enumerate(results):
            waiting += queue.add([result], now=T0 + timedelta(minutes=i))
    return waiting


@dataclass
class Site:
    context: StaticWebContext
    base: str  # e.g. http://127.0.0.1:PORT


def make_context(tmp_path: Path, users: UserDirectory, screener: Screener) -> StaticWebContext:
    def status() -> list[dict[str, object]]:
        return [
            {
                "source": "trade.gov-csl",
                "snapshot_id": "abc123",
                "label": "Consolidated Screening List <b>",
                "published": "2025-01-02T00:00:00+00:00",
                "retrieved": "2025-01-03T00:00:00+00:00",
                "age_days": 400,
                "age_basis": "published",
                "max_age_days": 7,
                "counts": {"EL": 10, "SDN": 20},
                "entries": 30,
                "warnings": ["STALE: published 400 days ago, older than the 7-day maximum"],
            }
        ]

    return StaticWebContext(
        users=users,
        review_db=tmp_path / "review.sqlite",
        session_secret=SECRET,
        screener=screener,
        status=status,
    )


def sign_in(client: TestClient, name: str) -> None:
    """Sign ``name`` in through the form (its double-submit token included)."""
    page = client.get("/ui/login")
    token = re.search(r'name="token" value="([^"]+)"', page.text)
    assert token is not None
    reply = client.post(
        "/ui/login",
        data={"username": name, "password": PASSWORDS[name], "token": token.group(1)},
        follow_redirects=False,
    )
    assert reply.status_code == 303, reply.text


def csrf_of(html: str) -> str:
    """The CSRF token a page's forms carry."""
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


@pytest.fixture
def live_site(tmp_path: Path, users: UserDirectory, screener: Screener) -> Iterator[Site]:
    """A real uvicorn on 127.0.0.1 (a free port) serving the pages over a seeded queue."""
    pytest.importorskip("uvicorn")
    from compliance.web.app import standalone_app

    context = make_context(tmp_path, users, screener)
    # 23 excerpt names and the hostile parties: 54 open hits, the queue of 50 and more
    # (the browser test asserts at least 50; 22 names gave 49 while issue 16's other_trade rule
    # was on: a sister entity sharing only "Huawei" and a trade word fell below review)
    seed_queue(context.review_db, screener, excerpt_parties(screener, 23) + hostile_parties())
    server = ThreadedServer(standalone_app(context), log_level="warning", lifespan="off")
    try:
        yield Site(context=context, base=server.url)
    finally:
        server.stop(timeout=10)
