"""A review database that is not a database any more (replaced, or its pages damaged): every
command that reads it says so, naming the file, and none shows a Python traceback.

Found by walking the CLI as a new user: each of these raised ``sqlite3.DatabaseError``."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from compliance.cli import main
from compliance.review.audit import AuditLog, screening_event
from compliance.review.decisions import DecisionStore, decide
from compliance.screening.results import Party

from .helpers import hit, result

PARTIES = "id,name,country\nP-1,Huawei Tech Co Ltd,CN\n"


def _garbage(path: Path) -> None:
    path.write_bytes(bytes(range(256)) * 20)


def _malformed(path: Path) -> None:
    """A real trail whose b-tree pages were overwritten: the header still reads."""
    with AuditLog(path) as log:
        for n in range(40):
            log.append_many([screening_event([result(Party(name=f"Co {n}"), hit())] * 5)])
    with DecisionStore(path) as store:
        for n in range(40):
            party = Party(name=f"Co {n}", id=f"P-{n}")
            store.record(decide(party, hit(), "false_positive", reviewer="a", reason="r"))
    db = sqlite3.connect(path)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    (page_size,) = db.execute("PRAGMA page_size").fetchone()
    (pages,) = db.execute("PRAGMA page_count").fetchone()
    db.close()
    data = bytearray(path.read_bytes())
    for page in range(1, pages):
        data[page * page_size : page * page_size + 8] = b"\xff" * 8
    path.write_bytes(bytes(data))


COMMANDS = {
    "audit verify": ["audit", "verify"],
    "audit export": ["audit", "export", "--output", "{tmp}/audit.jsonl"],
    "audit checkpoint": ["audit", "checkpoint"],
    "review export": ["review", "export"],
    "review alerts": ["review", "alerts", "{tmp}/parties.csv"],
    "review decide": [
        "review",
        "decide",
        "{tmp}/parties.csv",
        "--row",
        "2",
        "--entry",
        "EL:el-excerpt-001",
        "--verdict",
        "false_positive",
        "--reviewer",
        "a",
        "--reason",
        "b",
    ],
    "screen": ["screen", "{tmp}/parties.csv", "--output", "{tmp}/out.csv"],
    "screen --no-audit": ["screen", "{tmp}/parties.csv", "--no-audit"],
}


@pytest.mark.parametrize("damage", [_garbage, _malformed], ids=["replaced", "malformed"])
@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_damaged_review_database_is_named_never_a_traceback(
    command: str,
    damage: object,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    monkeypatch.setenv("COMPLIANCE_DATA_DIR", str(data))
    (tmp_path / "parties.csv").write_text(PARTIES, encoding="utf-8")
    store = data / "review.sqlite"
    damage(store)  # type: ignore[operator]
    before = store.read_bytes()
    code = main([a.replace("{tmp}", str(tmp_path)) for a in COMMANDS[command]])
    err = capsys.readouterr().err
    assert code in (1, 2)
    assert f"{store}: not a SQLite database, or a damaged one" in err
    assert store.read_bytes() == before  # nothing "repaired" or overwritten
    assert not (tmp_path / "out.csv").exists()
