"""64-bit hashes of blocking keys, computed for many words at once.

The word-level blocking keys of :mod:`compliance.screening.index` are a word, its
one-deletion variants and, for long words, its two-deletion variants: about 1.2 million
strings for the 2026 CSL. Building them as Python strings and hashing them took most of
the index build. Here every key is a polynomial hash of its characters modulo 2**64::

    hash(c_0 .. c_{n-1}) = sum(c_q * B**(n - 1 - q))

and the hashes of all deletion variants of a word follow from the prefix sums of its
weighted characters (``B`` is odd, so it has an inverse modulo 2**64):

* the word itself: ``C[n]``;
* without position ``i``: ``C[i] / B + (C[n] - C[i + 1])``;
* without ``i < j``: ``C[i] / B**2 + (C[j] - C[i + 1]) / B + (C[n] - C[j + 1])``;

where ``C[k]`` sums ``c_q * B**(n - 1 - q)`` over ``q < k``. These are the hashes of the
variant strings themselves, so equal keys always get equal hashes, whichever word or
deletion they come from (:func:`string_hash` is the one-string reference). Different keys
may share a hash; the index verifies every proposed word, so a collision costs one
comparison and never loses a candidate.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations

import numpy as np
from numpy.typing import NDArray

_MASK = (1 << 64) - 1
_BASE = 0x100000001B3  # odd: invertible modulo 2**64
_BASE_INV = pow(_BASE, -1, 1 << 64)
_B = np.uint64(_BASE)
_B_INV = np.uint64(_BASE_INV)
_B_INV2 = np.uint64(_BASE_INV * _BASE_INV & _MASK)
MIN_DELETION = 4  # shorter strings are keyed as written only

_powers: NDArray[np.uint64] = np.ones(1, dtype=np.uint64)
_pairs: dict[int, tuple[NDArray[np.intp], NDArray[np.intp]]] = {}


def string_hash(text: str) -> int:
    """The hash of one string (reference for the vectorised forms below)."""
    h = 0
    for c in text:
        h = (h * _BASE + ord(c)) & _MASK
    return h


def _power_table(n: int) -> NDArray[np.uint64]:
    """``B**k`` modulo 2**64 for ``k < n``."""
    global _powers
    if len(_powers) < n:
        with np.errstate(over="ignore"):
            table = np.full(n, _B, dtype=np.uint64)
            table[0] = 1
            _powers = np.multiply.accumulate(table)
    return _powers[:n]


def _pair_positions(n: int) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Every pair ``i < j`` of positions in a string of length ``n``."""
    pairs = _pairs.get(n)
    if pairs is None:
        ij = np.array(list(combinations(range(n), 2)), dtype=np.intp).reshape(-1, 2)
        pairs = _pairs[n] = (ij[:, 0], ij[:, 1])
    return pairs


def _codes(strings: Sequence[str], n: int) -> NDArray[np.uint64]:
    """Code points of equal-length strings, one row each."""
    raw = np.frombuffer("".join(strings).encode("utf-32-le"), dtype=np.uint32)
    return raw.reshape(len(strings), n).astype(np.uint64)


def _group_hashes(
    strings: Sequence[str], n: int, two_from: NDArray[np.int64]
) -> list[NDArray[np.uint64]]:
    """Per length-``n`` string: [its hash, its deletion-variant hashes...] as columns.

    Returns the full hashes, then one-deletion hashes (when ``n >= MIN_DELETION``), then
    two-deletion hashes masked per row by ``two_from`` (rows with ``n < two_from`` get
    their full hash repeated there, which adds no key).
    """
    with np.errstate(over="ignore"):
        weighted = _codes(strings, n) * _power_table(n)[::-1]
        prefix = np.zeros((len(strings), n + 1), dtype=np.uint64)
        np.cumsum(weighted, axis=1, out=prefix[:, 1:])
        full = prefix[:, n : n + 1]
        out = [full]
        if n < MIN_DELETION:
            return out
        out.append(prefix[:, :n] * _B_INV + (full - prefix[:, 1:]))
        if n >= int(two_from.min()):
            i, j = _pair_positions(n)
            two = (
                prefix[:, i] * _B_INV2
                + (prefix[:, j] - prefix[:, i + 1]) * _B_INV
                + (full - prefix[:, j + 1])
            )
            short = n < two_from
            if short.any():
                two[short] = full[short]
            out.append(two)
    return out


def deletion_key_hashes(
    strings: Sequence[str], two_from: Sequence[int]
) -> tuple[NDArray[np.uint64], NDArray[np.int64]]:
    """Hashes of the keys of each string, and the index of the string each belongs to.

    A string's keys are the string itself and, from ``MIN_DELETION`` characters, its
    one-deletion variants, and from ``two_from[k]`` characters its two-deletion variants.
    Duplicates (a doubled letter deleted either way) are left in: callers deduplicate.
    """
    by_length: dict[int, list[int]] = {}
    for k, s in enumerate(strings):
        by_length.setdefault(len(s), []).append(k)
    limits = np.asarray(two_from, dtype=np.int64)
    hashes: list[NDArray[np.uint64]] = []
    owners: list[NDArray[np.int64]] = []
    for n, members in by_length.items():
        rows = np.array(members, dtype=np.int64)
        for block in _group_hashes([strings[k] for k in members], n, limits[rows]):
            hashes.append(block.ravel())
            owners.append(np.repeat(rows, block.shape[1]))
    if not hashes:
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
    return np.concatenate(hashes), np.concatenate(owners)


def key_hashes(text: str, two_from: int) -> list[int]:
    """The keys of one string, as :func:`deletion_key_hashes` gives them, in plain Python
    (one word at a time, numpy's per-call cost outweighs its speed). With
    ``D[j] = C[j] / B - C[j + 1]``, deleting ``j`` gives ``C[n] + D[j]`` and deleting
    ``i < j`` gives ``C[n] + D[i] / B + D[j]``."""
    n = len(text)
    powers = _python_powers(n)
    prefix = [0]
    acc = 0
    for q, c in enumerate(text):
        acc = (acc + ord(c) * powers[n - 1 - q]) & _MASK
        prefix.append(acc)
    full = acc
    if n < MIN_DELETION:
        return [full]
    step = [prefix[j] * _BASE_INV - prefix[j + 1] for j in range(n)]
    out = [full]
    out += [(full + d) & _MASK for d in step]
    if n >= two_from:
        for i in range(n - 1):
            head = full + step[i] * _BASE_INV
            out += [(head + d) & _MASK for d in step[i + 1 :]]
    return out


_python_power_list = [1]


def _python_powers(n: int) -> list[int]:
    while len(_python_power_list) < n:
        _python_power_list.append(_python_power_list[-1] * _BASE & _MASK)
    return _python_power_list


def full_hashes(strings: Sequence[str]) -> NDArray[np.uint64]:
    """The hash of each string as written (no deletion variants)."""
    out = np.zeros(len(strings), dtype=np.uint64)
    by_length: dict[int, list[int]] = {}
    for k, s in enumerate(strings):
        by_length.setdefault(len(s), []).append(k)
    with np.errstate(over="ignore"):
        for n, members in by_length.items():
            weighted = _codes([strings[k] for k in members], n) * _power_table(n)[::-1]
            out[members] = weighted.sum(axis=1, dtype=np.uint64)
    return out
