from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from compliance.cli import main


def _alerts(work: Path, *extra: str) -> tuple[int, list[dict[str, object]]]:
    out = work / "alerts.jsonl"
    code = main(["review", "alerts", str(work / "parties.csv"), "--output", str(out), *extra])
    return code, [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def test_decide_suppresses_and_everything_is_audited(work: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, open_hits = _alerts(work)
    assert code & 16 and open_hits and {h["row"] for h in open_hits} == {2}
    target = next(h for h in open_hits if h["hit_status"] == "alert")
    entry = f"{target['list']}:{target['entry_id']}"
    args = [
        "review",
        "decide",
        str(work / "parties.csv"),
        "--row",
        "2",
        "--entry",
        entry,
        "--verdict",
        "false_positive",
        "--reviewer",
        "alice",
        "--reason",
        "not them",
        "--time",
        "2026-11-29T05:00:00Z",
    ]
    assert main(args) == 0
    _, after = _alerts(work)
    assert entry not in {f"{h['list']}:{h['entry_id']}" for h in after}
    assert len(after) == len(open_hits) - 1
    _, everything = _alerts(work, "--all")
    suppressed = [h for h in everything if h["state"] == "suppressed"]
    assert [f"{h['list']}:{h['entry_id']}" for h in suppressed] == [entry]
    assert suppressed[0]["decision"]["reviewer"] == "alice"  # type: ignore[index]

    capsys.readouterr()
    assert main(["audit", "verify"]) == 0
    # 3 screenings + 1 decision: 'decide' reads the recorded run, it does not screen again
    assert "audit chain OK: 4 records" in capsys.readouterr().out
    export = work / "audit.jsonl"
    assert main(["audit", "export", "--output", str(export)]) == 0
    kinds = [json.loads(line)["kind"] for line in export.read_text().splitlines()]
    assert kinds == ["screening", "decision", "screening", "screening"]
    assert main(["audit", "verify", "--file", str(export)]) == 0

    assert main(["review", "export", "--output", str(work / "d.jsonl")]) == 0
    (line,) = (work / "d.jsonl").read_text().splitlines()
    assert json.loads(line)["verdict"] == "false_positive"


def test_verify_names_the_first_broken_record(work: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    _alerts(work)
    _alerts(work)
    db = sqlite3.connect(work / "data" / "review.sqlite")
    db.execute("DROP TRIGGER audit_records_no_delete")
    db.execute("DELETE FROM audit_records WHERE seq = 1")
    db.commit()
    db.close()
    capsys.readouterr()
    assert main(["audit", "verify"]) == 1
    assert "BROKEN at record 1 (seq 2)" in capsys.readouterr().err
    assert main(["audit", "export", "--output", str(work / "x.jsonl")]) == 1
    assert not (work / "x.jsonl").exists()


def test_decide_errors_name_the_problem(work: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    base = [
        "review",
        "decide",
        str(work / "parties.csv"),
        "--verdict",
        "escalate",
        "--reviewer",
        "a",
        "--reason",
        "b",
    ]
    assert main([*base, "--row", "9", "--entry", "EL:x"]) == 2
    assert "no recorded screening of" in capsys.readouterr().err
    # a typo in --db: said so, and no empty database (nor its folder) left behind
    typo = work / "typo" / "review.sqlite"
    assert main([*base, "--row", "2", "--entry", "EL:x", "--db", str(typo)]) == 2
    assert f"{typo}: no such review database" in capsys.readouterr().err
    assert not typo.parent.exists()
    _alerts(work)
    assert main([*base, "--row", "9", "--entry", "EL:x"]) == 2
    assert "row 9: not found" in capsys.readouterr().err
    assert main([*base, "--row", "3", "--entry", "EL:x"]) == 2
    assert "row 3: no hit on EL:x (hits: none)" in capsys.readouterr().err
    assert main([*base, "--row", "2", "--entry", "ELx"]) == 2
    assert "LIST:ENTRY_ID" in capsys.readouterr().err


def test_ownership_command(work: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    (work / "owners.csv").write_text(
        "id,name,country\nP-1,Huawei Technologies Co Ltd,CN\nP-9,Plain Holding AG,CH\n",
        encoding="utf-8",
    )
    (work / "graph.csv").write_text(
        "owner,owned,percent\nP-1,SUB-A,60\nSUB-A,SUB-B,50\nP-9,SUB-C,100\nP-1,SUB-D,\n"
        "P-1,SUB-E,abc\n",
        encoding="utf-8",
    )
    out = work / "own.json"
    base = [
        "review",
        "ownership",
        str(work / "graph.csv"),
        "--parties",
        str(work / "owners.csv"),
        "--output",
        str(out),
    ]
    code = main([*base, "--on", "2025-10-01"])
    report = json.loads(out.read_text())
    status = {f["node"]: f["status"] for f in report["findings"]}
    assert status == {
        "P-1": "listed",
        "P-9": "clear",
        "SUB-A": "flagged",
        "SUB-B": "flagged",
        "SUB-C": "clear",
        "SUB-D": "unresolved",
    }
    assert code == 16 | 8
    assert "row 6, percent" in capsys.readouterr().err
    assert main([*base, "--on", "2026-03-01"]) == 0  # Affiliates rule suspended
    assert main([*base, "--on", "2026-12-01", "--affiliates-after", "suspended"]) == 0
    assert "unconfirmed" in capsys.readouterr().err
    assert main([*base, "--on", "2026-12-01"]) == 16 | 8
