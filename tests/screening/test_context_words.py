"""Issue 16, sections 2, 4 and 5a: abbreviations as data, places as context, initials,
payment text and generic names."""

from __future__ import annotations

import pytest
import yaml

from compliance.screening.normalize import normalize_text
from compliance.screening.places import place_countries
from compliance.screening.results import Party, Status
from compliance.screening.screener import Screener
from compliance.screening.vocabulary import ABBREVIATIONS_FILE, CANONICAL, SPELLED_OUT
from compliance.watchlists.entry import EntryKind

from .listdata import entry, snapshot


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener(
        [
            snapshot(
                entry(
                    "el-hik",
                    "Hangzhou Hikvision Digital Technology Co., Ltd.",
                    "Hikvision",
                    source="EL",
                    countries=("CN",),
                ),
                entry(
                    "sdn-maduro",
                    "MADURO MOROS, Nicolas",
                    kind=EntryKind.INDIVIDUAL,
                    countries=("VE",),
                ),
                entry(
                    "sdn-putin",
                    "PUTIN, Vladimir Vladimirovich",
                    kind=EntryKind.INDIVIDUAL,
                    countries=("RU",),
                ),
                entry("sdn-global", "GLOBAL TRADING LLC", countries=("AE",)),
                entry("sdn-fnb", "FIRST NATIONAL BANK", countries=("IR",)),
                entry("sdn-rostec", "State Corporation Rostec", "Rostec", countries=("RU",)),
            )
        ]
    )


def test_abbreviation_table_is_data_with_a_source_per_entry() -> None:
    table = yaml.safe_load(ABBREVIATIONS_FILE.read_text(encoding="utf-8"))
    assert len(table) >= 50
    for key, item in table.items():
        assert item["source"].strip(), key
        assert item["words"], key
        if item.get("generic", True):
            assert all(CANONICAL[w] == key for w in item["words"])
        else:  # spellings of an identifying word: folded to it, never generic
            assert all(SPELLED_OUT.get(w, w) == key and w not in CANONICAL for w in item["words"])


@pytest.mark.parametrize(
    ("short", "full"),
    [
        ("Huawei Technol", "Huawei Technologies"),
        ("Huawei Int'l", "Huawei International"),
        ("Acme Mfr", "Acme Manufacturer"),
        ("Acme Acad Sci", "Acme Academy of Sciences"),
        ("Acme Labs", "Acme Laboratories"),
        ("Acme Petrochem", "Acme Petrochemical"),
        ("Acme Hldgs", "Acme Holdings"),
        ("Acme Engrg", "Acme Engineering"),
        ("Acme Tecnologia", "Acme Technology"),
        ("Acme Telecomm", "Acme Telecommunications"),
    ],
)
def test_abbreviations_fold_both_ways(short: str, full: str) -> None:
    assert normalize_text(short) == normalize_text(full)


def test_place_of_the_entry_country_does_not_pull_an_alert_down(screener: Screener) -> None:
    plain = screener.screen(Party(name="Hikvision"))
    placed = screener.screen(Party(name="Hangzhou Hikvision"))
    assert plain.status is Status.ALERT and placed.status is Status.ALERT
    assert placed.hits[0].score == plain.hits[0].score
    assert any("place 'hangzhou'" in a for a in placed.hits[0].evidence.adjustments)
    assert "CN" in place_countries("hangzhou")


def test_place_of_another_country_still_costs(screener: Screener) -> None:
    other = screener.screen(Party(name="Moscow Hikvision"))
    assert other.hits[0].score < screener.screen(Party(name="Hikvision")).hits[0].score
    assert not any("place" in a for a in other.hits[0].evidence.adjustments)


def test_small_towns_named_like_words_are_no_places() -> None:
    for word in ("union", "liberty", "orange", "airport", "central"):
        assert not place_countries(word), word


@pytest.mark.parametrize(
    ("query", "entry_id"), [("N Maduro", "sdn-maduro"), ("Putin V", "sdn-putin")]
)
def test_initials_review_with_their_weakness_stated(
    screener: Screener, query: str, entry_id: str
) -> None:
    result = screener.screen(Party(name=query))
    assert result.status is Status.REVIEW
    hit = result.hits[0]
    assert hit.entry_id == entry_id
    assert any("initial" in a and "not confirmed" in a for a in hit.evidence.adjustments)


def test_an_initial_never_alerts(screener: Screener) -> None:
    assert screener.screen(Party(name="N Maduro Moros")).status is Status.REVIEW


def test_an_initial_does_not_stand_for_a_company_word(screener: Screener) -> None:
    assert normalize_text("I-Steel Ab Oy") == "i steel ab oy"
    result = screener.screen(Party(name="H Rostec LLC"))
    assert not any("initial" in a for h in result.hits for a in h.evidence.adjustments)


@pytest.mark.parametrize(
    "query",
    [
        "PAYMENT FOR Nicolas Maduro Moros",
        "PMT TO NICOLAS MADURO MOROS",
        "INVOICE 4471 Nicolas Maduro Moros",
        "Nicolas Maduro Moros REF 20931",
        "c/o Nicolas Maduro Moros",
        "℅ Nicolas Maduro Moros",
        "Nicolas Maduro Moros JR",
        "ATTN Nicolas Maduro Moros",
    ],
)
def test_listed_names_inside_payment_text_are_found(screener: Screener, query: str) -> None:
    plain = screener.screen(Party(name="Nicolas Maduro Moros"))
    result = screener.screen(Party(name=query))
    assert result.status is plain.status is Status.ALERT
    assert result.hits[0].entry_id == "sdn-maduro"


@pytest.mark.parametrize("query", ["Global Trading LLC", "First National Bank"])
def test_generic_names_do_not_alert_on_generic_listed_names(screener: Screener, query: str) -> None:
    result = screener.screen(Party(name=query))
    assert result.status is not Status.ALERT
    assert any("generic name" in a for h in result.hits for a in h.evidence.adjustments)


def test_a_contradicting_country_drops_a_thin_review(screener: Screener) -> None:
    assert screener.screen(Party(name="Rostec Group Trading")).status is Status.REVIEW
    assert screener.screen(Party(name="Rostec Group Trading", country="FR")).status is Status.CLEAR
    # ... but never an alert: a second establishment abroad stays an alert
    assert screener.screen(Party(name="State Corporation Rostec", country="FR")).status is (
        Status.ALERT
    )
