"""The review pages over HTTP (in-process): sign-in, sessions, CSRF, roles, escaping."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from compliance.review.audit import AuditLog, verify_jsonl
from compliance.review.decisions import DecisionStore
from compliance.screening.screener import Screener
from compliance.users import UserDirectory
from compliance.web.app import standalone_app
from compliance.web.context import StaticWebContext
from tests.web.conftest import (
    csrf_of,
    excerpt_parties,
    make_context,
    seed_queue,
    sign_in,
)
from tests.web.hostile import LONG, hostile_parties


@pytest.fixture
def context(tmp_path: Path, users: UserDirectory, screener: Screener) -> StaticWebContext:
    ctx = make_context(tmp_path, users, screener)
    seed_queue(ctx.review_db, screener, excerpt_parties(screener, 4) + hostile_parties())
    return ctx


@pytest.fixture
def client(context: StaticWebContext) -> Iterator[TestClient]:
    # https: the session cookie is Secure, so a client only sends it back over TLS
    with TestClient(standalone_app(context), base_url="https://testserver") as c:
        yield c


def first_item(client: TestClient) -> int:
    found = re.search(r'href="/ui/hit/(\d+)', client.get("/ui/").text)
    assert found is not None
    return int(found.group(1))


def decisions(context: StaticWebContext) -> list[tuple[str, str]]:
    with AuditLog(context.review_db) as log, DecisionStore(log.path, audit=log) as store:
        return [(d.reviewer, d.verdict.value) for d in store.all()]


def test_pages_need_a_session(client: TestClient) -> None:
    for path in ["/ui/", "/ui/hit/1", "/ui/search", "/ui/lists", "/ui/audit"]:
        reply = client.get(path, follow_redirects=False)
        assert reply.status_code == 303
        assert reply.headers["location"] == f"/ui/login?next={path.replace('/', '%2F')}"


def test_sign_in_sets_a_hardened_cookie_and_wrong_passwords_fail(client: TestClient) -> None:
    page = client.get("/ui/login")
    token = csrf = re.search(r'name="token" value="([^"]+)"', page.text)
    assert token is not None and csrf is not None
    wrong = client.post(
        "/ui/login", data={"username": "alice", "password": "nope", "token": token.group(1)}
    )
    assert wrong.status_code == 401
    assert "name or password is wrong" in wrong.text
    no_token = client.post("/ui/login", data={"username": "alice", "password": "alice-pw-1"})
    assert no_token.status_code == 403
    page = client.get("/ui/login")
    token = re.search(r'name="token" value="([^"]+)"', page.text)
    assert token is not None
    ok = client.post(
        "/ui/login",
        data={"username": "alice", "password": "alice-pw-1", "token": token.group(1)},
        follow_redirects=False,
    )
    cookie = next(c for c in ok.headers.get_list("set-cookie") if "compliance_session=" in c)
    assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=strict" in cookie


def test_every_page_carries_a_csp_without_inline_script(client: TestClient) -> None:
    sign_in(client, "alice")
    for path in ["/ui/", f"/ui/hit/{first_item(client)}", "/ui/search", "/ui/lists", "/ui/audit"]:
        reply = client.get(path)
        assert reply.status_code == 200, path
        csp = reply.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert reply.headers["x-content-type-options"] == "nosniff"
        assert "<script>" not in reply.text  # only <script src=...> from the static files
        assert reply.headers["server-timing"].startswith("app;dur=")


def test_a_post_without_csrf_token_is_refused(
    client: TestClient, context: StaticWebContext
) -> None:
    sign_in(client, "alice")
    item = first_item(client)
    form = {"verdict": "true_match", "reason": "same company"}
    refused = client.post(f"/ui/hit/{item}/decide", data=form)
    assert refused.status_code == 403
    assert "security token" in refused.text
    forged = client.post(f"/ui/hit/{item}/decide", data={**form, "csrf": "x" * 43})
    assert forged.status_code == 403
    token = csrf_of(client.get(f"/ui/hit/{item}").text)
    other_site = client.post(
        f"/ui/hit/{item}/decide",
        data={**form, "csrf": token},
        headers={"Origin": "https://evil.example"},
    )
    assert other_site.status_code == 403
    assert decisions(context) == []


def test_the_reviewer_is_the_signed_in_user(client: TestClient, context: StaticWebContext) -> None:
    sign_in(client, "alice")
    item = first_item(client)
    token = csrf_of(client.get(f"/ui/hit/{item}").text)
    reply = client.post(
        f"/ui/hit/{item}/decide",
        data={"csrf": token, "verdict": "escalate", "reason": "ask", "reviewer": "mallory"},
        follow_redirects=False,
    )
    assert reply.status_code == 303
    assert "done=1" in reply.headers["location"]
    assert decisions(context) == [("alice", "escalate")]
    with AuditLog(context.review_db) as log:
        assert [r.actor for r in log.records()] == ["alice"]


def test_a_missing_reason_is_asked_for_and_nothing_recorded(
    client: TestClient, context: StaticWebContext
) -> None:
    sign_in(client, "alice")
    item = first_item(client)
    token = csrf_of(client.get(f"/ui/hit/{item}").text)
    reply = client.post(
        f"/ui/hit/{item}/decide", data={"csrf": token, "verdict": "false_positive", "reason": ""}
    )
    assert reply.status_code == 400
    assert "Not recorded: give a reason" in reply.text
    past = client.post(
        f"/ui/hit/{item}/decide",
        data={"csrf": token, "verdict": "false_positive", "reason": "r", "expires": "2001-01-01"},
    )
    assert past.status_code == 400 and "expires_at" in past.text
    assert decisions(context) == []


def test_roles(client: TestClient, context: StaticWebContext) -> None:
    sign_in(client, "sam")  # screen only
    assert client.get("/ui/").status_code == 403
    assert client.get("/ui/audit").status_code == 403
    search = client.get("/ui/search")
    assert search.status_code == 200
    assert "queue the hits" not in search.text
    token = csrf_of(search.text)
    found = client.post("/ui/search", data={"csrf": token, "name": "Huawei Technologies"})
    assert found.status_code == 200
    assert "Huawei Technologies Co., Ltd." in found.text
    queued = client.post("/ui/search", data={"csrf": token, "name": "Huawei", "queue": "1"})
    assert queued.status_code == 403
    decide = client.post("/ui/hit/1/decide", data={"csrf": token, "verdict": "escalate"})
    assert decide.status_code == 403
    with AuditLog(context.review_db) as log:
        screenings = [r for r in log.records() if r.kind == "screening"]
    assert [r.actor for r in screenings] == ["sam"]


def test_search_refuses_overlong_names(client: TestClient) -> None:
    sign_in(client, "alice")
    token = csrf_of(client.get("/ui/search").text)
    reply = client.post("/ui/search", data={"csrf": token, "name": LONG})
    assert reply.status_code == 400
    assert "10,000 characters" in reply.text


def test_logout_revokes_the_session(client: TestClient) -> None:
    sign_in(client, "alice")
    token = csrf_of(client.get("/ui/").text)
    kept = client.cookies.get("compliance_session")
    out = client.post("/ui/logout", data={"csrf": token}, follow_redirects=False)
    assert out.status_code == 303
    client.cookies.set("compliance_session", kept or "", domain="testserver.local")
    assert client.get("/ui/", follow_redirects=False).status_code == 303


def test_hostile_text_is_escaped_everywhere(client: TestClient) -> None:
    sign_in(client, "alice")
    queue = client.get("/ui/?limit=50").text
    pages = [queue, client.get("/ui/lists").text]
    items = [int(i) for i in re.findall(r'href="/ui/hit/(\d+)', queue)]
    pages += [client.get(f"/ui/hit/{i}").text for i in items]
    token = csrf_of(queue)
    pages.append(client.post("/ui/search", data={"csrf": token, "name": "Zarkon Trading"}).text)
    for html in pages:
        assert "<script>document" not in html
        assert "<img src=x" not in html
        assert "<iframe" not in html and "<svg" not in html
        assert not re.search(r"""href=["']?\s*javascript:""", html, re.IGNORECASE)
        assert "\u202e" not in html  # shown as a marker, never obeyed
    joined = "\n".join(pages)
    assert "&lt;script&gt;document.title=&#39;pwned-script&#39;&lt;/script&gt;" in joined
    assert "[U+202E]" in joined
    assert "https://www.federalregister.gov/citation/89-FR-12345" in joined
    # the 10,000-character name: clipped in the queue table, whole on its hit page
    assert "(10,000 characters)" in queue
    assert any(LONG.strip() in html for html in pages[2:])


def test_lists_and_audit_pages(client: TestClient, context: StaticWebContext) -> None:
    sign_in(client, "alice")
    lists = client.get("/ui/lists").text
    assert "STALE: published 400 days ago" in lists
    assert "excerpt: not a full screening" in lists
    item = first_item(client)
    token = csrf_of(client.get(f"/ui/hit/{item}").text)
    client.post(
        f"/ui/hit/{item}/decide", data={"csrf": token, "verdict": "true_match", "reason": "r"}
    )
    audit = client.get("/ui/audit")
    assert "Audit chain OK: 1 records verified" in audit.text
    checkpoint = client.get("/ui/audit/checkpoint.json").json()
    assert checkpoint["seq"] == 1
    held = client.get("/ui/audit", params={"head": checkpoint["hash"], "at": "1"}).text
    assert "Given head holds at record 1" in held
    exported = client.get("/ui/audit/audit.jsonl")
    assert exported.status_code == 200
    report = verify_jsonl(exported.text.splitlines())
    assert report.ok and report.head == exported.headers["x-audit-head"]
    wrong_head = client.get("/ui/audit", params={"head": "f" * 64}).text
    assert re.search(r"Audit chain (BROKEN|NOT OK)", wrong_head)
    assert "does NOT hold" in wrong_head or "expected head" in wrong_head


def test_static_files_only_from_the_allow_list(client: TestClient) -> None:
    assert client.get("/ui/static/app.js").headers["content-type"].startswith("text/javascript")
    assert client.get("/ui/static/..%2Frouter.py").status_code == 404
    assert client.get("/ui/static/router.py").status_code == 404


def test_audit_page_shows_streamed_runs(client: TestClient, context: StaticWebContext) -> None:
    """A batch screened by ``compliance screen`` (block records + closing record) verifies on
    the page; a run whose closing record is missing is a finding naming the run."""
    from compliance.review.run_recorder import RunRecorder
    from compliance.screening.results import Party, ScreeningResult, Status, Thresholds

    def screened(n: int) -> ScreeningResult:
        party = Party(name=f"Batch Co {n}", id=f"B-{n}")
        return ScreeningResult(
            party=party, name=party.name, status=Status.CLEAR, thresholds=Thresholds(),
            snapshots=(), library_version="test",
        )  # fmt: skip

    sign_in(client, "alice")
    with AuditLog(context.review_db) as log:
        closed = RunRecorder(log, block_rows=2)
        for n in range(3):
            closed.add(screened(n))
        closed.close()
    assert "Audit chain OK" in client.get("/ui/audit").text
    with AuditLog(context.review_db) as log:
        killed = RunRecorder(log, block_rows=2)
        for n in range(3):
            killed.add(screened(n))  # one block written, never closed
    page = client.get("/ui/audit").text
    assert "Audit chain NOT OK" in page
    assert f"run {killed.run}" in page and "no closing record" in page
