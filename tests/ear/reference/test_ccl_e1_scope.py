"""The AT rows of 1C350, 1C355 and 1C395 are prose, "to a country in Country Group E:1" (CCL
text as parsed from eCFR 2026-07-23, ../shared/data/ear ccl.json), not AT Column 1: checked on
every Country Chart destination (branch ear2). Carried as AT1 they also named AT for Cuba
(E:2), where the license comes from 15 CFR 746.2 instead."""

from __future__ import annotations

import pytest

from compliance.ear.case import Case
from compliance.ear.determination import evaluate
from compliance.ear.reference import country_groups
from compliance.ear.reference.countries import all_destinations


def chart_reason(eccn: str, destination: str) -> tuple[str, bool | None]:
    data = {
        "item": {"description": "kit", "eccn": eccn, "country_of_manufacture": "US"},
        "destination": destination,
        "export_date": "2026-03-01",
    }
    found = next(f for f in evaluate(Case.model_validate(data)).license_findings
                 if f.source == "Country Chart")  # fmt: skip
    return found.reason, found.required


@pytest.mark.parametrize("eccn", ["1C350.b", "1C355.a", "1C395.b"])
@pytest.mark.parametrize("destination", ["IR", "KP", "SY", "CU", "DE", "CN"])
def test_cwc_chemicals_at_row_reaches_e1_only(eccn: str, destination: str) -> None:
    reason, _required = chart_reason(eccn, destination)
    named_at = " AT" in reason.split(":", 1)[1]
    assert named_at is country_groups.in_group(destination, "E:1"), reason


def test_1c395_at_matches_e1_on_every_destination() -> None:
    for destination in sorted(all_destinations()):
        if destination == "US":
            continue
        reason, _ = chart_reason("1C395.b", destination)
        assert (" AT" in reason.split(":", 1)[1]) is country_groups.in_group(destination, "E:1"), (
            reason
        )
