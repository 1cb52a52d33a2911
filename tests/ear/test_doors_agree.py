"""Issue 10 walked through every door (branch ear3): each case of the sourced suite
(tests/ear/cases) gets the same determination from the Python API, from ``compliance evaluate``
on the case written as JSON, JSON Lines and YAML, and from ``POST /v1/evaluate`` in process.

The service screens every party whose Entity List status is not given, so its answer is
compared with the library's given the same list (the bundled Entity List excerpt).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient

from compliance.ear.case import Case
from compliance.ear.determination import evaluate, to_json
from compliance.watchlists.bundled import bundled_lists_dir
from tests.ear.hostile_mutations import load_raw_cases
from tests.ear.service_client import evaluate_client

KEY = "k-doors-ear3"


RAW = load_raw_cases()


def _plain(value: Any) -> Any:
    """The case as JSON text carries it: exact decimals as numbers, dates as text."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def _json_text(raw: dict[str, Any]) -> str:
    def default(value: object) -> object:
        if isinstance(value, Decimal):
            return _Number(value)
        raise TypeError(type(value))

    text = json.dumps(_plain(raw), default=default)
    return text.replace('"\x00', "").replace('\x00"', "")


class _Number(str):
    """A Decimal written as a JSON number (json.dumps writes it quoted; the quotes are
    stripped by their NUL markers)."""

    def __new__(cls, value: Decimal) -> _Number:
        return super().__new__(cls, f"\x00{value}\x00")


def _library(name: str) -> str:
    return to_json(evaluate(Case.model_validate(RAW[name])))


def test_the_suite_is_not_empty() -> None:
    assert len(RAW) >= 100


def test_cli_files_give_the_librarys_bytes(tmp_path: Path) -> None:
    paths = []
    for name, raw in RAW.items():
        as_json = tmp_path / f"{name}.json"
        as_json.write_text(_json_text(raw), encoding="utf-8")
        as_yaml = tmp_path / f"{name}.yaml"
        as_yaml.write_text(yaml.safe_dump(_plain(raw), sort_keys=False), encoding="utf-8")
        paths += [as_json, as_yaml]
    lines = tmp_path / "all.jsonl"
    lines.write_text("\n".join(_json_text(r) for r in RAW.values()) + "\n", encoding="utf-8")
    cmd = [sys.executable, "-m", "compliance", "evaluate", *map(str, paths), str(lines)]
    env = {**os.environ, "COMPLIANCE_PURE_PYTHON": os.environ.get("COMPLIANCE_PURE_PYTHON", "")}
    done = subprocess.run([*cmd, "--format", "json"], capture_output=True, text=True, env=env)
    assert "Traceback" not in done.stderr, done.stderr
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(records) == 3 * len(RAW)
    names = list(RAW) * 1
    expected = [json.loads(_library(n)) for n in names]
    by_file = records[: 2 * len(RAW)]
    for i, name in enumerate(names):
        for record in by_file[2 * i : 2 * i + 2]:
            assert "error" not in record, record
            assert record["determination"] == expected[i], (name, record["source"])
    for i, record in enumerate(records[2 * len(RAW) :]):
        assert record["determination"] == expected[i], record["source"]


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with evaluate_client(tmp_path_factory.mktemp("svc"), KEY) as c:
        yield c


@pytest.fixture(scope="module")
def screener() -> Any:
    from compliance.screening.persist import load_or_build_screener

    return load_or_build_screener(lists=[bundled_lists_dir() / "entity_list_excerpt.csv"]).screener


@pytest.mark.parametrize("name", sorted(RAW))
def test_http_gives_the_librarys_determination(
    client: TestClient, screener: Any, name: str
) -> None:
    response = client.post(
        "/v1/evaluate",
        content=_json_text(RAW[name]),
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 200, response.text
    expected = evaluate(Case.model_validate(RAW[name]), screener=screener)
    assert response.json() == json.loads(to_json(expected))
