"""Hashed blocking keys are the hashes of the string keys, whichever way they are computed.

The candidate index files listed words under the 64-bit hashes of their blocking keys,
computed in bulk from prefix sums (compliance/screening/keyhash.py). These tests build the
key strings the slow, obvious way and check that the bulk form, the one-word form and the
index's own look-ups agree with them exactly.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from compliance.screening.index import (
    CandidateIndex,
    _token_key_hashes,
    _word_key_set,
    word_key_hashes,
)
from compliance.screening.keyhash import (
    MIN_DELETION,
    deletion_key_hashes,
    full_hashes,
    key_hashes,
    string_hash,
)
from compliance.screening.normalize import Token, normalize_name
from compliance.screening.results import Party
from compliance.screening.screener import Screener
from compliance.screening.tunables import TUNABLES
from compliance.watchlists.load import load_list

_TEXT = st.text(alphabet=st.sampled_from([*"abkhzsy019", "é", "ж"]), max_size=16)


def _spelled_out_keys(text: str, two_from: int) -> set[str]:
    """The keys as strings: the text, its one-deletion and (long) two-deletion variants."""
    keys = {text}
    n = len(text)
    if n >= MIN_DELETION:
        keys |= {text[:i] + text[i + 1 :] for i in range(n)}
        if n >= two_from:
            keys |= {
                text[:i] + text[i + 1 : j] + text[j + 1 :]
                for i in range(n)
                for j in range(i + 1, n)
            }
    return keys


def test_string_hash_is_a_polynomial_over_code_points() -> None:
    assert string_hash("") == 0
    assert string_hash("a") == ord("a")
    assert string_hash("ab") == ord("a") * 0x100000001B3 + ord("b")
    assert string_hash("ab") != string_hash("ba")


@settings(max_examples=400)
@given(
    st.lists(
        st.tuples(_TEXT, st.sampled_from((TUNABLES.long_skeleton, TUNABLES.long_text))), max_size=12
    )
)
def test_bulk_hashes_are_the_hashes_of_the_spelled_out_keys(
    items: list[tuple[str, int]],
) -> None:
    hashes, owners = deletion_key_hashes([t for t, _ in items], [f for _, f in items])
    got: dict[int, set[int]] = {}
    for h, k in zip(hashes.tolist(), owners.tolist(), strict=True):
        got.setdefault(k, set()).add(h)
    for k, (text, two_from) in enumerate(items):
        expected = {string_hash(s) for s in _spelled_out_keys(text, two_from)}
        assert got.get(k, set()) == expected
        assert set(key_hashes(text, two_from)) == expected


@given(st.lists(_TEXT, max_size=10))
def test_full_hashes_match_the_reference(texts: list[str]) -> None:
    assert full_hashes(texts).tolist() == [string_hash(t) for t in texts]


def _tokens(names: list[str]) -> list[Token]:
    return [t for n in names for t in normalize_name(n).tokens]


_NAMES = st.text(alphabet=st.sampled_from(list("abcdeghijkmnostuyz 0123-")), max_size=30)


@settings(max_examples=300)
@given(st.lists(_NAMES, max_size=6))
def test_index_hashes_are_those_of_the_string_keys(names: list[str]) -> None:
    """The index's word keys are exactly ``token_keys``' word keys (used by delta
    re-screening), hashed: one bulk call for many words, one call per word, or by hand."""
    words = [t for t in _tokens(names) if t.substantive]
    hashes, owners = word_key_hashes(words)
    for k, t in enumerate(words):
        expected = {string_hash(s) for s in _word_key_set(t)}
        assert set(hashes[owners == k].tolist()) == expected
        assert set(_token_key_hashes(t)) == expected


_LISTED = [
    "Huawei Technologies Co., Ltd.",
    "Semiconductor Manufacturing International Corporation",
    "Shcherbakov Trading",
    "Zhongxing Telecom 2012",
    "Rostekhnologii",
    "Novosibirsk Kalashnikov Plant",
    "Ajab Jack",
]


def _index(names: list[str]) -> CandidateIndex:
    index = CandidateIndex()
    for i, n in enumerate(names):
        index.add(i, normalize_name(n).tokens)
    index.compact()
    return index


def _sharing_a_key(index: CandidateIndex, t: Token) -> list[int]:
    keys = _word_key_set(t)
    return [wid for wid, w in enumerate(index._words) if _word_key_set(w) & keys]


@settings(max_examples=200)
@given(st.sampled_from(_LISTED), st.integers(0, 30), st.sampled_from(list("aekhsz")))
def test_index_finds_exactly_the_words_sharing_a_string_key(
    listed: str, pos: int, letter: str
) -> None:
    index = _index(_LISTED)
    query = listed[:pos] + letter + listed[pos + 1 :]
    tokens = [t for t in normalize_name(query).tokens if t.substantive]
    index.prefetch(tokens)
    for t in tokens:
        expected = _sharing_a_key(index, t)
        one = index._words_of(_token_key_hashes(t))
        assert one == expected
        assert index._met_words.get(t.cls.value + t.text, expected) == expected


def test_a_batch_gives_what_screening_one_by_one_gives(shared_data: Path) -> None:
    """screen_many looks words up block by block (prefetch); screen looks them up one by
    one. Same bytes either way, on real listed names with typos and on innocents."""
    snapshot = load_list(shared_data / "lists/csl/2026-07-31_compact/consolidated.csv")
    entries = snapshot.entries[::40]
    names = [e.name for e in entries] + [e.name[:3] + "x" + e.name[4:] for e in entries]
    names += ["Acme Widgets GmbH", "Northwind Traders", "Globex Corporation"]
    parties = [Party(name=n) for n in names]
    batch = Screener([snapshot]).screen_many(parties)
    single = Screener([snapshot])
    one_by_one = [single.screen(p) for p in parties]
    assert [r.model_dump_json() for r in batch] == [r.model_dump_json() for r in one_by_one]
    assert any(r.hits for r in batch)
