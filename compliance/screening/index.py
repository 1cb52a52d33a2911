"""Candidate generation: which listed names are worth scoring for a query, without a scan.

Every name is reduced to *blocking keys*; a query is scored only against listed names that
share at least one key with it. Keys are built so that every pairing the scorer can use to
reach the review threshold shares a key:

* each ordinary word and number, by its romanisation skeleton (``Shcherbakov``/``Scherbakov``);
* each ordinary word of 4+ letters also by every one-deletion variant of its skeleton, and
  words of 8+ letters by every two-deletion variant (symmetric-deletion / SymSpell idea: two
  words k edits apart share a k-deletion variant), matching the scorer's edit budget;
* each pair of neighbouring words, one of them ordinary or a number, joined (``Hua Wei``
  and ``Huawei`` share ``huawei``; two generic words or legal forms are never joined);
* the written word too, and its one-deletion variants, when it differs from its skeleton;
* names made only of legal forms or initials, by those, under a separate ``g:`` prefix.
  (Names made only of generic words, ``Electronics Industry``, already compare those words
  as ordinary ones, see ``normalize.py``.) Generic words and legal forms of other names are
  never keys, so ``Technology`` or ``Co Ltd`` in a query never pull in thousands of names.

The scorer caps any pairing without an agreeing ordinary word or number below the review
threshold, which is what makes these keys sufficient (tested against an exhaustive scan).
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import Any

import numpy as np
from numpy.typing import NDArray

from compliance.screening.normalize import Token, TokenClass, normalize_name
from compliance.screening.transliterate import skeleton

LONG_SKELETON = 8  # skeletons this long also get two-deletion keys (two-edit budget)


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _word_keys_uncached(skel: str) -> frozenset[str]:
    if len(skel) < 4:
        return frozenset((skel,))
    keys = _deletions(skel)
    if len(skel) >= LONG_SKELETON:
        for d in tuple(keys):
            keys |= _deletions(d)
    keys.add(skel)
    return frozenset(keys)


_word_keys = lru_cache(maxsize=16_384)(_word_keys_uncached)


def token_keys(tokens: Sequence[Token]) -> frozenset[str]:
    """Blocking keys of a normalised name (see the module docstring)."""
    keys: set[str] = set()
    has_substantive = False
    for t in tokens:
        if t.cls is TokenClass.ORDINARY or t.cls is TokenClass.NUMBER:
            has_substantive = True
            keys |= _word_key_set(t)
    for a, b in pairwise(tokens):
        if a.substantive or b.substantive:
            keys.add(skeleton(a.word + b.word))
    if not has_substantive:
        keys.update("g:" + t.text for t in tokens)
    return frozenset(keys)


def blocking_keys(name: str) -> frozenset[str]:
    """Keys of a raw name: a query can be a candidate for a listed name only if they share one.

    Stable for a given library version; store them to find which stored counterparties a
    changed list entry can affect (delta re-screening).
    """
    return token_keys(normalize_name(name).tokens)


def clear_build_caches() -> None:
    """Forget per-word key sets and normalised names computed while building an index."""
    _word_keys.cache_clear()
    _text_keys.cache_clear()
    normalize_name.cache_clear()


def _word_key_set(t: Token, *, cached: bool = True) -> frozenset[str]:
    if t.cls is TokenClass.NUMBER:
        return frozenset(("#" + t.text,))
    keys = _word_keys(t.skeleton) if cached else _word_keys_uncached(t.skeleton)
    if t.text == t.skeleton:
        return keys
    return keys | _text_keys(t.text)


@lru_cache(maxsize=16_384)
def _text_keys(text: str) -> frozenset[str]:
    """The written word and its one-deletion variants (the skeleton may fold letters away)."""
    if len(text) < 4:
        return frozenset((text,))
    return frozenset((text, *_deletions(text)))


@dataclass(frozen=True, slots=True)
class Reached:
    """Every listed name a query meets through the index, with what the pruning test needs.

    ``names`` are name ids (sorted); per name, ``gain`` sums ``max(0, (similarity - c) x
    weight)`` over the (query word, listed word) pairs the index verified, where ``c`` is the
    cut given to :meth:`CandidateIndex.reach`; ``mask`` has bit *i* set when query position
    *i* met a word of the name (positions from 60 on are never reported as unmet); ``forced``
    names were met through a rejoined pair or a generic-only key and are always scored in
    full. A name met twice through one listed word counts twice: sums only overestimate.
    """

    names: NDArray[np.int64]
    gain: NDArray[np.float64]
    mask: NDArray[np.int64]
    forced: frozenset[int]


MASK_BITS = 60  # query positions tracked in a mask; later ones count as met (looser, safe)

_EMPTY_INT: NDArray[np.int64] = np.zeros(0, dtype=np.int64)
_EMPTY_FLOAT: NDArray[np.float64] = np.zeros(0, dtype=np.float64)


class CandidateIndex:
    """Two-level inverted index: blocking key -> listed words -> names; plus name-level keys.

    Word-level keys are verified against the real word similarity before the word's names
    are proposed, so one-deletion collisions (``bank``/``bang``) cost a dictionary lookup,
    not a scoring. The key sets are exactly those of :func:`token_keys`. Word -> names
    postings are one compressed array (CSR) built by :meth:`compact`, so a query gathers
    and sums them with a few vector operations instead of a Python loop per name.
    """

    def __init__(self) -> None:
        # key -> word ids: an int when the key leads to one word (most of ~800k keys), else a list
        self._word_by_key: dict[str, Any] = {}
        self._words: list[Token] = []
        self._word_id: dict[str, int] = {}
        self._pair_words = array("i")  # (word id, name id) pairs until compact()
        self._pair_names = array("i")
        self._offsets: NDArray[np.int64] = np.zeros(1, dtype=np.int64)
        self._postings: NDArray[np.int64] = _EMPTY_INT
        self._name_keys: dict[str, Any] = {}  # joins and generic-only keys -> name ids
        self._similar_cache: dict[str, _Similar] = {}
        self._size = 0
        self._compacted = False

    def __len__(self) -> int:
        return self._size

    def compact(self) -> None:
        """Freeze the postings into CSR arrays once every name is added (required before
        queries; adding names afterwards is not supported)."""
        words = np.frombuffer(self._pair_words, dtype=np.int32).astype(np.int64)
        names = np.frombuffer(self._pair_names, dtype=np.int32).astype(np.int64)
        order = np.argsort(words, kind="stable")
        self._postings = names[order]
        counts = np.bincount(words, minlength=len(self._words))
        self._offsets = np.concatenate((np.zeros(1, dtype=np.int64), np.cumsum(counts)))
        self._pair_words = array("i")
        self._pair_names = array("i")
        for k, v in self._name_keys.items():
            self._name_keys[k] = tuple(v)
        self._compacted = True

    def _names_of(self, wid: int) -> NDArray[np.int64]:
        return self._postings[self._offsets[wid] : self._offsets[wid + 1]]

    def _words_for(self, key: str) -> tuple[int, ...] | list[int]:
        bucket = self._word_by_key.get(key)
        if bucket is None:
            return ()
        if isinstance(bucket, int):
            return (bucket,)
        return bucket  # type: ignore[no-any-return]

    @property
    def key_count(self) -> int:
        return len(self._word_by_key) + len(self._name_keys)

    def _word(self, t: Token) -> int:
        wid = self._word_id.get(t.text)
        if wid is None:
            wid = len(self._words)
            self._word_id[t.text] = wid
            self._words.append(t)
            by_key = self._word_by_key
            for k in _word_key_set(t, cached=False):
                bucket = by_key.get(k)
                if bucket is None:
                    by_key[k] = wid  # most keys lead to one word: a bare int saves memory
                elif isinstance(bucket, int):
                    by_key[k] = [bucket, wid]
                else:
                    bucket.append(wid)
        return wid

    def add(self, name_id: int, tokens: Sequence[Token]) -> None:
        has_substantive = False
        seen: set[int] = set()
        for t in tokens:
            if t.cls is TokenClass.ORDINARY or t.cls is TokenClass.NUMBER:
                has_substantive = True
                wid = self._word(t)
                if wid not in seen:
                    seen.add(wid)
                    self._pair_words.append(wid)
                    self._pair_names.append(name_id)
        extra: set[str] = set()
        for a, b in pairwise(tokens):
            if a.substantive or b.substantive:
                extra.add(skeleton(a.word + b.word))
        if not has_substantive:
            extra.update("g:" + t.text for t in tokens)
        for k in extra:
            bucket = self._name_keys.get(k)
            if bucket is None:
                self._name_keys[k] = [name_id]
            else:
                bucket.append(name_id)
        self._size += 1

    def _similar_words(
        self,
        t: Token,
        weight: Callable[[Token], float],
        similarity: Callable[[Token, Token], float],
        cut: float,
    ) -> _Similar:
        """Listed words a query word may pair with, as posting spans with their gains."""
        cache_key = t.cls.value + t.text
        cached = self._similar_cache.get(cache_key)
        if cached is not None:
            return cached
        words: set[int] = set()
        for k in _word_key_set(t):
            words.update(self._words_for(k))
        starts: list[int] = []
        lengths: list[int] = []
        gains: list[float] = []
        offsets = self._offsets
        for wid in sorted(words):
            s = similarity(t, self._words[wid])
            if s > 0.0:
                lo = int(offsets[wid])
                starts.append(lo)
                lengths.append(int(offsets[wid + 1]) - lo)
                gains.append(max(0.0, (s - cut) * weight(self._words[wid])))
        out = (starts, lengths, gains)
        if len(self._similar_cache) > 100_000:
            self._similar_cache.clear()
        self._similar_cache[cache_key] = out
        return out

    def reach(
        self,
        tokens: Sequence[Token],
        weight: Callable[[Token], float],
        similarity: Callable[[Token, Token], float],
        cut: float,
    ) -> Reached:
        """Every listed name sharing a blocking key with the query (see :class:`Reached`)."""
        starts: list[int] = []
        lengths: list[int] = []
        gains: list[float] = []
        bits: list[int] = []
        has_substantive = False
        for pos, t in enumerate(tokens):
            if not t.substantive:
                continue
            has_substantive = True
            w_starts, w_lengths, w_gains = self._similar_words(t, weight, similarity, cut)
            starts += w_starts
            lengths += w_lengths
            gains += w_gains
            bits += [1 << pos if pos < MASK_BITS else 0] * len(w_starts)
        forced = self._forced(tokens, has_substantive)
        if not starts:
            return Reached(_EMPTY_INT, _EMPTY_FLOAT, _EMPTY_INT, forced)
        length = np.array(lengths, dtype=np.int64)
        total = int(length.sum())
        # positions of every posting of every met word, in one gather
        first = np.cumsum(length) - length
        spans = np.repeat(np.array(starts, dtype=np.int64) - first, length)
        names = self._postings[spans + np.arange(total, dtype=np.int64)]
        uniq, inv = np.unique(names, return_inverse=True)
        weights = np.repeat(np.array(gains, dtype=np.float64), length)
        gain: NDArray[np.float64] = np.bincount(inv, weights=weights, minlength=len(uniq)).astype(
            np.float64, copy=False
        )
        mask = np.zeros(len(uniq), dtype=np.int64)
        np.bitwise_or.at(mask, inv, np.repeat(np.array(bits, dtype=np.int64), length))
        return Reached(uniq, gain, mask, forced)

    def _forced(self, tokens: Sequence[Token], has_substantive: bool) -> frozenset[int]:
        """Names that only meet the query once words are rejoined (scored unconditionally):
        a listed pair written as one query word, or a query pair written as one listed word."""
        forced: set[int] = set()
        extra: set[str] = {
            t.skeleton for t in tokens if t.cls is TokenClass.ORDINARY and len(t.text) >= 4
        }
        if not has_substantive:
            extra.update("g:" + t.text for t in tokens)
        for k in extra:
            forced.update(self._name_keys.get(k, ()))
        for a, b in pairwise(tokens):
            if not (a.substantive or b.substantive):
                continue
            joined = skeleton(a.word + b.word)
            for wid in self._words_for(joined):
                word = self._words[wid]
                if word.skeleton == joined and len(word.text) >= 4:
                    forced.update(self._names_of(wid).tolist())
        return frozenset(forced)

    def candidates(self, tokens: Sequence[Token]) -> set[int]:
        """Ids of every indexed name sharing at least one blocking key (no verification)."""
        keys = token_keys(tokens)
        found: set[int] = set()
        for k in keys:
            for wid in self._words_for(k):
                found.update(self._names_of(wid).tolist())
            found.update(self._name_keys.get(k, ()))
        return found


_Similar = tuple[list[int], list[int], list[float]]
"""Per met listed word: posting start, posting length, pruning gain."""
