"""Destination normalisation: ISO-2 codes and names; Hong Kong is China; Macau stays Macau."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from compliance.ear.reference.countries import (
    UnknownCountryError,
    all_destinations,
    destination_note,
    display_name,
    normalize_destination,
)


@pytest.mark.parametrize("value", ["HK", "hk", "Hong Kong", "HONG KONG SAR", " hong-kong "])
def test_hong_kong_is_china_with_the_reason(value: str) -> None:
    assert normalize_destination(value) == "CN"
    note = destination_note(value)
    assert note is not None
    assert "85 FR 83765" in note
    assert "2020-12-23" in note


@pytest.mark.parametrize("value", ["MO", "Macau", "macao", "Macau SAR"])
def test_macau_is_its_own_destination(value: str) -> None:
    assert normalize_destination(value) == "MO"
    assert destination_note(value) is None


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("Korea, North", "KP"),
        ("north korea", "KP"),
        ("DPRK", "KP"),
        ("Korea, South", "KR"),
        ("Côte d’Ivoire", "CI"),
        ("Cote d'lvoire", "CI"),
        ("Türkiye", "TR"),
        ("Turkey", "TR"),
        ("Burma", "MM"),
        ("Myanmar", "MM"),
        ("Congo (Democratic Republic of the)", "CD"),
        ("Congo (Republic of the)", "CG"),
        ("Bahamas, The", "BS"),
        ("Saint Kitts & Nevis", "KN"),
        ("UK", "GB"),
        ("de", "DE"),
        ("China (PRC)", "CN"),
    ],
)
def test_names_and_codes(value: str, code: str) -> None:
    assert normalize_destination(value) == code


def test_covered_regions_of_ukraine_keep_their_own_codes() -> None:
    assert normalize_destination("Crimea") == "UA-43"
    assert normalize_destination("Luhansk") == "UA-09"
    assert normalize_destination("Ukraine") == "UA"


@pytest.mark.parametrize("value", ["Atlantis", "", "  ", "XX", "Korea"])
def test_unknown_destination_is_a_clear_error(value: str) -> None:
    with pytest.raises(UnknownCountryError, match="destination"):
        normalize_destination(value)


@given(st.sampled_from(sorted(all_destinations())))
def test_code_and_display_name_round_trip(code: str) -> None:
    assert normalize_destination(code) == code
    assert normalize_destination(code.lower()) == code
    assert normalize_destination(display_name(code)) == code
    assert normalize_destination("  " + display_name(code).upper() + " ") == code
