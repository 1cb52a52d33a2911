from __future__ import annotations

import io
import json
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compliance.review.audit import (
    GENESIS,
    Anchor,
    AuditChainError,
    AuditEvent,
    AuditLog,
    screening_event,
    verify_jsonl,
)
from compliance.screening.results import Party

from .helpers import hit, result

T0 = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)


def _log(path: Path, n: int) -> AuditLog:
    log = AuditLog(path)
    log.append_many(
        AuditEvent(kind="note", payload={"i": i}, actor="tester", time=T0 + timedelta(minutes=i))
        for i in range(n)
    )
    return log


def _tamper(path: Path, *statements: str) -> None:
    """Edit the file behind the library's back: drop the triggers, then change rows."""
    db = sqlite3.connect(path)
    db.execute("DROP TRIGGER audit_records_no_update")
    db.execute("DROP TRIGGER audit_records_no_delete")
    for sql in statements:
        db.execute(sql)
    db.commit()
    db.close()


def _reopen_verify(path: Path) -> tuple[bool, int | None, str]:
    report = AuditLog(path).verify()
    broken = report.first_broken
    return report.ok, broken.position if broken else None, broken.reason if broken else ""


def test_records_chain_and_verify(tmp_path: Path) -> None:
    log = _log(tmp_path / "a.sqlite", 3)
    records = list(log.records())
    assert [r.seq for r in records] == [1, 2, 3]
    assert records[0].prev_hash == GENESIS
    assert records[1].prev_hash == records[0].hash and records[2].prev_hash == records[1].hash
    assert records[0].time == "2026-11-02T08:00:00Z" and records[0].actor == "tester"
    report = log.verify()
    assert report.ok and report.records == 3 and report.head == records[2].hash


def test_update_and_delete_are_refused_by_the_database(tmp_path: Path) -> None:
    log = _log(tmp_path / "a.sqlite", 2)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        log.db.execute("UPDATE audit_records SET record = '{}' WHERE seq = 1")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        log.db.execute("DELETE FROM audit_records WHERE seq = 2")
    assert log.verify().ok


def test_edited_record_is_detected(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite"
    _log(path, 4).close()
    _tamper(path, "UPDATE audit_records SET record = replace(record, '\"i\":2', '\"i\":7')")
    assert _reopen_verify(path)[:2] == (False, 3)


def test_edited_record_with_recomputed_hash_is_detected_at_the_next(tmp_path: Path) -> None:
    import hashlib

    path = tmp_path / "a.sqlite"
    _log(path, 4).close()
    db = sqlite3.connect(path)
    (text,) = db.execute("SELECT record FROM audit_records WHERE seq = 2").fetchone()
    forged = text.replace('"i":1', '"i":9')
    digest = hashlib.sha256(forged.encode()).hexdigest()
    db.close()
    _tamper(
        path,
        f"UPDATE audit_records SET record = '{forged}', hash = '{digest}' WHERE seq = 2",
    )
    ok, position, reason = _reopen_verify(path)
    assert (ok, position) == (False, 3)
    assert "prev_hash" in reason


def test_deleted_record_is_detected(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite"
    _log(path, 4).close()
    _tamper(path, "DELETE FROM audit_records WHERE seq = 2")
    assert _reopen_verify(path)[:2] == (False, 2)


def test_reordered_records_are_detected(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite"
    _log(path, 4).close()
    _tamper(
        path,
        "UPDATE audit_records SET seq = -2 WHERE seq = 2",
        "UPDATE audit_records SET seq = 2 WHERE seq = 3",
        "UPDATE audit_records SET seq = 3 WHERE seq = -2",
    )
    assert _reopen_verify(path)[:2] == (False, 2)


def test_truncated_tail_is_detected_against_a_kept_head(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite"
    log = _log(path, 3)
    head = log.head()
    log.close()
    _tamper(path, "DELETE FROM audit_records WHERE seq = 3")
    log = AuditLog(path)
    assert log.verify().ok  # the chain alone cannot see a cut tail...
    report = log.verify(Anchor(hash=head))
    assert not report.ok and report.anchor is not None and not report.anchor.held  # ...it can
    assert "removed from the end" in report.findings[0].message


@settings(max_examples=25, deadline=None)
@given(n=st.integers(2, 6), data=st.data())
def test_any_tampering_is_detected(n: int, data: st.DataObject) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        _check_tampering(Path(tmp) / "a.sqlite", n, data)


def _check_tampering(path: Path, n: int, data: st.DataObject) -> None:
    _log(path, n).close()
    target = data.draw(st.integers(1, n - 1), label="target")  # not the tail: see above
    how = data.draw(st.sampled_from(["edit", "delete", "swap", "actor"]), label="how")
    sql = {
        "edit": [
            f"UPDATE audit_records SET record = replace(record, '\"i\":{target - 1}', "
            f"'\"i\":99') WHERE seq = {target}"
        ],
        "delete": [f"DELETE FROM audit_records WHERE seq = {target}"],
        "swap": [
            f"UPDATE audit_records SET seq = -1 WHERE seq = {target}",
            f"UPDATE audit_records SET seq = {target} WHERE seq = {target + 1}",
            f"UPDATE audit_records SET seq = {target + 1} WHERE seq = -1",
        ],
        "actor": [
            f"UPDATE audit_records SET record = replace(record, 'tester', 'mallory') "
            f"WHERE seq = {target}"
        ],
    }[how]
    _tamper(path, *sql)
    ok, position, _ = _reopen_verify(path)
    assert not ok
    assert position == target


def test_failed_batch_commits_nothing_and_keeps_the_chain(tmp_path: Path) -> None:
    log = _log(tmp_path / "a.sqlite", 2)
    bad = [
        AuditEvent(kind="note", payload={"ok": 1}, time=T0),
        AuditEvent(kind="note", payload={"bad": float("nan")}, time=T0),
    ]
    with pytest.raises(ValueError):
        log.append_many(bad)
    assert [r.seq for r in log.records()] == [1, 2]
    log.append("note", {"after": True}, time=T0)
    assert log.verify().ok and log.verify().records == 3


def test_crash_in_the_middle_of_a_batch_loses_no_committed_record(tmp_path: Path) -> None:
    path = tmp_path / "crash.sqlite"
    script = textwrap.dedent(
        f"""
        import os
        from compliance.review.audit import AuditEvent, AuditLog
        log = AuditLog({str(path)!r})
        log.append_many(AuditEvent(kind="committed", payload={{"i": i}}) for i in range(3))
        def events():
            yield AuditEvent(kind="lost", payload={{"i": 0}})
            yield AuditEvent(kind="lost", payload={{"i": 1}})
            os._exit(9)  # the process dies mid-batch, before COMMIT
        log.append_many(events())
        """
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert proc.returncode == 9, proc.stderr
    log = AuditLog(path)
    assert [r.kind for r in log.records()] == ["committed"] * 3
    assert log.verify().ok
    log.append("after-crash", {})
    assert log.verify().records == 4


def test_export_round_trips_through_verify_jsonl(tmp_path: Path) -> None:
    log = _log(tmp_path / "a.sqlite", 3)
    out = io.StringIO()
    log.export_jsonl(out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 3
    assert verify_jsonl(lines, Anchor(hash=log.head())).ok
    edited = json.loads(lines[1])
    edited["actor"] = "mallory"
    lines[1] = json.dumps(edited)
    report = verify_jsonl(lines)
    assert not report.ok and report.first_broken is not None
    assert report.first_broken.position == 2


def test_export_refuses_a_broken_chain(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite"
    _log(path, 3).close()
    _tamper(path, "DELETE FROM audit_records WHERE seq = 1")
    with pytest.raises(AuditChainError, match="record 1"):
        AuditLog(path).export_jsonl(io.StringIO())


def test_screening_event_records_what_was_screened_against_what() -> None:
    party = Party(name="Acme Trading", country="CN")
    event = screening_event([result(party, hit())], input_sha256="abc", actor="job", time=T0)
    p = event.payload
    assert p["snapshots"][0]["snapshot_id"] == "s1"
    assert p["library_version"] == "test" and p["input_sha256"] == "abc"
    assert p["counts"] == {"alert": 1}
    assert p["results"][0]["hits"][0]["entry_id"] == "e1"
    other = screening_event([result(party.model_copy(update={"country": "HK"}))], time=T0)
    assert other.payload["input_fingerprint"] != p["input_fingerprint"]


def test_screening_run_is_appended_and_verifiable(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "a.sqlite")
    event = screening_event([result(Party(name="Acme"), hit())], actor="job", time=T0)
    record = log.append_many([event])[0]
    assert record.kind == "screening" and record.payload["results"][0]["name"] == "Acme"
    assert log.verify().ok


def test_verify_jsonl_names_a_line_that_is_not_a_record(tmp_path: Path) -> None:
    log = _log(tmp_path / "a.sqlite", 2)
    out = io.StringIO()
    log.export_jsonl(out)
    lines = out.getvalue().splitlines()
    report = verify_jsonl([lines[0], "not json", lines[1]])
    assert report.first_broken is not None
    assert report.first_broken.position == 2
    assert "line 2 is not a JSON record" in report.first_broken.reason
