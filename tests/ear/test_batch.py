"""Batch evaluation: same answers as one by one, in input order, in or out of process."""

from __future__ import annotations

import pytest
from ear_case_factory import build, line

from compliance.ear.determination import BatchError, evaluate, evaluate_many, to_json
from compliance.ear.eccn import EccnError, parse_eccn

CASES = [
    build({"case_id": "a", "destination": "RU", "bom": [line("300", "EAR99")]}),
    build({"case_id": "b", "destination": "DE"}),
    build({"case_id": "c", "destination": "KP", "bom": [line("101", "EAR99")]}),
    build({"case_id": "d", "destination": "MO", "item.eccn": "3B001.c"}),
]


def _bytes(results: list[object]) -> list[str]:
    out = []
    for r in results:
        assert not isinstance(r, BatchError), r
        out.append(to_json(r))  # type: ignore[arg-type]
    return out


def test_batch_matches_single_evaluation_in_order() -> None:
    expected = [to_json(evaluate(c)) for c in CASES]
    assert _bytes(list(evaluate_many(CASES))) == expected


def test_batch_in_worker_processes_gives_the_same_bytes() -> None:
    expected = [to_json(evaluate(c)) for c in CASES]
    assert _bytes(list(evaluate_many(CASES, workers=2, chunksize=1))) == expected


def test_workers_must_be_positive() -> None:
    with pytest.raises(ValueError, match="workers"):
        evaluate_many(CASES, workers=0)


def test_memoised_parser_still_rejects_bad_text_every_time() -> None:
    for _ in range(2):
        with pytest.raises(EccnError, match="product group"):
            parse_eccn("3Z001")
    assert parse_eccn(" 3a090 . A ") == parse_eccn("3A090.a")
