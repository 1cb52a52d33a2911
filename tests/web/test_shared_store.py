"""The pages over a review database other processes write too: ``compliance screen`` runs
fill the queue, a sign-out holds in every app instance, and the audit page shows and checks
the site's last checkpoint."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from compliance.cli import main
from compliance.errors import IntegrityError
from compliance.review.audit import AuditLog
from compliance.review.queue import ReviewQueue
from compliance.review.verify import kept_checkpoint_path
from compliance.review.workflow import record_screening
from compliance.screening.screener import Screener
from compliance.users import UserDirectory
from compliance.watchlists.bundled import bundled_lists_dir
from compliance.web.app import standalone_app
from compliance.web.context import StaticWebContext
from tests.web.conftest import csrf_of, make_context, sign_in

EXCERPT = bundled_lists_dir() / "entity_list_excerpt.csv"


@pytest.fixture
def context(tmp_path: Path, users: UserDirectory, screener: Screener) -> StaticWebContext:
    return make_context(tmp_path, users, screener)


def client_of(context: StaticWebContext) -> TestClient:
    return TestClient(standalone_app(context), base_url="https://testserver")


@pytest.fixture
def client(context: StaticWebContext) -> Iterator[TestClient]:
    with client_of(context) as c:
        yield c


def _parties_csv(tmp_path: Path, screener: Screener) -> tuple[Path, list[str]]:
    names = [e.name for s in screener.snapshots if s.is_excerpt for e in s.entries][:3]
    path = tmp_path / "orders.csv"
    rows = ["id,name,country", *(f"SO-{i},{n.replace(',', ' ')},CN" for i, n in enumerate(names))]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path, [n.replace(",", " ") for n in names]


def test_a_cli_screening_run_fills_the_queue_the_pages_show(
    tmp_path: Path,
    context: StaticWebContext,
    client: TestClient,
    screener: Screener,
    capsys: pytest.CaptureFixture[str],
) -> None:
    orders, names = _parties_csv(tmp_path, screener)
    argv = ["screen", str(orders), "--list", str(EXCERPT), "--db", str(context.review_db)]
    assert main([*argv, "--format", "jsonl"]) & 24  # review or alert rows
    screened = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    hits = sum(len(r["hits"]) for r in screened)
    assert hits >= 3
    sign_in(client, "alice")
    page = client.get("/ui/")
    assert page.status_code == 200
    for name in names:
        assert name.split(" ")[0] in page.text
    with ReviewQueue(context.review_db) as queue:
        assert sum(queue.counts().open_by_list.values()) == hits
    # the same file screened again is the same items, not new ones
    assert main([*argv, "--format", "jsonl"]) & 24
    with ReviewQueue(context.review_db) as queue:
        assert sum(queue.counts().open_by_list.values()) == hits
    # and a decision made on the page closes the item the CLI run opened
    item = int(re.search(r'href="/ui/hit/(\d+)', client.get("/ui/").text).group(1))  # type: ignore[union-attr]
    token = csrf_of(client.get(f"/ui/hit/{item}").text)
    done = client.post(
        f"/ui/hit/{item}/decide",
        data={"csrf": token, "verdict": "escalate", "reason": "check the order"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    with ReviewQueue(context.review_db) as queue:
        assert sum(queue.counts().open_by_list.values()) == hits - 1


def test_a_streamed_run_of_several_blocks_fills_the_queue(
    tmp_path: Path,
    context: StaticWebContext,
    screener: Screener,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """``compliance screen`` records a run as block records and a closing record; the queue
    finds it by the closing record and takes its hits in a block at a time."""
    monkeypatch.setattr("compliance.review.run_recorder.BLOCK_ROWS", 1)
    monkeypatch.setattr("compliance.review.run_records.BLOCK_ROWS", 1)
    orders, _ = _parties_csv(tmp_path, screener)
    argv = ["screen", str(orders), "--list", str(EXCERPT), "--db", str(context.review_db)]
    assert main([*argv, "--format", "jsonl"]) & 24
    captured = capsys.readouterr()
    assert "3 block records" in captured.err
    hits = sum(len(json.loads(line)["hits"]) for line in captured.out.splitlines())
    with ReviewQueue(context.review_db) as queue:
        assert sum(queue.counts().open_by_list.values()) == hits


def test_runs_without_an_input_file_are_not_queued(
    context: StaticWebContext, screener: Screener
) -> None:
    name = next(e.name for s in screener.snapshots for e in s.entries)
    from compliance.screening.results import Party

    record_screening([screener.screen(Party(name=name))], context.review_db, actor="api")
    with ReviewQueue(context.review_db) as queue:
        assert queue.page().items == ()


def test_a_tampered_cli_run_is_never_queued(
    tmp_path: Path, context: StaticWebContext, screener: Screener
) -> None:
    orders, _ = _parties_csv(tmp_path, screener)
    main(["screen", str(orders), "--list", str(EXCERPT), "--db", str(context.review_db)])
    with AuditLog(context.review_db) as log:
        log.db.execute("DROP TRIGGER audit_records_no_update")
        log.db.execute("UPDATE audit_records SET record = replace(record, 'SO-0', 'SO-9')")
    with ReviewQueue(context.review_db) as queue, pytest.raises(IntegrityError):
        queue.page()


def test_sign_out_holds_in_every_app_instance_sharing_the_review_database(
    context: StaticWebContext,
) -> None:
    with client_of(context) as first, client_of(context) as second:
        sign_in(first, "alice")
        cookie = first.cookies.get("compliance_session")
        assert cookie
        second.cookies.set("compliance_session", cookie, domain="testserver.local")
        assert second.get("/ui/lists", follow_redirects=False).status_code == 200
        token = csrf_of(first.get("/ui/lists").text)
        out = first.post("/ui/logout", data={"csrf": token}, follow_redirects=False)
        assert out.status_code == 303
        # the copied cookie is refused by the other instance, which never saw the logout
        refused = second.get("/ui/lists", follow_redirects=False)
        assert refused.status_code == 303 and "/ui/login" in refused.headers["location"]


def test_the_audit_page_shows_and_verifies_the_last_checkpoint(
    tmp_path: Path, context: StaticWebContext, client: TestClient, screener: Screener
) -> None:
    orders, _ = _parties_csv(tmp_path, screener)
    main(["screen", str(orders), "--list", str(EXCERPT), "--db", str(context.review_db)])
    sign_in(client, "alice")
    page = client.get("/ui/audit").text
    assert 'id="checkpoint-status">No checkpoint read' in page
    refused = client.post("/ui/audit/checkpoint", data={}, follow_redirects=False)
    assert refused.status_code == 403  # no CSRF token
    kept = client.post("/ui/audit/checkpoint", data={"csrf": csrf_of(page)}, follow_redirects=False)
    assert kept.status_code == 303
    path = kept_checkpoint_path(context.review_db)
    checkpoint = json.loads(path.read_text(encoding="utf-8"))
    page = client.get("/ui/audit").text
    # a CLI run is a block record and its closing record (review/run_records.py)
    assert "The chain still holds the last checkpoint: record 2 has its hash" in page
    assert "holds the given head" not in page  # no head was typed in: only the checkpoint
    assert checkpoint["hash"] in page and "unsigned" in page
    main(["screen", str(orders), "--list", str(EXCERPT), "--db", str(context.review_db)])
    assert "2 record(s) appended since are not covered" in client.get("/ui/audit").text
    # a checkpoint the chain does not hold (a rewritten chain, or a forged file)
    checkpoint["hash"] = "0" * 64
    path.write_text(json.dumps(checkpoint), encoding="utf-8")
    page = client.get("/ui/audit").text
    assert "does NOT verify against the last checkpoint" in page
    path.write_text("not json", encoding="utf-8")
    assert "not a checkpoint file" in client.get("/ui/audit").text


def test_a_signed_checkpoint_is_verified_with_the_configured_key(
    tmp_path: Path, users: UserDirectory, screener: Screener
) -> None:
    pytest.importorskip("cryptography")
    from compliance.review.checkpoint import generate_keypair, load_private_key, sign
    from compliance.review.verify import keep_checkpoint

    context = make_context(tmp_path, users, screener)
    orders, _ = _parties_csv(tmp_path, screener)
    main(["screen", str(orders), "--list", str(EXCERPT), "--db", str(context.review_db)])
    generate_keypair(tmp_path / "k.pem", tmp_path / "k.pub")
    other = tmp_path / "other"
    other.mkdir()
    generate_keypair(other / "k.pem", other / "k.pub")
    path = tmp_path / "cp.json"
    plain = keep_checkpoint(context.review_db, path)
    path.write_text(sign(plain, load_private_key(tmp_path / "k.pem")).to_json(), encoding="utf-8")
    for key, expected in [
        (tmp_path / "k.pub", "verified with the trusted key"),
        (other / "k.pub", "does NOT verify with the trusted key"),
        (None, "not checked: no trusted public key is configured"),
    ]:
        context.checkpoint_file, context.checkpoint_public_key = path, key
        with client_of(context) as client:
            sign_in(client, "alice")
            assert expected in client.get("/ui/audit").text


def test_the_service_takes_cli_runs_into_the_queue_before_a_page_asks(
    tmp_path: Path, screener: Screener
) -> None:
    import sqlite3
    import time

    from compliance.service import ServiceConfig, create_app

    db = tmp_path / "review.sqlite"
    orders, _ = _parties_csv(tmp_path, screener)
    config = ServiceConfig(
        lists=(EXCERPT,), review_db=db, reload_interval_s=0, queue_sync_interval_s=0.1
    )

    def queued() -> int:
        conn = sqlite3.connect(db)
        try:
            found = conn.execute("SELECT name FROM sqlite_master WHERE name = 'queue_items'")
            if found.fetchone() is None:
                return 0
            return int(conn.execute("SELECT COUNT(*) FROM queue_items").fetchone()[0])
        finally:
            conn.close()

    with TestClient(create_app(config, users=UserDirectory([]))):
        main(["screen", str(orders), "--list", str(EXCERPT), "--db", str(db)])
        deadline = time.monotonic() + 30
        while queued() == 0 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert queued() >= 3  # no page was read: the service's own sync took them in
