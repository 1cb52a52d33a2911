"""The tamper suite: each attack on a copy of one review database, verified through the CLI
three ways (no checkpoint, a checkpoint kept elsewhere, a signed checkpoint).

The expected outcomes are the detection table of docs/review.md; a change to either must
change both. ``detected``: ``audit verify`` exits 1 naming the problem. ``listed``: exit 0, and
the records appended after the checkpoint are listed as not covered by it. ``missed``: exit 0.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from compliance.cli import main
from compliance.review.audit import AuditLog, screening_event
from compliance.review.decisions import DecisionStore, decide
from compliance.review.run_recorder import RunRecorder
from compliance.review.suppression import HitState, apply_decisions
from compliance.screening.results import Party

from . import tamper
from .helpers import hit, result

T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
PARTY = Party(name="Acme Trading", id="P-1", country="CN")


def _fp(decision: dict[str, object]) -> dict[str, object]:
    return {**decision, "verdict": "false_positive", "reason": "forged"}


def _forged_checkpoint(path: Path, work: Path) -> None:
    """Rewrite the chain, then replace both checkpoint files with ones that match it: a
    fresh unsigned one, and one signed with the attacker's own key."""
    tamper.edit_decision(path, 1, _fp, rehash=True)
    for name in ("cp.json", "signed.json"):
        (work / name).unlink()
    mallory = work / "mallory"
    mallory.mkdir(exist_ok=True)
    assert main(["audit", "keygen", "--private-key", str(mallory / "k"), "--public-key",
                 str(mallory / "k.pub")]) == 0  # fmt: skip
    db = ["--db", str(path)]
    assert main(["audit", "checkpoint", *db, "--output", str(work / "cp.json")]) == 0
    assert main(["audit", "checkpoint", *db, "--output", str(work / "signed.json"),
                 "--sign-key", str(mallory / "k")]) == 0  # fmt: skip


def _forged_decision(path: Path, work: Path) -> None:
    decision = decide(PARTY, hit(entry_id="e2"), "false_positive", reviewer="mallory", reason="x")
    tamper.forge_append(
        path,
        {"kind": "decision", "actor": "mallory"},
        decision=decision.model_dump(mode="json"),
    )


def _swap(path: Path, work: Path) -> None:
    tamper.run_sql(path, "UPDATE audit_records SET seq = -1 WHERE seq = 1")
    tamper.run_sql(path, "UPDATE audit_records SET seq = 1 WHERE seq = 2")
    tamper.run_sql(path, "UPDATE audit_records SET seq = 2 WHERE seq = -1")


def _forged_insert(path: Path, work: Path) -> None:
    for seq in (5, 4, 3, 2):  # make room at 2, highest first
        tamper.run_sql(path, f"UPDATE audit_records SET seq = {seq + 1} WHERE seq = {seq}")
    tamper.run_sql(
        path,
        "INSERT INTO audit_records (seq, hash, record) SELECT 2, hash, record "
        "FROM audit_records WHERE seq = 1",
    )


def _time_back(path: Path, work: Path) -> None:
    tamper.rewrite_from(
        path, 5, lambda body: {**body, "recorded_at": "2001-01-01T00:00:00.000000Z"}
    )


CASES: dict[str, tuple[Callable[[Path, Path], None], str, str, str]] = {
    # case: (attack, no checkpoint, checkpoint, signed checkpoint)
    "flip a byte": (lambda p, w: tamper.flip_byte(p, 2), "detected", "detected", "detected"),
    "edit a verdict, no re-hash": (
        lambda p, w: tamper.edit_decision(p, 1, _fp, rehash=False),
        "detected",
        "detected",
        "detected",
    ),
    "edit a verdict, re-hash the rest": (
        lambda p, w: tamper.edit_decision(p, 1, _fp, rehash=True),
        "missed",
        "detected",
        "detected",
    ),
    "delete a middle record": (
        lambda p, w: tamper.run_sql(p, "DELETE FROM audit_records WHERE seq = 2"),
        "detected",
        "detected",
        "detected",
    ),
    "delete the last record": (
        lambda p, w: tamper.run_sql(p, "DELETE FROM audit_records WHERE seq = 5"),
        "missed",
        "detected",
        "detected",
    ),
    "swap two records": (_swap, "detected", "detected", "detected"),
    "forged insert": (_forged_insert, "detected", "detected", "detected"),
    "forged append (a decision)": (_forged_decision, "missed", "listed", "listed"),
    "decision row edited": (
        lambda p, w: tamper.run_sql(
            p, "UPDATE decisions SET record = replace(record, 'true_match', 'false_positive')"
        ),
        "detected",
        "detected",
        "detected",
    ),
    "decision row forged (no record)": (
        lambda p, w: tamper.run_sql(
            p,
            "INSERT INTO decisions (seq, key_digest, party_fingerprint, list, entry_id, "
            "counterparty_id, record) SELECT 9, key_digest, party_fingerprint, list, entry_id, "
            "counterparty_id, record FROM decisions WHERE seq = 1",
        ),
        "detected",
        "detected",
        "detected",
    ),
    "append-only trigger dropped": (
        lambda p, w: tamper.drop_trigger(p, "decisions_no_update"),
        "detected",
        "detected",
        "detected",
    ),
    "recording time set back, re-hashed": (_time_back, "detected", "detected", "detected"),
    "chain rewritten and checkpoint replaced": (
        _forged_checkpoint,
        "missed",
        "missed",
        "detected",
    ),
}


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A review database of 5 records (4 screenings, 1 true-match decision) and keys."""
    work = tmp_path_factory.mktemp("tamper-base")
    path = work / "review.sqlite"
    with AuditLog(path) as log:
        for name in ("Acme Trading", "Other Co"):
            log.append_many([screening_event([result(Party(name=name), hit())], actor="job")])
    with DecisionStore(path) as store:
        store.record(decide(PARTY, hit(), "true_match", reviewer="bob", reason="same", time=T0))
    with AuditLog(path) as log:
        for name in ("Third Co", "Fourth Co"):
            log.append_many([screening_event([result(Party(name=name), hit())], actor="job")])
    keys = ["--private-key", str(work / "reviewer.key"), "--public-key", str(work / "reviewer.pub")]
    assert main(["audit", "keygen", *keys]) == 0
    return work


def _outcome(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    code = main(["audit", "verify", *args])
    out = capsys.readouterr().out
    if code == 1:
        return "detected"
    assert code == 0
    return "listed" if "appended since, not covered by it" in out else "missed"


@pytest.mark.parametrize("case", list(CASES))
def test_tamper_case(
    case: str, base: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    attack, *expected = CASES[case]
    assert _attacked(base / "review.sqlite", base, attack, tmp_path, capsys) == expected


def _attacked(
    source: Path,
    keys: Path,
    attack: Callable[[Path, Path], None],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> list[str]:
    """Copy ``source``, take both checkpoints, attack, verify three ways."""
    path = tmp_path / "review.sqlite"
    shutil.copyfile(source, path)
    db = ["--db", str(path)]
    assert _outcome(db, capsys) == "missed"  # the untouched copy verifies cleanly
    assert main(["audit", "checkpoint", *db, "--output", str(tmp_path / "cp.json")]) == 0
    sign = ["--sign-key", str(keys / "reviewer.key")]
    assert main(["audit", "checkpoint", *db, "--output", str(tmp_path / "signed.json"), *sign]) == 0

    attack(path, tmp_path)

    trusted = ["--public-key", str(keys / "reviewer.pub")]
    return [
        _outcome(db, capsys),
        _outcome([*db, "--checkpoint", str(tmp_path / "cp.json")], capsys),
        _outcome([*db, "--checkpoint", str(tmp_path / "signed.json"), *trusted], capsys),
    ]


# -- streamed screening runs (block records + a closing record, review/run_records.py) --------
# The streamed base: 1 screening record, a run of 3 blocks (seq 2, 3, 4; 5 rows, 2 per block)
# closed by seq 5, then 1 screening record (seq 6). Every attack re-hashes the chain, so the
# chain alone verifies; what finds it is the run check.


def _cleared(block: dict[str, Any]) -> dict[str, Any]:
    """The first result of a block turned from alert into clear, its hits dropped."""
    results = [dict(r) for r in block["payload"]["results"]]
    results[0] = {**results[0], "status": "clear", "hits": []}
    return {**block, "payload": {**block["payload"], "results": results}}


def _forged_block(path: Path, work: Path) -> None:
    import sqlite3

    with sqlite3.connect(path) as db:
        (text,) = db.execute("SELECT record FROM audit_records WHERE seq = 4").fetchone()
    block = _cleared(json.loads(text))["payload"]
    tamper.forge_append(
        path, {"kind": "screening_block", "actor": "mallory", "payload": {**block, "block": 3}}
    )


RUN_CASES: dict[str, tuple[Callable[[Path, Path], None], str, str, str]] = {
    "streamed run: closing record removed, re-hashed": (
        lambda p, w: tamper.delete_and_rechain(p, 5),
        "detected",
        "detected",
        "detected",
    ),
    "streamed run: a block removed, re-hashed": (
        lambda p, w: tamper.delete_and_rechain(p, 3),
        "detected",
        "detected",
        "detected",
    ),
    "streamed run: two blocks swapped, re-hashed": (
        lambda p, w: tamper.swap_and_rechain(p, 2, 3),
        "detected",
        "detected",
        "detected",
    ),
    "streamed run: a result edited (alert to clear), re-hashed": (
        lambda p, w: tamper.rewrite_from(p, 3, _cleared),
        "detected",
        "detected",
        "detected",
    ),
    "streamed run: a block appended after its closing record": (
        _forged_block,
        "detected",
        "detected",
        "detected",
    ),
    "streamed run: a block and its closing record rewritten to agree, re-hashed": (
        lambda p, w: tamper.rewrite_run(p, 3, 5, _cleared),
        "missed",
        "detected",
        "detected",
    ),
}


@pytest.fixture(scope="module")
def streamed_base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("tamper-streamed")
    path = work / "review.sqlite"
    with AuditLog(path) as log:
        log.append_many([screening_event([result(Party(name="Before Co"), hit())], actor="job")])
        recorder = RunRecorder(log, input_sha256="f" * 64, actor="job", block_rows=2)
        for n in range(5):
            recorder.add(result(Party(name=f"Party {n}", id=f"P-{n}"), hit()))
        recorder.close()
        log.append_many([screening_event([result(Party(name="After Co"), hit())], actor="job")])
    assert [r.kind for r in AuditLog(path).records()] == [
        "screening", *["screening_block"] * 3, "screening_run", "screening"
    ]  # fmt: skip
    return work


@pytest.mark.parametrize("case", list(RUN_CASES))
def test_streamed_run_tamper_case(
    case: str, base: Path, streamed_base: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    attack, *expected = RUN_CASES[case]
    source = streamed_base / "review.sqlite"
    assert _attacked(source, base, attack, tmp_path, capsys) == expected
    if expected[0] == "detected":  # the finding names the run
        main(["audit", "verify", "--db", str(tmp_path / "review.sqlite")])
        captured = capsys.readouterr()
        assert "run " in captured.out + captured.err


def test_a_detected_decision_tamper_is_never_acted_on(base: Path, tmp_path: Path) -> None:
    """The suppression step checks each decision itself, before any verify is run."""
    path = tmp_path / "review.sqlite"
    shutil.copyfile(base / "review.sqlite", path)
    tamper.edit_decision(path, 1, _fp, rehash=False)
    with DecisionStore(path) as store:
        (h,) = apply_decisions(result(PARTY, hit()), store).hits
    assert h.state is HitState.UNVERIFIABLE


def test_signed_checkpoint_file_edited_is_detected(
    base: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "review.sqlite"
    shutil.copyfile(base / "review.sqlite", path)
    signed = tmp_path / "signed.json"
    sign = ["--sign-key", str(base / "reviewer.key")]
    assert main(["audit", "checkpoint", "--db", str(path), "--output", str(signed), *sign]) == 0
    data = json.loads(signed.read_text())
    data["seq"] = 4
    signed.write_text(json.dumps(data))
    trusted = ["--public-key", str(base / "reviewer.pub")]
    capsys.readouterr()
    assert main(["audit", "verify", "--db", str(path), "--checkpoint", str(signed), *trusted]) == 1
    assert "signature does not verify" in capsys.readouterr().err


def test_exported_file_against_a_signed_checkpoint(
    base: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An auditor with the export, the signed checkpoint and the public key only."""
    path = tmp_path / "review.sqlite"
    shutil.copyfile(base / "review.sqlite", path)
    signed, export = tmp_path / "signed.json", tmp_path / "audit.jsonl"
    sign = ["--sign-key", str(base / "reviewer.key")]
    assert main(["audit", "checkpoint", "--db", str(path), "--output", str(signed), *sign]) == 0
    assert main(["audit", "export", "--db", str(path), "--output", str(export)]) == 0
    trusted = ["--public-key", str(base / "reviewer.pub")]
    check = ["audit", "verify", "--file", str(export), "--checkpoint", str(signed), *trusted]
    capsys.readouterr()
    assert main(check) == 0
    assert "checkpoint signature verified" in capsys.readouterr().out
    data = json.loads(signed.read_text())
    data["hash"] = "0" * 64
    signed.write_text(json.dumps(data))
    capsys.readouterr()
    assert main(check) == 1
    assert "signature does not verify" in capsys.readouterr().err
