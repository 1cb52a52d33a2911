"""The blocking keys and the scorer agree: every word pair the scorer may pair shares a key.

The candidate index only proposes listed words that share a blocking key with a query word,
and the pruning test of the Screener counts a query word the index did not meet as
unpaired. Both are exact only if ``token_similarity(a, b) > 0`` implies that ``a`` and ``b``
share a key. Short romanisation skeletons ("ab" from "Ajab", "ak" from "Jack") once broke
this: the scorer allowed an edit between them, the keys did not.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import OSA
from rapidfuzz.process import cdist

from compliance.screening.index import _word_key_set
from compliance.screening.normalize import Token, TokenClass, normalize_name
from compliance.screening.score import token_similarity
from compliance.screening.transliterate import skeleton
from compliance.watchlists.load import load_list

# letters chosen so that skeleton rules fire often (kh, zh, ya, ts, sch, double letters)
_LETTERS = st.sampled_from(list("abcehijknostuyz"))
_WORDS = st.lists(_LETTERS, min_size=1, max_size=13).map("".join)


def _word(text: str) -> Token:
    return Token(text, TokenClass.ORDINARY, skeleton(text))


def _share_key(a: Token, b: Token) -> bool:
    return bool(_word_key_set(a) & _word_key_set(b))


_EDITS = st.lists(
    st.tuples(st.sampled_from(("insert", "delete", "replace")), st.integers(0, 12), _LETTERS),
    min_size=1,
    max_size=3,
)


def _edited(word: str, edits: list[tuple[str, int, str]]) -> str:
    for op, pos, letter in edits:
        pos %= len(word) + 1
        if op == "insert":
            word = word[:pos] + letter + word[pos:]
        elif op == "delete" and len(word) > 1:
            word = word[:pos] + word[pos + 1 :]
        else:
            word = word[:pos] + letter + word[pos + 1 :]
    return word


@settings(max_examples=3000)
@given(_WORDS, _EDITS)
def test_words_the_scorer_pairs_share_a_blocking_key(
    a: str, edits: list[tuple[str, int, str]]
) -> None:
    """Near pairs (one to three edits apart), where the scorer's edit budget decides."""
    b = _edited(a, edits)
    ta, tb = _word(a), _word(b)
    if token_similarity(ta, tb) > 0.0:
        assert _share_key(ta, tb), (a, ta.skeleton, b, tb.skeleton)


@given(_WORDS, st.integers(min_value=0, max_value=12), _LETTERS)
def test_one_substitution_in_a_long_word_is_found(a: str, pos: int, letter: str) -> None:
    """The positive side: a one-letter change of a 5+ letter word is paired and keyed."""
    if len(a) < 5:
        return
    pos %= len(a)
    b = a[:pos] + letter + a[pos + 1 :]
    ta, tb = _word(a), _word(b)
    assert token_similarity(ta, tb) > 0.0
    assert _share_key(ta, tb)


def test_short_skeletons_must_agree_exactly() -> None:
    # "Ajab" and "Jack" fold to "ab" and "ak": one edit apart, but not the same word
    assert token_similarity(_word("ajab"), _word("jack")) == 0.0
    assert token_similarity(_word("jian"), _word("han")) == 0.0
    # the same skeleton still pairs ("Shcherbakov" / "Scherbakov")
    assert token_similarity(_word("shcherbakov"), _word("scherbakov")) > 0.9


@pytest.mark.shared
@pytest.mark.slow
def test_no_word_pair_of_the_real_list_escapes_the_keys(shared_data: Path) -> None:
    """Every pair of words of the 2026 CSL the scorer accepts (for a seeded sample of 2,000
    words against all ~38,000) shares a blocking key."""
    snapshot = load_list(shared_data / "lists/csl/2026-07-31_compact/consolidated.csv")
    words: dict[str, Token] = {}
    for entry in snapshot.entries:
        for text, _ in entry.all_names:
            for t in normalize_name(text).tokens:
                if t.substantive:
                    words.setdefault(t.text, t)
    vocabulary = sorted(words.values(), key=lambda t: t.text)
    sample = random.Random(20261129).sample(vocabulary, 2000)
    # rapidfuzz narrows the all-pairs check to pairs within two edits on text or skeleton
    near_text, near_skeleton = (
        cdist(
            [getattr(t, field) for t in sample],
            [getattr(t, field) for t in vocabulary],
            scorer=OSA.distance,
            score_cutoff=2,
            workers=-1,
        )
        for field in ("text", "skeleton")
    )
    paired = missed = 0
    for i, a in enumerate(sample):
        for j in ((near_text[i] <= 2) | (near_skeleton[i] <= 2)).nonzero()[0]:
            b = vocabulary[int(j)]
            if token_similarity(a, b) > 0.0:
                paired += 1
                missed += not _share_key(a, b)
    assert paired > 5000
    assert missed == 0
