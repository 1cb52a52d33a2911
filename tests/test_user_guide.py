"""The user guide's examples run: Python blocks in order, CLI lines through ``main``."""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path

import pytest

from compliance.cli import main

REPO = Path(__file__).resolve().parent.parent
GUIDE = REPO / "docs" / "user-guide.md"


def blocks(language: str) -> list[str]:
    text = GUIDE.read_text(encoding="utf-8")
    return re.findall(rf"```{language}\n(.*?)```", text, flags=re.DOTALL)


def test_python_examples_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    python = blocks("python")
    assert len(python) >= 5
    namespace: dict[str, object] = {}
    for number, code in enumerate(python, start=1):
        exec(compile(code, f"{GUIDE.name} python block {number}", "exec"), namespace)


def test_cli_examples_run(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(REPO)
    monkeypatch.setenv("COMPLIANCE_DATA_DIR", str(tmp_path / "data"))
    lines = [
        line[2:] for block in blocks("console") for line in block.splitlines() if line[:2] == "$ "
    ]
    assert lines
    for line in lines:
        argv = shlex.split(line)
        assert argv[0] == "compliance"
        argv = [a if a != "results.jsonl" else str(tmp_path / a) for a in argv[1:]]
        code = main(argv)
        # examples/parties.csv holds alerts and one bad row by design
        assert code & 16 and code & 32 and code & ~(8 | 16 | 32) == 0, (line, code)
    assert os.path.getsize(tmp_path / "results.jsonl") > 0
