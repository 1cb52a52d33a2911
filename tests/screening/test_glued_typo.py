"""Two listed words run together with one of them misspelt (``TimofeyTelegen`` for ``Timofey
Telegin``): ``Screener._glued_split``. The positive examples are X2 (two stacked treatments)
misses of the quality harness at f50a24b; the negative ones are innocent SEC and GLEIF names
the first version of the rule reviewed."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from compliance.screening.index import blocking_keys
from compliance.screening.results import Party
from compliance.screening.screener import Screener

from .listdata import entry, snapshot

LISTED = (
    "Timofey Telegin",
    "Sergei Evgenevich Klinov",
    "Pinky Trading Co., Ltd.",
    "Khalil Khualil",
    "Muhandis Corporation",
    "Kerch Commercial Seaport",
    "Hudson Technologies, Ltd.",
    # the names innocent queries must not meet through a guessed split
    "Pure Technology",
    "Global Vision Group",
    "Black Diamond SARL",
    "Anhui Sun-Create Electronics",
    "First Ocean GmbH & Co KG",
    # others, so that word rarities are those of a list, not of a handful of names
    "Sergei Ivanov",
    "Kerch Shipyard",
    "Zenith Trading LLC",
    "Hudson Marine",
)


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener([snapshot(*(entry(f"G{k}", n) for k, n in enumerate(LISTED)))])


def _hits(screener: Screener, query: str) -> dict[str, float]:
    return {h.listed_name: h.score for h in screener.screen(Party(name=query)).hits}


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("TimofeyTelegen", "Timofey Telegin"),  # the second word misspelt
        ("SergeuEvgenevich Klinov", "Sergei Evgenevich Klinov"),  # the first word misspelt
        ("PinkyTradign Co., Ltd.", "Pinky Trading Co., Ltd."),  # a misspelt generic word
        ("hKalilKhualil", "Khalil Khualil"),  # two letters swapped
        ("MuhandisCorperation", "Muhandis Corporation"),  # a misspelt legal form
        ("KerchCommrecial Seaport", "Kerch Commercial Seaport"),
        ("Hudsonechnologies, Ltd.", "Hudson Technologies, Ltd."),  # a letter left out
    ],
)
def test_two_listed_words_glued_with_a_typo_are_found(
    screener: Screener, query: str, listed: str
) -> None:
    result = screener.screen(Party(name=query))
    assert listed in {h.listed_name for h in result.hits}
    assert max(h.score for h in result.hits) >= screener.thresholds.review
    # the result reports the party as given; the hit says which reading of it matched
    assert result.name == query
    hit = next(h for h in result.hits if h.listed_name == listed)
    assert hit.query_name != query
    assert hit.query_name.replace(" ", "") == query.replace(" ", "")
    # delta re-screening (compliance.rescreen) finds the party when the entry is added: the
    # party's stored keys meet the entry's (Screener.blocking_keys, index.glued_keys)
    alone = Screener([snapshot(entry("X", listed))])
    assert blocking_keys(query) & alone.blocking_keys()


@pytest.mark.parametrize(
    "query",
    [
        "PureTech Health plc",  # a word of the query pairs nothing: "Health"
        "VusionGroup",  # a word of the listed name pairs nothing: "Global"
        "Diamondback Energy, Inc.",  # the pieces pair listed words in the other order
        "Suncrete, Inc.",  # "Anhui" and "Electronics" unpaired
        "OCEANFIRST FINANCIAL CORP",
    ],
)
def test_a_split_guess_counts_only_where_the_whole_name_agrees(
    screener: Screener, query: str
) -> None:
    assert _hits(screener, query) == {}


def test_no_split_when_the_word_is_two_listed_words_exactly(screener: Screener) -> None:
    # the scorer rejoins an exact pair itself (score._merge_spacing): no second screening
    assert screener._glued_split(Party(name="TimofeyTelegin")) is None
    assert "Timofey Telegin" in _hits(screener, "TimofeyTelegin")


def test_no_split_of_a_word_that_pairs_a_listed_word(screener: Screener) -> None:
    # "Shipyardd" is one edit from the listed "Shipyard": it is a word, not two
    assert screener._glued_split(Party(name="Shipyardd")) is None


def test_no_split_of_short_or_unpaired_pieces(screener: Screener) -> None:
    assert screener._glued_split(Party(name="Kerchxq")) is None  # "xq": too short
    assert screener._glued_split(Party(name="TimofeyXyzzyq")) is None  # "xyzzyq" near nothing


_PAIRS = [
    ("Timofey", "Telegin"),
    ("Khalil", "Khualil"),
    ("Kerch", "Shipyard"),
    ("Hudson", "Marine"),
]


@given(
    pair=st.sampled_from(_PAIRS),
    second=st.booleans(),
    at=st.integers(min_value=1, max_value=4),
    letter=st.sampled_from("bdfgkmpqvwxz"),
)
@example(pair=("Timofey", "Telegin"), second=True, at=4, letter="e")
def test_a_substitution_in_either_word_of_a_glued_pair_is_found(
    screener: Screener, pair: tuple[str, str], second: bool, at: int, letter: str
) -> None:
    first, last = pair
    word = last if second else first
    typo = word[:at] + letter + word[at + 1 :]
    if typo.lower() == word.lower():
        return
    query = first + typo if second else typo + last
    listed = next(n for n in LISTED if f"{first} {last}" in n)
    assert listed in _hits(screener, query)
