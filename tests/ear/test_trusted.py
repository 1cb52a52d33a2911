"""``compliance.ear.trusted`` builds the same models as validation would.

It sets pydantic's per-instance state directly, so a pydantic release that changes that state
must fail here, loudly, rather than change determinations silently.
"""

from __future__ import annotations

import random
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from pydantic import BaseModel, ConfigDict

from compliance.ear.case import read_cases
from compliance.ear.determination import Determination, evaluate, to_json
from compliance.ear.trusted import trusted, trusted_many

REPO = Path(__file__).resolve().parents[2]


class Sample(BaseModel):
    model_config = ConfigDict(frozen=True)

    index: int
    value: Decimal
    reasons: tuple[str, ...]


def test_trusted_equals_validated() -> None:
    fields = {"index": 3, "value": Decimal("12.50"), "reasons": ("a", "b")}
    built = trusted(Sample, **fields)
    validated = Sample(**fields)
    assert built == validated
    assert hash(built) == hash(validated)
    assert built.model_dump_json() == validated.model_dump_json()
    assert built.model_fields_set == validated.model_fields_set
    with pytest.raises(Exception, match="frozen"):
        built.index = 4  # type: ignore[misc]


def test_trusted_many_equals_validated() -> None:
    rows = [{"index": i, "value": Decimal(i), "reasons": ()} for i in range(5)]
    assert trusted_many(Sample, [dict(r) for r in rows]) == tuple(Sample(**r) for r in rows)


def _round_trip(determination: Determination) -> None:
    """Re-validating the engine's output gives the same model and the same bytes."""
    again = Determination.model_validate(determination.model_dump())
    assert again == determination
    assert to_json(again) == to_json(determination)


@pytest.mark.parametrize("path", sorted((REPO / "examples" / "ear").glob("*.yaml")))
def test_examples_survive_revalidation(path: Path) -> None:
    for item in read_cases(path):
        assert item.case is not None, item.error
        _round_trip(evaluate(item.case))


def test_synthetic_bills_of_materials_survive_revalidation() -> None:
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        from ear_speed import synthetic_case
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    rng = random.Random(20261129)
    for index in range(40):
        _round_trip(evaluate(synthetic_case(rng, rng.randint(0, 60), index)))
