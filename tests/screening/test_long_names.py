"""A very long name costs work in proportion to its length, not to its length squared.

A 10,000-letter one-word name used to take about 24 CPU-seconds in ``Screener.screen``: its
two-deletion blocking keys number ``n**2 / 2`` (50 million), and the word splitters of
``normalize.py`` sliced the word at every position. The keys of a query text or skeleton
longer than every listed word + 2 cannot equal any listed key (``index._keyable``), and the
splitters only look where a known word can stand. These tests count the work done and check
the bounded look-ups against the unbounded ones: same words met, so same results.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compliance.screening import index as index_module
from compliance.screening import normalize as normalize_module
from compliance.screening import screener as screener_module
from compliance.screening import vocabulary as vocabulary_module
from compliance.screening.index import CandidateIndex, _token_key_hashes, _word_key_set
from compliance.screening.normalize import Token, normalize_name
from compliance.screening.results import Party
from compliance.screening.screener import Screener
from compliance.screening.vocabulary import KNOWN_WORDS, SPLITTABLE, STOPWORDS

from .listdata import entry, snapshot

_LISTED = ["Huawei Technologies Co., Ltd.", "Rostekhnologii", "Shcherbakov Trading", "Ajab"]
LONG = 10_000


def _index() -> CandidateIndex:
    index = CandidateIndex()
    for i, n in enumerate(_LISTED):
        index.add(i, normalize_name(n).tokens)
    index.compact()
    return index


def _sharing_a_key(index: CandidateIndex, t: Token) -> list[int]:
    keys = _word_key_set(t, cached=False)
    return [wid for wid, w in enumerate(index._words) if _word_key_set(w) & keys]


def test_the_bound_is_the_longest_listed_word() -> None:
    index = _index()
    assert index._longest == len("rostekhnologii")
    loaded = CandidateIndex.from_arrays(index.to_arrays())
    assert loaded._longest == index._longest


@settings(max_examples=300)
@given(
    st.sampled_from(["rostekhnologii", "shcherbakov", "huawei", "ajab"]),
    st.text(alphabet=st.sampled_from(list("aeiokhs")), max_size=6),
    st.booleans(),
)
def test_bounded_look_ups_meet_the_words_unbounded_ones_meet(
    word: str, padding: str, before: bool
) -> None:
    """Words around the bound (a listed word padded by 0 to 6 letters): the bounded keys
    meet exactly the listed words that share a string key with the whole word."""
    index = _index()
    query = padding + word if before else word + padding
    tokens = [t for t in normalize_name(query).tokens if t.substantive]
    index.prefetch(tokens)
    for t in tokens:
        expected = _sharing_a_key(index, t)
        assert index._words_of(_token_key_hashes(t, index._longest)) == expected
        assert index._met_words.get(t.cls.value + t.text, expected) == expected


def test_a_word_longer_than_every_listed_word_plus_two_makes_no_keys() -> None:
    index = _index()
    bound = index._longest + 2
    for text in ("rostekhnologiiabcdef", "qwertyuiopasdfghjklzxcvbnm" * (LONG // 26)):
        t = normalize_name(text).tokens[0]
        assert len(t.text) > bound and len(t.skeleton) > bound
        assert _token_key_hashes(t, index._longest) == []
    # the spelled-out keys of the shorter one (the long one's are 50 million strings)
    assert _sharing_a_key(index, normalize_name("rostekhnologiiabcdef").tokens[0]) == []
    at_bound = normalize_name("rostekhnologiiab").tokens[0]
    assert len(at_bound.text) == bound  # its text keys may still meet: kept
    assert _token_key_hashes(at_bound, index._longest) == _token_key_hashes(at_bound)


def test_a_long_text_with_a_short_skeleton_keeps_the_skeleton_keys() -> None:
    """Doubled letters fold away in the skeleton: ``r`` * 10,000 is keyed by ``r`` alone."""
    index = _index()
    t = normalize_name("r" * LONG).tokens[0]
    assert len(t.skeleton) <= index._longest
    skeleton_only = Token(t.skeleton, t.cls, t.skeleton)
    assert _token_key_hashes(t, index._longest) == _token_key_hashes(skeleton_only)


def _counting(monkeypatch: pytest.MonkeyPatch, module: Any, name: str, tally: list[int]) -> None:
    """Replace ``module.name`` by a wrapper adding the length of its first argument."""
    real = getattr(module, name)

    def counted(first: Any, *args: Any, **kwargs: Any) -> Any:
        tally.append(len(first))
        return real(first, *args, **kwargs)

    monkeypatch.setattr(module, name, counted)


@pytest.mark.pure_only
def test_screening_a_10000_letter_word_does_bounded_work(monkeypatch: pytest.MonkeyPatch) -> None:
    """Key hashing reads only sources of listed-word length, no listed word is compared, and
    the word splitters try only positions near the ends."""
    screener = Screener([snapshot(*(entry(str(i), n) for i, n in enumerate(_LISTED)))])
    hashed: list[int] = []
    compared: list[int] = []
    split: list[int] = []
    _counting(monkeypatch, index_module, "key_hashes", hashed)
    _counting(monkeypatch, screener_module, "token_similarity", compared)
    deleted: list[int] = []
    _counting(monkeypatch, vocabulary_module, "_deletes", deleted)
    vocabulary_module.misspelled_generic.cache_clear()
    probes = {"KNOWN_WORDS": KNOWN_WORDS, "STOPWORDS": STOPWORDS, "SPLITTABLE": SPLITTABLE}
    for name, words in probes.items():
        monkeypatch.setattr(normalize_module, name, _Probe(words, split))
    normalize_module._split_known.cache_clear()
    normalize_name.cache_clear()
    for word in ("q" * LONG, "qwertyuiopasdfghjklzxcvbnm" * (LONG // 26)):
        result = screener.screen(Party(name=word))
        assert result.hits == () and result.error is None
    longest = screener._index._longest
    assert all(n <= longest + 2 for n in hashed)
    assert compared == []
    assert deleted == []  # no generic word is one edit from a word this long
    # the splitters look up a bounded number of slices, each at most a known word long
    assert len(split) <= 2 * 4 * (max(map(len, KNOWN_WORDS)) + 4)
    normalize_name.cache_clear()


class _Probe(frozenset[str]):
    """A word set that records each membership test made by the splitters."""

    def __new__(cls, words: frozenset[str], tally: list[int]) -> _Probe:
        probe = super().__new__(cls, words)
        probe.tally = tally  # type: ignore[attr-defined]
        return probe

    def __contains__(self, item: object) -> bool:
        self.tally.append(1)  # type: ignore[attr-defined]
        return super().__contains__(item)


def _split_known_reference(word: str) -> tuple[str, ...]:
    """``normalize._split_known`` as written before the bound: every position tried."""
    if len(word) < 6 or word in KNOWN_WORDS or not word.isalpha():
        return (word,)
    for i in range(2, len(word) - 1):
        head, tail = word[:i], word[i:]
        if head in STOPWORDS and len(tail) >= 5 and tail in KNOWN_WORDS:
            return (head, tail)
        known_tail = tail in STOPWORDS or (len(tail) >= 5 and tail in KNOWN_WORDS)
        if len(head) >= 5 and head in KNOWN_WORDS and known_tail:
            return (head, tail)
    return normalize_module._glued(word) or (word,)


def _glued_reference(word: str) -> tuple[str, ...] | None:
    parts = _known_parts_reference(word)
    if parts is not None:
        return parts
    stems = normalize_module.LEGAL_STEMS
    for i in range(3, len(word) - 2):
        head, tail = word[:i], word[i:]
        if (head in stems and len(tail) >= 3) or (tail in stems and len(head) >= 3):
            return (head, tail)
    return None


def _known_parts_reference(word: str) -> tuple[str, ...] | None:
    for i in range(len(word) - 3, 2, -1):
        head, tail = word[:i], word[i:]
        if head in SPLITTABLE:
            if tail in SPLITTABLE and (len(head) >= 7 or len(tail) >= 7 or min(i, len(tail)) == 3):
                return (head, tail)
            rest = _known_parts_reference(tail) if len(tail) >= 6 else None
            if rest is not None:
                return (head, *rest)
    return None


_PIECES = sorted({*list(KNOWN_WORDS)[:200], *STOPWORDS, *SPLITTABLE, *normalize_module.LEGAL_STEMS})


@settings(max_examples=400)
@given(st.lists(st.one_of(st.sampled_from(_PIECES), st.text("xqzjv", max_size=40)), max_size=4))
def test_bounded_splitters_split_as_the_unbounded_ones(pieces: list[str]) -> None:
    word = "".join(pieces)
    assert normalize_module._glued(word) == _glued_reference(word)
    assert normalize_module._split_known.__wrapped__(word) == _split_known_reference(word)
