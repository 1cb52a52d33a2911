"""Files that are not what an option says end in one line and an exit code, never a
traceback (compliance/cli/__init__.py, the last guard)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from compliance.cli import main


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COMPLIANCE_DATA_DIR", str(tmp_path / "data"))
    (tmp_path / "p.csv").write_text("name\nAcme Trading\n", encoding="utf-8")
    (tmp_path / "notdb.sqlite").write_text("this is not a database\n" * 100, encoding="utf-8")
    (tmp_path / "junk.bin").write_bytes(bytes(range(128, 256)) * 8)
    return tmp_path


@pytest.mark.parametrize(
    "argv",
    [
        ["screen", "{d}/p.csv", "--db", "{d}/notdb.sqlite"],
        ["screen", "{d}/p.csv", "--db", "{d}/notdb.sqlite", "--no-audit"],
        ["review", "alerts", "{d}/p.csv", "--db", "{d}/notdb.sqlite"],
        ["review", "export", "--db", "{d}/notdb.sqlite"],
        ["audit", "verify", "--db", "{d}/notdb.sqlite"],
        ["audit", "verify", "--file", "{d}/junk.bin"],
        ["audit", "checkpoint", "--db", "{d}/notdb.sqlite"],
    ],
)
def test_no_traceback_reaches_the_user(
    files: Path, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code = main([a.replace("{d}", str(files)) for a in argv])
    err = capsys.readouterr().err
    assert code in (1, 2), err
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1].startswith(f"compliance {argv[0]}"), err


def test_a_non_database_is_named_as_such(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["screen", f"{files}/p.csv", "--db", f"{files}/notdb.sqlite"]) == 1
    assert "not a SQLite database" in capsys.readouterr().err


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any folder")
def test_an_unreadable_store(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = files / "store"
    (store / "x").mkdir(parents=True)
    store.chmod(0)
    try:
        code = main(["lists", "--store", str(store), "status"])
    finally:
        store.chmod(0o700)
    assert code in (1, 2) and "Traceback" not in capsys.readouterr().err


def test_a_bug_is_not_hidden(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only errors about the input are turned into a line; a programming error still raises."""
    import compliance.cli.lists as lists

    def broken(args: object) -> int:
        raise KeyError("a bug")

    monkeypatch.setattr(lists, "run_snapshots", broken)
    with pytest.raises(KeyError):
        main(["lists", "snapshots"])
