"""``compliance lists`` end to end: update from loopback, status, diff, pin, import."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from compliance.cli import main

from .conftest import LoopbackServer, Route


def lists(store: Path, *args: str) -> int:
    return main(["lists", "--store", str(store), *args])


def test_update_status_diff_pin(
    loopback: LoopbackServer,
    tmp_path: Path,
    csl_2022: Path,
    csl_2026: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    store = tmp_path / "snapshots"
    upd = ["update", "--source", "trade.gov-csl", "--base-url", loopback.base_url, "--retries", "0"]
    loopback.serve("consolidated.csv", Route(body=csl_2022.read_bytes()))
    assert lists(store, *upd) == 0
    first = capsys.readouterr().out
    assert first.startswith("trade.gov-csl: published (snapshot ")
    old_id = first.split("snapshot ")[1].split(")")[0]

    loopback.serve("consolidated.csv", Route(body=csl_2026.read_bytes()))
    assert lists(store, *upd) == 1  # FSE vanished: refused
    refused = capsys.readouterr().out
    assert "refused" in refused and "list FSE: no entries" in refused
    # the refusal names the snapshot that stays in use, never as if it were the refused one
    assert refused.startswith(f"trade.gov-csl: refused; the last good snapshot {old_id} stays")
    assert lists(store, *upd, "--force", "--reason", "FSE retired") == 0
    new_id = capsys.readouterr().out.split("snapshot ")[1].split(")")[0]

    # a CSL-only site: the sources in use default to those with a snapshot, which is fresh
    assert lists(store, "status", "--json", "--now", "2026-11-29T06:00:00+00:00") == 0
    rows = {r["source"]: r for r in json.loads(capsys.readouterr().out)}
    csl = rows["trade.gov-csl"]
    assert csl["snapshot_id"] == new_id
    assert csl["counts"]["EL"] == 3420
    assert any("published with --force: FSE retired" in w for w in csl["warnings"])
    assert rows["ofac-sdn"]["snapshot_id"] is None  # never updated: reported, not hidden
    assert csl["in_use"] and not rows["ofac-sdn"]["in_use"]
    # a site that says it uses the SDN source too is told it is missing
    assert lists(store, "status", "--source", "trade.gov-csl", "--source", "ofac-sdn") == 1
    assert "no snapshot" in capsys.readouterr().out

    assert lists(store, "diff", "--source", "trade.gov-csl", "--format", "json") == 0
    diff = json.loads(capsys.readouterr().out)
    assert (diff["old_snapshot_id"], diff["new_snapshot_id"]) == (old_id, new_id)
    assert diff["totals"]["removed"] > 0 and diff["totals"]["added"] > 0

    assert lists(store, "pin", old_id[:8]) == 0
    assert capsys.readouterr().out.strip() == f"trade.gov-csl: pinned to {old_id}"
    assert lists(store, "status", "--json", "--now", "2022-05-10T00:00:00+00:00") == 0
    csl = {r["source"]: r for r in json.loads(capsys.readouterr().out)}["trade.gov-csl"]
    assert csl["snapshot_id"] == old_id and csl["pinned"] is True
    assert lists(store, "unpin", "trade.gov-csl") == 0
    capsys.readouterr()
    assert lists(store, "pin", "ffffffffffff") == 2


def test_status_warns_when_stale(
    loopback: LoopbackServer, tmp_path: Path, shared_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "snapshots"
    sample = shared_data / "lists" / "csl" / "current_format_sample" / "consolidated.csv"
    assert lists(store, "import", "--source", "trade.gov-csl", str(sample)) == 0
    capsys.readouterr()
    # a CSV states no publication date: the age counts from the import (retrieval) time
    assert lists(store, "status", "--json", "--now", "2099-01-01T00:00:00+00:00") == 1
    row = {r["source"]: r for r in json.loads(capsys.readouterr().out)}["trade.gov-csl"]
    assert row["age_basis"] == "imported; publication date unknown"
    assert row["age_days"] > 7
    assert any(w.startswith("STALE: imported") for w in row["warnings"])
    lists(store, "status", "--now", "2099-01-01T00:00:00+00:00")
    assert "older than the 7-day maximum" in capsys.readouterr().out


def test_update_unknown_source_is_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert lists(tmp_path, "update", "--source", "nope") == 2
    assert "unknown source(s): nope" in capsys.readouterr().err


def test_status_judges_the_configured_sources(
    tmp_path: Path,
    shared_data: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Defect 9: a CSL-only install is fresh (exit 0); configured sources are judged."""
    store = tmp_path / "snapshots"
    now = "--now"
    when = "2026-12-01T00:00:00+00:00"
    monkeypatch.delenv("COMPLIANCE_LIST_SOURCES", raising=False)
    assert lists(store, "status", now, when) == 1  # nothing stored, nothing configured
    assert "nothing to call fresh" in capsys.readouterr().err
    sample = shared_data / "lists" / "csl" / "current_format_sample" / "consolidated.csv"
    assert lists(store, "import", "--source", "trade.gov-csl", str(sample)) == 0
    out = capsys.readouterr().out
    assert "FSE" not in out  # retired: no longer expected, so no warning on every publish
    assert lists(store, "status", now, when) == 0
    assert "sources in use (the sources with a snapshot): trade.gov-csl" in capsys.readouterr().out
    assert lists(store, "status", now, when, "--source", "trade.gov-csl") == 0
    monkeypatch.setenv("COMPLIANCE_LIST_SOURCES", "trade.gov-csl, ofac-sdn")
    assert lists(store, "status", now, when) == 1
    assert "$COMPLIANCE_LIST_SOURCES" in capsys.readouterr().out
    assert lists(store, "status", now, when, "--source", "nope") == 2
    assert "unknown source(s) in --source: nope" in capsys.readouterr().err
