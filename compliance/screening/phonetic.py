"""Consonant skeletons: names written in Arabic or Hebrew script against their Latin forms.

Arabic and Hebrew leave short vowels unwritten, so ``سليماني`` romanised letter by letter is
``slymany`` while the list writes ``Soleimani``. Both reduce to the same consonant skeleton
(``slmn``): the romanisation skeleton, then the article ``al``/``el`` off long words, the
letters those scripts write as vowels or not at all (``a e i o u y w``) removed, ``p`` read as
``b`` and ``c`` as ``k`` (Arabic has no ``p``; ``c`` is the skeleton's ``ts``/``k``), doubled
letters collapsed. Two names meet when every identifying word of the query meets a word of
the listed name (or two neighbouring query words meet one listed word: ``نصر الله`` /
``Nasrallah``). Vowel-free equality is weaker evidence than spelling: a meeting name scores
``PHONETIC_NAME_SCORE`` less ``PER_UNMATCHED`` per listed word left over, which is review at
most, never alert, with the reason in the evidence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from compliance.screening.normalize import Token
from compliance.screening.transliterate import skeleton

PHONETIC_NAME_SCORE = 0.88
PER_UNMATCHED = 0.02
MIN_KEY_LETTERS = 5  # a meeting made of fewer key letters than this is noise
_NOT_LETTER = re.compile(r"[^a-z]")
_SILENT = re.compile(r"[aeiouyw]")
_DOUBLE = re.compile(r"([a-z])\1+")
SCRIPTS = re.compile(r"[\u0590-\u06ff\u0750-\u077f\ufb1d-\ufdff\ufe70-\ufeff]")


@lru_cache(maxsize=65_536)
def consonant_key(word: str) -> str:
    """``soleimani`` / ``slymany`` -> ``slmn``; ``zawahiri`` / ``alzwahry`` -> ``shr``."""
    text = _NOT_LETTER.sub("", word.lower())
    if len(text) > 4 and text.startswith(("al", "el")):
        text = text[2:]
    text = skeleton(text).replace("p", "b").replace("c", "k")
    return _DOUBLE.sub(r"\1", _SILENT.sub("", text))


def name_keys(tokens: Sequence[Token]) -> tuple[str, ...]:
    """The consonant keys of a name's identifying words (ordinary words), empty keys out."""
    return tuple(k for t in tokens if t.substantive and (k := consonant_key(t.word)))


def phonetic_score(query: tuple[str, ...], listed: tuple[str, ...]) -> float | None:
    """The name score when every query key meets a listed key (one each; two neighbouring
    query keys may meet one listed key together), else ``None``."""
    if not query or not listed:
        return None
    left = list(listed)
    letters = 0
    i = 0
    while i < len(query):
        key = query[i]
        if key in left:
            left.remove(key)
            letters += len(key)
            i += 1
            continue
        if i + 1 < len(query) and (joined := key + query[i + 1]) in left:
            left.remove(joined)
            letters += len(joined)
            i += 2
            continue
        return None
    if letters < MIN_KEY_LETTERS:
        return None
    return PHONETIC_NAME_SCORE - PER_UNMATCHED * len(left)
