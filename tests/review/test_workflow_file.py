"""``screen_file_and_audit``: the review CLI's screen-then-audit step, as a library call."""

from __future__ import annotations

import hashlib
from pathlib import Path

from compliance.review.audit import AuditLog
from compliance.review.workflow import screen_file_and_audit
from compliance.screening.screener import Screener
from compliance.watchlists.bundled import bundled_excerpt


def test_every_row_screened_and_the_run_recorded_with_the_file_hash(tmp_path: Path) -> None:
    path = tmp_path / "parties.csv"
    path.write_text("id,name\nC-1,Huawei Technologies Co Ltd\nC-2,\nC-3,Acme Widgets\n", "utf-8")
    db = tmp_path / "review.sqlite"
    results = screen_file_and_audit(Screener([bundled_excerpt()]), path, db, actor="alice")
    assert [r.row for r in results] == [2, 3, 4]
    assert [r.error is not None for r in results] == [False, True, False]
    assert results[0].hits and not results[2].hits
    with AuditLog(db) as log:
        assert log.verify().ok
        (record,) = list(log.records())
    assert record.actor == "alice"
    assert record.payload["input_sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert [r["row"] for r in record.payload["results"]] == [2, 3, 4]
