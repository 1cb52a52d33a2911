"""Streamed screening runs in the audit trail: block records, a closing record, the run check.

Memory is measured in benchmarks/batch_stream.py (``memory --audit``); here: the blocks are
written while the run is screened, the run reads back whole, old single-record runs still
read, and a run that is not whole is reported.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from compliance.cli import main
from compliance.errors import IntegrityError, InvalidInputError, NotFoundError
from compliance.review._canonical import parse_utc
from compliance.review.audit import AuditLog, input_fingerprint, verify_jsonl
from compliance.review.recorded import recorded_results, recorded_run
from compliance.review.run_recorder import RunRecorder, close_abandoned_run
from compliance.review.run_records import Fingerprint
from compliance.review.verify import verify_store
from compliance.review.workflow import record_screening
from compliance.screening.results import Party

from . import tamper
from .helpers import hit, result

SHA = "a" * 64

parties = st.one_of(
    st.none(),
    st.builds(
        Party,
        name=st.text(min_size=1, max_size=20).filter(str.strip),
        aliases=st.lists(st.text(max_size=8), max_size=3),
        country=st.one_of(st.none(), st.text(max_size=3)),
    ),
)


@given(st.lists(parties, max_size=12))
def test_fingerprint_fed_a_party_at_a_time_equals_the_whole_list_fingerprint(
    items: list[Party | None],
) -> None:
    running = Fingerprint()
    for party in items:
        running.add_party(party)
    assert running.hexdigest() == input_fingerprint(items)


def _run(path: Path, rows: int, *, block_rows: int = 2, close: bool = True) -> RunRecorder:
    with AuditLog(path) as log:
        recorder = RunRecorder(log, input_sha256=SHA, actor="job", block_rows=block_rows)
        for n in range(rows):
            screened = result(Party(name=f"Party {n}", id=f"P-{n}"), *([hit()] if n % 2 else []))
            recorder.add(screened.model_copy(update={"row": n + 2}))
        if close:
            recorder.close()
    return recorder


def test_blocks_are_written_while_the_run_is_screened(tmp_path: Path) -> None:
    path = tmp_path / "review.sqlite"
    with AuditLog(path) as log:
        recorder = RunRecorder(log, input_sha256=SHA, block_rows=2)
        for n in range(5):
            recorder.add(result(Party(name=f"Party {n}")))
        # before the close, the two full blocks are already committed: memory is one block
        with sqlite3.connect(path) as other:
            kinds = [json.loads(t)["kind"] for (t,) in other.execute("SELECT record FROM "
                                                                      "audit_records")]  # fmt: skip
        assert kinds == ["screening_block", "screening_block"]
        closing = recorder.close()
    assert closing.kind == "screening_run" and closing.seq == 4
    payload = closing.payload
    assert payload["rows"] == 5 and payload["complete"] is True
    assert [b["seq"] for b in payload["blocks"]] == [1, 2, 3]
    assert payload["input_fingerprint"] == input_fingerprint(
        [Party(name=f"Party {n}") for n in range(5)]
    )
    report = verify_store(path)
    assert report.ok and report.records == 4


def test_a_streamed_run_reads_back_whole_for_a_decision(tmp_path: Path) -> None:
    path = tmp_path / "review.sqlite"
    _run(path, 5)
    with AuditLog(path) as log:
        run = recorded_run(log.db, SHA)
    assert run.seq == 4 and run.complete
    assert [r.row for r in run.results] == [2, 3, 4, 5, 6]
    assert [r.party.id for r in run.results if r.party] == [f"P-{n}" for n in range(5)]


def test_a_single_record_run_still_reads_and_verifies(tmp_path: Path) -> None:
    """Stores written before streamed runs (and the page, service and review alerts)."""
    path = tmp_path / "review.sqlite"
    record_screening([result(Party(name="Old Co", id="X"), hit())], path, input_sha256=SHA)
    _run(path, 3)
    record_screening([result(Party(name="Old Co", id="X"), hit())], path, input_sha256="b" * 64)
    with AuditLog(path) as log:
        old = recorded_run(log.db, "b" * 64)
        new = recorded_run(log.db, SHA)
    assert [r.name for r in old.results] == ["Old Co"]
    assert len(new.results) == 3
    assert verify_store(path).ok


def test_a_run_without_its_closing_record_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "review.sqlite"
    recorder = _run(path, 5, close=False)  # killed: blocks 1 and 2 written, no close
    report = verify_store(path)
    assert not report.ok
    (finding,) = report.findings
    assert finding.what == "run" and recorder.run in finding.message
    assert "no closing record" in finding.message and "4 rows" in finding.message


def test_an_interrupted_run_is_closed_as_incomplete_and_verifies(tmp_path: Path) -> None:
    path = tmp_path / "review.sqlite"
    with AuditLog(path) as log:
        recorder = RunRecorder(log, input_sha256=SHA, block_rows=2)
        for n in range(3):
            recorder.add(result(Party(name=f"Party {n}")))
        closing = recorder.close(complete=False, interrupted="stopped: KeyboardInterrupt")
        run = recorded_run(log.db, SHA)
    assert closing.payload["complete"] is False
    assert closing.payload["interrupted"] == "stopped: KeyboardInterrupt"
    assert not run.complete and len(run.results) == 3
    assert verify_store(path).ok  # honest: the trail says the run stopped, and where


def test_reading_a_run_whose_block_was_removed_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "review.sqlite"
    _run(path, 5)
    tamper.delete_and_rechain(path, 2)
    with AuditLog(path) as log, pytest.raises(IntegrityError, match="block record"):
        recorded_run(log.db, SHA)


def test_an_exported_file_gets_the_run_check_too(tmp_path: Path) -> None:
    path = tmp_path / "review.sqlite"
    _run(path, 5)
    with AuditLog(path) as log:
        lines = [r.line() for r in log.records()]
    assert verify_jsonl(lines).ok
    # drop the closing line and re-chain nothing: the chain of lines 1-3 is intact
    report = verify_jsonl(lines[:-1])
    assert [f.what for f in report.findings] == ["run"]


def test_screen_cli_records_blocks_and_decide_reads_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The row decided on is in the second block of a streamed run."""
    monkeypatch.setenv("COMPLIANCE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr("compliance.review.run_recorder.BLOCK_ROWS", 2)
    src = tmp_path / "parties.csv"
    src.write_text(
        "id,name,country\nP-1,Plain Bakery GmbH,DE\nP-2,Other Bakery,DE\n"
        "P-3,Huawei Tech Co Ltd,CN\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    assert main(["screen", str(src), "--output", str(out)]) & 16
    assert "2 block records, closed by record 3" in capsys.readouterr().err
    alert = json.loads(out.read_text(encoding="utf-8").splitlines()[2])
    first = alert["hits"][0]
    args = ["review", "decide", str(src), "--row", "4", "--entry",
            f"{first['list']}:{first['entry_id']}", "--verdict", "false_positive",
            "--reviewer", "alice", "--reason", "not them"]  # fmt: skip
    assert main(args) == 0
    assert "recorded by screening run 3" in capsys.readouterr().err
    assert main(["audit", "verify"]) == 0
    capsys.readouterr()
    main(["screen", str(src), "--output", str(out)])
    entry = f"{first['list']}:{first['entry_id']}"
    assert f"row 4: {entry} suppressed by decision" in capsys.readouterr().err


def test_screen_cli_closes_an_interrupted_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COMPLIANCE_DATA_DIR", str(tmp_path / "data"))
    import compliance.io.batch as batch

    real = batch.screen_stream

    def interrupted(*args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        for n, item in enumerate(real(*args, **kwargs)):  # type: ignore[arg-type]
            if n == 1:
                raise KeyboardInterrupt
            yield item

    monkeypatch.setattr(batch, "screen_stream", interrupted)
    monkeypatch.setattr("compliance.cli.screen._DECISION_BLOCK", 1)
    src = tmp_path / "parties.csv"
    src.write_text("name\nAcme\nBeta\nGamma\n", encoding="utf-8")
    assert main(["screen", str(src), "--output", str(tmp_path / "out.csv")]) == 130
    assert list(tmp_path.glob("*out.csv*")) == []  # no half file, no temporary left
    with AuditLog(tmp_path / "data" / "review.sqlite") as log:
        closing = list(log.records())[-1]
    assert closing.kind == "screening_run" and closing.payload["complete"] is False
    assert closing.payload["rows"] == 1
    assert "KeyboardInterrupt" in closing.payload["interrupted"]
    assert verify_store(tmp_path / "data" / "review.sqlite").ok


def test_screen_cli_stops_before_screening_when_the_trail_cannot_be_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COMPLIANCE_DATA_DIR", str(tmp_path / "data"))
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    src = tmp_path / "parties.csv"
    src.write_text("name\nAcme\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    code = main(["screen", str(src), "--output", str(out), "--audit-log",
                 str(blocker / "review.sqlite")])  # fmt: skip
    assert code == 2
    err = capsys.readouterr().err
    assert "cannot open the audit trail" in err and "screened" not in err
    assert not out.exists()


def _streaming_run(tmp_path: Path) -> tuple[subprocess.Popen[str], Path]:
    """A real ``compliance screen`` of 40,000 rows, returned once its first block record and
    its partial output file exist (mid-run)."""
    src = tmp_path / "big.csv"
    src.write_text(
        "id,name\n" + "".join(f"P{i},Company number {i} Trading Ltd\n" for i in range(40_000)),
        encoding="utf-8",
    )
    out = tmp_path / "out.csv"
    env = {**os.environ, "COMPLIANCE_DATA_DIR": str(tmp_path / "data")}
    command = "import sys; from compliance.cli import main; sys.exit(main())"
    proc = subprocess.Popen(
        [sys.executable, "-c", command, "screen", str(src), "--output", str(out),
         "--workers", "1"],
        cwd=Path(__file__).resolve().parents[2], env=env, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    trail = tmp_path / "data" / "review.sqlite"

    def blocks_written() -> int:
        if not trail.is_file():
            return 0
        with sqlite3.connect(f"{trail.as_uri()}?mode=ro", uri=True) as db:
            try:
                (count,) = db.execute("SELECT count(*) FROM audit_records").fetchone()
            except sqlite3.OperationalError:  # the table is being created
                return 0
        return int(count)

    deadline = time.monotonic() + 120
    while not (blocks_written() and any(tmp_path.glob(".out.csv.*.partial"))):
        if proc.poll() is not None or time.monotonic() > deadline:
            _, err = proc.communicate(timeout=10)
            pytest.fail(f"nothing was streamed (exit {proc.returncode}): {err[-2000:]}")
        time.sleep(0.2)
    return proc, trail


def test_sigterm_stops_a_real_run_cleanly(tmp_path: Path) -> None:
    """``kill PID`` (a service manager stopping a job) mid-batch: exit 143 with a message, no
    file under the final name nor a temporary one, the audit run closed as incomplete."""
    proc, trail = _streaming_run(tmp_path)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 143, err
    assert "stopped by SIGTERM" in err and "Traceback" not in err
    assert list(tmp_path.glob("*out.csv*")) == []
    with AuditLog(trail) as log:
        closing = list(log.records())[-1]
    assert closing.kind == "screening_run" and closing.payload["complete"] is False
    assert 0 < closing.payload["rows"] < 40_000
    assert verify_store(trail).ok


def test_a_sigkilled_real_run_is_reported_then_closed_afterwards(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """SIGKILL leaves blocks and no closing record: verify says so and names the command;
    ``audit close-run`` answers it, and verify then passes."""
    proc, trail = _streaming_run(tmp_path)
    proc.kill()
    proc.communicate(timeout=60)
    report = verify_store(trail)
    (finding,) = report.findings
    assert "no closing record" in finding.message
    run = finding.message.split()[1].rstrip(":")
    with AuditLog(trail) as log:
        held = sum(len(r.payload["results"]) for r in log.records() if r.payload["run"] == run)
    reason = ["--reason", "killed by the OOM killer"]
    assert main(["audit", "close-run", run, "--db", str(trail), *reason, "--even-if-recent"]) == 0
    assert verify_store(trail).ok
    with AuditLog(trail) as log:
        closing = list(log.records())[-1]
    assert closing.payload["rows"] == held > 0 and closing.payload["complete"] is False
    capsys.readouterr()


def test_recorded_results_read_a_block_at_a_time_for_one_row(tmp_path: Path) -> None:
    """``review decide`` on a million-row run reads blocks until the row is found; a block
    it reads must still match the hash its closing record lists."""
    path = tmp_path / "review.sqlite"
    _run(path, 5)  # blocks at seq 1 (rows 2, 3), 2 (rows 4, 5), 3 (row 6)
    with AuditLog(path) as log:
        run = recorded_run(log.db, SHA, load=False)
        assert run.results == () and [seq for seq, _ in run.blocks] == [1, 2, 3]
        (one,) = recorded_results(log.db, run, row=4)
        (same,) = recorded_results(log.db, run, counterparty_id="P-2")
    assert one.row == 4 and one == same
    tamper.flip_byte(path, 3)  # the last block edited behind the library's back
    with AuditLog(path) as log:
        assert next(recorded_results(log.db, run, row=2)).row == 2  # found before block 3
        with pytest.raises(IntegrityError, match="block record 3 does not match its hash"):
            list(recorded_results(log.db, run, row=6))


def _rechain(bodies: list[dict[str, object]]) -> list[str]:
    """Exported lines of ``bodies`` renumbered and re-hashed: a chain that verifies alone."""
    from compliance.review._canonical import canonical_json, sha256_hex

    prev, lines = "0" * 64, []
    for seq, body in enumerate(bodies, start=1):
        fields = {**body, "seq": seq, "prev_hash": prev}
        fields.pop("hash", None)
        prev = sha256_hex(canonical_json(fields))
        lines.append(canonical_json({**fields, "hash": prev}))
    return lines


@given(
    rows=st.integers(min_value=1, max_value=7),
    block_rows=st.integers(min_value=1, max_value=3),
    data=st.data(),
)
def test_any_block_removed_or_moved_is_found_even_with_the_chain_rewritten(
    rows: int, block_rows: int, data: st.DataObject
) -> None:
    with AuditLog(":memory:") as log:
        recorder = RunRecorder(log, input_sha256=SHA, block_rows=block_rows)
        for n in range(rows):
            recorder.add(result(Party(name=f"Party {n}")))
        recorder.close()
        bodies = [json.loads(r.line()) for r in log.records()]
    assert verify_jsonl(_rechain(bodies)).ok
    blocks = [i for i, b in enumerate(bodies) if b["kind"] == "screening_block"]
    victim = data.draw(st.sampled_from(blocks))
    removed = [b for i, b in enumerate(bodies) if i != victim]
    report = verify_jsonl(_rechain(removed))
    assert report.first_broken is None and [f.what for f in report.findings] == ["run"]
    if len(blocks) > 1:
        moved = [*bodies]
        moved.insert(blocks[-1], moved.pop(blocks[0]))  # first block moved behind the others
        # (its recording time now goes backwards too: a second finding)
        assert "run" in [f.what for f in verify_jsonl(_rechain(moved)).findings]
    closing_dropped = verify_jsonl(_rechain(bodies[:-1]))
    assert "no closing record" in closing_dropped.findings[0].message


def _age(path: Path, minutes: int) -> datetime:
    """A moment ``minutes`` after the trail's last recording time (the run looks idle)."""
    with AuditLog(path) as log:
        last = [r.recorded_at for r in log.records()][-1]
    assert last is not None
    return parse_utc(last) + timedelta(minutes=minutes)


def test_a_killed_run_closed_afterwards_verifies_and_says_who_and_why(tmp_path: Path) -> None:
    path = tmp_path / "review.sqlite"
    recorder = _run(path, 5, close=False)  # killed after two full blocks (4 rows)
    assert not verify_store(path).ok
    with AuditLog(path) as log:
        closing = close_abandoned_run(
            log, recorder.run, reason="OOM-killed at 02:10", actor="ops", now=_age(path, 11)
        )
    payload = closing.payload
    assert payload["complete"] is False and payload["rows"] == 4
    assert payload["interrupted"] == "closed afterwards: OOM-killed at 02:10"
    assert payload["closed_afterwards"] == {"by": "ops", "reason": "OOM-killed at 02:10"}
    assert payload["input_sha256"] is None and closing.actor == "ops"
    assert [b["seq"] for b in payload["blocks"]] == [1, 2]
    report = verify_store(path)
    assert report.ok, report.findings  # the finding is answered in the trail


def test_closing_afterwards_recomputes_what_the_blocks_hold(tmp_path: Path) -> None:
    """The closing record is checked like any other: its counts and fingerprint are the
    blocks' own, so a normal close of the same rows would have said the same."""
    killed, whole = tmp_path / "killed.sqlite", tmp_path / "whole.sqlite"
    recorder = _run(killed, 4, close=False)
    done = _run(whole, 4)
    with AuditLog(killed) as log:
        late = close_abandoned_run(log, recorder.run, reason="lost", now=_age(killed, 60))
    normal = done.closed
    assert normal is not None
    for key in ("rows", "counts", "input_fingerprint", "snapshots", "library_version"):
        assert late.payload[key] == normal.payload[key], key


def test_close_run_refuses_what_it_must_not_close(tmp_path: Path) -> None:
    path = tmp_path / "review.sqlite"
    recorder = _run(path, 5, close=False)
    closed = _run(path, 3)
    with AuditLog(path) as log:
        with pytest.raises(InvalidInputError, match="may still be running"):
            close_abandoned_run(log, recorder.run, reason="gone?", now=_age(path, 1))
        with pytest.raises(InvalidInputError, match="reason is required"):
            close_abandoned_run(log, recorder.run, reason="  ", now=_age(path, 60))
        with pytest.raises(InvalidInputError, match="already closed"):
            close_abandoned_run(log, closed.run, reason="x", now=_age(path, 60))
        with pytest.raises(NotFoundError, match="no streamed run"):
            close_abandoned_run(log, "f" * 32, reason="x", now=_age(path, 60))
    with AuditLog(path) as log:  # 2 blocks of the killed run, 2 blocks + closing of the other
        assert len(list(log.records())) == 5  # nothing appended by any refusal


def test_close_run_refuses_a_broken_chain(tmp_path: Path) -> None:
    path = tmp_path / "review.sqlite"
    recorder = _run(path, 5, close=False)
    later = _age(path, 60)
    tamper.flip_byte(path, 1)
    with AuditLog(path) as log, pytest.raises(IntegrityError, match="broken"):
        close_abandoned_run(log, recorder.run, reason="x", now=later)


def test_audit_close_run_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "review.sqlite"
    recorder = _run(path, 5, close=False)
    assert main(["audit", "verify", "--db", str(path)]) == 1
    assert f"compliance audit close-run {recorder.run}" in capsys.readouterr().err
    # just written: refused as possibly still running, exit 2, nothing appended
    assert main(["audit", "close-run", recorder.run, "--db", str(path), "--reason", "x"]) == 2
    assert "may still be running" in capsys.readouterr().err
    assert main(["audit", "close-run", "nope", "--db", str(path), "--reason", "x"]) == 2
    args = ["audit", "close-run", recorder.run, "--db", str(path), "--reason", "host lost"]
    assert main([*args, "--even-if-recent", "--actor", "ops"]) == 0
    assert "closed as incomplete" in capsys.readouterr().err
    assert main(["audit", "verify", "--db", str(path)]) == 0
    assert main([*args, "--even-if-recent"]) == 2  # once only
