"""Names across scripts (issue 16, section 5)."""

from __future__ import annotations

import pytest

from compliance.screening.names import given_name_spellings, script_names
from compliance.screening.normalize import normalize_text
from compliance.screening.results import Party, Status
from compliance.screening.screener import Screener
from compliance.screening.transliterate import (
    hangul_to_latin,
    japanese_reader_installed,
    readings,
    skeleton,
)
from compliance.watchlists.entry import EntryKind
from tests.screening.listdata import entry, snapshot

_NEEDS_JAPANESE = pytest.mark.skipif(
    not japanese_reader_installed(),
    reason="the optional extra compliance[japanese] (pykakasi, GPL-3.0) is not installed",
)


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("김정은", "kim jong un"),
        ("최룡해", "choe ryong hae"),
        ("리병철", "ri pyong chol"),
        ("ХУАВЕЙ ТЕХНОЛОДЖИС", "huawei tech"),
        ("Хиквижн", "hikvision"),
        ("هواوي", "huawei"),
        ("محمد علي", "muhammad ali"),
        ("海康威视", "hikvision"),
        pytest.param("山田たろう", "yamada taro", marks=_NEEDS_JAPANESE),
        pytest.param("ソニー", "soni", marks=_NEEDS_JAPANESE),
    ],
)
def test_readings(written: str, read: str) -> None:
    assert normalize_text(written) == read


def test_korean_revised_romanization_is_the_other_reading() -> None:
    assert hangul_to_latin("김정은", rr=True).split() == ["kim", "jeong", "eun"]
    assert readings("이민호") == ("lee min ho",)
    assert readings("Kim") == ()


@_NEEDS_JAPANESE
def test_kanji_read_as_japanese_only_for_a_japanese_party() -> None:
    assert readings("東芝") == ()
    assert readings("東芝", "JP") == ("toshiba",)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("aleksandr", "alexander"),
        ("mohammed", "muhammad"),
        ("mohamed", "mohammad"),
        ("hussein", "husayn"),
        ("yevgeny", "evgeniy"),
        ("dmitry", "dmitrii"),
    ],
)
def test_given_name_spellings_share_a_skeleton(a: str, b: str) -> None:
    assert skeleton(a) == skeleton(b)


def test_name_table_is_consistent() -> None:
    spellings = given_name_spellings()
    assert spellings["alexander"] == "aleksandr"
    assert all(v in spellings and spellings[v] == v for v in set(spellings.values()))
    assert script_names()["محمد"] == "muhammad"


LISTED = snapshot(
    entry("SDN:1", "KIM, Jong Un", kind=EntryKind.INDIVIDUAL, countries=("KP",)),
    entry("SDN:2", "MUHAMMAD, Ali Hassan", kind=EntryKind.INDIVIDUAL),
    entry("SDN:3", "IVANOV, Aleksandr Yevgenyevich", kind=EntryKind.INDIVIDUAL),
    entry("EL:4", "Huawei Technologies Co., Ltd.", source="EL", countries=("CN",)),
    entry("EL:5", "Hangzhou Hikvision Digital Technology Co., Ltd.", source="EL"),
    entry("EL:6", "Rosoboronexport", source="EL", countries=("RU",)),
)
SCREENER = Screener([LISTED])


@pytest.mark.parametrize(
    ("query", "entry_id"),
    [
        ("김정은", "SDN:1"),
        ("محمد علي حسن", "SDN:2"),
        ("Mohammed Ali Hasan", "SDN:2"),
        ("Alexander Ivanov", "SDN:3"),
        ("ХУАВЕЙ ТЕХНОЛОДЖИС", "EL:4"),
        ("هواوي تكنولوجيز", "EL:4"),
        ("Хиквижн", "EL:5"),
        ("海康威视", "EL:5"),
        ("Export Rosoboron", "EL:6"),
    ],
)
def test_cross_script_queries_find_the_entry(query: str, entry_id: str) -> None:
    result = SCREENER.screen(Party(name=query))
    assert result.status is not Status.CLEAR
    assert result.hits[0].entry_id == entry_id


def test_swapped_compound_only_for_a_company_word_then_a_name() -> None:
    assert SCREENER.screen(Party(name="Export Bananas")).status is Status.CLEAR
