"""Common words of ordinary English (wordfreq), the signal other_trade reads."""

from __future__ import annotations

from compliance.screening.common_words import is_common, zipf
from compliance.screening.tunables import TUNABLES


def test_dictionary_words_are_common_and_brands_are_not() -> None:
    threshold = TUNABLES.common_word_zipf
    for word in ("rocket", "silver", "spring", "gold", "liberty"):
        assert is_common(word, threshold), word
    # names of listed families and of listed parties are not words of English
    for word in ("huawei", "hikvision", "rosoboronexport", "hezbollah", "zte", "inspur"):
        assert not is_common(word, threshold), word


def test_zipf_orders_words_by_frequency_and_knows_no_made_up_word() -> None:
    assert zipf("the") > zipf("rocket") > zipf("huawei") > 0.0
    assert zipf("zqxvkw") == 0.0
    assert zipf("rocket") == zipf("rocket")  # read once, the same every time


def test_a_threshold_of_zero_makes_no_word_common() -> None:
    assert not is_common("the", 0.0)
    assert is_common("the", 7.0)
    assert not is_common("the", 8.0)  # the boundary: 'the' is 7.73
