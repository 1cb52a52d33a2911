"""Fourth round of names across scripts (issue 16, section 5; branch xscript3): Persian
letters, Russian soft endings in katakana, Korean shipping companies, ordinal numbers,
romanised Russian genitive plurals, the Kyrgyz legal form."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from compliance.screening.dedications import dedication_stripped
from compliance.screening.normalize import TokenClass, normalize_name
from compliance.screening.results import Party
from compliance.screening.screener import Screener
from compliance.screening.translations import romanised_translated
from compliance.screening.transliterate import (
    japanese_reader_installed,
    readings,
    scripts_to_latin,
)
from compliance.watchlists.entry import EntryKind
from tests.screening.listdata import entry, snapshot

_NEEDS_JAPANESE = pytest.mark.skipif(
    not japanese_reader_installed(),
    reason="the optional extra compliance[japanese] (pykakasi, GPL-3.0) is not installed",
)

LISTED = snapshot(
    entry("SDN:1", "BANK MELLI IRAN", countries=("IR",)),
    entry("SDN:2", "ROSNEFT", countries=("RU",)),
    entry("SDN:3", "PAO SEVERSTAL", countries=("RU",)),
    entry("SDN:4", "CHONGCHONGANG SHIPPING COMPANY LIMITED", countries=("KP",)),
    entry("EL:5", "558 Aircraft Repair Plant JSC", countries=("RU",)),
    entry("EL:6", "Tro.Ya, LLC", countries=("KG",)),
    entry("SDN:7", "SHAMKHANI, Ali", kind=EntryKind.INDIVIDUAL, countries=("IR",)),
)
_SCREENER = Screener([LISTED])


def _found(query: str, entry_id: str) -> bool:
    return any(h.entry_id == entry_id for h in _SCREENER.screen(Party(name=query)).hits)


def test_persian_letters_meet_the_arabic_tables() -> None:
    # keheh and Farsi yeh are read as Arabic kaf and yeh before the tables are consulted
    assert scripts_to_latin("بانک ملی ایران").split()[0::2] == ["bank", "iran"]
    assert scripts_to_latin("علی").strip() == "ali"
    assert _found("بانک ملی ایران", "SDN:1")
    assert _found("علی شمخانی", "SDN:7")


@_NEEDS_JAPANESE
def test_russian_soft_endings_in_katakana() -> None:
    assert "rosneft" in readings("ロスネフチ")  # -ть written チ after a consonant
    assert "seberstal" in readings("セベルスターリ")  # -ль written リ after a long vowel
    assert not any(r.endswith("t") for r in readings("ソチ"))  # Sochi keeps its vowel
    assert _found("ロスネフチ", "SDN:2")
    assert _found("セベルスターリ", "SDN:3")


def test_korean_shipping_company() -> None:
    assert "shipping" in readings("청천강해운")[0].split()
    assert _found("청천강해운", "SDN:4")


@pytest.mark.parametrize(
    ("word", "number"),
    [("558th", "558"), ("1st", "1"), ("2nd", "2"), ("33rd", "33"), ("11th", "11"),
     ("12th", "12"), ("13th", "13"), ("21st", "21"), ("0th", "0")],
)  # fmt: skip
def test_ordinals_are_their_numbers(word: str, number: str) -> None:
    token = normalize_name(f"{word} Plant").tokens[0]
    assert (token.cls, token.text) == (TokenClass.NUMBER, number)


@pytest.mark.parametrize("word", ["11st", "2th", "3st", "th", "5thx"])
def test_words_that_are_not_ordinals(word: str) -> None:
    assert normalize_name(f"{word} Plant").tokens[0].cls is not TokenClass.NUMBER


@given(st.integers(min_value=0, max_value=10**6))
def test_every_ordinal_reads_as_its_number(n: int) -> None:
    last_two, last = n % 100, n % 10
    suffix = "th" if 11 <= last_two <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(last, "th")
    token = normalize_name(f"{n}{suffix} Plant").tokens[0]
    assert (token.cls, token.text) == (TokenClass.NUMBER, str(n))


def test_ordinal_finds_the_numbered_name() -> None:
    assert _found("JSC 558TH AIRCRAFT REPAIR PLANT", "EL:5")


def test_romanised_genitive_plural() -> None:
    # тягачей, the genitive plural in -ей, romanised -ei
    assert romanised_translated("MINSKII ZAVOD KOLESNYKH TYAGACHEI") == (
        "minsk plant wheeled tractor"
    )


def test_kyrgyz_legal_form() -> None:
    assert normalize_name("TRO YA OSOO").tokens[-1].cls is TokenClass.LEGAL
    assert _found("TRO YA OSOO", "EL:6")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("NOVOSIBIRSK AIRCRAFT PLANT NAMED AFTER V.P. CHKALOV",
         ("NOVOSIBIRSK AIRCRAFT PLANT CHKALOV",)),
        ("JSC URALVAGONZAVOD NAMED AFTER F E DZERZHINSKY",
         ("JSC URALVAGONZAVOD DZERZHINSKY", "JSC URALVAGONZAVOD")),
        ("ZAVOD IM VA DEGTIAREVA", ("ZAVOD DEGTIAREVA",)),
        ("AO NIIVK N.A. M.A. KARTSEV", ("AO NIIVK KARTSEV", "AO NIIVK")),
        ("IM Group Ltd", ()),  # a word IM at the start is no dedication
        ("Acme im Services", ()),  # a bare im needs initials after it
        ("Named Holdings", ()),
    ],
)  # fmt: skip
def test_dedication_readings(name: str, expected: tuple[str, ...]) -> None:
    assert dedication_stripped(name) == expected


def test_dedication_finds_the_listed_name() -> None:
    listed = snapshot(entry("EL:9", "Chkalov Novosibirsk Aviation Plant", countries=("RU",)))
    hits = (
        Screener([listed])
        .screen(Party(name="NOVOSIBIRSK AIRCRAFT PLANT NAMED AFTER V.P. CHKALOV"))
        .hits
    )
    assert [h.entry_id for h in hits] == ["EL:9"]
