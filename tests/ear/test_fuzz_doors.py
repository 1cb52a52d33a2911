"""Seeded fuzz of the EAR doors (issue 10, section 5: no Python traceback reaches a user).

Hostile mutations of the sourced suite's cases (``tests/ear/hostile_mutations.py``: one to
three fields replaced, dropped or added, or the JSON text itself damaged) go through
``POST /v1/evaluate`` (answer 200 with a determination, or 422 naming the problem; never 500),
through ``compliance evaluate`` on .json, .yaml and .jsonl files (each file's case decided or
reported in place with exit bit 32; never a traceback, never the fatal code 1) and through the
library (a case the model accepts is always evaluated without an exception).

The default run draws 300 mutations per door; under ``--hypothesis-profile thorough`` as many
as that profile's ``max_examples`` (3,000 unless HYPOTHESIS_THOROUGH_EXAMPLES says otherwise).
Each failure names its seed, index and the change, so it replays exactly.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient
from hypothesis import settings
from pydantic import ValidationError

from compliance.ear.case import Case
from compliance.ear.determination import Determination, evaluate
from tests.ear.hostile_mutations import json_text, load_raw_cases, mutations, text_mutation
from tests.ear.service_client import evaluate_client

RAW = load_raw_cases()
SEED = 20261208
KEY = "k-fuzz-ear4"


def _count() -> int:
    return max(300, settings.default.max_examples)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if type(value).__name__ == "Decimal":
        return str(value)
    return value


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with evaluate_client(tmp_path_factory.mktemp("svc-fuzz"), KEY) as c:
        yield c


def test_the_mutations_are_hostile_and_reproducible() -> None:
    first = [(n, c) for n, c, _ in mutations(RAW, 50, SEED)]
    assert first == [(n, c) for n, c, _ in mutations(RAW, 50, SEED)]
    accepted = 0
    for _, _, case in mutations(RAW, 200, SEED):
        try:
            Case.model_validate(case)
            accepted += 1
        except ValidationError:
            pass
    # a fuzz that only ever produced valid cases (or only invalid ones) would test one path
    assert 10 < accepted < 190, accepted


def test_http_answers_200_or_422_never_500(client: TestClient) -> None:
    rng = random.Random(SEED + 1)
    failures = []
    seen = {200: 0, 422: 0}
    for index, (name, change, case) in enumerate(mutations(RAW, _count(), SEED + 1)):
        body = json_text(case)
        if rng.random() < 0.2:
            body = text_mutation(body, rng)
            change += "; text damaged"
        headers = {"Content-Type": "application/json"}
        response = client.post("/v1/evaluate", content=body.encode("utf-8"), headers=headers)
        status = response.status_code
        if status not in seen:
            failures.append(f"#{index} {name}: {change}: {status} {response.text[:300]}")
            continue
        seen[status] += 1
        if status == 200:
            Determination.model_validate(response.json())
        else:
            detail = response.text
            assert detail and "Traceback" not in detail, (index, name, change, detail)
    assert not failures, "\n".join(failures[:20])
    assert seen[200] > 0 and seen[422] > 0, seen


def test_the_library_evaluates_every_case_the_model_accepts() -> None:
    failures = []
    for index, (name, change, case) in enumerate(mutations(RAW, _count(), SEED + 2)):
        try:
            parsed = Case.model_validate(case)
        except ValidationError:
            continue
        try:
            evaluate(parsed)
        except Exception as exc:  # every exception is the finding
            failures.append(f"#{index} {name}: {change}: {type(exc).__name__}: {exc}")
    assert not failures, "\n".join(failures[:20])


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_cli_never_prints_a_traceback(tmp_path: Path, fmt: str) -> None:
    rng = random.Random(SEED + 3)
    paths: list[Path] = []
    lines: list[str] = []
    for index, (_, _, case) in enumerate(mutations(RAW, _count(), SEED + 3)):
        kind = index % 3
        if kind == 0:
            text = json_text(case)
            if rng.random() < 0.2:
                text = text_mutation(text, rng)
            path = tmp_path / f"m{index}.json"
            path.write_text(text, encoding="utf-8")
            paths.append(path)
        elif kind == 1:
            text = yaml.safe_dump(_plain(case), sort_keys=False, allow_unicode=True)
            if rng.random() < 0.2:
                text = text_mutation(text, rng)
            path = tmp_path / f"m{index}.yaml"
            path.write_text(text, encoding="utf-8")
            paths.append(path)
        else:
            lines.append(json_text(case))
    batch = tmp_path / "batch.jsonl"
    batch.write_text("\n".join(lines) + "\n", encoding="utf-8")
    env = {**os.environ, "COMPLIANCE_PURE_PYTHON": os.environ.get("COMPLIANCE_PURE_PYTHON", "")}
    files = [*map(str, paths), str(batch)]
    done = subprocess.run(
        [sys.executable, "-m", "compliance", "evaluate", *files, "--format", fmt],
        capture_output=True,
        text=True,
        env=env,
    )
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    assert "Traceback" not in done.stdout
    # outcome bits only (8 subject, 16 indeterminate, 32 a case could not be read): never the
    # fatal code 1 or the usage code 2, which would mean one bad case lost the others
    assert done.returncode & ~(8 | 16 | 32) == 0, (done.returncode, done.stderr[-2000:])
    assert done.returncode & 32, "some mutated case must have been refused"
    if fmt == "json":
        records = [json.loads(line) for line in done.stdout.splitlines()]
        assert len(records) == len(paths) + len(lines)
        errors = [r for r in records if "error" in r]
        assert errors and len(errors) < len(records)
        for record in errors:
            assert record["error"].strip(), record
