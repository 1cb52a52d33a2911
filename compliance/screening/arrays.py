"""Plain numpy arrays for the screening index's own fields, so an index can be saved and loaded.

A built index (``CandidateIndex``, ``Screener``) exposes ``to_arrays()`` and
``from_arrays()``: a flat ``{name: ndarray}`` mapping of numbers only (strings as one UTF-8
blob plus offsets), which :mod:`compliance.screening.persist` writes as ``.npy`` files and
memory-maps back. No Python object is ever pickled, so a tampered file cannot run code; a
damaged one fails these checks with :class:`~compliance.errors.IntegrityError`.

The codecs here know the fields of ``Token``: a new field added there must be added here too,
which :func:`pack_tokens` enforces (it refuses to drop a field silently).
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import fields
from typing import Any, TypeVar

import numpy as np
from numpy.typing import NDArray

from compliance.errors import IntegrityError
from compliance.screening.normalize import Token, TokenClass
from compliance.watchlists.entry import ListEntry
from compliance.watchlists.snapshot import ListSnapshot

T = TypeVar("T")

Arrays = dict[str, NDArray[Any]]
"""A flat name -> array mapping: what an index saves and is rebuilt from."""

TOKEN_FIELDS = ("text", "cls", "skeleton", "surface", "promoted")


class IndexFormatError(IntegrityError, ValueError):
    """Saved index arrays are missing, of the wrong shape, or inconsistent."""


def need(arrays: Mapping[str, NDArray[Any]], name: str) -> NDArray[Any]:
    """The array called ``name``; a missing one means the saved index is unusable."""
    try:
        return arrays[name]
    except KeyError:
        raise IndexFormatError(f"saved index lacks array {name!r}") from None


def scalar(arrays: Mapping[str, NDArray[Any]], name: str) -> int:
    value = need(arrays, name)
    if value.shape != (1,):
        raise IndexFormatError(f"saved index array {name!r} is not a single number")
    return int(value[0])


def pack_strings(values: Sequence[str], prefix: str) -> Arrays:
    """Strings as one UTF-8 blob (``<prefix>.utf8``) and character offsets (``.offsets``)."""
    offsets = np.zeros(len(values) + 1, dtype=np.int64)
    if values:
        np.cumsum([len(v) for v in values], out=offsets[1:])
    blob = np.frombuffer("".join(values).encode("utf-8"), dtype=np.uint8)
    return {f"{prefix}.utf8": blob, f"{prefix}.offsets": offsets}


class Strings(Sequence[str]):
    """The strings of :func:`pack_strings`, sliced out of the decoded text on access."""

    def __init__(self, arrays: Mapping[str, NDArray[Any]], prefix: str) -> None:
        try:
            self._text = need(arrays, f"{prefix}.utf8").tobytes().decode("utf-8")
        except UnicodeDecodeError as exc:
            raise IndexFormatError(f"saved index strings {prefix!r}: {exc}") from None
        offsets = need(arrays, f"{prefix}.offsets")
        if len(offsets) == 0 or int(offsets[0]) != 0 or int(offsets[-1]) != len(self._text):
            raise IndexFormatError(f"saved index strings {prefix!r}: offsets do not fit the text")
        if bool((np.diff(offsets) < 0).any()):
            raise IndexFormatError(f"saved index strings {prefix!r}: offsets go backwards")
        self._offsets = offsets

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        return self._text[self._offsets[i] : self._offsets[i + 1]]

    def all(self) -> list[str]:
        """Every string at once (cheaper than one by one when all are needed)."""
        text, offsets = self._text, self._offsets.tolist()
        return [text[a:b] for a, b in itertools.pairwise(offsets)]


def unpack_strings(arrays: Mapping[str, NDArray[Any]], prefix: str) -> list[str]:
    return Strings(arrays, prefix).all()


def pack_blobs(values: Sequence[bytes], prefix: str) -> Arrays:
    """Byte strings (JSON documents) as one blob and byte offsets, read back one at a time."""
    offsets = np.zeros(len(values) + 1, dtype=np.int64)
    if values:
        np.cumsum([len(v) for v in values], out=offsets[1:])
    blob = np.frombuffer(b"".join(values), dtype=np.uint8)
    return {f"{prefix}.bytes": blob, f"{prefix}.offsets": offsets}


class Blobs(Sequence[bytes]):
    """The byte strings of :func:`pack_blobs`, sliced out of the (memory-mapped) blob on use."""

    def __init__(self, arrays: Mapping[str, NDArray[Any]], prefix: str) -> None:
        self._blob = need(arrays, f"{prefix}.bytes")
        offsets = need(arrays, f"{prefix}.offsets")
        if len(offsets) == 0 or int(offsets[0]) != 0 or int(offsets[-1]) != len(self._blob):
            raise IndexFormatError(f"saved index blobs {prefix!r}: offsets do not fit the data")
        self._offsets = offsets.tolist()

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        a, b = self._offsets[i], self._offsets[i + 1]
        return self._blob[a:b].tobytes()

    def __iter__(self) -> Iterator[bytes]:
        return (self[k] for k in range(len(self)))


def pack_tokens(tokens: Sequence[Token], prefix: str) -> Arrays:
    """Tokens as parallel arrays: texts, classes (by value), skeletons, surfaces, promoted."""
    present = tuple(f.name for f in fields(Token))
    if present != TOKEN_FIELDS:
        raise NotImplementedError(
            f"Token fields are {present}, the index codec knows {TOKEN_FIELDS}: "
            "update compliance/screening/arrays.py (pack_tokens/unpack_tokens)"
        )
    classes = [c.value for c in TokenClass]
    code = {c: i for i, c in enumerate(TokenClass)}
    out: Arrays = {}
    out.update(pack_strings([t.text for t in tokens], f"{prefix}.text"))
    out.update(pack_strings([t.skeleton for t in tokens], f"{prefix}.skeleton"))
    out.update(pack_strings([t.surface for t in tokens], f"{prefix}.surface"))
    out.update(pack_strings(classes, f"{prefix}.classes"))
    out[f"{prefix}.cls"] = np.array([code[t.cls] for t in tokens], dtype=np.uint8)
    out[f"{prefix}.promoted"] = np.array([t.promoted for t in tokens], dtype=np.bool_)
    return out


class Lazy(Sequence[T]):
    """A read-only list whose items are made on first access (a loaded index has ~10^5
    words and names; a query touches a few hundred)."""

    def __init__(self, size: int, make: Callable[[int], T]) -> None:
        self._items: list[T | None] = [None] * size
        self._make = make

    def __len__(self) -> int:
        return len(self._items)

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        item = self._items[i]
        if item is None:
            item = self._items[i] = self._make(i)
        return item

    def __iter__(self) -> Iterator[T]:
        return (self[k] for k in range(len(self)))


class TokenColumns:
    """The columns of :func:`pack_tokens`, decoded and checked; tokens made on demand."""

    def __init__(self, arrays: Mapping[str, NDArray[Any]], prefix: str) -> None:
        self.texts = Strings(arrays, f"{prefix}.text")
        self.skeletons = Strings(arrays, f"{prefix}.skeleton")
        self.surfaces = Strings(arrays, f"{prefix}.surface")
        try:
            self.classes = [TokenClass(v) for v in unpack_strings(arrays, f"{prefix}.classes")]
        except ValueError as exc:
            raise IndexFormatError(f"saved index tokens {prefix!r}: {exc}") from None
        self.codes = need(arrays, f"{prefix}.cls")
        self.promoted = need(arrays, f"{prefix}.promoted")
        n = len(self.texts)
        if not (
            len(self.skeletons) == len(self.surfaces) == len(self.codes) == len(self.promoted) == n
        ):
            raise IndexFormatError(f"saved index tokens {prefix!r}: columns differ in length")
        if len(self.codes) and int(self.codes.max()) >= len(self.classes):
            raise IndexFormatError(f"saved index tokens {prefix!r}: unknown token class")

    def token(self, i: int) -> Token:
        return Token(
            self.texts[i],
            self.classes[int(self.codes[i])],
            self.skeletons[i],
            self.surfaces[i],
            bool(self.promoted[i]),
        )

    def tokens(self) -> Lazy[Token]:
        return Lazy(len(self.texts), self.token)


def unpack_tokens(arrays: Mapping[str, NDArray[Any]], prefix: str) -> Lazy[Token]:
    """The tokens of :func:`pack_tokens`, each made when first read."""
    return TokenColumns(arrays, prefix).tokens()


def pack_ragged(rows: Sequence[Sequence[int]], prefix: str) -> Arrays:
    """Rows of integers of varying length (CSR): ``<prefix>.offsets`` and ``.values``."""
    offsets = np.zeros(len(rows) + 1, dtype=np.int64)
    if rows:
        np.cumsum([len(r) for r in rows], out=offsets[1:])
    values = np.fromiter((v for r in rows for v in r), dtype=np.int64, count=int(offsets[-1]))
    return {f"{prefix}.offsets": offsets, f"{prefix}.values": values}


def unpack_ragged(
    arrays: Mapping[str, NDArray[Any]], prefix: str, bound: int
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """(offsets, values) of :func:`pack_ragged`, every value checked to be below ``bound``."""
    offsets = need(arrays, f"{prefix}.offsets")
    values = need(arrays, f"{prefix}.values")
    check_csr(offsets, values, bound, prefix)
    return offsets, values


def check_csr(offsets: NDArray[Any], values: NDArray[Any], bound: int, what: str) -> None:
    """A compressed-row table is usable: offsets start at 0, never fall, end at the values'
    length, and every value is a valid id below ``bound``."""
    if len(offsets) == 0 or int(offsets[0]) != 0 or int(offsets[-1]) != len(values):
        raise IndexFormatError(f"saved index table {what!r}: offsets do not fit the values")
    if len(offsets) > 1 and bool((np.diff(offsets) < 0).any()):
        raise IndexFormatError(f"saved index table {what!r}: offsets go backwards")
    if len(values) and (int(values.min()) < 0 or int(values.max()) >= bound):
        raise IndexFormatError(f"saved index table {what!r}: an id is out of range")


class SavedEntries(Sequence[tuple[int, ListEntry]]):
    """The list entries of a saved index, ``(snapshot position, entry)`` by entry position,
    each decoded from its JSON (and validated) the first time a query needs it."""

    def __init__(self, arrays: Mapping[str, NDArray[Any]]) -> None:
        self._json = Blobs(arrays, "entries.json")
        self._snapshot_of = need(arrays, "entries.snapshot").tolist()
        self._decoded: dict[int, ListEntry] = {}
        try:
            headers = [json.loads(h) for h in Blobs(arrays, "snapshots.json")]
            self.headers = tuple(ListSnapshot.model_validate(h["snapshot"]) for h in headers)
            self.counts = tuple({str(k): int(v) for k, v in h["counts"].items()} for h in headers)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise IndexFormatError(f"saved index snapshot headers: {exc}") from None
        if len(self._snapshot_of) != len(self._json):
            raise IndexFormatError("saved index: entry columns differ in length")
        if self._snapshot_of and (
            min(self._snapshot_of) < 0 or max(self._snapshot_of) >= len(self.headers)
        ):
            raise IndexFormatError("saved index: an entry belongs to an unknown snapshot")

    def __len__(self) -> int:
        return len(self._snapshot_of)

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        entry = self._decoded.get(i)
        if entry is None:
            try:
                entry = ListEntry.model_validate_json(self._json[i])
            except ValueError as exc:
                raise IndexFormatError(f"saved index entry {i}: {exc}") from None
            self._decoded[i] = entry
        return (self._snapshot_of[i], entry)

    def snapshots(self) -> tuple[ListSnapshot, ...]:
        """The full snapshots, every entry decoded (for callers that need them all)."""
        grouped: list[list[ListEntry]] = [[] for _ in self.headers]
        for k in range(len(self)):
            s_idx, entry = self[k]
            grouped[s_idx].append(entry)
        return tuple(
            h.model_copy(update={"entries": tuple(g)})
            for h, g in zip(self.headers, grouped, strict=True)
        )
