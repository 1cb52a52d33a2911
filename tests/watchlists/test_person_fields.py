"""Dates and places of birth and ID numbers read from CSL columns and OFAC remarks."""

from __future__ import annotations

from compliance.watchlists.readers.person_fields import birth_dates, csl_identifiers, remark_fields


def test_birth_dates() -> None:
    assert birth_dates("1973-03-25") == ("1973-03-25",)
    assert birth_dates("25 Mar 1973") == ("1973-03-25",)
    assert birth_dates("Mar 1973") == ("1973-03",)
    assert birth_dates("circa 1960") == ("1960",)
    assert birth_dates("1955 to 1957") == ("1955", "1956", "1957")
    assert birth_dates("unknown") == ()


def test_csl_ids_both_layouts_documents_only() -> None:
    ids = csl_identifiers(
        (
            "Passport, 836238033, KP",
            "PK, 2013-09-09, 2008-09-09, 4117921, Passport",
            "Gender, Male",
            "Email Address, hrm@example.com",
            "Secondary sanctions risk:, North Korea Sanctions Regulations, sections 510.201",
        )
    )
    assert [(i.kind, i.number, i.country) for i in ids] == [
        ("Passport", "836238033", "KP"),
        ("Passport", "4117921", "PK"),
    ]


def test_ofac_remarks() -> None:
    dates, places, ids = remark_fields(
        "DOB 19 Jun 1951; POB Giza, Egypt; Passport 1084010 (Egypt); alt. Passport 19820215; "
        "National ID No. 0071234567 (Iran) issued 2010; Gender Male; Operational leader."
    )
    assert dates == ("1951-06-19",)
    assert places == ("Giza, Egypt",)
    assert [(i.kind, i.number, i.country) for i in ids] == [
        ("Passport", "1084010", "Egypt"),
        ("Passport", "19820215", None),
        ("National ID No.", "0071234567", "Iran"),
    ]
