"""3A069/3E069 (FR Doc. 2025-00723, effective 2025-01-16): NS2, RS to Macau or D:5, AT1."""

from __future__ import annotations

import pytest

from compliance.ear.reference.ccl import license_required, lookup


@pytest.mark.parametrize("eccn", ["3A069", "3A069.a", "3A069.b", "3E069"])
def test_carried_with_ns_rs_at(eccn: str) -> None:
    entry = lookup(eccn)
    assert entry is not None
    assert entry.gbs is False  # GBS excluded for RS destinations: carried conservatively


@pytest.mark.parametrize("eccn", ["3A069.a", "3E069"])
@pytest.mark.parametrize("destination", ["CN", "HK", "MO", "RU"])
def test_license_to_macau_and_d5(eccn: str, destination: str) -> None:
    check = license_required(eccn, destination)
    assert check.required is True
    assert "RS" in " ".join(check.reasons) or any("742.6(a)(1" in c for c in check.citations)


@pytest.mark.parametrize("eccn", ["3A069.a", "3E069"])
@pytest.mark.parametrize("destination", ["DE", "JP", "GB"])
def test_no_license_to_wassenaar_allies(eccn: str, destination: str) -> None:
    assert license_required(eccn, destination).required is False


def test_ns2_reaches_a_destination_outside_macau_and_d5() -> None:
    # Egypt carries an X under NS2 and is not in D:5: only the NS2 row can require a license.
    check = license_required("3A069.b", "EG")
    assert check.required is True
    assert "NS2" in check.reasons
