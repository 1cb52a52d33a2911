"""One test (or more) per defect of issue 11, sections 1-6; each fails on the code before it."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from compliance.cli import main
from compliance.errors import NotFoundError
from compliance.review.audit import AuditLog, screening_event
from compliance.review.decisions import DecisionStore, decide
from compliance.review.suppression import HitState, apply_decisions, apply_recorded_decisions
from compliance.review.verify import verify_store
from compliance.screening.results import Party, Status

from .helpers import hit, result

T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
PARTY = Party(name="Acme Trading", id="P-1", country="CN", address="1 Harbour Rd")


def _attacker(path: Path, *statements: str, params: tuple[object, ...] = ()) -> None:
    """Edit the file behind the library's back: drop every trigger, then run SQL."""
    db = sqlite3.connect(path)
    for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        db.execute(f"DROP TRIGGER {name}")
    for sql in statements:
        db.execute(sql, params) if params else db.execute(sql)
    db.commit()
    db.close()


def _file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- 1. decisions inside the chain --------------------------------------------------------


def test_true_match_edited_into_a_false_positive_is_never_applied(tmp_path: Path) -> None:
    path = tmp_path / "review.sqlite"
    with DecisionStore(path) as store:
        store.record(decide(PARTY, hit(), "true_match", reviewer="bob", reason="same", time=T0))
    (text,) = sqlite3.connect(path).execute("SELECT record FROM decisions").fetchone()
    forged = text.replace('"true_match"', '"false_positive"')
    _attacker(path, "UPDATE decisions SET record = ?", params=(forged,))

    with DecisionStore(path) as store:
        reviewed = apply_decisions(result(PARTY, hit()), store, now=T0)
    (h,) = reviewed.hits
    assert h.state is HitState.UNVERIFIABLE and reviewed.status is Status.ALERT
    assert "decision not verifiable" in h.notes[0] and "edited" in h.notes[0]

    report = verify_store(path)
    assert not report.ok
    assert any(f.what == "decision" and f.decision == 1 for f in report.findings)


def test_forged_false_positive_row_is_never_applied(tmp_path: Path) -> None:
    path = tmp_path / "review.sqlite"
    with DecisionStore(path):
        pass
    forged = decide(PARTY, hit(), "false_positive", reviewer="mallory", reason="x", time=T0)
    key = forged.key
    record = json.dumps(forged.model_copy(update={"seq": 1}).model_dump(mode="json"))
    _attacker(
        path,
        "INSERT INTO decisions (seq, key_digest, party_fingerprint, list, entry_id, "
        "counterparty_id, record) VALUES (1, ?, ?, ?, ?, ?, ?)",
        params=(key.digest, key.party_fingerprint, key.list, key.entry_id, "P-1", record),
    )
    with DecisionStore(path) as store:
        reviewed = apply_decisions(result(PARTY, hit()), store, now=T0)
    assert reviewed.hits[0].state is HitState.UNVERIFIABLE
    assert reviewed.status is Status.ALERT
    findings = verify_store(path).findings
    assert any("names no audit record" in f.message and f.decision == 1 for f in findings)


def test_decision_index_columns_pointed_at_another_hit_are_not_applied(tmp_path: Path) -> None:
    """A legitimate false positive re-filed under another entry's key must not suppress it."""
    path = tmp_path / "review.sqlite"
    with DecisionStore(path) as store:
        store.record(decide(PARTY, hit(entry_id="e1"), "false_positive", reviewer="a", reason="r"))
    other = hit(entry_id="e2")
    with DecisionStore(path) as store:
        target = apply_decisions(result(PARTY, other), store).hits[0].key
    _attacker(
        path,
        "UPDATE decisions SET key_digest = ?, entry_id = 'e2'",
        params=(target.digest,),
    )
    with DecisionStore(path) as store:
        reviewed = apply_decisions(result(PARTY, other), store)
    assert reviewed.hits[0].state is HitState.UNVERIFIABLE
    assert any("lookup columns" in f.message for f in verify_store(path).findings)


def test_deleted_later_decision_row_is_reported(tmp_path: Path) -> None:
    """Deleting a later true match would let an earlier false positive apply again."""
    path = tmp_path / "review.sqlite"
    with DecisionStore(path) as store:
        store.record(decide(PARTY, hit(), "false_positive", reviewer="a", reason="r", time=T0))
        store.record(decide(PARTY, hit(), "true_match", reviewer="b", reason="r", time=T0))
    _attacker(path, "DELETE FROM decisions WHERE seq = 2")
    findings = verify_store(path).findings
    assert any("no decision row is proven by it" in f.message for f in findings)


# -- 2. checkpoints and recording times ------------------------------------------------------


def _screen_record(log: AuditLog, name: str = "Acme") -> None:
    log.append_many([screening_event([result(Party(name=name), hit())], actor="job")])


def test_checkpoint_holds_after_later_appends(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "review.sqlite"
    with AuditLog(path) as log:
        _screen_record(log)
        _screen_record(log)
    cp = tmp_path / "cp.json"
    assert main(["audit", "checkpoint", "--db", str(path), "--output", str(cp)]) == 0
    noted = json.loads(cp.read_text())
    with AuditLog(path) as log:  # the normal work of the next day
        _screen_record(log)
    capsys.readouterr()
    assert main(["audit", "verify", "--db", str(path), "--checkpoint", str(cp)]) == 0
    out = capsys.readouterr().out
    assert "checkpoint holds: record 2" in out
    assert "appended since, not covered by it: seq 3 screening by job" in out
    at = ["--head", noted["hash"], "--at", "2"]
    assert main(["audit", "verify", "--db", str(path), *at]) == 0
    assert main(["audit", "verify", "--db", str(path), "--head", noted["hash"]]) == 0
    assert main(["audit", "verify", "--db", str(path), "--head", noted["hash"], "--at", "3"]) == 1


def test_recording_time_is_the_machine_clock_not_the_stated_time(tmp_path: Path) -> None:
    path = tmp_path / "review.sqlite"
    before = datetime.now(UTC)
    stated = datetime(2020, 1, 1, tzinfo=UTC)
    with DecisionStore(path) as store:
        store.record(decide(PARTY, hit(), "escalate", reviewer="a", reason="r", time=stated))
        (record,) = list(store.audit.records()) if store.audit else []
    assert record.time == "2020-01-01T00:00:00Z"  # what the caller said
    assert record.recorded_at is not None
    assert datetime.fromisoformat(record.recorded_at.replace("Z", "+00:00")) >= before


def test_recording_times_going_backwards_are_reported(tmp_path: Path) -> None:
    from tests.review.tamper import rewrite_from

    path = tmp_path / "review.sqlite"
    with AuditLog(path) as log:
        for _ in range(3):
            _screen_record(log)
    rewrite_from(path, 3, lambda body: {**body, "recorded_at": "2001-01-01T00:00:00.000000Z"})
    report = verify_store(path)
    assert report.first_broken is None  # re-hashed: the chain itself holds...
    assert any(f.what == "recorded_at" and f.seq == 3 for f in report.findings)  # ...times do not


# -- 3. read-only verification -----------------------------------------------------------


def test_verify_and_export_of_a_missing_store_fail_and_create_nothing(
    tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    missing = tmp_path / "typo" / "review.sqlite"
    assert main(["audit", "verify", "--db", str(missing)]) == 2
    assert "no such database" in capsys.readouterr().err
    assert main(["audit", "export", "--db", str(missing)]) == 2
    assert main(["audit", "checkpoint", "--db", str(missing)]) == 2
    assert main(["review", "export", "--db", str(missing)]) == 2
    assert not missing.exists() and not missing.parent.exists()
    with pytest.raises(NotFoundError):
        verify_store(missing)


def test_verify_changes_nothing_and_reports_a_dropped_trigger(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "review.sqlite"
    with DecisionStore(path) as store:
        store.record(decide(PARTY, hit(), "escalate", reviewer="a", reason="r", time=T0))
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=DELETE")  # as a copied or restored file might be
    db.execute("DROP TRIGGER audit_records_no_delete")
    db.commit()
    db.close()
    digest = _file_digest(path)
    capsys.readouterr()
    assert main(["audit", "verify", "--db", str(path)]) == 1
    assert "trigger audit_records_no_delete is missing" in capsys.readouterr().err
    assert main(["audit", "export", "--db", str(path), "--output", str(tmp_path / "x")]) == 1
    assert _file_digest(path) == digest  # not re-created, not switched to WAL
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    triggers = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='trigger'")}
    assert "audit_records_no_delete" not in triggers
    # a writer opening the store does not erase the evidence either
    AuditLog(path).close()
    assert any("missing" in f.message for f in verify_store(path).findings)


# -- 4. suppression per counterparty -----------------------------------------------------


def test_one_counterpartys_false_positive_never_suppresses_a_namesake(tmp_path: Path) -> None:
    first = PARTY
    namesake = PARTY.model_copy(update={"id": "P-2"})  # same name, country and address
    with DecisionStore(tmp_path / "review.sqlite") as store:
        store.record(decide(first, hit(), "false_positive", reviewer="a", reason="r", time=T0))
        mine = apply_decisions(result(first, hit()), store, now=T0)
        theirs = apply_decisions(result(namesake, hit()), store, now=T0)
    assert mine.hits[0].state is HitState.SUPPRESSED and mine.status is Status.CLEAR
    assert theirs.hits[0].state is HitState.OPEN and theirs.status is Status.ALERT
    assert theirs.hits[0].notes == ()  # the other party's decision is not even a "lapsed" one


# -- 5./6. decisions in everyday use -------------------------------------------------------


def _screen(work: Path, *extra: str) -> tuple[int, list[dict[str, object]]]:
    out = work / "screen.jsonl"
    code = main(["screen", str(work / "parties.csv"), "--output", str(out), *extra])
    return code, [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def test_screen_applies_recorded_decisions_and_decide_does_not_rescreen(
    work: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    code, rows = _screen(work)
    assert code & 16
    hits = rows[0]["hits"]
    assert isinstance(hits, list)
    db = work / "data" / "review.sqlite"
    records_before = sqlite3.connect(db).execute("SELECT COUNT(*) FROM audit_records").fetchone()

    import compliance.screening.screener as screener_module

    def no_screening(*_a: object, **_k: object) -> None:
        raise AssertionError("review decide must not screen")

    with monkeypatch.context() as patched:
        patched.setattr(screener_module.Screener, "__init__", no_screening)
        for h in hits:  # every hit of row 2 decided a false positive
            entry = f"{h['list']}:{h['entry_id']}"
            args = ["review", "decide", str(work / "parties.csv"), "--row", "2", "--entry", entry]
            verdict = ["--verdict", "false_positive", "--reviewer", "alice", "--reason", "no"]
            assert main([*args, *verdict]) == 0
    records_after = sqlite3.connect(db).execute("SELECT COUNT(*) FROM audit_records").fetchone()
    assert records_after[0] - records_before[0] == len(hits)  # one audit record per decision

    capsys.readouterr()
    code, rows = _screen(work)
    err = capsys.readouterr().err
    assert code == 0  # every alert of the file decided: no review/alert exit bits
    assert rows[0]["status"] == "clear"
    assert all(h["review"]["state"] == "suppressed" for h in rows[0]["hits"])  # type: ignore[index,union-attr]
    assert [h["review"]["decision_id"] for h in rows[0]["hits"]] == list(  # type: ignore[index,union-attr]
        range(1, len(hits) + 1)
    )
    assert f"decisions: {len(hits)} hits suppressed by recorded decisions" in err
    assert "suppressed by decision #1 (false_positive by alice)" in err

    code, rows = _screen(work, "--ignore-decisions")
    assert code & 16 and all("review" not in h for h in rows[0]["hits"])  # type: ignore[union-attr]


def test_library_applies_nothing_without_a_review_store(tmp_path: Path) -> None:
    results = [result(PARTY, hit())]
    applied = apply_recorded_decisions(results, tmp_path / "none.sqlite")
    assert applied.store is None and list(applied.results) == results
    assert not (tmp_path / "none.sqlite").exists()


def test_forged_append_is_reported_as_appended_not_removed(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from tests.review.tamper import forge_append

    path = tmp_path / "review.sqlite"
    with AuditLog(path) as log:
        _screen_record(log)
        head = log.head()
    forge_append(path, {"kind": "note", "payload": {"x": 1}, "actor": "mallory"})
    capsys.readouterr()
    assert main(["audit", "verify", "--db", str(path), "--head", head]) == 0
    out = capsys.readouterr().out
    assert "removed" not in out
    assert "appended since, not covered by it: seq 2 note by mallory" in out


def test_malformed_export_line_is_named_by_its_line(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "review.sqlite"
    with AuditLog(path) as log:
        _screen_record(log)
        _screen_record(log)
    export = tmp_path / "audit.jsonl"
    assert main(["audit", "export", "--db", str(path), "--output", str(export)]) == 0
    lines = export.read_text().splitlines()
    export.write_text(lines[0] + "\n{not json\n" + lines[1] + "\n")
    capsys.readouterr()
    assert main(["audit", "verify", "--file", str(export)]) == 1
    err = capsys.readouterr().err
    assert "BROKEN at line 2: line 2 is not a JSON record" in err and "seq -1" not in err


# -- decisions written before this change ------------------------------------------------

_OLD_DECISIONS = """
CREATE TABLE decisions (
    seq INTEGER PRIMARY KEY, key_digest TEXT NOT NULL, party_fingerprint TEXT NOT NULL,
    list TEXT NOT NULL, entry_id TEXT NOT NULL, counterparty_id TEXT, record TEXT NOT NULL
);
CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions
BEGIN SELECT RAISE(ABORT, 'decisions are append-only: record a new decision instead'); END;
CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions
BEGIN SELECT RAISE(ABORT, 'decisions are append-only: record a new decision instead'); END;
"""


def test_legacy_decisions_are_linked_to_their_records_or_never_applied(tmp_path: Path) -> None:
    """A store written before decisions were chained: rows matching a decision record are
    linked once and keep applying to their counterparty; a row no record proves does not."""
    from compliance.review._canonical import canonical_json

    path = tmp_path / "review.sqlite"
    other = hit(entry_id="e2")
    legacy = []
    for seq, h in ((1, hit()), (2, other)):
        made = decide(PARTY, h, "false_positive", reviewer="a", reason="r", time=T0)
        old_key = made.key.model_copy(update={"counterparty_id": None})  # keys had no id
        legacy.append(made.model_copy(update={"key": old_key, "seq": seq}))
    with AuditLog(path) as log:  # only the first decision got its audit record
        log.append("decision", legacy[0].model_dump(mode="json"), actor="a", time=T0)
    db = sqlite3.connect(path)
    db.executescript(_OLD_DECISIONS)
    for d in legacy:
        db.execute(
            "INSERT INTO decisions VALUES (?, ?, ?, ?, ?, ?, ?)",
            (d.seq, d.key.digest, d.key.party_fingerprint, d.key.list, d.key.entry_id,
             d.counterparty_id, canonical_json(d.model_dump(mode="json"))),
        )  # fmt: skip
    db.commit()
    db.close()

    with DecisionStore(path) as store:
        first = apply_decisions(result(PARTY, hit()), store, now=T0).hits[0]
        second = apply_decisions(result(PARTY, other), store, now=T0).hits[0]
        namesake = PARTY.model_copy(update={"id": "P-2"})
        theirs = apply_decisions(result(namesake, hit()), store, now=T0).hits[0]
    assert first.state is HitState.SUPPRESSED
    assert second.state is HitState.UNVERIFIABLE
    assert theirs.state is HitState.OPEN
    findings = verify_store(path).findings
    assert [f.decision for f in findings if f.what == "decision"] == [2]
