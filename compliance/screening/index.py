"""Candidate generation: which listed names are worth scoring for a query, without a scan.

Every name is reduced to *blocking keys*; a query is scored only against listed names that
share at least one key with it. Keys are built so that every pairing the scorer can use to
reach the review threshold shares a key:

* each ordinary word and number, by its romanisation skeleton (``Shcherbakov``/``Scherbakov``);
* each ordinary word of 4+ letters also by every one-deletion variant of its skeleton, and
  words of 8+ letters by every two-deletion variant (symmetric-deletion / SymSpell idea: two
  words k edits apart share a k-deletion variant), matching the scorer's edit budget;
* each run of two or three neighbouring words, each pair of them with an ordinary word or a
  number, joined (``Hua Wei`` and ``Huawei`` share ``huawei``, ``Rostov-On-Don`` and
  ``RostovOnDon`` share ``rostovondon``; two generic words too, legal forms never);
* the written word too, and its one-deletion variants, when it differs from its skeleton;
* each ordinary word by its romanisation-scheme key (``romanisation.scheme_keys``, prefix
  ``~``), exactly: ``Druschba`` and ``Druzhba``, ``UWS`` and ``UVZ`` share it;
* names made only of legal forms or initials, by those, under a separate ``g:`` prefix.
  (Names made only of generic words, ``Electronics Industry``, already compare those words
  as ordinary ones, see ``normalize.py``.) Generic words and legal forms of other names are
  never keys, so ``Technology`` or ``Co Ltd`` in a query never pull in thousands of names.

The scorer caps any pairing without an agreeing ordinary word or number below the review
threshold, which is what makes these keys sufficient (tested against an exhaustive scan).
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from numpy.typing import NDArray

from compliance.screening.arrays import (
    Arrays,
    IndexFormatError,
    Lazy,
    TokenColumns,
    check_csr,
    need,
    pack_strings,
    pack_tokens,
    scalar,
    unpack_strings,
)
from compliance.screening.kernel import ReachKernel, load_kernel
from compliance.screening.keyhash import (
    deletion_key_hashes,
    full_hashes,
    key_hashes,
    string_hash,
)
from compliance.screening.normalize import (
    EXACT,
    MAX_RUN,
    SHORT_JOIN,
    Token,
    TokenClass,
    classify,
    glued_stem,
    normalize_name,
    rejoined_runs,
    word_join_key,
)
from compliance.screening.romanisation import PREFIX as SCHEME_PREFIX
from compliance.screening.romanisation import scheme_keys
from compliance.screening.tunables import TUNABLES

_NO_RUNS: tuple[tuple[int, int, str], ...] = ()


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _word_keys_uncached(skel: str) -> frozenset[str]:
    n = len(skel)
    if n < 4:
        return frozenset((skel,))
    keys = _deletions(skel)
    if n >= TUNABLES.long_skeleton:
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
    keys.update(skel for _, _, skel in rejoined_runs(tokens))
    # a short word meets a run rejoined to its letters under the run's key ("=pad")
    keys.update(k for k in map(word_join_key, tokens) if k is not None and k[0] == EXACT)
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
    scheme = _scheme_index_keys(t.text)
    if scheme:
        keys = keys.union(scheme)
    if t.text == t.skeleton:
        return keys
    return keys | _text_keys(t.text)


def _scheme_index_keys(text: str, longest: int | None = None) -> list[str]:
    """The index keys of a word's romanisation-scheme keys long enough to pair
    (``score._scheme_pair``) and, with ``longest``, no longer than the longest listed word
    (a listed word's scheme key is never longer than the word: skipping it is exact)."""
    return [
        SCHEME_PREFIX + key
        for key in scheme_keys(text)
        if len(key) >= TUNABLES.min_skeleton and (longest is None or len(key) <= longest)
    ]


@lru_cache(maxsize=16_384)
def _text_keys(text: str) -> frozenset[str]:
    """The written word and its deletion variants (the skeleton may fold letters away): one
    deletion, two for words long enough for the scorer's two-edit budget."""
    if len(text) < 4:
        return frozenset((text,))
    if len(text) >= TUNABLES.long_text:
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


_KERNEL: ReachKernel | None = load_kernel()

MASK_BITS = 60  # query positions tracked in a mask; later ones count as met (looser, safe)

_EMPTY_INT: NDArray[np.int64] = np.zeros(0, dtype=np.int64)
_EMPTY_FLOAT: NDArray[np.float64] = np.zeros(0, dtype=np.float64)


class CandidateIndex:
    """Two-level inverted index: blocking key -> listed words -> names; plus name-level keys.

    Word-level keys are verified against the real word similarity before the word's names
    are proposed, so one-deletion collisions (``bank``/``bang``) cost a look-up, not a
    scoring. The word keys are those of :func:`token_keys`, filed by their 64-bit hashes
    (:mod:`compliance.screening.keyhash`) in one sorted array. Word -> names
    postings are one compressed array (CSR) built by :meth:`compact`, so a query gathers
    and sums them with a few vector operations instead of a Python loop per name.
    """

    def __init__(self) -> None:
        # word-level blocking key -> word ids, as (key hash, word id) pairs sorted by hash
        # (keyhash.py): made in a few vector operations at compact() instead of ~1.2M
        # Python strings. A hash shared by two keys only proposes an extra word, which
        # _similar_words verifies; no candidate is lost.
        self._key_hashes: NDArray[np.uint64] = np.zeros(0, dtype=np.uint64)
        self._key_words = array("i")  # word id of each hash (an array: cheap scalar reads)
        self._words: list[Token] | Lazy[Token] = []  # Lazy when loaded (from_arrays)
        self._word_id: dict[str, int] = {}
        self._by_skeleton: dict[str, list[int]] = {}  # for joined query words
        self._pair_words = array("i")  # (word id, name id) pairs until compact()
        self._pair_names = array("i")
        self._offsets: NDArray[np.int64] = np.zeros(1, dtype=np.int64)
        self._postings: NDArray[np.int64] = _EMPTY_INT
        self._offset_list: list[int] = [0]
        self._name_keys: dict[str, int] = {}  # joins and generic-only keys -> key id
        self._run_keys: set[int] = set()  # name keys of three words rejoined (_joins)
        self._key_pairs = array("i")  # (key id, name id) pairs until compact()
        self._key_pair_names = array("i")
        self._key_offsets: NDArray[np.int64] = np.zeros(1, dtype=np.int64)
        self._key_postings: NDArray[np.int64] = _EMPTY_INT
        self._similar_cache: dict[str, _Similar] = {}
        self._met_words: dict[str, list[int]] = {}  # prefetched, not yet verified
        self._longest = 0  # longest listed word (text or skeleton): bounds query keys
        self._size = 0

    def __len__(self) -> int:
        return self._size

    def compact(self) -> None:
        """Freeze the postings into CSR arrays once every name is added (required before
        queries; adding names afterwards is not supported)."""
        hashes, words = _key_table(self._words)
        self._longest = _longest_source(self._words)
        self._key_hashes = hashes
        self._key_words = array("i", words.astype(np.int32).tobytes())
        self._offsets, self._postings = _csr(self._pair_words, self._pair_names, len(self._words))
        self._offset_list = self._offsets.tolist()  # scalar reads, no numpy boxing
        self._key_offsets, self._key_postings = _csr(
            self._key_pairs, self._key_pair_names, len(self._name_keys)
        )
        self._pair_words, self._pair_names = array("i"), array("i")
        self._key_pairs, self._key_pair_names = array("i"), array("i")

    def _names_of(self, wid: int) -> NDArray[np.int64]:
        return self._postings[self._offsets[wid] : self._offsets[wid + 1]]

    def _words_for(self, key: str) -> list[int]:
        """Word ids filed under ``key`` (or under a key of the same hash: verify them)."""
        return self._words_of([string_hash(key)])

    def _words_of(self, hashes: list[int]) -> list[int]:
        """Word ids filed under any of one query word's key ``hashes``, sorted, unique."""
        wanted = np.array(sorted(set(hashes)), dtype=np.uint64)  # sorted: a cheaper search
        filed = self._key_hashes
        lo = filed.searchsorted(wanted, "left").tolist()
        hi = filed.searchsorted(wanted, "right").tolist()
        words: set[int] = set()
        listed = self._key_words
        for a, b in zip(lo, hi, strict=True):
            if b > a:
                words.update(listed[a:b])
        return sorted(words)

    def _words_met(
        self, hashes: NDArray[np.uint64], owners: NDArray[np.int64], count: int
    ) -> list[list[int]]:
        """Per query word ``0 .. count - 1``, the ids of the words filed under any of its key
        ``hashes`` (``owners`` says whose each hash is), sorted, unique."""
        filed = self._key_hashes
        lo = filed.searchsorted(hashes, "left")
        hi = filed.searchsorted(hashes, "right")
        met = hi > lo
        if not met.any():
            return [[] for _ in range(count)]
        lo, size, owner = lo[met], (hi - lo)[met], owners[met]
        listed = np.frombuffer(self._key_words, dtype=np.int32)
        words = listed[_span_positions(lo, size)].astype(np.int64)
        stride = len(self._words) + 1
        pairs = np.unique(np.repeat(owner, size) * stride + words)  # by owner, then word
        bounds = np.searchsorted(pairs, np.arange(count + 1, dtype=np.int64) * stride).tolist()
        flat = (pairs % stride).tolist()
        return [flat[bounds[k] : bounds[k + 1]] for k in range(count)]

    def prefetch(self, tokens: Iterable[Token]) -> None:
        """Look up the keys of many query words in one vector pass (the batch path), so
        that :meth:`reach` only verifies the words each met. Words already known, or not
        substantive, are skipped."""
        todo: dict[str, Token] = {}
        for t in tokens:
            if t.substantive:
                key = _cache_key(t)
                if key not in self._similar_cache and key not in self._met_words:
                    todo.setdefault(key, t)
        if not todo:
            return
        if len(self._met_words) > 100_000:
            self._met_words.clear()
        found = self._words_met(*word_key_hashes(list(todo.values()), self._longest), len(todo))
        self._met_words.update(zip(todo, found, strict=True))

    def _word(self, t: Token) -> int:
        wid = self._word_id.get(t.text)
        if wid is None:
            wid = len(self._words)
            self._word_id[t.text] = wid
            words = self._words
            if not isinstance(words, list):
                raise ValueError("a loaded CandidateIndex cannot take new names")
            words.append(t)
            self._by_skeleton.setdefault(t.skeleton, []).append(wid)
        return wid

    def add(self, name_id: int, tokens: Sequence[Token]) -> tuple[tuple[int, int, str], ...]:
        """Index one name; returns its ``rejoined_runs`` (keyed here, and what the scorer's
        ``prepare`` needs of it: the screener keeps them rather than working them out again)."""
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
        runs = rejoined_runs(tokens)
        extra.update(skel for _, _, skel in runs)
        if not has_substantive:
            extra.update("g:" + t.text for t in tokens)
        for k in extra:
            key = self._name_keys.get(k)
            if key is None:
                key = self._name_keys[k] = len(self._name_keys)
            self._key_pairs.append(key)
            self._key_pair_names.append(name_id)
        self._run_keys.update(self._name_keys[skel] for _, size, skel in runs if size == MAX_RUN)
        self._size += 1
        return tuple(runs) if runs else _NO_RUNS

    def _similar_words(
        self,
        t: Token,
        weight: Callable[[Token], float],
        similarity: Callable[[Token, Token], float],
        cut: float,
    ) -> _Similar:
        """Listed words a query word may pair with, as posting spans with their gains."""
        cache_key = _cache_key(t)
        cached = self._similar_cache.get(cache_key)
        if cached is not None:
            return cached
        starts: list[int] = []
        lengths: list[int] = []
        gains: list[float] = []
        offsets = self._offset_list
        listed = self._words
        met = self._met_words.pop(cache_key, None)
        if met is None:
            met = self._words_of(_token_key_hashes(t, self._longest))
        for wid in met:
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

    def reach(
        self,
        tokens: Sequence[Token],
        weight: Callable[[Token], float],
        similarity: Callable[[Token, Token], float],
        cut: float,
        join_credit: float,
        runs: Sequence[tuple[int, int, str]],
    ) -> Reached:
        """Every listed name sharing a blocking key with the query (see :class:`Reached`).

        ``runs`` are the query's ``rejoined_runs`` (the scorer's ``Prepared.joins``).

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
        self._joins(
            tokens, runs, word_starts, word_lengths, word_bits, key_starts, key_lengths, key_bits
        )
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
        spans = (
            self._postings,
            self._key_postings,
            word_starts,
            word_lengths,
            word_gains,
            word_bits,
            key_starts,
            key_lengths,
            join_credit,
            key_bits,
        )
        if _KERNEL is not None:
            room = sum(word_lengths) + sum(key_lengths)
            ids = np.empty(room, dtype=np.int64)
            gain = np.empty(room, dtype=np.float64)
            mask = np.empty(room, dtype=np.int64)
            count = _KERNEL.reach(*spans, self._size, ids, gain, mask)
            return Reached(ids[:count], gain[:count], mask[:count], always)
        uniq, gain, mask = _reach_numpy(*spans)
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
        runs: Sequence[tuple[int, int, str]],
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
            word_key = word_join_key(t)
            if word_key is not None:
                key = self._name_keys.get(word_key)
                if key is not None:
                    # a word standing for three listed words gets two join credits: one
                    # covers the pairing and two listed words' cost, the second the third
                    times = MAX_RUN - 1 if key in self._run_keys else 1
                    lo = int(self._key_offsets[key])
                    span = int(self._key_offsets[key + 1]) - lo
                    key_starts += [lo] * times
                    key_lengths += [span] * times
                    key_bits += [_bit(pos)] * times
        for pos, size, joined in runs:
            for wid in self._joined_words(joined):
                lo = self._offset_list[wid]
                word_starts.append(lo)
                word_lengths.append(self._offset_list[wid + 1] - lo)
                word_bits.append(_run_bits(pos, size))

    def _joined_words(self, key: str) -> list[int]:
        """Ids of the listed words a rejoined run with this join key meets: a short word by
        its letters, a longer one by its skeleton (``normalize.word_join_key``)."""
        if key[0] == EXACT:
            wid = self._word_id.get(key[1:])
            return [] if wid is None else [wid]
        by_skeleton = self._by_skeleton.get(key, [])
        return [w for w in by_skeleton if len(self._words[w].text) >= SHORT_JOIN]

    def _key_names(self, key: int | None) -> NDArray[np.int64]:
        if key is None:
            return _EMPTY_INT
        return self._key_postings[self._key_offsets[key] : self._key_offsets[key + 1]]

    def to_arrays(self) -> Arrays:
        """The compacted index as plain arrays (``arrays.py``; saved by ``persist.py``).

        Every field a query reads is here; the caches are not (they refill). A field added
        to this class must be added here and in :meth:`from_arrays`: the persistence
        round-trip test (``tests/screening/test_persist.py``) fails otherwise.
        """
        if len(self._pair_words) or len(self._key_pairs):
            raise ValueError("CandidateIndex.to_arrays() needs a compacted index")
        out: Arrays = {
            "key_hashes": self._key_hashes,
            "key_words": np.frombuffer(self._key_words, dtype=np.int32),
            "offsets": self._offsets,
            "postings": self._postings,
            "key_offsets": self._key_offsets,
            "key_postings": self._key_postings,
            "run_keys": np.array(sorted(self._run_keys), dtype=np.int64),
            "size": np.array([self._size], dtype=np.int64),
        }
        out.update(pack_tokens(self._words, "words"))
        out.update(pack_strings(list(self._name_keys), "name_keys"))
        return out

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, NDArray[Any]]) -> CandidateIndex:
        """An index equal to the one :meth:`to_arrays` saved; arrays may be memory-mapped."""
        index = cls()
        columns = TokenColumns(arrays, "words")
        words = columns.tokens()
        name_keys = unpack_strings(arrays, "name_keys")
        index._words = words
        texts = columns.texts.all()
        index._word_id = dict(zip(texts, range(len(texts)), strict=True))
        if len(index._word_id) != len(words):
            raise IndexFormatError("saved index: a listed word appears twice")
        by_skeleton = index._by_skeleton
        for wid, skel in enumerate(columns.skeletons.all()):
            found = by_skeleton.get(skel)
            if found is None:
                by_skeleton[skel] = [wid]
            else:
                found.append(wid)
        index._name_keys = dict(zip(name_keys, range(len(name_keys)), strict=True))
        index._longest = max(
            max(map(len, texts), default=0), max(map(len, columns.skeletons.all()), default=0)
        )
        key_hashes = need(arrays, "key_hashes")
        key_words = need(arrays, "key_words")
        if key_hashes.dtype != np.uint64 or key_words.dtype != np.int32:
            raise IndexFormatError("saved index: key table of the wrong type")
        if len(key_hashes) != len(key_words):
            raise IndexFormatError("saved index: key hashes and key words differ in length")
        if len(key_words) and (int(key_words.min()) < 0 or int(key_words.max()) >= len(words)):
            raise IndexFormatError("saved index: a key names an unknown word")
        if len(key_hashes) > 1 and bool((key_hashes[1:] < key_hashes[:-1]).any()):
            raise IndexFormatError("saved index: key hashes are not sorted")
        index._key_hashes = key_hashes
        index._key_words = array("i", key_words.tobytes())
        size = scalar(arrays, "size")
        offsets, postings = need(arrays, "offsets"), need(arrays, "postings")
        key_offsets, key_postings = need(arrays, "key_offsets"), need(arrays, "key_postings")
        if len(offsets) != len(words) + 1 or len(key_offsets) != len(name_keys) + 1:
            raise IndexFormatError("saved index: postings do not fit the vocabulary")
        check_csr(offsets, postings, size, "postings")
        check_csr(key_offsets, key_postings, size, "key postings")
        index._offsets, index._postings = offsets, postings
        index._offset_list = offsets.tolist()
        index._key_offsets, index._key_postings = key_offsets, key_postings
        run_keys = need(arrays, "run_keys").tolist()
        if run_keys and (min(run_keys) < 0 or max(run_keys) >= len(name_keys)):
            raise IndexFormatError("saved index: a run key is out of range")
        index._run_keys = set(run_keys)
        index._size = size
        return index

    def candidates(self, tokens: Sequence[Token]) -> set[int]:
        """Ids of every indexed name sharing at least one blocking key (no verification)."""
        keys = token_keys(tokens)
        found: set[int] = set()
        for k in keys:
            for wid in self._joined_words(k) if k[0] == EXACT else self._words_for(k):
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


def _run_bits(pos: int, size: int) -> int:
    """The mask bits of ``size`` query positions from ``pos`` (a rejoined run)."""
    bits = 0
    for p in range(pos, pos + size):
        bits |= _bit(p)
    return bits


def _bit(pos: int) -> int:
    """A query position's bit in a mask; positions past MASK_BITS are never reported unmet."""
    return 1 << pos if pos < MASK_BITS else 0


def _reach_numpy(
    postings: NDArray[np.int64],
    key_postings: NDArray[np.int64],
    word_starts: list[int],
    word_lengths: list[int],
    word_gains: list[float],
    word_bits: list[int],
    key_starts: list[int],
    key_lengths: list[int],
    key_gain: float,
    key_bits: list[int],
) -> tuple[NDArray[np.int64], NDArray[np.float64], NDArray[np.int64]]:
    """The postings sum of :meth:`CandidateIndex.reach` in numpy (the reference of
    ``_reach.c``): the distinct name ids of the spans, ascending; per id the span gains
    added in posting order from 0.0, and the OR of the span bits."""
    names = np.concatenate(
        (
            _gather(postings, word_starts, word_lengths),
            _gather(key_postings, key_starts, key_lengths),
        )
    )
    span_lengths = np.array(word_lengths + key_lengths, dtype=np.int64)
    span_gains = np.array(word_gains + [key_gain] * len(key_starts), dtype=np.float64)
    span_bits = np.array(word_bits + key_bits, dtype=np.int64)
    uniq, inv = np.unique(names, return_inverse=True)
    gain: NDArray[np.float64] = np.bincount(
        inv, weights=np.repeat(span_gains, span_lengths), minlength=len(uniq)
    ).astype(np.float64, copy=False)
    mask = np.zeros(len(uniq), dtype=np.int64)
    np.bitwise_or.at(mask, inv, np.repeat(span_bits, span_lengths))
    return uniq, gain, mask


def candidate_kernel() -> ReachKernel | None:
    """The C kernel of the candidate stage when it runs, else None (read per query, so a
    benchmark may switch it off: ``index._KERNEL = None``)."""
    return _KERNEL


def kernel_in_use() -> bool:
    """True when ``reach`` sums postings with the C kernel (``kernel.py``)."""
    return _KERNEL is not None


def _gather(source: NDArray[np.int64], starts: list[int], lengths: list[int]) -> NDArray[np.int64]:
    """``source[start:start + length]`` for every span, concatenated, in one vector gather."""
    if not starts:
        return _EMPTY_INT
    return source[
        _span_positions(np.array(starts, dtype=np.int64), np.array(lengths, dtype=np.int64))
    ]


def _span_positions(starts: NDArray[np.int64], lengths: NDArray[np.int64]) -> NDArray[np.int64]:
    """The positions ``start .. start + length - 1`` of every span, concatenated."""
    first = np.cumsum(lengths) - lengths
    return np.repeat(starts - first, lengths) + np.arange(int(lengths.sum()), dtype=np.int64)


def _cache_key(t: Token) -> str:
    """What a query word's look-ups are cached under (prefetched and verified alike): its
    class and text."""
    return t.cls.value + t.text


def word_key_hashes(
    words: Sequence[Token], longest: int | None = None
) -> tuple[NDArray[np.uint64], NDArray[np.int64]]:
    """The hashes (``keyhash.string_hash``) of the keys ``_word_key_set`` gives each word,
    with the word's position in ``words``; computed in bulk. With ``longest``, the keys of
    a text or skeleton that cannot meet a listed word of at most ``longest`` characters are
    left out (:func:`_keyable`)."""
    fuzzy: list[str] = []  # keyed with deletion variants
    fuzzy_two: list[int] = []
    fuzzy_owner: list[int] = []
    exact: list[str] = []  # numbers: keyed as written only
    exact_owner: list[int] = []
    for k, t in enumerate(words):
        if t.cls is TokenClass.NUMBER:
            if not _keyable(t.text, longest):
                continue
            exact.append("#" + t.text)
            exact_owner.append(k)
            if len(t.text) >= 4:
                exact.append(t.text)
                exact_owner.append(k)
            continue
        for scheme in _scheme_index_keys(t.text, longest):
            exact.append(scheme)
            exact_owner.append(k)
        if _keyable(t.skeleton, longest):
            fuzzy.append(t.skeleton)
            fuzzy_two.append(TUNABLES.long_skeleton)
            fuzzy_owner.append(k)
        if t.text != t.skeleton and _keyable(t.text, longest):
            fuzzy.append(t.text)
            fuzzy_two.append(TUNABLES.long_text)
            fuzzy_owner.append(k)
    hashes, rows = deletion_key_hashes(fuzzy, fuzzy_two)
    owners = np.array(fuzzy_owner, dtype=np.int64)[rows] if len(rows) else _EMPTY_INT
    return (
        np.concatenate((hashes, full_hashes(exact))),
        np.concatenate((owners, np.array(exact_owner, dtype=np.int64))),
    )


def _token_key_hashes(t: Token, longest: int | None = None) -> list[int]:
    """:func:`word_key_hashes` of one word, by the one-string formulas (query path)."""
    if t.cls is TokenClass.NUMBER:
        if not _keyable(t.text, longest):
            return []
        texts = ("#" + t.text, t.text) if len(t.text) >= 4 else ("#" + t.text,)
        return [string_hash(x) for x in texts]
    hashes = key_hashes(t.skeleton, TUNABLES.long_skeleton) if _keyable(t.skeleton, longest) else []
    scheme = _scheme_index_keys(t.text, longest)
    if scheme:
        hashes = hashes + [string_hash(k) for k in scheme]
    if t.text == t.skeleton or not _keyable(t.text, longest):
        return hashes
    return hashes + key_hashes(t.text, TUNABLES.long_text)


def _keyable(source: str, longest: int | None) -> bool:
    """Whether the keys of a query word's text or skeleton ``source`` can equal a key of a
    listed word of at most ``longest`` characters (``None``: no bound).

    Every key of a string of ``n`` characters has ``n - 2`` to ``n`` characters (at most two
    deletions), so a source longer than ``longest + 2`` shares no key with any listed word,
    and the scorer pairs only words sharing a key (``score.token_similarity``: equal text or
    skeleton, or at most two edits apart). Skipping it is exact, and it bounds the work of a
    very long query word: its two-deletion keys number ``n**2 / 2`` (a 10,000-letter word
    would make 50 million), the listed words' at most ``(longest + 2)**2 / 2``.
    """
    return longest is None or len(source) <= longest + 2


def _longest_source(words: Sequence[Token]) -> int:
    """The longest text or skeleton of the listed words (what their keys are made from)."""
    return max((max(len(t.text), len(t.skeleton)) for t in words), default=0)


def _key_table(words: Sequence[Token]) -> tuple[NDArray[np.uint64], NDArray[np.int64]]:
    """(key hash, word id) pairs of every word, sorted by hash then word, duplicates dropped."""
    hashes, owners = word_key_hashes(words)
    order = np.lexsort((owners, hashes))
    hashes, owners = hashes[order], owners[order]
    keep = np.ones(len(hashes), dtype=bool)
    keep[1:] = (hashes[1:] != hashes[:-1]) | (owners[1:] != owners[:-1])
    return hashes[keep], owners[keep]


_Similar = tuple[list[int], list[int], list[float]]
"""Per met listed word: posting start, posting length, pruning gain."""
