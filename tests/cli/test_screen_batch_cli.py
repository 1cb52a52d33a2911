"""``compliance screen`` with the files users really have: no traceback, no lost work."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from compliance.cli import main

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def empty_store(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("COMPLIANCE_DATA_DIR", str(tmp_path / "data"))


def test_missing_output_folder_stops_before_screening(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "in.csv"
    src.write_text("id,name\n1,Acme\n", encoding="utf-8")
    code = main(["screen", str(src), "--output", str(tmp_path / "no" / "out.csv"), "--no-audit"])
    err = capsys.readouterr().err
    assert code == 2
    assert "folder" in err and "does not exist" in err
    assert "lists:" not in err  # nothing was loaded or screened


def test_duplicate_header_is_fatal_with_its_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "in.csv"
    src.write_text("id,name,name\n1,Acme,Huawei\n", encoding="utf-8")
    assert main(["screen", str(src), "--no-audit"]) == 1
    assert "duplicate column name 'name'" in capsys.readouterr().err


@pytest.mark.parametrize("workers", ["0", "-3", "many"])
def test_invalid_workers_are_usage_errors(tmp_path: Path, workers: str) -> None:
    src = tmp_path / "in.csv"
    src.write_text("id,name\n1,Acme\n", encoding="utf-8")
    assert main(["screen", str(src), "--workers", workers, "--no-audit"]) == 2


def test_output_file_summary_and_format_from_suffix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "in.csv"
    src.write_bytes(
        "id;name;note\n1;Huawei Technologies Co. Ltd;=1+1\n2;Société;x\n".encode("cp1252")
    )
    out = tmp_path / "out.csv"
    code = main(["screen", str(src), "--output", str(out), "--no-audit"])
    err = capsys.readouterr().err
    assert code == 16 | 32
    text = out.read_text(encoding="utf-8")
    assert text.startswith("id,name,note,row,status,")
    assert "'=1+1" in text and "undecodable byte 0xE9" in text
    summary = [line for line in err.splitlines() if line.startswith("screened ")]
    assert summary == [
        "screened 2 rows: 0 clear, 0 review, 1 alert, 1 error; lists: Excerpt of the BIS Entity "
        "List for demonstration - not a full screening (snapshot 4df54c1b0001); exit 48 = 16 "
        "(a row alerted) + 32 (a row could not be screened): a result for every row (README, "
        "'Exit codes')"
    ]
    assert main(["screen", str(src), "--encoding", "cp1252", "--output", str(out), "--no-audit"])
    assert "Société" in out.read_text(encoding="utf-8")


def test_readme_main_job_prints_a_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["screen", str(REPO / "examples" / "parties.csv"), "--no-audit"])
    out = capsys.readouterr().out
    assert code == 8 | 16 | 32
    assert out.splitlines()[0].split()[:3] == ["row", "status", "party"]
    assert "row 22: field 'name': empty" in out


BAD_CONTENTS = [
    b"",
    b"\x00\x01\x02\x03",
    b"\xff\xfe\x00",
    b"PK\x03\x04garbage",
    b'name\n"unterminated',
    b"\xef\xbb\xbf",
    b"id,name\n" + b"\xff" * 100,
    b'[{"name": {"deep": [1]}}, null, 3]',
    b"[" * 100_000 + b"]" * 100_000,  # deeper than Python's parser follows (walk4)
    b'[{"name": "Acme", "id": ' + b"9" * 5000 + b"}]",  # past int_max_str_digits (walk4)
    b"id,name\r1,Acme\r2,Huawei\r",  # classic Mac line ends (walk4)
]


@pytest.mark.parametrize("suffix", [".csv", ".json", ".jsonl", ".xlsx", ".txt"])
def test_no_exception_escapes_for_any_input_file(
    tmp_path: Path, suffix: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """An exception escaping ``main`` is what prints a traceback; none may, for any file."""
    for number, content in enumerate(BAD_CONTENTS):
        src = tmp_path / f"in{number}{suffix}"
        src.write_bytes(content)
        code = main(["screen", str(src), "--no-audit", "--format", "jsonl"])
        err = capsys.readouterr().err
        assert code in (0, 1, 8, 16, 24, 32, 40, 48, 56)
        assert "compliance screen: " in err or "screened " in err


def test_no_traceback_through_the_real_entry_point(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_bytes(b"id,name,name\n")
    done = subprocess.run(
        [sys.executable, "-m", "compliance", "screen", str(src), "--no-audit"],
        capture_output=True,
        text=True,
        env={"COMPLIANCE_DATA_DIR": str(tmp_path / "data"), "PATH": ""},
        check=False,
        timeout=120,
    )
    assert "Traceback" not in done.stderr
    assert done.returncode == 1 and "duplicate column name" in done.stderr
