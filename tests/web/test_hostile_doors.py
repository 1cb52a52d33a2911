"""Every door of the review pages tried with hostile input as a new user would: a 4xx page
naming the field, never a 500, a traceback or a record in the audit trail."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from compliance.review.audit import AuditLog
from compliance.screening.screener import Screener
from compliance.users import UserDirectory
from compliance.web.app import standalone_app
from compliance.web.context import StaticWebContext
from tests.web.conftest import csrf_of, excerpt_parties, make_context, seed_queue, sign_in


@pytest.fixture
def context(tmp_path: Path, users: UserDirectory, screener: Screener) -> StaticWebContext:
    ctx = make_context(tmp_path, users, screener)
    seed_queue(ctx.review_db, screener, excerpt_parties(screener, 3))
    return ctx


@pytest.fixture
def client(context: StaticWebContext) -> Iterator[TestClient]:
    with TestClient(
        standalone_app(context), base_url="https://testserver", raise_server_exceptions=False
    ) as c:
        sign_in(c, "alice")
        yield c


def _records(context: StaticWebContext) -> int:
    with AuditLog(context.review_db) as log:
        return int(log.db.execute("SELECT COUNT(*) FROM audit_records").fetchone()[0])


def _message(html: str) -> str:
    found = re.search(r'<p class="problem"[^>]*>(.*?)</p>', html, re.S)
    return found.group(1) if found else html[:200]


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/ui/hit/99999999999999999999999", "item"),  # past SQLite's integers: was a 500
        ("/ui/hit/abc", "item"),
        ("/ui/?done=" + "9" * 40, "done"),
        ("/ui/?state=bogus", "state"),
        ("/ui/?level=x", "level"),
        ("/ui/?after=garbage", "cursor"),
        ("/ui/?counterparty=%00%1b", "counterparty"),
        ("/ui/?reviewer=a%07", "reviewer"),
        ("/ui/?list=" + "x" * 100, "list"),
        ("/ui/login?next=" + "a" * 5000, "next"),
        ("/ui/audit?head=zz", "head"),
        ("/ui/audit?since=2026-13-01", "since"),
    ],
)
def test_bad_query_values_get_a_page_naming_the_field(
    client: TestClient, path: str, field: str
) -> None:
    reply = client.get(path)
    assert reply.status_code == 400, reply.text[:300]
    assert field in _message(reply.text)
    assert "Traceback" not in reply.text


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "Huawei\x00"}, "name"),
        ({"name": "Huawei\x1b[31m"}, "name"),
        ({"name": "ok", "country": "\x1b"}, "country"),
        ({"name": "x" * 10_000}, "name"),
    ],
)
def test_search_refuses_control_characters_and_records_nothing(
    client: TestClient, context: StaticWebContext, data: dict[str, str], field: str
) -> None:
    before = _records(context)
    reply = client.post("/ui/search", data={"csrf": csrf_of(client.get("/ui/search").text), **data})
    assert reply.status_code == 400
    assert _message(reply.text).startswith(f"{field}:")
    assert _records(context) == before


def test_a_reason_with_control_characters_is_refused_but_lines_are_kept(
    client: TestClient, context: StaticWebContext
) -> None:
    item = int(re.search(r'href="/ui/hit/(\d+)', client.get("/ui/").text).group(1))  # type: ignore[union-attr]
    token = csrf_of(client.get(f"/ui/hit/{item}").text)
    before = _records(context)
    bad = client.post(
        f"/ui/hit/{item}/decide",
        data={"csrf": token, "verdict": "escalate", "reason": "see\x00ticket"},
    )
    assert bad.status_code == 400 and "reason: control character U+0000" in bad.text
    assert _records(context) == before
    good = client.post(
        f"/ui/hit/{item}/decide",
        data={"csrf": token, "verdict": "escalate", "reason": "line one\r\nline two\tend"},
        follow_redirects=False,
    )
    assert good.status_code == 303
    assert _records(context) == before + 1


def test_hostile_names_in_search_are_inert(client: TestClient) -> None:
    token = csrf_of(client.get("/ui/search").text)
    for name in ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "\u202eevil"]:
        reply = client.post("/ui/search", data={"csrf": token, "name": name})
        assert reply.status_code == 200
        assert "<script>alert" not in reply.text and "<img src=x" not in reply.text


def test_an_oversized_form_gets_a_page_not_json(client: TestClient) -> None:
    body = b"csrf=x&name=" + b"x" * (2 * 1024 * 1024)
    reply = client.post(
        "/ui/search", content=body, headers={"content-type": "application/x-www-form-urlencoded"}
    )
    assert 400 <= reply.status_code < 500
    assert reply.headers["content-type"].startswith("text/html")
    assert "Content-Security-Policy" in reply.headers


def test_a_post_from_another_site_or_without_token_is_refused(
    client: TestClient, context: StaticWebContext
) -> None:
    before = _records(context)
    cross = client.post(
        "/ui/search", data={"name": "x"}, headers={"origin": "https://evil.example"}
    )
    assert cross.status_code == 403 and "another site" in cross.text
    bare = client.post("/ui/search", data={"name": "x"})
    assert bare.status_code == 403 and "security token" in bare.text
    assert _records(context) == before
