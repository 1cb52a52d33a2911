"""``compliance screen`` end to end on the bundled excerpt: records, order, exit codes."""

from __future__ import annotations

import csv
import itertools
import json
from pathlib import Path

import pytest

from compliance.cli import main
from compliance.review.audit import AuditLog


@pytest.fixture(autouse=True)
def empty_store(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No snapshot in the data directory: the bundled excerpt is screened against."""
    monkeypatch.setenv("COMPLIANCE_DATA_DIR", str(tmp_path / "data"))


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_all_clear_exits_zero_with_one_record_per_row(tmp_path: Path) -> None:
    src = write(tmp_path / "in.csv", "id,name,country\n1,Nordic Mobile Networks AB,SE\n2,Acme,US\n")
    out = tmp_path / "out.jsonl"
    assert main(["screen", str(src), "--format", "jsonl", "--output", str(out)]) == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(r["row"], r["id"], r["status"], r["hits"]) for r in records] == [
        (2, "1", "clear", []),
        (3, "2", "clear", []),
    ]
    assert all(r["snapshots"][0]["is_excerpt"] for r in records)


def test_alert_and_bad_row_bits_and_pass_through(tmp_path: Path) -> None:
    src = write(
        tmp_path / "in.csv",
        "id,name,erp\nA,Huawei Technologies Co. Ltd,7\nB,,8\nC,Acme,9\n",
    )
    out = tmp_path / "out.csv"
    code = main(["screen", str(src), "--format", "csv", "--output", str(out), "--no-audit"])
    assert code & 16 and code & 32
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["id"], r["erp"], r["status"]) for r in rows] == [
        ("A", "7", "alert"),
        ("B", "8", "error"),
        ("C", "9", "clear"),
    ]
    assert rows[0]["top_list"] == "EL" and "1" in rows[0]["top_footnotes"].split(",")
    assert rows[1]["error"] == "row 3: field 'name': empty"


def test_unreadable_input_is_fatal(tmp_path: Path) -> None:
    assert main(["screen", str(tmp_path / "missing.csv"), "--no-audit"]) == 1


def test_threshold_out_of_range_is_a_usage_error(tmp_path: Path) -> None:
    src = write(tmp_path / "in.csv", "name\nAcme\n")
    assert main(["screen", str(src), "--threshold", "1.5", "--no-audit"]) == 2
    assert main(["screen", str(src), "--threshold", "0.95", "--alert-threshold", "0.9"]) == 2


def test_each_run_is_audited(tmp_path: Path) -> None:
    src = write(tmp_path / "in.csv", "name\nAcme\n")
    trail = tmp_path / "audit.sqlite"
    for _ in range(2):
        assert main(["screen", str(src), "--db", str(trail), "--format", "jsonl"]) == 0
    assert main(["audit", "verify", "--db", str(trail)]) == 0
    with AuditLog(trail) as log:
        records = list(log.records())
    # each run: its block record, then its closing record (review/run_records.py)
    assert [r.kind for r in records] == ["screening_block", "screening_run"] * 2
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(records))
    assert records[1].payload["blocks"] == [{"seq": 1, "hash": records[0].hash}]


def test_a_workbook_output_name_is_refused_before_screening(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """JSON Lines under an .xlsx name is a file the spreadsheet calls corrupt."""
    src = write(tmp_path / "in.csv", "name\nAcme\n")
    for name in ("out.xlsx", "OUT.XLS"):
        assert main(["screen", str(src), "--output", str(tmp_path / name), "--no-audit"]) == 2
        err = capsys.readouterr().err
        assert "not written as a workbook" in err and "screened" not in err
        assert not (tmp_path / name).exists()


def test_output_onto_the_input_file_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Found by a new user: the results silently replaced the parties file."""
    text = "id,name\n1,Acme\n"
    src = write(tmp_path / "in.csv", text)
    link = tmp_path / "link.csv"
    link.symlink_to(src)
    for target in (src, tmp_path / "." / "in.csv", link):
        assert main(["screen", str(src), "--output", str(target), "--no-audit"]) == 2
        assert "is the input file" in capsys.readouterr().err
    assert src.read_text(encoding="utf-8") == text
