"""Country Groups (15 CFR 740 Supp. No. 1): Macau vs D:5 vs Hong Kong, E:1/E:2, A:5/A:6."""

from __future__ import annotations

from datetime import date

import pytest

from compliance.ear.reference.country_groups import (
    GROUPS,
    ISSUE_DATE,
    UnknownGroupError,
    groups_of,
    in_group,
    members,
)


def test_issue_date_is_the_2026_07_23_ecfr_or_later() -> None:
    assert date(2026, 7, 23) <= ISSUE_DATE


def test_carried_groups() -> None:
    for group in ("A:1", "A:2", "A:3", "A:4", "A:5", "A:6", "B"):
        assert group in GROUPS
    for group in ("D:1", "D:2", "D:3", "D:4", "D:5", "E:1", "E:2"):
        assert group in GROUPS


def test_macau_is_in_d1_d3_d4_but_not_d5() -> None:
    assert groups_of("Macau") == frozenset({"D:1", "D:3", "D:4"})
    assert not in_group("MO", "D:5")


def test_hong_kong_answers_as_china() -> None:
    assert groups_of("Hong Kong") == groups_of("CN")
    assert in_group("HK", "D:5")
    assert "D:5" in groups_of("China")


def test_e_groups() -> None:
    assert members("E:1") == frozenset({"IR", "KP", "SY"})
    assert members("E:2") == frozenset({"CU"})


def test_d5_has_the_arms_embargoed_destinations() -> None:
    for code in ("CN", "RU", "BY", "VE", "IR", "KP", "SY", "CU", "MM", "AF"):
        assert in_group(code, "D:5"), code
    # Cambodia left D:5 (conforming change effective 2026-02-03); still in D:1.
    assert not in_group("KH", "D:5")
    assert in_group("KH", "D:1")


def test_a5_and_a6() -> None:
    assert in_group("United Arab Emirates", "A:5")
    assert in_group("IN", "A:5")
    assert in_group("TW", "A:6")
    assert in_group("IL", "A:6")
    assert not in_group("CN", "A:5")
    assert members("A:5").isdisjoint(members("D:5"))


def test_liechtenstein_takes_switzerland() -> None:
    assert groups_of("LI") == groups_of("CH")


def test_group_names_are_forgiving_but_checked() -> None:
    assert in_group("RU", "d5")
    assert in_group("RU", "Country Group D:5")
    with pytest.raises(UnknownGroupError, match="not a Country Group"):
        in_group("RU", "Z:9")
    with pytest.raises(UnknownGroupError, match="not carried"):
        members("A:7")


def test_group_b_excludes_d1_and_e() -> None:
    b = members("B")
    assert b.isdisjoint(members("E:1") | members("E:2"))
    assert b.isdisjoint(members("D:1"))
