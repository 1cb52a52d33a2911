"""Fifth round of names across scripts and SDN -> Entity List spellings (issue 16, section 5;
branch xscript4): Russian acronyms read in full, one romanised Russian word in a Russian
company's name, Russian names typed in Latin look-alike capitals, the English long i in
Cyrillic brand names, the romanised "servis"."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from compliance.screening.acronyms import acronyms_expanded, cyrillic_acronyms_expanded
from compliance.screening.confusables import lookalike_cyrillic
from compliance.screening.normalize import TokenClass, normalize_name
from compliance.screening.results import Party
from compliance.screening.screener import Screener
from compliance.screening.translations import RUSSIAN_LEGAL, romanised_translated
from compliance.screening.transliterate import english_long_i, readings
from tests.screening.listdata import entry, snapshot

LISTED = snapshot(
    entry("EL:1", "48th Central Scientific Research Institute, Kirov", countries=("RU",)),
    entry(
        "EL:2",
        "Rzhanov Institute of Semiconductor Physics, Siberian Branch of Russian Academy of "
        "Sciences",
        countries=("RU",),
    ),
    entry("EL:3", "UEC-Saturn", countries=("RU",)),
    entry("EL:4", "Device Consulting", countries=("RU",)),
    entry("EL:5", "AO Ship Repair Center 'Zvezdochka'", countries=("RU",)),
    entry("EL:6", "Tehnomar", countries=("RU",)),
    entry("EL:7", "IFLYTEK", countries=("CN",)),
    entry("EL:8", "Minotor-Service", countries=("BY",)),
    entry("EL:9", "Joint Stock Company Research and Production Enterprise Sapfir"),
)
_SCREENER = Screener([LISTED])


def _found(query: str, entry_id: str, country: str | None = None) -> bool:
    hits = _SCREENER.screen(Party(name=query, country=country)).hits
    return any(h.entry_id == entry_id for h in hits)


def test_russian_acronyms_are_read_in_full() -> None:
    assert acronyms_expanded("FGBU 48 TSNII MINOBORONY ROSSII") == (
        "fgbu 48 central scientific research institute ministry of defense rossii"
    )
    assert acronyms_expanded("RZHANOV INSTITUTE OF SEMICONDUCTOR PHYSICS SB RAS") == (
        "rzhanov institute of semiconductor physics siberian branch russian academy of sciences"
    )
    assert acronyms_expanded("ODK-SATURN PAO") == "uec -saturn pao"
    # whole words only, and not for a party of another country
    assert acronyms_expanded("NIIKO Trading") is None
    assert acronyms_expanded("Huawei Technologies") is None
    assert acronyms_expanded("KB Home", country="US") is None
    assert acronyms_expanded("OKB Sukhoi", country="RU") == "experimental design bureau sukhoi"
    assert cyrillic_acronyms_expanded("ФГБУ 48 ЦНИИ") == (
        "фгбу 48 central scientific research institute"
    )
    assert cyrillic_acronyms_expanded("Ростех") is None


def test_acronym_readings_find_the_written_out_name() -> None:
    assert _found("FGBU 48 TSNII MINOBORONY ROSSII", "EL:1")
    assert _found("RZHANOV INSTITUTE OF SEMICONDUCTOR PHYSICS SB RAS", "EL:2")
    assert _found("ODK-SATURN PAO", "EL:3")
    assert _found("RPE SAPFIR PJSC", "EL:9")
    assert _found("ФГБУ 48 ЦНИИ Минобороны России", "EL:1")


def test_one_romanised_word_in_a_russian_company_name() -> None:
    # a romanised Russian legal form makes one translated word enough
    assert romanised_translated("DEVAIS KONSALTING OOO") == "device consulting ooo"
    assert romanised_translated("DEVAIS KONSALTING LTD") is None
    # so does one long word that is not a spelling of its English
    assert romanised_translated("JSC CENTER SUDOREMONTA ZVEZDOCHKA") == (
        "jsc center ship repair zvezdochka"
    )
    assert romanised_translated("Narodnaya Gazeta") is None  # nine letters: not enough
    # a word after a hyphen is a word ("BSVT-NOVIYE TEKHNOLOGII")
    assert romanised_translated("OOO BSVT-NOVIYE TEKHNOLOGII") == ("ooo bsvt- new technologies")
    # acronyms read in full count as read words
    assert romanised_translated("fgbu 48 ministry of defense rossii", changed_before=1) == (
        "fgbu 48 ministry of defense russia"
    )
    assert _found("DEVAIS KONSALTING OOO", "EL:4")
    assert _found("JSC CENTER SUDOREMONTA ZVEZDOCHKA", "EL:5")


_ENGLISH_WORDS = (
    "bank", "holding", "center", "system", "institute", "group", "company", "federal",
    "national", "state", "fund", "plant", "service", "energy", "technology", "university",
)  # fmt: skip


@given(
    st.lists(st.sampled_from(_ENGLISH_WORDS), min_size=1, max_size=5),
    st.sampled_from(sorted(RUSSIAN_LEGAL)),
)
def test_an_english_name_with_a_russian_legal_form_is_not_re_read(
    words: list[str], legal: str
) -> None:
    assert romanised_translated(" ".join([*words, legal]).upper()) is None


def test_latin_lookalikes_of_a_cyrillic_name() -> None:
    assert lookalike_cyrillic("OOO TEXHOMAP", RUSSIAN_LEGAL) == "ooo tekhnomar"
    assert lookalike_cyrillic("TEXHOMAP LTD", RUSSIAN_LEGAL) is None  # no Russian legal form
    assert lookalike_cyrillic("OOO MATTE", RUSSIAN_LEGAL) is None  # no letter sounds different
    assert lookalike_cyrillic("OOO Texhomap", RUSSIAN_LEGAL) is None  # capitals only
    assert _found("OOO TEXHOMAP", "EL:6")


def test_the_english_long_i_in_cyrillic() -> None:
    assert english_long_i("Айфлайтек") == "iflitek"
    assert english_long_i("Китай") is None  # final ай: a Russian word, read as written
    assert english_long_i("Ростех") is None
    assert "iflitek" in readings("Айфлайтек")
    assert _found("Айфлайтек", "EL:7")


@pytest.mark.parametrize("word", ["servis", "SERVIS"])
def test_servis_is_the_generic_word_service(word: str) -> None:
    _, token = normalize_name(f"Minotor {word}").tokens
    assert token.cls is TokenClass.GENERIC
    assert token.text == normalize_name("Minotor service").tokens[1].text


def test_servis_spelling_finds_the_listed_service() -> None:
    assert _found("UP MINOTOR-SERVIS", "EL:8")


def test_cyrillic_nouns_and_dedications() -> None:
    # the noun forms read like the adjectives ("НИИ приборостроения", of instrument engineering)
    assert "omsk scientific research institute instrument engineering" in readings(
        "Омский НИИ приборостроения"
    )
    # a dedication in Cyrillic loses its marker and initials, then the whole of it
    got = readings("Сибирский НИИ авиации им. С.А. Чаплыгина")
    assert "siberian scientific research institute aviation chaplygina" in got
    assert "siberian scientific research institute aviation" in got
    assert "plant degtyareva" in readings("Завод им. Дегтярева")
    assert not any("degtyareva" in r for r in readings("Завод Дегтярева"))  # no marker
