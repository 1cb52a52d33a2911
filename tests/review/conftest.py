"""Fixtures the review tests share: a working folder with a two-party input file and an
empty data directory (so the bundled Entity List excerpt is screened)."""

from __future__ import annotations

from pathlib import Path

import pytest

PARTIES = (
    "id,name,country,address\nP-1,Huawei Tech Co Ltd,CN,Shenzhen\nP-2,Plain Bakery GmbH,DE,Berlin\n"
)


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COMPLIANCE_DATA_DIR", str(tmp_path / "data"))  # empty: bundled excerpt
    (tmp_path / "parties.csv").write_text(PARTIES, encoding="utf-8")
    return tmp_path
