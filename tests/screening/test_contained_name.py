"""The whole listed name in the query, words added (``contained_cost``, score_prepared)."""

from __future__ import annotations

import pytest

from compliance.screening.results import Party, Status
from compliance.screening.screener import Screener
from compliance.watchlists.entry import EntryKind

from .listdata import entry, snapshot


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener(
        [
            snapshot(
                entry("H", "Hikvision"),
                entry("E", "Emma LLC"),
                entry("G", "Global Trading"),
                entry("S", "Semiconductor Manufacturing International Corporation"),
                entry("K", "Kalashnikov Mayak"),
                entry("P", "Sofia", kind=EntryKind.INDIVIDUAL),
                entry("V", "Olga", kind=EntryKind.VESSEL),
                entry("U", "United"),
                entry("M", "MSC"),
                entry("C", "SMIC"),
                entry("T", "United Mayak"),
            )
        ]
    )


def status(screener: Screener, name: str, entry_id: str) -> Status | None:
    for hit in screener.screen(Party(name=name)).hits:
        if hit.entry_id.endswith(entry_id):
            return hit.status
    return None


@pytest.mark.parametrize(
    ("name", "entry_id"),
    [
        ("Hikvision Robotics", "H"),  # two plain words: person-shaped, no extra_word_cap
        ("Robotics Hikvision", "H"),
        ("Hikvision Robotics Photonics", "H"),
        ("Hikvision Robotics Co", "H"),
        ("Semiconductor Manufacturing International Corporation Robotics", "S"),
        ("Kalashnikov Mayak Robotics Photonics", "K"),
        ("SMIC Robotics", "C"),  # four letters, no English word
        ("United Mayak Robotics", "T"),  # a common word, but not the listed name's only one
    ],
)
def test_a_whole_listed_name_with_one_or_two_words_added_is_reviewed(
    screener: Screener, name: str, entry_id: str
) -> None:
    assert status(screener, name, entry_id) is Status.REVIEW


@pytest.mark.parametrize(
    ("name", "entry_id"),
    [
        ("Emma Daniels", "E"),  # the listed legal form is not in the query
        ("Hikvision Robotics Photonics Telematics", "H"),  # three words added
        ("Mayak Robotics Kalashnikov", "K"),  # the listed words out of their order
        ("Acme Global Trading", "G"),  # two generic words only
        ("Sofia Ivanov", "P"),  # a listed person's one-word alias: only organisations' names
        ("Olga Petrova", "V"),  # nor a vessel's
        ("United Rentals", "U"),  # one listed word, a common English word (common_word_zipf)
        ("MSC Income Fund", "M"),  # three letters (contained_min_letters)
    ],
)
def test_the_rule_needs_every_listed_word_in_order_few_added_and_a_named_listing(
    screener: Screener, name: str, entry_id: str
) -> None:
    assert status(screener, name, entry_id) is None
