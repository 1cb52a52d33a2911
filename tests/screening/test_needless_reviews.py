"""Needless reviews cut (issue 16, sections 3 and 5a): words of trade, common words found
whole, and companies whose names say more than a listed vessel's or person's name."""

from __future__ import annotations

import pytest

from compliance.screening.normalize import TokenClass, normalize_name
from compliance.screening.results import Party, PartyType, Status
from compliance.screening.screener import Screener
from compliance.watchlists.entry import EntryKind

from .listdata import entry, snapshot


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener(
        [
            snapshot(
                entry("B", "Banco Corporativo SA", "BANCORP", countries=("NI",)),
                entry("A", "Advanced Technologies"),
                entry("O", "Offshore"),
                entry("U", "UM Air"),
                entry("X", "X-Face"),
                entry("H", "Hikvision"),
                entry("G", "Star Corporation"),
                entry("Z", "Zhongxing Corporation"),
                entry("V", "Alpha", kind=EntryKind.VESSEL),
                entry("P", "Bout, Viktor", "Fritz", kind=EntryKind.INDIVIDUAL),
            )
        ]
    )


def status(screener: Screener, name: str, entry_id: str, **kw: object) -> Status | None:
    for hit in screener.screen(Party(name=name, **kw)).hits:  # type: ignore[arg-type]
        if hit.entry_id.endswith(entry_id):
            return hit.status
    return None


def test_bancorp_is_a_word_of_trade() -> None:
    # the word of U.S. bank holding companies' names, folded like any generic word
    for name in ("Hope Bancorp Inc", "Northrim Bancorporation"):
        tokens = normalize_name(name).tokens
        assert any(t.cls is TokenClass.GENERIC and t.text == "bancorp" for t in tokens), name


def test_a_bank_holding_company_is_not_the_listed_alias_bancorp(screener: Screener) -> None:
    assert status(screener, "Hope Bancorp Inc", "B") is None
    assert status(screener, "Northrim Bancorp Inc", "B") is None
    # the alias as listed: a name made of a generic word, review, alert where the country agrees
    assert status(screener, "BANCORP", "B") is Status.REVIEW
    assert status(screener, "BANCORP", "B", country="NI") is Status.ALERT
    assert status(screener, "Banco Corporativo", "B") is Status.ALERT


@pytest.mark.parametrize(
    ("name", "entry_id"),
    [
        ("KNOT Offshore Velocity", "O"),  # one listed word, common in English (Zipf 3.9)
        ("Sensor Quantix Advanced Technologies", "A"),  # its one named word is common
    ],
)
def test_a_listed_name_of_common_words_is_not_found_whole(
    screener: Screener, name: str, entry_id: str
) -> None:
    assert status(screener, name, entry_id) is None


@pytest.mark.parametrize(
    ("name", "entry_id"),
    [
        ("Hikvision Quantix", "H"),
        ("Cortex UM Air", "U"),  # two letters are letters, not an English word
        ("X-Face Velocity", "X"),  # an initial names it too
    ],
)
def test_a_listed_name_with_a_rare_or_lettered_name_is_still_found_whole(
    screener: Screener, name: str, entry_id: str
) -> None:
    assert status(screener, name, entry_id) is Status.REVIEW


def test_a_company_whose_name_says_more_than_a_vessel_or_person(screener: Screener) -> None:
    company = PartyType.ENTITY
    # a word of trade beside the vessel's or the person's one-word name: no review
    assert status(screener, "Alpha Automation s.r.o.", "V") is None
    assert status(screener, "Alpha Automation", "V", type=company) is None
    assert status(screener, "Fritz Software GmbH", "P") is None
    # only a legal form added: review (kind_conflict caps it there)
    assert status(screener, "Alpha Ltd", "V") is Status.REVIEW
    # the person's whole name in a company's name stays a review (a sole trader's business)
    assert status(screener, "Viktor Bout LLC", "P") is Status.REVIEW
    # not a company: the vessel's name with words is still the vessel's
    assert status(screener, "Alpha Automation", "V") is not None


def test_one_everyday_word_in_common_with_words_of_trade_added(screener: Screener) -> None:
    # STAR CORPORATION: one word of English (Zipf 4.5+) and a legal form
    assert status(screener, "Star Industrial LLC", "G") is None
    assert status(screener, "Star Precision Electronics", "G") is None
    # the name with a legal form only, and a rare word with a trade word, still review
    assert status(screener, "Star Ltd", "G") is not None
    assert status(screener, "Zhongxing Industrial LLC", "Z") is Status.REVIEW
