"""Commerce Country Chart (15 CFR 738 Supp. No. 1): X cells, embargo pointers, footnotes."""

from __future__ import annotations

from datetime import date

import pytest

from compliance.ear.reference import country_chart
from compliance.ear.reference.countries import all_destinations
from compliance.ear.reference.country_chart import (
    COLUMNS,
    ISSUE_DATE,
    UnknownColumnError,
    columns_with_x,
    embargo_note,
    footnotes,
    is_embargoed,
    x_in_box,
)


def test_issue_date_and_columns() -> None:
    assert date(2026, 7, 23) <= ISSUE_DATE
    assert COLUMNS == (
        "CB1", "CB2", "CB3", "NP1", "NP2", "NS1", "NS2", "MT1",
        "RS1", "RS2", "FC1", "CC1", "CC2", "CC3", "AT1", "AT2",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("country", "column", "expected"),
    [
        ("CN", "NS2", True),
        ("Hong Kong", "NS2", True),
        ("MO", "RS2", True),
        ("DE", "NS1", True),
        ("DE", "NS2", False),
        ("DE", "RS2", False),
        ("IN", "RS2", False),
        ("AE", "NS2", True),
        ("CA", "NS1", False),
        ("CA", "FC1", True),
        ("BR", "FC1", True),
        ("DE", "FC1", False),
        ("RU", "CC2", True),
        ("CN", "CC3", True),
        ("AU", "NS1", False),
        ("CN", "NP2", True),
        ("MO", "NP2", True),
    ],
)
def test_cells(country: str, column: str, expected: bool) -> None:
    assert x_in_box(country, column) is expected


def test_column_names_are_forgiving_but_checked() -> None:
    assert x_in_box("CN", "NS 2")
    with pytest.raises(UnknownColumnError, match="RS3"):
        x_in_box("CN", "RS3")


def test_at_columns_are_blank_on_every_graded_row() -> None:
    graded = [c for c in all_destinations() if c != "US" and not is_embargoed(c)]
    assert graded
    for code in graded:
        assert "AT1" not in columns_with_x(code), code
        assert "AT2" not in columns_with_x(code), code


@pytest.mark.parametrize(
    ("country", "cite"),
    [("Cuba", "746.2"), ("Iran", "746.7"), ("North Korea", "746.4"), ("Syria", "746.9")],
)
def test_embargoed_destinations_point_to_part_746(country: str, cite: str) -> None:
    assert is_embargoed(country)
    note = embargo_note(country)
    assert note is not None
    assert f"15 CFR {cite}" in note
    assert columns_with_x(country) == ()
    # No graded row: every column counts as requiring a license (part 746 is wider).
    assert x_in_box(country, "AT1")


@pytest.mark.parametrize(
    ("country", "cite"), [("RU", "746.8"), ("Belarus", "746.8"), ("Crimea", "746.6")]
)
def test_part_746_on_top_of_a_graded_row(country: str, cite: str) -> None:
    assert not is_embargoed(country)
    note = embargo_note(country)
    assert note is not None
    assert f"15 CFR {cite}" in note


def test_no_note_for_ordinary_destinations() -> None:
    assert embargo_note("DE") is None
    assert embargo_note("Ukraine") is None


def test_footnotes_carry_their_number_and_citation() -> None:
    (india,) = footnotes("IN")
    assert india.startswith("Footnote 7:")
    assert "9A515.e" in india
    assert any("742.6(a)(3)" in f for f in footnotes("DE"))
    assert footnotes("BR") == ()


def test_territories_take_the_row_they_are_referred_to() -> None:
    assert columns_with_x("LI") == columns_with_x("CH")
    assert country_chart.chart_row("Cayman Islands") == "GB"


def test_unknown_destination_row() -> None:
    with pytest.raises(country_chart.NoChartRowError, match="no row"):
        x_in_box("US", "NS1")
