"""The one country table and its three views (issue 16, section 8)."""

from __future__ import annotations

import pytest

from compliance.ear.reference.countries import UnknownCountryError, all_destinations
from compliance.ear.reference.countries import normalize_destination as ear_code
from compliance.reference.countries import countries
from compliance.screening.countries import country_code as screening_code
from compliance.watchlists.readers.country_names import country_code as reader_code


def test_every_ear_destination_is_known_to_screening() -> None:
    for code in all_destinations():
        if "-" in code:  # covered regions of Ukraine (15 CFR 746.6): EAR-only
            continue
        assert screening_code(code) == code
        assert screening_code(countries()[code].name) == code


def test_codes_and_names() -> None:
    assert screening_code("Barbados") == "BB"
    assert screening_code("DEU") == "DE"
    assert screening_code("Korea, North") == "KP"
    assert screening_code("NA") == "NA"  # Namibia, not the "na" place of no country
    assert reader_code("Korea, North") == "KP"
    assert reader_code("Region: Kafia Kingi") is None
    assert countries()["DE"].alpha3 == "DEU"


def test_ear_never_guesses_what_lists_spell_loosely() -> None:
    assert ear_code("Korea, Republic of") == "KR"
    for loose in ("Korea", "Region: Crimea"):
        assert screening_code(loose) is not None
        with pytest.raises(UnknownCountryError):
            ear_code(loose)
    assert ear_code("Crimea") == "UA-43"
    assert ear_code("Hong Kong") == "CN"
