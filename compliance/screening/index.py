"""Candidate generation: which listed names are worth scoring for a query, without a scan.

Every name is reduced to *blocking keys*; a query is scored only against listed names that
share at least one key with it. Keys are built so that every pairing the scorer can use to
reach the review threshold shares a key:

* each ordinary word and number, by its romanisation skeleton (``Shcherbakov``/``Scherbakov``);
* each ordinary word of 4+ letters also by every one-deletion variant of its skeleton, and
  words of 8+ letters by every two-deletion variant (symmetric-deletion / SymSpell idea: two
  words k edits apart share a k-deletion variant), matching the scorer's edit budget;
* each pair of neighbouring words, one of them ordinary or a number, joined (``Hua Wei``
  and ``Huawei`` share ``huawei``; two generic words too, legal forms never);
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

from compliance.screening.normalize import (
    Token,
    TokenClass,
    classify,
    glued_stem,
    joinable,
    normalize_name,
)
from compliance.screening.transliterate import skeleton

LONG_SKELETON = 8  # skeletons this long also get two-deletion keys (two-edit budget)
LONG_TEXT = 9  # written words this long may differ by two edits (score._allowed_edits)


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _word_keys_uncached(skel: str) -> frozenset[str]:
    n = len(skel)
    if n < 4:
        return frozenset((skel,))
    keys = _deletions(skel)
    if n >= LONG_SKELETON:
        # every two-deletion variant, each generated once (positions i < j)
        keys.update(
            skel[:i] + skel[i + 1 : j] + skel[j + 1 :] for i in range(n) for j in range(i + 1, n)
        )
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
        if joinable(a, b):
            keys.add(skeleton(a.word + b.word))
    if not has_substantive:
        keys.update("g:" + t.text for t in tokens)
    return frozenset(keys)


def blocking_keys(name: str) -> frozenset[str]:
    """Keys of a raw name: a query can be a candidate for a listed name only if they share one.

    Stable for a given library version; store them to find which stored counterparties a
    changed list entry can affect (delta re-screening). They include the keys of the name
    with every glued "and"/"of" split off (``unglued``), which the Screener may do.
    """
    tokens = normalize_name(name).tokens
    split = unglued(tokens)
    if split == tokens:
        return token_keys(tokens)
    return token_keys(tokens) | token_keys(split)


def unglued(
    tokens: Sequence[Token], keep: Callable[[Token, Token], bool] | None = None
) -> tuple[Token, ...]:
    """The tokens with a glued "and"/"of" split off ordinary words (``Portof`` -> ``port``),
    where ``keep(word, stem)`` does not say to keep the word whole."""
    out: list[Token] | None = None
    for i, t in enumerate(tokens):
        if t.cls is not TokenClass.ORDINARY or t.promoted:
            continue
        stem = glued_stem(t.text)
        if stem is None:
            continue
        stem_token = classify(stem)
        if stem_token.cls is TokenClass.NUMBER or (keep is not None and keep(t, stem_token)):
            continue
        if out is None:
            out = list(tokens)
        out[i] = stem_token
    return tuple(tokens) if out is None else tuple(out)


def clear_build_caches() -> None:
    """Forget per-word key sets and normalised names computed while building an index."""
    _word_keys.cache_clear()
    _text_keys.cache_clear()
    normalize_name.cache_clear()


def _word_key_set(t: Token, *, cached: bool = True) -> frozenset[str]:
    if t.cls is TokenClass.NUMBER:
        # a long number is also keyed as written, where two listed numbers run together
        # meet it ("140/14" glued into "14014"; joined pairs are keyed without "#")
        if len(t.text) >= 4:
            return frozenset(("#" + t.text, t.text))
        return frozenset(("#" + t.text,))
    keys = _word_keys(t.skeleton) if cached else _word_keys_uncached(t.skeleton)
    if t.text == t.skeleton:
        return keys
    return keys | _text_keys(t.text)


@lru_cache(maxsize=16_384)
def _text_keys(text: str) -> frozenset[str]:
    """The written word and its deletion variants (the skeleton may fold letters away): one
    deletion, two for words long enough for the scorer's two-edit budget."""
    if len(text) < 4:
        return frozenset((text,))
    if len(text) >= LONG_TEXT:
        return _word_keys_uncached(text)
    return frozenset((text, *_deletions(text)))


@dataclass(frozen=True, slots=True)
class Reached:
    """Every listed name a query meets through the index, with what the pruning test needs.

    ``names`` are name ids (sorted); per name, ``gain`` sums ``max(0, (similarity - cut) x
    weight)`` over the (query word, listed word) pairs the index verified, plus a fixed
    credit per rejoined pair (see :meth:`CandidateIndex.reach`); ``mask`` has bit *i* set
    when query position *i* met a word of the name (positions from 60 on are never
    reported as unmet). A name met twice through one listed word counts twice: the sums
    only overestimate, which keeps the pruning test safe. ``always`` holds names made only
    of legal forms or initials met by a query made only of such words: scored in full.
    """

    names: NDArray[np.int64]
    gain: NDArray[np.float64]
    mask: NDArray[np.int64]
    always: frozenset[int]


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
        self._offset_list: list[int] = [0]
        self._name_keys: dict[str, int] = {}  # joins and generic-only keys -> key id
        self._key_pairs = array("i")  # (key id, name id) pairs until compact()
        self._key_pair_names = array("i")
        self._key_offsets: NDArray[np.int64] = np.zeros(1, dtype=np.int64)
        self._key_postings: NDArray[np.int64] = _EMPTY_INT
        self._similar_cache: dict[str, _Similar] = {}
        self._size = 0

    def __len__(self) -> int:
        return self._size

    def compact(self) -> None:
        """Freeze the postings into CSR arrays once every name is added (required before
        queries; adding names afterwards is not supported)."""
        self._offsets, self._postings = _csr(self._pair_words, self._pair_names, len(self._words))
        self._offset_list = self._offsets.tolist()  # scalar reads, no numpy boxing
        self._key_offsets, self._key_postings = _csr(
            self._key_pairs, self._key_pair_names, len(self._name_keys)
        )
        self._pair_words, self._pair_names = array("i"), array("i")
        self._key_pairs, self._key_pair_names = array("i"), array("i")

    def _names_of(self, wid: int) -> NDArray[np.int64]:
        return self._postings[self._offsets[wid] : self._offsets[wid + 1]]

    def _words_for(self, key: str) -> tuple[int, ...] | list[int]:
        bucket = self._word_by_key.get(key)
        if bucket is None:
            return ()
        if isinstance(bucket, int):
            return (bucket,)
        return bucket  # type: ignore[no-any-return]

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
            if joinable(a, b):
                extra.add(skeleton(a.word + b.word))
        if not has_substantive:
            extra.update("g:" + t.text for t in tokens)
        for k in extra:
            key = self._name_keys.get(k)
            if key is None:
                key = self._name_keys[k] = len(self._name_keys)
            self._key_pairs.append(key)
            self._key_pair_names.append(name_id)
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
        by_key = self._word_by_key
        for k in _word_key_set(t):
            bucket = by_key.get(k)
            if bucket is None:
                continue
            if type(bucket) is int:
                words.add(bucket)
            else:
                words.update(bucket)
        starts: list[int] = []
        lengths: list[int] = []
        gains: list[float] = []
        offsets = self._offset_list
        listed = self._words
        for wid in sorted(words):
            word = listed[wid]
            s = similarity(t, word)
            if s > 0.0:
                lo = offsets[wid]
                starts.append(lo)
                lengths.append(offsets[wid + 1] - lo)
                gains.append(max(0.0, (s - cut) * weight(word)))
        out = (starts, lengths, gains)
        if len(self._similar_cache) > 100_000:
            self._similar_cache.clear()
        self._similar_cache[cache_key] = out
        return out

    def knows(self, t: Token) -> bool:
        """Whether ``t`` is a word of some indexed name (same text)."""
        return t.text in self._word_id

    def meets(
        self,
        t: Token,
        weight: Callable[[Token], float],
        similarity: Callable[[Token, Token], float],
        cut: float,
    ) -> bool:
        """Whether ``t`` pairs any indexed word (the look-up :meth:`reach` makes, cached)."""
        return bool(self._similar_words(t, weight, similarity, cut)[0])

    def reach(
        self,
        tokens: Sequence[Token],
        weight: Callable[[Token], float],
        similarity: Callable[[Token, Token], float],
        cut: float,
        join_credit: float,
    ) -> Reached:
        """Every listed name sharing a blocking key with the query (see :class:`Reached`).

        A name met through a rejoined pair (a listed pair written as one query word, or a
        query pair written as one listed word) gets ``join_credit`` per join and the query
        positions of the join marked as met: what pairing the rejoined word can add at most.
        """
        word_starts: list[int] = []
        word_lengths: list[int] = []
        word_gains: list[float] = []
        word_bits: list[int] = []
        has_substantive = False
        for pos, t in enumerate(tokens):
            if not t.substantive:
                if t.cls is TokenClass.GENERIC or t.cls is TokenClass.LEGAL:
                    # a generic word or legal form pairs, by equal text, the same word
                    # promoted to ordinary in a name made only of such words
                    self._promoted_span(t, weight, cut, word_starts, word_lengths, word_gains)
                    word_bits.append(0)  # not a query word that must be met
                continue
            has_substantive = True
            starts, lengths, gains = self._similar_words(t, weight, similarity, cut)
            word_starts += starts
            word_lengths += lengths
            word_gains += gains
            word_bits += [_bit(pos)] * len(starts)
        key_starts: list[int] = []
        key_lengths: list[int] = []
        key_bits: list[int] = []
        self._joins(tokens, word_starts, word_lengths, word_bits, key_starts, key_lengths, key_bits)
        word_gains += [join_credit] * (len(word_starts) - len(word_gains))
        always: frozenset[int] = frozenset()
        if not has_substantive:
            # names made only of legal forms or initials: compared in full, always (few)
            always = frozenset(
                name
                for t in tokens
                for name in self._key_names(self._name_keys.get("g:" + t.text)).tolist()
            )
        if not word_starts and not key_starts:
            return Reached(_EMPTY_INT, _EMPTY_FLOAT, _EMPTY_INT, always)
        names = np.concatenate(
            (
                _gather(self._postings, word_starts, word_lengths),
                _gather(self._key_postings, key_starts, key_lengths),
            )
        )
        span_lengths = np.array(word_lengths + key_lengths, dtype=np.int64)
        span_gains = np.array(word_gains + [join_credit] * len(key_starts), dtype=np.float64)
        span_bits = np.array(word_bits + key_bits, dtype=np.int64)
        uniq, inv = np.unique(names, return_inverse=True)
        gain: NDArray[np.float64] = np.bincount(
            inv, weights=np.repeat(span_gains, span_lengths), minlength=len(uniq)
        ).astype(np.float64, copy=False)
        mask = np.zeros(len(uniq), dtype=np.int64)
        np.bitwise_or.at(mask, inv, np.repeat(span_bits, span_lengths))
        return Reached(uniq, gain, mask, always)

    def _promoted_span(
        self,
        t: Token,
        weight: Callable[[Token], float],
        cut: float,
        starts: list[int],
        lengths: list[int],
        gains: list[float],
    ) -> None:
        wid = self._word_id.get(t.text)
        lo = hi = 0
        if wid is not None and self._words[wid].promoted:
            lo, hi = self._offset_list[wid], self._offset_list[wid + 1]
            gains.append(max(0.0, (1.0 - cut) * weight(self._words[wid])))
        else:
            gains.append(0.0)
        starts.append(lo)
        lengths.append(hi - lo)

    def _joins(
        self,
        tokens: Sequence[Token],
        word_starts: list[int],
        word_lengths: list[int],
        word_bits: list[int],
        key_starts: list[int],
        key_lengths: list[int],
        key_bits: list[int],
    ) -> None:
        """Posting spans of the names met only once words are rejoined, as the scorer
        rejoins them (``score._merge_spacing``), with the query positions each join uses."""
        for pos, t in enumerate(tokens):
            if (t.cls is TokenClass.ORDINARY or t.cls is TokenClass.NUMBER) and len(t.text) >= 4:
                key = self._name_keys.get(t.skeleton)
                if key is not None:
                    lo = int(self._key_offsets[key])
                    key_starts.append(lo)
                    key_lengths.append(int(self._key_offsets[key + 1]) - lo)
                    key_bits.append(_bit(pos))
        for pos, (a, b) in enumerate(pairwise(tokens)):
            if not joinable(a, b):
                continue
            joined = skeleton(a.word + b.word)
            for wid in self._words_for(joined):
                word = self._words[wid]
                if word.skeleton == joined and len(word.text) >= 4:
                    lo = self._offset_list[wid]
                    word_starts.append(lo)
                    word_lengths.append(self._offset_list[wid + 1] - lo)
                    word_bits.append(_bit(pos) | _bit(pos + 1))

    def _key_names(self, key: int | None) -> NDArray[np.int64]:
        if key is None:
            return _EMPTY_INT
        return self._key_postings[self._key_offsets[key] : self._key_offsets[key + 1]]

    def candidates(self, tokens: Sequence[Token]) -> set[int]:
        """Ids of every indexed name sharing at least one blocking key (no verification)."""
        keys = token_keys(tokens)
        found: set[int] = set()
        for k in keys:
            for wid in self._words_for(k):
                found.update(self._names_of(wid).tolist())
            found.update(self._key_names(self._name_keys.get(k)).tolist())
        return found


def _csr(
    rows: array[int], values: array[int], count: int
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """(offsets, values) of a compressed sparse row table from (row, value) pairs."""
    row = np.frombuffer(rows, dtype=np.int32).astype(np.int64)
    value = np.frombuffer(values, dtype=np.int32).astype(np.int64)
    order = np.argsort(row, kind="stable")
    counts = np.bincount(row, minlength=count)
    offsets = np.concatenate((np.zeros(1, dtype=np.int64), np.cumsum(counts)))
    return offsets, value[order]


def _bit(pos: int) -> int:
    """A query position's bit in a mask; positions past MASK_BITS are never reported unmet."""
    return 1 << pos if pos < MASK_BITS else 0


def _gather(source: NDArray[np.int64], starts: list[int], lengths: list[int]) -> NDArray[np.int64]:
    """``source[start:start + length]`` for every span, concatenated, in one vector gather."""
    if not starts:
        return _EMPTY_INT
    length = np.array(lengths, dtype=np.int64)
    first = np.cumsum(length) - length
    base = np.repeat(np.array(starts, dtype=np.int64) - first, length)
    return source[base + np.arange(int(length.sum()), dtype=np.int64)]


_Similar = tuple[list[int], list[int], list[float]]
"""Per met listed word: posting start, posting length, pruning gain."""
