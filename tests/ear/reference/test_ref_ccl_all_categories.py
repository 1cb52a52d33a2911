"""The whole Commerce Control List (15 CFR 774 Supp. No. 1, Categories 0-9): coverage, well-formed
data, and the answers an exporter asks of any ECCN (NS-controlled? AT-only? license to X?)."""

from __future__ import annotations

import pytest

from compliance.ear.eccn import parse_eccn
from compliance.ear.reference import ccl, country_chart
from compliance.ear.reference._data import ReferenceDataError, load
from compliance.ear.reference.ccl import ISSUE_DATE, RowScope, license_required, lookup

REASONS = {"NS", "MT", "NP", "CB", "CW", "RS", "FC", "CC", "AT", "UN", "SI", "SL", "EI", "SS", "FP"}
FROM_CHART = {"NS", "MT", "NP", "CB", "RS", "FC", "CC", "AT"}  # reasons with chart columns


def _ns(eccn: str) -> bool:
    entry = lookup(eccn)
    assert entry is not None, eccn
    return any(r.controls.startswith("NS ") for r in entry.license_rows)


def _at_only(eccn: str) -> bool:
    entry = lookup(eccn)
    assert entry is not None, eccn
    return entry.reasons_for_control == ("AT",)


def test_every_category_is_carried_and_dated() -> None:
    eccns = ccl.all_eccns()
    by_category = {str(c): [e for e in eccns if e[0] == str(c)] for c in range(10)}
    assert all(len(v) >= 20 for v in by_category.values()), {
        k: len(v) for k, v in by_category.items()
    }
    assert len(eccns) > 600
    for file in ccl.category_files():
        assert load(file)["issue_date"] == ISSUE_DATE


def test_entries_are_well_formed() -> None:
    for eccn in ccl.all_eccns():
        entry = lookup(eccn)
        assert entry is not None
        assert entry.eccn == eccn == parse_eccn(eccn).base
        assert entry.heading.strip(), eccn
        assert set(entry.reasons_for_control) <= REASONS, (eccn, entry.reasons_for_control)
        assert len(set(entry.reasons_for_control)) == len(entry.reasons_for_control), eccn
        if not entry.license_rows:
            assert entry.note, f"{eccn}: no table and no reason given"
        for row in entry.license_rows:
            code = row.controls.split(" ", 1)[0]
            assert code in entry.reasons_for_control, (eccn, row.controls)
            assert set(row.columns) <= set(country_chart.COLUMNS), (eccn, row.columns)
            assert all(c[:2] == code for c in row.columns), (eccn, row.controls, row.columns)
            if row.destinations is not None and row.scope is RowScope.PARAGRAPHS:
                assert row.citation and row.citation.startswith("15 CFR "), (eccn, row)
        chart_reasons = {c[:2] for r in entry.license_rows for c in r.columns}
        assert chart_reasons <= FROM_CHART, eccn


# (ECCN, NS-controlled, AT-only) samples from every category.
SAMPLES = [
    ("0A501.a", True, False),
    ("0A606.a", True, False),
    ("0A999", False, True),
    ("1A001", True, False),
    ("1C010.a", True, False),
    ("1C351", False, False),
    ("1C992", False, False),
    ("1C997", False, False),
    ("1C998", False, True),
    ("2B001.a", True, False),
    ("2B991", False, True),
    ("2B910", True, False),
    ("3A001.a", True, False),
    ("3A991", False, True),
    ("4A994", False, True),
    ("5A991", False, True),
    ("6A003.b.4", True, False),
    ("6A993", False, True),
    ("7A003", True, False),
    ("7A994", False, True),
    ("8A001", True, False),
    ("8A992", False, False),
    ("9A001", True, False),
    ("9A991", False, False),
    ("9A992", False, True),
    ("9E003.a.1", True, False),
]


@pytest.mark.parametrize(("eccn", "ns", "at_only"), SAMPLES)
def test_ns_and_at_only_answers(eccn: str, ns: bool, at_only: bool) -> None:
    assert _ns(eccn) is ns
    assert _at_only(eccn) is at_only


@pytest.mark.parametrize(
    ("eccn", "country", "required", "reasons"),
    [
        # NS2 only: China has an X, Germany none, Egypt an NS2 X
        ("1A001", "CN", True, ("NS2",)),
        ("1A001", "DE", False, ()),
        ("1A001", "EG", True, ("NS2",)),
        ("7A003", "CN", True, ("NS1", "MT1")),
        ("7A003", "FR", True, ("NS1", "MT1")),
        ("7A003", "CA", False, ()),
        # NP1 entries
        ("1C230", "CN", True, ("NP1",)),
        ("1C230", "GB", False, ()),
        # CB entries
        ("1C351.a", "CN", True, ("CB2",)),
        ("1C351.a", "FR", False, ()),  # Australia Group member: no CB2 X
        ("2B350", "CN", True, ("CB2",)),
        # 600 series and .y
        ("8A609.a", "BR", True, ("NS1", "RS1")),
        ("0A606.y", "CN", True, ("RS (15 CFR 742.6(a)(7))",)),
        ("0A606.y", "DE", False, ()),
        # worldwide controls of 89 FR 72926
        ("2B910", "JP", True, ("NS (15 CFR 742.4(a)(5))", "RS (15 CFR 742.6(a)(10))")),
        # SI (742.14): all destinations but Canada
        ("9E003.a.1", "CA", False, ()),
        ("9E003.a.1", "DE", True, ("NS1", "SI (15 CFR 742.14)")),
        # CC
        ("0A979", "BR", True, ("CC1",)),
        ("0A983", "CA", True, ("CC (15 CFR 742.7)",)),
    ],
)
def test_chart_answers(eccn: str, country: str, required: bool, reasons: tuple[str, ...]) -> None:
    check = license_required(eccn, country)
    assert check.required is required, check.explanation
    assert set(check.reasons) == set(reasons)


@pytest.mark.parametrize("eccn", ["7A994", "9A991", "2B991", "1C998", "6A993", "4A994"])
def test_at_only_items_china_versus_embargoed(eccn: str) -> None:
    """docs/ear-reference-data.md: AT columns carry no X on any graded row, so AT-only items need
    no Country Chart license to China; Iran, Syria, North Korea and Cuba are governed by part 746
    (x_in_box is True for them), and Russia by 746.8."""
    china = license_required(eccn, "CN")
    assert (china.required, china.part_746) == (False, ())
    assert china.any_required is False
    for country, cite in (("IR", "746.7"), ("SY", "746.9"), ("KP", "746.4"), ("CU", "746.2")):
        check = license_required(eccn, country)
        assert check.required is True, (eccn, country)
        assert any(c.startswith("AT") for c in check.reasons)
        assert any(t.startswith(f"15 CFR {cite}") for t in check.part_746)
    russia = license_required(eccn, "RU")
    assert russia.required is False
    assert any(t.startswith("15 CFR 746.8(a)(1)") for t in russia.part_746)


def test_prose_only_at_entries_reach_north_korea_only() -> None:
    # x999 entries: AT to North Korea and RS to Iraq, written in prose (742.19, 746.3)
    assert license_required("1C999", "KP").required is True
    assert license_required("1C999", "IQ").reasons == ("RS (15 CFR 746.3)",)
    assert license_required("1C999", "CN").required is False
    assert license_required("2B999.a", "PK").required is True
    assert license_required("2B999.h.2", "PK").required is False


def test_cw_rows_reach_cwc_non_states_parties() -> None:
    assert license_required("1C355", "IL").reasons == ("CW (15 CFR 742.18)",)
    assert license_required("1C355", "FR").required is False


def test_russia_industry_sector_rows() -> None:
    check = license_required("0A998", "RU")
    assert check.reasons == ("FP (15 CFR 746.8)",)
    assert license_required("0A998", "NO").required is False


def test_condition_rows_are_undecided_not_guessed() -> None:
    # 0A502: NS/RS only for shotguns with a barrel under 18 inches; the ECCN does not say
    check = license_required("0A502", "BR")
    assert check.required is True  # FC1 is certain for Brazil
    assert "FC1" in check.reasons
    assert any("barrel" in c for c in check.conditional)
    germany = license_required("0A502", "DE")
    assert germany.required is None
    assert any("barrel" in c for c in germany.conditional)


@pytest.mark.parametrize("eccn", ["9A005", "9A117", "7A117", "1A102", "0D001", "6A611", "1C988"])
def test_entries_without_a_table_say_why(eccn: str) -> None:
    entry = lookup(eccn)
    assert entry is not None
    assert entry.license_rows == ()
    check = license_required(eccn, "DE")
    assert check.required is None
    assert entry.note in check.explanation


def test_removed_nuclear_entries_are_not_carried() -> None:
    # Items under NRC jurisdiction (10 CFR part 110) are not on the CCL (no 0A001/0B001 entry).
    for eccn in ("0A001", "0B001", "0C001"):
        assert lookup(eccn) is None


def test_short_row_syntax_errors_name_the_row() -> None:
    with pytest.raises(ReferenceDataError, match="cannot read row"):
        ccl._short_row("NS 2", "1A001", "test")
    with pytest.raises(ReferenceDataError, match="empty paragraph"):
        ccl._short_row("NS1: a,", "1A001", "test")
    row = ccl._short_row("RS @cn_ru_ve [742.6(a)(7)]: y", "0A606", "test")
    assert row == {
        "controls": "RS applies to 0A606.y",
        "paragraphs": ["0A606.y"],
        "destinations": "cn_ru_ve",
        "citation": "15 CFR 742.6(a)(7)",
    }
    excluded = ccl._short_row("NS1 except: b, y", "0A606", "test")
    assert excluded["excluded"] == ["0A606.b", "0A606.y"]
    assert excluded["controls"] == "NS applies to entire entry except 0A606.b, 0A606.y"
