"""CCL license requirements (15 CFR 774 Supp. No. 1) applied through the Country Chart."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from compliance.ear.eccn import parse_eccn
from compliance.ear.reference import ccl
from compliance.ear.reference.ccl import (
    ISSUE_DATE,
    DestinationScope,
    LicenseRow,
    license_required,
    lookup,
    row_applies,
)

AC = "15 CFR 742.6(a)(6)(iii)(A)"
BC = "15 CFR 742.6(a)(6)(iii)(B)"


def test_issue_date() -> None:
    assert date(2026, 7, 23) <= ISSUE_DATE


def test_categories_3_4_5_and_named_eccns_are_carried() -> None:
    for eccn in (
        "3A001", "3A090", "3B001", "3B993", "3D001", "3E001", "3D901", "3E901",
        "3D992", "3D993", "3D994", "3E992", "3E993", "3E994", "4A090", "4D090",
        "4E091", "5A002", "5D002", "5E002", "5A992", "5D992", "0A919", "9A515",
        "9B515", "9D515", "9E515", "9A610",
    ):  # fmt: skip
        assert lookup(eccn) is not None, eccn
    assert lookup("EAR99") is None
    assert lookup("3A555") is None


def test_3a090_rows() -> None:
    entry = lookup("3A090.b")
    assert entry is not None
    assert entry.eccn == "3A090"
    assert entry.reasons_for_control == ("RS", "AT")
    rows = {r.applies_to_paragraphs: r for r in entry.license_rows}
    assert rows[("3A090.a",)].destinations is DestinationScope.ALL
    assert rows[("3A090.a",)].citation == AC
    assert rows[("3A090.b",)].destinations is DestinationScope.UAE_OR_D1_D4_D5_NOT_A5_A6
    assert rows[("3A090.c",)].destinations is DestinationScope.MACAU_OR_D5
    assert rows[None].columns == ("AT1",)
    assert not any(c.startswith("NS") for r in entry.license_rows for c in r.columns)
    assert (entry.lvs, entry.gbs) == (None, False)
    assert any("744.23" in s for s in entry.special_controls)
    assert any("742.6(a)(6)" in s for s in entry.special_controls)


@pytest.mark.parametrize(
    ("eccn", "country", "required", "reason"),
    [
        ("3A090.a", "DE", True, f"RS ({AC})"),
        ("3A090.b", "CN", True, f"RS ({BC})"),
        ("3A090.b", "AE", True, f"RS ({BC})"),
        ("3A090.b", "MO", True, f"RS ({BC})"),
        ("3A090.b", "DE", False, None),
        ("3A090.b", "IN", False, None),  # A:5 excluded
        ("3A090.b", "IL", False, None),  # D:4 but also A:6
        ("3A090.c", "MO", True, "RS (15 CFR 742.6(a)(6)(i)(B))"),
        ("3A090.c", "HK", True, "RS (15 CFR 742.6(a)(6)(i)(B))"),
        ("3A090.c", "AE", False, None),
    ],
)
def test_3a090_by_destination(eccn: str, country: str, required: bool, reason: str | None) -> None:
    check = license_required(eccn, country)
    assert check.required is required
    if reason:
        assert reason in check.reasons
        assert reason[4:-1] in check.citations
    else:
        assert check.reasons == ()


def test_3a090_without_a_paragraph_is_undecided() -> None:
    check = license_required("3A090", "CN")
    assert check.required is None
    assert any("3A090.a" in c for c in check.conditional)


@pytest.mark.parametrize(
    ("country", "cite"),
    [("Cuba", "746.2"), ("Iran", "746.7"), ("North Korea", "746.4"), ("Syria", "746.9")],
)
def test_ear99_to_embargoed_destinations_needs_a_part_746_license(country: str, cite: str) -> None:
    check = license_required("EAR99", country)
    assert check.required is False  # not under the Country Chart ...
    assert check.part_746_required is True  # ... but under part 746
    assert check.any_required is True
    assert any(t.startswith(f"15 CFR {cite}") for t in check.part_746)


def test_ear99_elsewhere() -> None:
    check = license_required("EAR99", "DE")
    assert (check.required, check.part_746, check.any_required) == (False, (), False)
    russia = license_required("EAR99", "RU")
    assert russia.part_746 == ()
    assert russia.part_746_required is None
    assert any("746.8" in t for t in russia.part_746_unknown)


def test_ccl_items_to_russia_need_a_part_746_license() -> None:
    check = license_required("3A991", "RU")
    assert check.required is False  # AT1 has no X on the Russia row
    assert any(t.startswith("15 CFR 746.8(a)(1)") for t in check.part_746)


def test_5a002_a5_versus_d1() -> None:
    germany = license_required("5A002.a", "DE")  # A:5
    china = license_required("5A002.a", "CN")  # D:1
    assert set(germany.reasons) == {"NS1", "EI (15 CFR 742.15)"}
    assert set(china.reasons) == {"NS1", "EI (15 CFR 742.15)"}
    z2_germany = license_required("5A002.z.2", "DE")
    z2_china = license_required("5A002.z.2", "CN")
    assert f"RS ({BC})" not in z2_germany.reasons
    assert f"RS ({BC})" in z2_china.reasons
    canada = license_required("5A002.a", "CA")
    assert canada.required is False


def test_9x515_y_and_600_series() -> None:
    for country in ("CN", "RU", "VE"):
        assert license_required("9A515.y", country).required is True
    assert license_required("9A515.y", "DE").required is False
    assert license_required("9A515.a", "DE").reasons == ("NS1", "RS1")
    generic = license_required("9A699.y.1", "CN")  # a 600 series number with no entry
    assert generic.required is True
    assert "generic 600_series" in generic.explanation
    entry = lookup("9A699")
    assert entry is not None
    assert entry.generic_class == "600_series"
    own = lookup("9A619")  # the whole CCL: 9A619 has its own entry
    assert own is not None
    assert own.generic_class is None
    assert license_required("9A619.y.1", "CN").reasons == ("RS (15 CFR 742.6(a)(7))",)


def test_0a919_and_0y521() -> None:
    check = license_required("0A919", "BR")
    assert check.reasons == ("RS1",)
    assert "15 CFR 742.6(a)(3)" in check.citations
    assert license_required("0A521", "CN").required is True
    assert license_required("0A521", "CA").required is False


def test_footnote_5_controls_depend_on_parties() -> None:
    check = license_required("3B993.f.1", "CN")
    assert check.required is False
    assert any("742.6(a)(11)" in c for c in check.conditional)


def test_gbs_eligibility_needs_group_b() -> None:
    brazil = license_required("3C005", "BR")
    assert (brazil.required, brazil.reasons, brazil.gbs_eligible) == (True, ("NS2",), True)
    china = license_required("3C005", "CN")
    assert (china.required, china.gbs_eligible) == (True, False)


def test_unknown_eccn() -> None:
    check = license_required("3A555", "DE")
    assert check.required is None
    assert "not in the bundled CCL" in check.explanation


def test_row_applies() -> None:
    row = LicenseRow(
        controls="NS applies to entire entry except 9A515.e, .x and .y",
        columns=("NS1",),
        excluded_paragraphs=("9A515.e", "9A515.x", "9A515.y"),
    )
    assert row_applies(row, "9A515.a") is True
    assert row_applies(row, "9A515.y") is False
    assert row_applies(row, "9A515") is None


def test_same_input_same_bytes() -> None:
    first = license_required("3A001.b.2", "Hong Kong").model_dump_json()
    assert first == license_required("3a001 . B . 2", "CN").model_dump_json()


_eccns = st.sampled_from(ccl.all_eccns())
_countries = st.sampled_from(["CN", "MO", "DE", "AE", "IN", "RU", "CU", "BR", "CA", "IL", "KP"])
_deeper = st.lists(st.sampled_from(["a", "b", "c", "y", "z", "1", "2", "f", "6"]), max_size=3)


@given(_eccns, _countries, _deeper)
def test_a_deeper_paragraph_never_loses_a_certain_requirement(
    eccn: str, country: str, deeper: list[str]
) -> None:
    parent = license_required(eccn, country)
    child = license_required(parse_eccn(eccn + "".join(f".{p}" for p in deeper)), country)
    if parent.required:
        assert child.required is True
        assert set(parent.reasons) <= set(child.reasons)


@given(_eccns, _countries)
def test_required_means_reasons_and_reasons_mean_required(eccn: str, country: str) -> None:
    check = license_required(eccn, country)
    assert bool(check.reasons) is (check.required is True)


def test_every_scope_has_a_description() -> None:
    for scope in DestinationScope:
        assert ccl.scope_description(scope)
    assert "Macau" in ccl.scope_description(DestinationScope.MACAU_OR_D5)


def test_no_gbs_where_part_746_applies() -> None:
    ukraine = license_required("3C005", "UA")
    crimea = license_required("3C005", "Crimea")
    assert (ukraine.reasons, ukraine.gbs_eligible) == (("NS2",), True)
    assert crimea.gbs_eligible is False
    assert any(t.startswith("15 CFR 746.6(a)") for t in crimea.part_746)
