"""De minimis (15 CFR 734.4, Supp. No. 2 to part 734): thresholds, counting, 0 % categories."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from ear_case_factory import build, line
from hypothesis import given, settings
from hypothesis import strategies as st

from compliance.ear.de_minimis import LineStatus, Verdict, evaluate_de_minimis
from compliance.ear.fdp.base import Outcome


def counted(value: str, **extra: Any) -> dict[str, Any]:
    """A U.S.-origin line the caller has classified as controlled content."""
    return line(value, "3A001.a.7", license_override={"counts": True, "reason": "NS2"}, **extra)


def verdict(changes: dict[str, Any], fn5: Outcome = Outcome.NOT_MET) -> Verdict:
    return evaluate_de_minimis(build(changes), fn5).verdict


def zero(changes: dict[str, Any], paragraph: str, fn5: Outcome = Outcome.NOT_MET) -> Outcome:
    result = evaluate_de_minimis(build(changes), fn5)
    return next(z.outcome for z in result.zero_categories if z.paragraph == paragraph)


# --- thresholds ------------------------------------------------------------------------------


def test_exactly_25_percent_is_not_subject() -> None:
    result = evaluate_de_minimis(build({"bom": [counted("250.00")]}))
    assert result.verdict is Verdict.NOT_SUBJECT
    assert result.percentage == Decimal("25.0000")
    assert result.threshold_percent == 25 and result.threshold_citation == "15 CFR 734.4(d)"


def test_25_01_percent_is_subject() -> None:
    assert verdict({"bom": [counted("250.10")]}) is Verdict.SUBJECT


def test_a_hair_above_25_percent_is_subject_although_rounding_shows_25() -> None:
    result = evaluate_de_minimis(build({"item.price": "3", "bom": [counted("0.75000001")]}))
    assert result.verdict is Verdict.SUBJECT


def test_exactly_10_percent_to_north_korea_is_not_subject_and_above_is() -> None:
    base = {"destination": "KP", "bom": [counted("100")]}
    result = evaluate_de_minimis(build(base))
    assert result.verdict is Verdict.NOT_SUBJECT
    assert result.threshold_percent == 10 and "734.4(c)" in (result.threshold_citation or "")
    assert verdict({**base, "bom": [counted("100.01")]}) is Verdict.SUBJECT


@pytest.mark.parametrize(("destination", "threshold"), [("CU", 10), ("IR", 10), ("SY", 10)])
def test_e1_e2_destinations_have_10_percent(destination: str, threshold: int) -> None:
    result = evaluate_de_minimis(build({"destination": destination, "bom": [counted("1")]}))
    assert result.threshold_percent == threshold


@pytest.mark.parametrize("destination", ["MO", "HK", "CN", "RU"])
def test_other_destinations_have_25_percent(destination: str) -> None:
    result = evaluate_de_minimis(build({"destination": destination, "bom": [counted("1")]}))
    assert result.threshold_percent == 25


def test_lines_add_up_and_foreign_lines_never_count() -> None:
    bom = [counted("100"), counted("100"), line("900", "3A001.a.7", origin="JP"), counted("50.01")]
    result = evaluate_de_minimis(build({"bom": bom}))
    assert result.numerator == Decimal("250.01")
    assert result.verdict is Verdict.SUBJECT
    assert result.lines[2].status is LineStatus.NOT_COUNTED and not result.lines[2].us_origin


# --- what counts -----------------------------------------------------------------------------


def status(eccn: str, destination: str, **extra: Any) -> LineStatus:
    result = evaluate_de_minimis(
        build({"destination": destination, "bom": [line("10", eccn, **extra)]})
    )
    return result.lines[0].status


def test_ear99_counts_only_where_ear99_needs_a_license() -> None:
    assert status("EAR99", "DE") is LineStatus.NOT_COUNTED
    assert status("EAR99", "CN") is LineStatus.NOT_COUNTED
    assert status("EAR99", "KP") is LineStatus.COUNTED  # 15 CFR 746.4
    assert status("EAR99", "CU") is LineStatus.COUNTED  # 15 CFR 746.2


def test_ear99_to_iran_is_not_counted_and_to_russia_depends_on_the_hts_lists() -> None:
    # Iran: OFAC authorization (746.7(e)); Supp. No. 7 EAR99 items are excluded from the count
    # by 746.7(a)(1)(v) (Supp. No. 2 to part 734 (a)(1)).
    assert status("EAR99", "IR") is LineStatus.NOT_COUNTED
    assert status("EAR99", "RU") is LineStatus.UNKNOWN  # 746.8(a)(2)-(4) supplements
    override = {"license_override": {"counts": False, "reason": "HTS not listed"}}
    assert status("EAR99", "RU", **override) is LineStatus.NOT_COUNTED


def test_unknown_line_decides_only_when_it_could_cross_the_level() -> None:
    small = {"destination": "RU", "bom": [line("100", "EAR99")]}
    assert verdict(small) is Verdict.NOT_SUBJECT  # even counted: 10 % of 1000
    large = {"destination": "RU", "bom": [line("300", "EAR99")]}
    result = evaluate_de_minimis(build(large))
    assert result.verdict is Verdict.INDETERMINATE
    assert result.missing_facts == ("bom[0].license_override",)


def test_country_chart_decides_controlled_content() -> None:
    assert status("3A001.a.7", "CN") is LineStatus.COUNTED  # NS2 X for China
    assert status("5A992.c", "CN") is LineStatus.NOT_COUNTED  # AT only: NLR outside E:1/E:2
    assert status("5A992.c", "RU") is LineStatus.COUNTED  # 746.8(a)(1): every CCL item


def test_gbs_eligible_content_does_not_count() -> None:
    assert status("3C005", "AE") is LineStatus.NOT_COUNTED  # NS2, GBS to Country Group B
    assert status("3C005", "CN") is LineStatus.COUNTED  # China is not in B: no GBS


def test_each_line_cites_supplement_2() -> None:
    result = evaluate_de_minimis(build({"destination": "CN", "bom": [line("10", "3A001.a.7")]}))
    assert "15 CFR part 734, Supp. No. 2 (a)(1)" in result.lines[0].citations


def test_entity_list_buyer_does_not_change_the_numerator() -> None:
    bom = [line("100", "EAR99"), line("200", "3A001.a.7"), line("10", "5A992.c")]
    plain = evaluate_de_minimis(build({"destination": "CN", "bom": bom}))
    listed = evaluate_de_minimis(
        build(
            {
                "destination": "CN",
                "bom": bom,
                "parties.0.entity_list": {"listed": True, "footnotes": [1, 2]},
                "knowledge.listed_entity_production": [1],
            }
        )
    )
    assert listed.numerator == plain.numerator
    assert [a.status for a in listed.lines] == [a.status for a in plain.lines]


def test_second_incorporation_is_not_counted_again() -> None:
    result = evaluate_de_minimis(build({"bom": [counted("900", second_incorporation=True)]}))
    assert result.lines[0].status is LineStatus.NOT_COUNTED
    assert result.verdict is Verdict.NOT_SUBJECT
    assert any("2009-09-14" in c for c in result.lines[0].citations)


def test_bundled_software_counts_but_separately_shipped_software_does_not() -> None:
    software: dict[str, Any] = {
        "kind": "software",
        "license_override": {"counts": True, "reason": "5D002"},
    }
    bundled = evaluate_de_minimis(
        build({"bom": [line("300", "5D002.c.1", bundled_software=True, **software)]})
    )
    loose = evaluate_de_minimis(
        build({"bom": [line("300", "5D002.c.1", bundled_software=False, **software)]})
    )
    unstated = evaluate_de_minimis(build({"bom": [line("300", "5D002.c.1", **software)]}))
    assert bundled.verdict is Verdict.SUBJECT
    assert loose.lines[0].status is LineStatus.NOT_COUNTED
    assert "734.3(a)(2)" in " ".join(loose.lines[0].citations)
    # not stated is not "sold separately" (branch ear3): the line stays open
    assert unstated.lines[0].status is LineStatus.UNKNOWN


def test_no_us_content_needs_no_calculation() -> None:
    result = evaluate_de_minimis(build({"bom": [line("999", "3A001.a.7", origin="JP")]}))
    assert result.verdict is Verdict.NOT_SUBJECT
    assert "no calculation needed" in result.basis


def test_no_controlled_content_needs_no_calculation() -> None:
    result = evaluate_de_minimis(build({"bom": [line("999", "EAR99")]}))
    assert result.verdict is Verdict.NOT_SUBJECT
    assert result.basis.startswith("no controlled U.S.-origin content")


def test_unknown_bom_is_indeterminate() -> None:
    result = evaluate_de_minimis(build({"bom": None}))
    assert result.verdict is Verdict.INDETERMINATE and result.missing_facts == ("bom",)


def test_technology_reminder_for_commingled_us_technology() -> None:
    tech = counted("10", kind="technology")
    result = evaluate_de_minimis(
        build({"item.kind": "technology", "item.eccn": "3E991", "bom": [tech]})
    )
    assert result.verdict is Verdict.NOT_SUBJECT
    assert result.reminders and "one-time report" in result.reminders[0]
    plain = evaluate_de_minimis(build({"bom": [counted("10")]}))
    assert plain.reminders == ()


# --- 734.4(a): no de minimis level -----------------------------------------------------------


def test_a2_encryption_technology_with_us_5e002() -> None:
    changes = {
        "item.kind": "technology",
        "item.eccn": "5E002.a",
        "bom": [line("1", "5E002.a", kind="technology")],
    }
    assert zero(changes, "734.4(a)(2)") is Outcome.MET
    assert verdict(changes) is Verdict.SUBJECT


def test_a3_advanced_node_equipment() -> None:
    base = {
        "item.eccn": "3B993.f.1",
        "knowledge.advanced_node_ic_production": True,
        "bom": [counted("1")],
    }
    assert zero(base, "734.4(a)(3)") is Outcome.MET
    assert verdict(base) is Verdict.SUBJECT
    assert zero({**base, "item.controlled_by_exporting_country": True}, "734.4(a)(3)") is (
        Outcome.NOT_MET
    )
    open_use = {**base, "knowledge.advanced_node_ic_production": None}
    assert zero(open_use, "734.4(a)(3)") is Outcome.UNKNOWN
    assert verdict(open_use) is Verdict.INDETERMINATE


def test_a4_hot_section_technology() -> None:
    changes = {"bom": [line("1", "9E003.a.1", kind="technology")]}
    assert zero(changes, "734.4(a)(4)") is Outcome.MET
    assert zero({"bom": [line("1", "9E003.a.7", kind="technology")]}, "734.4(a)(4)") is (
        Outcome.NOT_MET
    )
    assert zero({"bom": [line("1", "9E003", kind="technology")]}, "734.4(a)(4)") is (
        Outcome.UNKNOWN
    )


def test_a5_cameras_in_military_items_to_d5() -> None:
    changes = {"item.eccn": "0A919.a.1", "destination": "VE", "bom": [line("1", "6A003.b.4.b")]}
    assert zero(changes, "734.4(a)(5)") is Outcome.MET
    assert zero({**changes, "destination": "DE"}, "734.4(a)(5)") is Outcome.NOT_MET


def test_a6_600_series_to_d5_and_y_items() -> None:
    assert zero({"destination": "CN", "bom": [line("1", "9A610.x")]}, "734.4(a)(6)(i)") is (
        Outcome.MET
    )
    assert zero({"destination": "TW", "bom": [line("1", "9A610.x")]}, "734.4(a)(6)(i)") is (
        Outcome.NOT_MET
    )
    assert zero({"destination": "CN", "bom": [line("1", "9A610.y.1")]}, "734.4(a)(6)(ii)") is (
        Outcome.MET
    )
    assert zero({"destination": "DE", "bom": [line("1", "9A610.y.1")]}, "734.4(a)(6)(ii)") is (
        Outcome.NOT_MET
    )
    assert verdict({"destination": "CN", "bom": [line("0.01", "9A515.x")]}) is Verdict.SUBJECT


def sme(destination: str, ic: bool | None = True) -> dict[str, Any]:
    return {
        "item.eccn": "3B001.c",
        "item.price": "2000000",
        "destination": destination,
        "bom": [line("2000", "3A001.a.7", is_integrated_circuit=ic)],
    }


@pytest.mark.parametrize(("destination", "expected"), [
    ("MO", Outcome.MET), ("HK", Outcome.MET), ("CN", Outcome.MET), ("VE", Outcome.MET),
    ("TW", Outcome.NOT_MET), ("KZ", Outcome.NOT_MET),
])  # fmt: skip
def test_a8_sme_with_us_ic_macau_d5_and_hong_kong(destination: str, expected: Outcome) -> None:
    assert zero(sme(destination), "734.4(a)(8)") is expected


def test_a8_makes_a_0_1_percent_fpga_decisive() -> None:
    assert verdict(sme("MO")) is Verdict.SUBJECT
    assert verdict(sme("TW")) is Verdict.NOT_SUBJECT
    assert verdict(sme("MO", ic=None)) is Verdict.INDETERMINATE


def test_a8_did_not_exist_before_the_compliance_date() -> None:
    assert zero({**sme("MO"), "export_date": "2024-06-01"}, "734.4(a)(8)") is Outcome.NOT_MET


def test_a9_footnote_5_party() -> None:
    changes = {**sme("DE"), "item.eccn": "3B993.b"}
    assert zero(changes, "734.4(a)(9)", Outcome.MET) is Outcome.MET
    assert zero(changes, "734.4(a)(9)", Outcome.NOT_MET) is Outcome.NOT_MET
    assert zero(changes, "734.4(a)(9)", Outcome.UNKNOWN) is Outcome.UNKNOWN
    assert zero({**sme("DE")}, "734.4(a)(9)", Outcome.MET) is Outcome.NOT_MET  # SME subset


def test_a1_computer_with_us_chips_is_open() -> None:
    changes = {"item.eccn": "4A003.b", "bom": [line("1", "3A001.a.7")]}
    assert zero(changes, "734.4(a)(1)") is Outcome.UNKNOWN


# --- invariants ------------------------------------------------------------------------------

values = st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False)


@settings(max_examples=80, deadline=None)
@given(
    price=values.filter(lambda v: v > 0),
    existing=st.lists(values, max_size=5),
    extra=values,
    destination=st.sampled_from(["DE", "KP", "CN", "MO"]),
)
def test_adding_controlled_content_never_unsubjects(
    price: Decimal, existing: list[Decimal], extra: Decimal, destination: str
) -> None:
    bom = [counted(str(v)) for v in existing]
    base = {"item.price": str(price), "destination": destination}
    before = evaluate_de_minimis(build({**base, "bom": bom}))
    after = evaluate_de_minimis(build({**base, "bom": [*bom, counted(str(extra))]}))
    if before.verdict is Verdict.SUBJECT:
        assert after.verdict is Verdict.SUBJECT
    assert after.numerator >= before.numerator


@settings(max_examples=80, deadline=None)
@given(price=values.filter(lambda v: v > 0), raise_by=values, content=st.lists(values, max_size=4))
def test_raising_the_price_never_raises_the_percentage(
    price: Decimal, raise_by: Decimal, content: list[Decimal]
) -> None:
    bom = [counted(str(v)) for v in content]
    low = evaluate_de_minimis(build({"item.price": str(price), "bom": bom}))
    high = evaluate_de_minimis(build({"item.price": str(price + raise_by), "bom": bom}))
    assert low.percentage is not None and high.percentage is not None
    assert high.percentage <= low.percentage
    if low.verdict is Verdict.NOT_SUBJECT:
        assert high.verdict is Verdict.NOT_SUBJECT
