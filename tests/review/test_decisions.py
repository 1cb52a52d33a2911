from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pydantic import ValidationError

from compliance.errors import ConfigurationError
from compliance.review.audit import AuditLog
from compliance.review.decisions import DecisionStore, Verdict, decide
from compliance.review.suppression import HitState, apply_decisions
from compliance.screening.results import Party, Status

from .helpers import hit, result

T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
PARTY = Party(name="Acme Trading", id="P-1", country="CN")


@pytest.fixture
def store(tmp_path: Path) -> DecisionStore:
    return DecisionStore(tmp_path / "review.sqlite")


def _fp(store: DecisionStore, party: Party = PARTY, **kw: object) -> None:
    h = hit(**kw)  # type: ignore[arg-type]
    store.record(
        decide(party, h, Verdict.FALSE_POSITIVE, reviewer="alice", reason="other company", time=T0)
    )


def test_false_positive_suppresses_the_hit_and_clears_the_party(store: DecisionStore) -> None:
    _fp(store)
    reviewed = apply_decisions(result(PARTY, hit()), store, now=T0 + timedelta(days=1))
    assert reviewed.status is Status.CLEAR
    assert reviewed.result.status is Status.ALERT  # the raw result is kept as screened
    (h,) = reviewed.hits
    assert h.state is HitState.SUPPRESSED
    assert h.decision is not None and h.decision.reviewer == "alice" and h.decision.seq == 1


def test_suppression_is_for_that_counterparty_only(store: DecisionStore) -> None:
    _fp(store)
    other = Party(name="Acme Trading", id="P-2", country="HK")
    reviewed = apply_decisions(result(other, hit()), store, now=T0)
    assert reviewed.hits[0].state is HitState.OPEN
    assert reviewed.status is Status.ALERT


def test_changed_entry_brings_the_alert_back_with_a_note(store: DecisionStore) -> None:
    _fp(store)
    reviewed = apply_decisions(result(PARTY, hit(entry_hash="h2")), store, now=T0)
    (h,) = reviewed.hits
    assert h.state is HitState.OPEN and reviewed.status is Status.ALERT
    assert any("the list entry changed" in n for n in h.notes)


def test_changed_counterparty_brings_the_alert_back_with_a_note(store: DecisionStore) -> None:
    _fp(store)
    moved = PARTY.model_copy(update={"address": "new address"})
    (h,) = apply_decisions(result(moved, hit()), store, now=T0).hits
    assert h.state is HitState.OPEN
    assert any("screened fields changed" in n for n in h.notes)


def test_expired_false_positive_is_a_fresh_alert(store: DecisionStore) -> None:
    store.record(
        decide(
            PARTY,
            hit(),
            "false_positive",
            reviewer="alice",
            reason="r",
            time=T0,
            expires=T0 + timedelta(days=30),
        )
    )
    before = apply_decisions(result(PARTY, hit()), store, now=T0 + timedelta(days=29))
    after = apply_decisions(result(PARTY, hit()), store, now=T0 + timedelta(days=30))
    assert before.hits[0].state is HitState.SUPPRESSED
    assert after.hits[0].state is HitState.OPEN and after.status is Status.ALERT
    assert "expired" in after.hits[0].notes[0]


def test_new_decision_supersedes_and_old_stays_in_history(store: DecisionStore) -> None:
    _fp(store)
    store.record(
        decide(PARTY, hit(), Verdict.TRUE_MATCH, reviewer="bob", reason="confirmed", time=T0)
    )
    reviewed = apply_decisions(result(PARTY, hit()), store, now=T0)
    assert reviewed.hits[0].state is HitState.CONFIRMED
    assert reviewed.status is Status.ALERT
    history = store.history(reviewed.hits[0].key)
    assert [d.verdict for d in history] == [Verdict.FALSE_POSITIVE, Verdict.TRUE_MATCH]


def test_confirmed_review_level_hit_raises_the_party_to_alert(store: DecisionStore) -> None:
    h = hit(status=Status.REVIEW)
    store.record(decide(PARTY, h, Verdict.TRUE_MATCH, reviewer="bob", reason="same", time=T0))
    assert apply_decisions(result(PARTY, h), store, now=T0).status is Status.ALERT


def test_status_recomputed_from_unsuppressed_hits(store: DecisionStore) -> None:
    _fp(store)  # suppresses e1 (alert)
    review_hit = hit(entry_id="e2", status=Status.REVIEW)
    reviewed = apply_decisions(result(PARTY, hit(), review_hit), store, now=T0)
    assert reviewed.status is Status.REVIEW
    assert [h.state for h in reviewed.hits] == [HitState.SUPPRESSED, HitState.OPEN]
    assert [h.hit.entry_id for h in reviewed.open_hits] == ["e2"]


def test_escalated_hits_stay_open(store: DecisionStore) -> None:
    store.record(decide(PARTY, hit(), Verdict.ESCALATE, reviewer="a", reason="unsure", time=T0))
    reviewed = apply_decisions(result(PARTY, hit()), store, now=T0)
    assert reviewed.hits[0].state is HitState.ESCALATED
    assert reviewed.open_hits and reviewed.status is Status.ALERT


def test_decisions_cannot_be_updated_or_deleted(store: DecisionStore) -> None:
    _fp(store)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        store.db.execute("UPDATE decisions SET record = '{}'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        store.db.execute("DELETE FROM decisions")
    assert len(list(store.all())) == 1


def test_bad_decisions_are_refused() -> None:
    with pytest.raises(ValidationError, match="reviewer"):
        decide(PARTY, hit(), "false_positive", reviewer=" ", reason="r", time=T0)
    with pytest.raises(ValidationError, match="later than"):
        decide(PARTY, hit(), "false_positive", reviewer="a", reason="r", time=T0, expires=T0)
    with pytest.raises(ValidationError, match="only a false-positive"):
        decide(
            PARTY, hit(), "true_match", reviewer="a", reason="r", time=T0, expires=T0 + timedelta(1)
        )
    with pytest.raises(ValueError, match="maybe"):
        decide(PARTY, hit(), "maybe", reviewer="a", reason="r", time=T0)
    with pytest.raises(ValueError, match="time zone"):
        decide(PARTY, hit(), "escalate", reviewer="a", reason="r", time=datetime(2026, 1, 1))


def test_decision_and_audit_record_share_one_transaction(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "review.sqlite")
    store = DecisionStore(audit=log)
    store.record(decide(PARTY, hit(), "false_positive", reviewer="alice", reason="r", time=T0))
    (record,) = log.records()
    assert record.kind == "decision" and record.actor == "alice"
    assert record.time == "2026-11-01T09:00:00Z"
    assert record.payload["verdict"] == "false_positive"
    assert log.verify().ok


def test_decision_store_refuses_a_separate_audit_file(tmp_path: Path) -> None:
    """A decision must commit with its audit record, so both live in one file."""
    log = AuditLog(tmp_path / "audit.sqlite")
    with pytest.raises(ConfigurationError, match="must share one file"):
        DecisionStore(tmp_path / "decisions.sqlite", audit=log)


def test_export_is_canonical_json_lines_in_order(store: DecisionStore, tmp_path: Path) -> None:
    import io
    import json

    _fp(store)
    store.record(decide(PARTY, hit(), "true_match", reviewer="bob", reason="r2", time=T0))
    out = io.StringIO()
    assert store.export_jsonl(out) == 2
    lines = out.getvalue().splitlines()
    assert [json.loads(line)["seq"] for line in lines] == [1, 2]
    assert all(
        line
        == json.dumps(json.loads(line), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        for line in lines
    )
