"""Which words are common words of ordinary language, independent of the lists.

A word's weight in a name comes from its rarity *on the lists* (``score.TokenWeights``): a
word few listed names carry weighs as much as a brand. That cannot tell ``Rocket`` (a word of
English that thousands of unrelated companies use: ``Rocket Software``) from ``Huawei`` or
``Hikvision`` (names of one company family). How often a word occurs in ordinary text can:
the ``wordfreq`` package (Apache-2.0; Robyn Speer's frequencies from Wikipedia, subtitles,
news, books, web text and more, frozen at version 3) gives it on the Zipf scale
(log10 of occurrences per billion words: ``the`` 7.7, ``rocket`` 4.3, ``silver`` 4.8,
``huawei`` 3.3, ``hikvision`` 1.4).

Only English is read: the lists are published in English and romanised, and the names that
share a word by chance with a listed name are mostly English words (``Liberty``, ``Silver
Bay``, ``Spring``). The ``small`` English word list holds every word down to Zipf 3, which
covers any threshold this module is asked about (``TUNABLES.common_word_zipf``).
"""

from __future__ import annotations

import math
from functools import lru_cache

from wordfreq import get_frequency_dict

LANGUAGE = "en"
WORDLIST = "small"  # words down to Zipf 3; the threshold is above that


@lru_cache(maxsize=1)
def _frequencies() -> dict[str, float]:
    return dict(get_frequency_dict(LANGUAGE, WORDLIST))


@lru_cache(maxsize=65_536)
def zipf(word: str) -> float:
    """Zipf frequency of ``word`` (lower case) in ordinary English; 0.0 when not listed."""
    freq = _frequencies().get(word, 0.0)
    return round(math.log10(freq) + 9.0, 2) if freq > 0.0 else 0.0


def is_common(word: str, threshold: float) -> bool:
    """True if ``word`` is at least this frequent in ordinary English (threshold > 0)."""
    return threshold > 0.0 and zipf(word) >= threshold
