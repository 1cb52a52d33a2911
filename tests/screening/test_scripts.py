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


# -- second round: Hebrew, Greek, Arabic letters and article, Korean terms, consonant keys ----


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("Σμπερμπάνκ", "sberbank"),  # μπ is b, ά keeps its vowel
        ("Λουκόιλ", "lukoil"),  # ου is u; the accented ό splits όι into two vowels
        ("Ντόναλντ", "donald"),  # ντ is d
        ("Ροσνέφτ", "rosneft"),
        ("ולדימיר", "vldimir"),  # initial vav v, yod inside i (vowels unwritten)
        ("ג'מאל", "jamal"),  # geresh: j (also a given name of the table)
        ("חמאס", "hamas"),  # a name of the table (given_names.yaml)
        ("التكريتي", "al tkryty"),  # the article as its own word
        ("حمزة", "hmza"),  # ta marbuta is the final -a
        ("بن", "bin"),
        ("조선광업개발무역회사", "korea mining dev trading corp"),
        ("조선단군무역회사", "korea tangun trading corp"),  # medial voicing: tan + kun
        ("정찰총국", "reconnaissance general bureau"),
        ("深圳市大疆创新科技有限公司", "shenzhen city dji innovation tech co ltd"),
    ],
)
def test_second_round_readings(written: str, read: str) -> None:
    assert normalize_text(written) == read


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("zawahiri", "zwhry"),  # w unwritten, not the skeleton's "zh"
        ("hizballah", "hizblla"),
        ("djamel", "jamal"),
        ("tharwat", "thrwt"),
        ("laagoub", "lghwb"),
        ("romdhane", "rmdn"),
        ("salih", "slh"),
        ("mullah", "ml"),
        ("intissar", "ntsr"),
    ],
)
def test_consonant_keys_meet_across_renderings(a: str, b: str) -> None:
    from compliance.screening.phonetic import consonant_key

    assert consonant_key(a) == consonant_key(b)


def test_consonant_keys_keep_distinct_names_apart() -> None:
    from compliance.screening.phonetic import consonant_key

    assert consonant_key("karim") != consonant_key("kamal")
    assert consonant_key("salim") != consonant_key("salman")


def test_phonetic_score_joins_words_both_ways() -> None:
    from compliance.screening.phonetic import PHONETIC_NAME_SCORE, phonetic_score

    # "abd allah" written as two words meets ABDALLAH; ABD AL-SATTAR meets "abdalsattar"
    assert phonetic_score(("bdl", "l", "mhd"), ("dl", "bdl", "mhd")) == pytest.approx(
        PHONETIC_NAME_SCORE - 0.02
    )
    assert phonetic_score(("bdlstr", "hmd"), ("bdl", "str", "hmd")) == PHONETIC_NAME_SCORE
    assert phonetic_score(("bdl", "xyz"), ("bdl", "hmd")) is None
    # two words of four key letters in all meet; one word of four letters needs all of
    # the listed name
    assert phonetic_score(("l", "hmn"), ("l", "hmn", "hsn")) is not None
    assert phonetic_score(("hsbl",), ("hsbl",)) == PHONETIC_NAME_SCORE
    assert phonetic_score(("hsbl",), ("hsbl", "mrt")) is None


SECOND = snapshot(
    entry("UN:1", "QUSAY SADDAM HUSSEIN AL-TIKRITI", kind=EntryKind.INDIVIDUAL),
    entry("UN:2", "HIZBALLAH"),
    entry("UN:3", "SINWAR, Yahya", kind=EntryKind.INDIVIDUAL),
    entry("EL:4", "Lukoil, OAO", source="EL", countries=("RU",)),
    entry("SDN:5", "KOREA TANGUN TRADING CORPORATION", countries=("KP",)),
    entry("SDN:6", "HUSSEIN, Saddam", kind=EntryKind.INDIVIDUAL),
)
SECOND_SCREENER = Screener([SECOND])


@pytest.mark.parametrize(
    ("query", "entry_id"),
    [
        ("قصي صدام حسين التكريتي", "UN:1"),  # found beside a spelling hit on Saddam Hussein
        ("חיזבאללה", "UN:2"),
        ("Χεζμπολάχ", "UN:2"),
        ("יחיא סינוואר", "UN:3"),
        ("Λουκόιλ", "EL:4"),
        ("조선단군무역회사", "SDN:5"),
    ],
)
def test_second_round_queries_find_the_entry(query: str, entry_id: str) -> None:
    result = SECOND_SCREENER.screen(Party(name=query))
    assert any(h.entry_id == entry_id for h in result.hits)


def test_vowel_free_meeting_is_review_at_most() -> None:
    result = SECOND_SCREENER.screen(Party(name="חיזבאללה"))
    hit = next(h for h in result.hits if h.entry_id == "UN:2")
    assert hit.status is Status.REVIEW
    assert any("consonant skeleton" in a for a in hit.evidence.adjustments)


def test_invisible_characters_never_take_the_consonant_path() -> None:
    from compliance.screening.phonetic import SCRIPTS

    assert SCRIPTS.search("SERYSHEV, A\ufeffnatoly") is None  # byte-order mark
    assert SCRIPTS.search("Huаwei") is None  # one Cyrillic look-alike
    assert SCRIPTS.search("Hu\u03b1wei") is None  # one Greek look-alike
    assert SCRIPTS.search("BUK\u0397\u039fR\u0399") is None  # Greek look-alikes in a Latin word
    assert SCRIPTS.search("Χαμάς") is not None
    assert SCRIPTS.search("حماس") is not None
