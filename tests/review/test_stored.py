"""Decisions applied to the counterparty store of ``compliance rescreen``."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from compliance.cli import main
from compliance.rescreen.store import CounterpartyStore
from compliance.review.decisions import DecisionStore, decide
from compliance.review.stored import reviewed_counterparties
from compliance.screening.results import Party, Status

from .helpers import hit, result

T0 = datetime(2026, 11, 29, tzinfo=UTC)


def _store(path: Path) -> list[Party]:
    parties = [Party(name="Acme Trading", id="P-2"), Party(name="Beta Ltd", id="P-1")]
    with CounterpartyStore(path) as store:
        store.add(parties)
        items = []
        for p in parties:
            cp = store.cp_of(p.id or "")
            assert cp is not None
            items.append((cp, result(p, hit(entry_id=f"e-{p.id}"))))
        store.save_results(items)
    return parties


def test_reviewed_counterparties_applies_decisions(tmp_path: Path) -> None:
    parties = _store(tmp_path / "cp.sqlite")
    decisions = DecisionStore(tmp_path / "r.sqlite")
    acme = parties[0]
    decisions.record(
        decide(acme, hit(entry_id="e-P-2"), "false_positive", reviewer="a", reason="r", time=T0)
    )
    with CounterpartyStore(tmp_path / "cp.sqlite") as store:
        reviewed = reviewed_counterparties(store, decisions, now=T0)
    assert [(r.result.party.id if r.result.party else None, r.status) for r in reviewed] == [
        ("P-1", Status.ALERT),
        ("P-2", Status.CLEAR),
    ]


def test_cli_alerts_and_decide_on_stored_results(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COMPLIANCE_DATA_DIR", str(tmp_path / "data"))
    _store(tmp_path / "cp.sqlite")
    store = ["--stored", "--counterparty-db", str(tmp_path / "cp.sqlite")]
    out = tmp_path / "a.jsonl"
    assert main(["review", "alerts", *store, "--output", str(out)]) == 16
    assert [json.loads(x)["id"] for x in out.read_text().splitlines()] == ["P-1", "P-2"]
    args = ["review", "decide", *store, "--id", "P-1", "--entry", "EL:e-P-1",
            "--verdict", "false_positive", "--reviewer", "a", "--reason", "r"]  # fmt: skip
    assert main(args) == 0
    assert main(["review", "alerts", *store, "--output", str(out)]) == 16
    assert [json.loads(x)["id"] for x in out.read_text().splitlines()] == ["P-2"]
    assert main(["review", "alerts", "--output", str(out)]) == 2  # neither INPUT nor --stored
