"""The Screener: list snapshots + candidate index + scorer -> explained screening results.

The index is built once per set of snapshots; screening is then pure and deterministic:
the same party, snapshots and library version always give byte-identical JSON.
"""

from __future__ import annotations

import gc
import json
import math
import multiprocessing
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from functools import partial
from itertools import pairwise
from typing import Any

import numpy as np
from numpy.typing import NDArray

from compliance._version import __version__
from compliance.errors import InvalidInputError
from compliance.screening.acronyms import acronyms_expanded
from compliance.screening.arrays import (
    Arrays,
    IndexFormatError,
    Lazy,
    SavedEntries,
    Strings,
    need,
    pack_blobs,
    pack_ragged,
    pack_strings,
    pack_tokens,
    scalar,
    unpack_ragged,
    unpack_strings,
    unpack_tokens,
)
from compliance.screening.confusables import lookalike_cyrillic
from compliance.screening.countries import country_code
from compliance.screening.dedications import dedication_stripped
from compliance.screening.entities import EntityGroups, merge_plan
from compliance.screening.index import (
    MASK_BITS,
    CandidateIndex,
    candidate_kernel,
    clear_build_caches,
    token_keys,
    unglued,
)
from compliance.screening.normalize import (
    MAX_RUN,
    Token,
    TokenClass,
    normalize_name,
    normalize_uncached,
)
from compliance.screening.persons import person_context
from compliance.screening.phonetic import SCRIPTS, join_keys, name_keys, phonetic_score
from compliance.screening.results import (
    Hit,
    Listing,
    Party,
    PartyType,
    ScreeningResult,
    SnapshotRef,
    Status,
    Thresholds,
)
from compliance.screening.score import (
    Context,
    Memo,
    NameMatch,
    Prepared,
    TokenWeights,
    _is_place,
    common_word_added_to,
    company_says_more,
    evidence,
    final_score,
    initials_may_stand,
    near_support_word,
    prepare,
    score_prepared,
    token_similarity,
    word_similarity,
)
from compliance.screening.symbols import dropped_symbols
from compliance.screening.translations import RUSSIAN_LEGAL, romanised_translated
from compliance.screening.transliterate import readings
from compliance.screening.tunables import TUNABLES
from compliance.screening.variants import name_variants
from compliance.watchlists.entry import AliasStrength, EntryKind, ListEntry
from compliance.watchlists.snapshot import ListSnapshot

PREFETCH_BLOCK = 1024  # parties whose new words are looked up together (screen_many)
_NO_COUNTRIES: frozenset[str] = frozenset()
_EPSILON = 1e-9  # float slack of the pruning test: keep, never drop, on a tie


@dataclass(frozen=True, slots=True, init=False)
class _Name:
    """An indexed name (``__init__`` written out for the compiled build: a loaded index
    makes one per name on first use; see ``score.Prepared``)."""

    entry: int
    text: str
    strength: AliasStrength | None
    tokens: tuple[Token, ...]
    absorbers: int = 0  # generic words and legal forms: each may pair a misspelt query word
    initials: int = 0  # initials: each may pair any stray query word

    def __init__(
        self,
        entry: int,
        text: str,
        strength: AliasStrength | None,
        tokens: tuple[Token, ...],
        absorbers: int = 0,
        initials: int = 0,
    ) -> None:
        object.__setattr__(self, "entry", entry)
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "strength", strength)
        object.__setattr__(self, "tokens", tokens)
        object.__setattr__(self, "absorbers", absorbers)
        object.__setattr__(self, "initials", initials)


_Runs = tuple[tuple[int, int, str], ...]  # a name's rejoined_runs: (position, size, join key)
_NO_RUNS: _Runs = ()


def _name(
    entry: int, text: str, strength: AliasStrength | None, tokens: tuple[Token, ...]
) -> _Name:
    absorbers = initials = 0
    for t in tokens:
        if t.cls is TokenClass.INITIAL:
            initials += 1
        elif not t.substantive:
            absorbers += 1
    return _Name(entry, text, strength, tokens, absorbers, initials)


def snapshot_ref(snapshot: ListSnapshot) -> SnapshotRef:
    """What a result cites as proof of which list data it was screened against."""
    published = snapshot.published
    return SnapshotRef(
        snapshot_id=snapshot.snapshot_id,
        source=snapshot.source,
        label=snapshot.label,
        published=published.isoformat() if published is not None else None,
        files=tuple(sorted(f"{f.name} {f.sha256}" for f in snapshot.files)),
        is_excerpt=snapshot.is_excerpt,
    )


def _address_words(text: str) -> frozenset[str]:
    return frozenset(
        t.text
        for t in normalize_name(text).tokens
        if len(t.text) >= 3 and t.cls is not TokenClass.LEGAL
    )


class Screener:
    """Screens parties against one or more list snapshots.

    Default thresholds (``Thresholds()``): score >= 0.80 is ``review``, >= 0.92 ``alert``.
    An entity published by several screened sources (the CSL's SDN rows and OFAC's own SDN
    file, the CSL as CSV and as JSON, one party on the Entity List and the SDN list) is one
    hit naming every list entry it appears on (``Hit.listings``, ``entities.py``).
    """

    def __init__(
        self,
        snapshots: Sequence[ListSnapshot],
        thresholds: Thresholds | None = None,
        *,
        weights: TokenWeights | None = None,
        lists: Iterable[str] | None = None,
        max_hits: int | None = None,
        merge_entities: bool = True,
    ) -> None:
        """``weights`` pins the word rarities (a weights epoch); by default they are counted
        over the published names of ``snapshots``. ``lists`` screens only the entries of
        those list codes (``{"EL", "SDN"}``); a code no snapshot carries is an error, so a
        typo never screens against nothing. ``max_hits`` keeps the strongest hits of a
        result and counts the rest (``ScreeningResult.hits_omitted``). ``merge_entities=False``
        gives one hit per list entry: delta re-screening composes the hits of changed entries
        with kept ones, which it can do exactly only entry by entry."""
        self._lists = _chosen_lists(snapshots, lists)
        if max_hits is not None and max_hits < 1:
            raise InvalidInputError(f"max_hits must be at least 1, got {max_hits}")
        self._max_hits = max_hits
        self._merge = merge_entities
        gc_was_enabled = gc.isenabled()
        gc.disable()  # the index is millions of small acyclic objects: no cycles to find
        try:
            self._build(snapshots, thresholds, weights)
            # Build-time caches hold a second copy of every listed name's keys and tokens:
            # drop them (the index keeps what screening needs; queries refill the caches).
            clear_build_caches()
            self._index.compact()
        finally:
            if gc_was_enabled:
                gc.enable()
        # No lasting gc.freeze() here: it is process-wide and this is a library. A batch
        # (screen_many) parks the heap for its own duration only (_screen_frozen); forked
        # screen_many workers freeze in the child (see _freeze_worker).

    def _build(
        self,
        snapshots: Sequence[ListSnapshot],
        thresholds: Thresholds | None,
        weights: TokenWeights | None,
    ) -> None:
        self._snapshots: tuple[ListSnapshot, ...] | None = tuple(snapshots)
        self._saved: SavedEntries | None = None
        self._thresholds = thresholds if thresholds is not None else Thresholds()
        self._list_thresholds: dict[str, Thresholds] = {}
        self._refs = tuple(snapshot_ref(s) for s in snapshots)
        entries: list[tuple[int, ListEntry]] = []
        self._entries: Sequence[tuple[int, ListEntry]] = entries
        self._names: list[_Name] | Lazy[_Name] = []  # Lazy when loaded (from_arrays)
        # per name, its rejoined_runs: keyed by the index, kept for prepare (Lazy when loaded)
        self._joins: list[_Runs] | Lazy[_Runs] = []
        self._index = CandidateIndex()
        self._hashes: dict[int, str] = {}
        self._saved_hashes: NDArray[np.uint8] | None = None  # per entry, SHA-256 (loaded)
        self._addresses: dict[int, frozenset[str]] = {}
        self._entry_countries: dict[int, frozenset[str]] = {}
        self._entry_organisation: dict[int, bool] = {}
        # loaded: per entry, its countries as ids into a code list (a scored candidate's
        # entry is then not decoded from its JSON unless it becomes a hit)
        self._saved_countries: tuple[list[int], NDArray[np.int64], list[str]] | None = None
        df: dict[str, int] = {}
        documents = 0
        self._variant_count = 0
        groups = EntityGroups()
        chosen = self._lists
        for s_idx, snapshot in enumerate(snapshots):
            for entry in snapshot.entries:
                if chosen and entry.source not in chosen:
                    continue
                e_idx = len(entries)
                entries.append((s_idx, entry))
                published: list[_Name] = []
                for text, strength in entry.all_names:
                    tokens = normalize_uncached(text).tokens
                    if not tokens:
                        continue
                    if strength is None:
                        groups.add(e_idx, s_idx, entry, tokens)
                    documents += 1
                    for word in {t.text for t in tokens}:
                        df[word] = df.get(word, 0) + 1
                    published.append(_name(e_idx, text, strength, tokens))
                for name in published:
                    self._add_name(name)
                # implied variants come after the published names, which win ties; they are
                # not counted as documents, so word weights stay those of the published names
                for name in _variants(published):
                    self._add_name(name)
                    self._variant_count += 1
        self._siblings = groups.siblings()
        self._weights = weights if weights is not None else TokenWeights(df, documents)
        self._memo: Memo = {}
        self._phonetic: dict[str, list[int]] | None = None
        self._prepared_names: list[Prepared | None] = [None] * len(self._names)
        # per-name figures of the pruning test, as arrays the index results can index
        self._weigh_names()
        self._initials = np.array([n.initials for n in self._names], dtype=np.int64)
        self._derive_cuts()

    def _derive_cuts(self) -> None:
        """The pruning test's figures that follow from the thresholds (not saved: a saved
        index serves any thresholds)."""
        floor = self._thresholds.lowest_review - TUNABLES.max_bonus
        self._ratio = floor / (1.0 - TUNABLES.corroboration_reserve)  # name score a candidate needs
        # the pruning test's similarity cut, and the most one rejoined word can add (it pairs
        # one word of weight <= 1 in place of two listed words left unpaired): _survivors
        self._cut = (1.0 - TUNABLES.extra_listed) * self._ratio
        self._join_credit = 1.0 - self._ratio + 2 * TUNABLES.extra_listed * self._ratio

    def _add_name(self, name: _Name) -> None:
        names = self._names
        if not isinstance(names, list):
            raise ValueError("a loaded Screener cannot take new names")
        joins = self._joins
        if not isinstance(joins, list):
            raise ValueError("a loaded Screener cannot take new names")
        joins.append(self._index.add(len(names), name.tokens))
        names.append(name)

    def _weigh_names(self) -> None:
        """Per name, the weight of its identifying words and of the rest (pruning test)."""
        weight = self._weights.weight
        support: list[float] = []
        substance: list[float] = []
        for name in self._names:
            sup = sub = 0.0
            for t in name.tokens:
                if t.substantive:
                    sub += weight(t)
                else:
                    sup += weight(t)
            support.append(sup)
            substance.append(sub)
        self._support = np.array(support, dtype=np.float64)
        self._person_names = np.array(
            [initials_may_stand(n.tokens) for n in self._names], dtype=bool
        )
        self._substance = np.array(substance, dtype=np.float64)

    def _prepared(self, name_id: int) -> Prepared:
        """A listed name ready for scoring, prepared on first use (most are never scored),
        from its runs as the index build found them (or as the saved index holds them)."""
        prepared = self._prepared_names[name_id]
        if prepared is None:
            prepared = prepare(self._names[name_id].tokens, self._weights, self._joins[name_id])
            self._prepared_names[name_id] = prepared
        return prepared

    @property
    def snapshots(self) -> tuple[ListSnapshot, ...]:
        """The full snapshots (entries included). A screener loaded from a saved index
        decodes its entries on first use here; :attr:`snapshot_refs` costs nothing."""
        if self._snapshots is None:
            self._snapshots = self._saved.snapshots() if self._saved is not None else ()
        return self._snapshots

    @property
    def snapshot_refs(self) -> tuple[SnapshotRef, ...]:
        """What every result cites: one reference per snapshot, in screening order."""
        return self._refs

    @property
    def thresholds(self) -> Thresholds:
        return self._thresholds

    @property
    def lists(self) -> tuple[str, ...]:
        """The list codes screened against; empty when every list of the snapshots is."""
        return tuple(sorted(self._lists))

    @property
    def max_hits(self) -> int | None:
        return self._max_hits

    @property
    def weights(self) -> TokenWeights:
        """The word rarities scores are computed with (``weights_id`` names them)."""
        return self._weights

    @property
    def name_count(self) -> int:
        """Indexed names: published names and aliases plus implied variants."""
        return len(self._names)

    @property
    def variant_count(self) -> int:
        """Indexed names implied by a published one (``variants.py``), not published."""
        return self._variant_count

    def blocking_keys(self) -> frozenset[str]:
        """Every blocking key of every indexed name, implied variants included: a party can
        hit an entry of this Screener only if its own ``blocking_keys`` meet these."""
        keys: set[str] = set()
        for name in self._names:
            keys |= token_keys(name.tokens)
        return frozenset(keys)

    def candidates(self, name: str) -> set[int]:
        """Ids of the listed names the index proposes for ``name`` (for recall testing)."""
        return self._index.candidates(normalize_name(name).tokens)

    def entry_id(self, name_id: int) -> str:
        """The list entry id an indexed name belongs to."""
        return self._entries[self._names[name_id].entry][1].entry_id

    def match_name(self, query: str, name_id: int) -> NameMatch:
        """Score ``query`` against one indexed name, bypassing the index (exhaustive checks)."""
        listed = self._prepared(name_id)
        query_prepared = prepare(self._query_tokens(query), self._weights)
        entry = self._names[name_id].entry
        countries = self._countries(entry)
        return score_prepared(
            query_prepared,
            listed,
            self._weights,
            self._memo,
            countries,
            self._organisation(entry),
        )

    def screen(
        self, party: Party, *, row: int | None = None, max_hits: int | None = None
    ) -> ScreeningResult:
        """Screen one party (name and aliases) against every indexed list entry.

        A party whose name and aliases keep no letter or digit after normalisation is an
        ``error`` result, never ``clear``: nothing was compared. ``max_hits`` (at least 1)
        keeps at most that many hits in this result, below the screener's own cap: the same
        hits, in the same order, as the first ``max_hits`` of the full result, the rest
        counted in ``hits_omitted``; only the hits kept are built.
        """
        if max_hits is not None and max_hits < 1:
            raise InvalidInputError(f"max_hits must be at least 1, got {max_hits}")
        cap = self._max_hits
        if max_hits is not None and (cap is None or max_hits < cap):
            cap = max_hits
        try:
            if not any(normalize_name(n).tokens for n in (party.name, *party.aliases)):
                raise ValueError(f"name: nothing to compare after normalisation: {party.name!r}")
            hits, found, alert = self._hits(party, cap)
        except Exception as exc:  # one bad party must never stop a batch
            return ScreeningResult(
                row=row,
                party=party,
                name=party.name,
                status=Status.ERROR,
                error=f"{type(exc).__name__}: {exc}",
                thresholds=self._thresholds,
                snapshots=self._refs,
                weights_id=self._weights.weights_id,
                library_version=__version__,
            )
        status = Status.CLEAR
        if found:  # decided on every hit, built or not
            status = Status.ALERT if alert else Status.REVIEW
        return self._result(party, row, status, hits, found - len(hits))

    def screen_many(self, parties: Iterable[Party], *, workers: int = 1) -> list[ScreeningResult]:
        """Screen a batch; ``workers > 1`` splits it over processes with identical output."""
        batch = list(parties)
        if workers <= 1 or len(batch) < 2 * workers:
            return self._screen_frozen(batch)
        size = -(-len(batch) // (workers * 4))
        spans = [(i, min(i + size, len(batch))) for i in range(0, len(batch), size)]
        results: list[ScreeningResult] = []
        global _WORKER, _BATCH
        # Workers send back None for a clear result (most of a batch); it is rebuilt here
        # exactly as screen() builds it, which saves pickling it across processes.
        if "fork" in multiprocessing.get_all_start_methods() and os.name == "posix":
            # the index and the batch reach the workers by fork, not by pickling
            _WORKER, _BATCH = self, batch
            ctx = multiprocessing.get_context("fork")
            try:
                with ProcessPoolExecutor(
                    max_workers=workers, mp_context=ctx, initializer=_freeze_worker
                ) as pool:
                    for (lo, _), part in zip(spans, pool.map(_screen_span, spans), strict=True):
                        results.extend(self._filled(batch, lo, part))
            finally:
                _WORKER, _BATCH = None, []
        else:
            with ProcessPoolExecutor(
                max_workers=workers,
                initializer=_init_worker,
                initargs=(
                    self.snapshots,
                    self._thresholds,
                    self._weights.to_json(),
                    self._lists,
                    self._max_hits,
                    self._merge,
                ),
            ) as pool:
                chunks = [batch[lo:hi] for lo, hi in spans]
                for (lo, _), part in zip(spans, pool.map(_screen_chunk, chunks), strict=True):
                    results.extend(self._filled(batch, lo, part))
        return results

    def _screen_frozen(self, batch: list[Party]) -> list[ScreeningResult]:
        """Screen in this process with the collector off the existing heap for the batch.

        The index is millions of long-lived objects; each full collection during a batch
        walks all of them (measured: about 8% of batch time on the 2026 CSL). ``gc.freeze``
        parks everything that exists before the batch, ``gc.unfreeze`` hands it back after,
        so objects made during the batch are still collected and nothing stays parked.
        """
        if len(batch) < 1000:
            return self._screen_blocks(batch)
        gc.freeze()
        try:
            return self._screen_blocks(batch)
        finally:
            gc.unfreeze()

    def _screen_blocks(self, batch: list[Party]) -> list[ScreeningResult]:
        """Screen block by block, the index keys of each block's new words looked up in
        one vector pass first (``CandidateIndex.prefetch``): the same results as
        ``screen`` one by one, with the per-word look-up cost shared by the block."""
        results: list[ScreeningResult] = []
        for lo in range(0, len(batch), PREFETCH_BLOCK):
            block = batch[lo : lo + PREFETCH_BLOCK]
            # The collector is off within a block: screening makes no reference cycles
            # worth chasing mid-block, and young-generation passes over the block's
            # results cost about 10% of batch time (benchmarks/gc_ab.py). It runs again
            # between blocks, so garbage never outgrows one block.
            collecting = gc.isenabled()
            gc.disable()
            try:
                if len(block) > 1:
                    self._index.prefetch(self._block_tokens(block))
                results.extend(self.screen(p) for p in block)
            finally:
                if collecting:
                    gc.enable()
        return results

    def _block_tokens(self, block: list[Party]) -> list[Token]:
        tokens: list[Token] = []
        for party in block:
            for query in (party.name, *party.aliases):
                try:
                    tokens += self._query_tokens(query)
                except Exception:  # screen() reports this party's error itself
                    continue
        return tokens

    def _filled(
        self, batch: list[Party], lo: int, part: list[ScreeningResult | None]
    ) -> list[ScreeningResult]:
        return [
            r if r is not None else self._result(batch[lo + k], None, Status.CLEAR, ())
            for k, r in enumerate(part)
        ]

    def _result(
        self,
        party: Party,
        row: int | None,
        status: Status,
        hits: tuple[Hit, ...],
        omitted: int = 0,
    ) -> ScreeningResult:
        return ScreeningResult(
            row=row,
            party=party,
            name=party.name,
            status=status,
            hits=hits,
            hits_omitted=omitted,
            lists_screened=self.lists,
            thresholds=self._thresholds,
            snapshots=self._refs,
            weights_id=self._weights.weights_id,
            library_version=__version__,
        )

    # -- saving and loading (compliance.screening.persist) --------------------------------

    def to_arrays(self) -> Arrays:
        """Everything a query reads, as plain arrays (``arrays.py``): the candidate index,
        the indexed names (token ids into one token vocabulary), the pruning figures, the
        word weights, and the list entries and snapshot headers as JSON documents.

        Thresholds are not saved: they only enter at query time, so one saved index serves
        any thresholds. A field added to the Screener that a query reads must be added here
        and in :meth:`from_arrays`; ``tests/screening/test_persist.py`` compares a built and
        a loaded screener result for result.
        """
        vocabulary: dict[Token, int] = {}
        rows = [[vocabulary.setdefault(t, len(vocabulary)) for t in n.tokens] for n in self._names]
        strengths = {s: i + 1 for i, s in enumerate(AliasStrength)}
        out: Arrays = {f"index.{k}": v for k, v in self._index.to_arrays().items()}
        out.update(pack_tokens(list(vocabulary), "tokens"))
        out.update(pack_ragged(rows, "names.tokens"))
        out.update(pack_strings([n.text for n in self._names], "names.text"))
        out.update(pack_strings([s.value for s in AliasStrength], "names.strengths"))
        out["names.entry"] = np.array([n.entry for n in self._names], dtype=np.int64)
        out["names.strength"] = np.array(
            [0 if n.strength is None else strengths[n.strength] for n in self._names],
            dtype=np.int8,
        )
        out["names.absorbers"] = np.array([n.absorbers for n in self._names], dtype=np.int64)
        # each name's rejoined runs (prepare's joins): position and size, and the key's id
        join_keys: dict[str, int] = {}
        out.update(pack_ragged([[p * 8 + n for p, n, _ in r] for r in self._joins], "names.runs"))
        out.update(
            pack_ragged(
                [[join_keys.setdefault(k, len(join_keys)) for _, _, k in r] for r in self._joins],
                "names.run_keys",
            )
        )
        out.update(pack_strings(list(join_keys), "run_keys"))
        out["names.initials"] = self._initials
        out["names.support"] = self._support
        out["names.substance"] = self._substance
        out["names.person"] = self._person_names.astype(np.int8)
        out["variant_count"] = np.array([self._variant_count], dtype=np.int64)
        out["entries.snapshot"] = np.array([s for s, _ in self._entries], dtype=np.int64)
        out.update(
            pack_blobs([e.model_dump_json().encode() for _, e in self._entries], "entries.json")
        )
        # the entries' content hashes (a hit's entry_hash), so a loaded index never works
        # one out again: about 11 us an entry, most of a listed name's first hit past scoring
        out["entries.hash"] = np.frombuffer(
            b"".join(bytes.fromhex(self._entry_hash(e)) for e in range(len(self._entries))),
            dtype=np.uint8,
        ).reshape(len(self._entries), 32)
        # what scoring reads of every candidate's entry: organisation or not, its countries
        out["entries.organisation"] = np.array(
            [self._organisation(e) for e in range(len(self._entries))], dtype=np.int8
        )
        codes: dict[str, int] = {}
        out.update(
            pack_ragged(
                [
                    [codes.setdefault(c, len(codes)) for c in sorted(self._countries(e))]
                    for e in range(len(self._entries))
                ],
                "entries.countries",
            )
        )
        out.update(pack_strings(list(codes), "country_codes"))
        headers = [
            json.dumps(
                {
                    "snapshot": s.model_copy(update={"entries": ()}).model_dump(mode="json"),
                    "counts": s.count_by_list(),
                },
                sort_keys=True,
            ).encode()
            for s in self.snapshots
        ]
        out.update(pack_blobs(headers, "snapshots.json"))
        out.update(pack_strings([self._weights.to_json()], "weights"))
        # one hit per listed entity (entities.py): each entry's sibling listings
        out.update(
            pack_ragged(
                [list(self._siblings.get(e, ())) for e in range(len(self._entries))],
                "entries.siblings",
            )
        )
        out.update(pack_strings(sorted(self._lists), "lists"))
        out["merge_entities"] = np.array([int(self._merge)], dtype=np.int64)
        return out

    @classmethod
    def from_arrays(
        cls,
        arrays: Mapping[str, NDArray[Any]],
        thresholds: Thresholds | None = None,
        *,
        max_hits: int | None = None,
    ) -> Screener:
        """A screener equal to the one :meth:`to_arrays` saved, in a fraction of the build
        time: list entries are decoded only when a candidate or a hit needs them.

        Raises ``IndexFormatError`` (an ``IntegrityError``) on arrays that do not fit."""
        self = cls([], thresholds, max_hits=max_hits)  # an empty screener, then the saved fields
        self._thresholds = thresholds if thresholds is not None else Thresholds()
        saved = SavedEntries(arrays)
        self._saved = saved
        self._snapshots = None
        self._refs = tuple(snapshot_ref(h) for h in saved.headers)
        self._entries = saved
        self._index = CandidateIndex.from_arrays(
            {k[6:]: v for k, v in arrays.items() if k.startswith("index.")}
        )
        vocabulary = unpack_tokens(arrays, "tokens")
        offsets, token_ids = unpack_ragged(arrays, "names.tokens", len(vocabulary))
        texts = Strings(arrays, "names.text")
        try:
            strength_of = [
                None,
                *(AliasStrength(v) for v in unpack_strings(arrays, "names.strengths")),
            ]
        except ValueError as exc:
            raise IndexFormatError(f"saved index: {exc}") from None
        entry_ids = need(arrays, "names.entry")
        strengths = need(arrays, "names.strength")
        absorbers = need(arrays, "names.absorbers")
        self._initials = initials = need(arrays, "names.initials")
        self._support = need(arrays, "names.support")
        self._substance = need(arrays, "names.substance")
        self._person_names = need(arrays, "names.person").astype(bool)
        count = len(texts)
        columns = (
            entry_ids,
            strengths,
            absorbers,
            initials,
            self._support,
            self._substance,
            self._person_names,
        )
        if len(offsets) != count + 1 or any(len(c) != count for c in columns):
            raise IndexFormatError("saved index: name columns differ in length")
        if count != len(self._index):
            raise IndexFormatError("saved index: names and candidate index differ in size")
        if count and (int(entry_ids.min()) < 0 or int(entry_ids.max()) >= len(saved)):
            raise IndexFormatError("saved index: a name belongs to an unknown entry")
        if count and (int(strengths.min()) < 0 or int(strengths.max()) >= len(strength_of)):
            raise IndexFormatError("saved index: unknown alias strength")

        # the columns as lists: a name is made on first use, and a numpy scalar read costs
        # more than the rest of it (about a tenth of a loaded index's batch)
        offset_list, entry_list = offsets.tolist(), entry_ids.tolist()
        strength_list, absorber_list = strengths.tolist(), absorbers.tolist()
        initial_list, text_list = initials.tolist(), texts.all()

        def name(k: int) -> _Name:
            ids = token_ids[offset_list[k] : offset_list[k + 1]].tolist()
            return _Name(
                entry_list[k],
                text_list[k],
                strength_of[strength_list[k]],
                tuple([vocabulary[t] for t in ids]),
                absorber_list[k],
                initial_list[k],
            )

        self._names = Lazy(count, name)
        run_keys = Strings(arrays, "run_keys")
        run_offsets, runs = unpack_ragged(arrays, "names.runs", 1 << 62)
        key_offsets, key_ids = unpack_ragged(arrays, "names.run_keys", len(run_keys))
        if len(run_offsets) != count + 1 or not np.array_equal(run_offsets, key_offsets):
            raise IndexFormatError("saved index: name runs and names differ in length")
        if len(runs) and (int(runs.min()) < 0 or not set(np.unique(runs & 7).tolist()) <= {2, 3}):
            raise IndexFormatError("saved index: a name run has an unknown size")

        def joins(k: int) -> _Runs:
            lo, hi = int(run_offsets[k]), int(run_offsets[k + 1])
            if lo == hi:
                return _NO_RUNS
            return tuple(
                (v >> 3, v & 7, run_keys[key])
                for v, key in zip(runs[lo:hi].tolist(), key_ids[lo:hi].tolist(), strict=True)
            )

        self._joins = Lazy(count, joins)
        self._variant_count = scalar(arrays, "variant_count")
        (weights_json,) = unpack_strings(arrays, "weights")
        try:
            self._weights = TokenWeights.from_canonical_json(weights_json)
        except ValueError as exc:
            raise IndexFormatError(f"saved index weights: {exc}") from None
        sib_offsets, sib_ids = unpack_ragged(arrays, "entries.siblings", len(saved))
        if len(sib_offsets) != len(saved) + 1:
            raise IndexFormatError("saved index: siblings and entries differ in length")
        with_siblings = np.nonzero(np.diff(sib_offsets))[0].tolist()
        self._siblings = {
            e: tuple(sib_ids[sib_offsets[e] : sib_offsets[e + 1]].tolist()) for e in with_siblings
        }
        self._lists = frozenset(unpack_strings(arrays, "lists"))
        self._merge = bool(scalar(arrays, "merge_entities"))
        self._hashes = {}
        hashes = need(arrays, "entries.hash")
        if hashes.shape != (len(saved), 32) or hashes.dtype != np.uint8:
            raise IndexFormatError("saved index: entry hashes do not fit the entries")
        self._saved_hashes = hashes
        organisation = need(arrays, "entries.organisation")
        if organisation.shape != (len(saved),):
            raise IndexFormatError("saved index: organisation flags do not fit the entries")
        self._entry_organisation = dict(enumerate(organisation.astype(bool).tolist()))
        country_codes = unpack_strings(arrays, "country_codes")
        c_offsets, c_ids = unpack_ragged(arrays, "entries.countries", len(country_codes))
        if len(c_offsets) != len(saved) + 1:
            raise IndexFormatError("saved index: entry countries and entries differ in length")
        self._saved_countries = (c_offsets.tolist(), c_ids, country_codes)
        self._addresses = {}
        self._memo = {}
        self._prepared_names = [None] * count
        self._derive_cuts()
        return self

    # -- internals -----------------------------------------------------------------------

    def _thresholds_of(self, list_code: str) -> Thresholds:
        th = self._list_thresholds.get(list_code)
        if th is None:
            th = self._list_thresholds[list_code] = self._thresholds.for_list(list_code)
        return th

    def _hits(self, party: Party, cap: int | None) -> tuple[tuple[Hit, ...], int, bool]:
        """The strongest ``cap`` hits (all when None) of ``party``, best first, how many
        hits there are in all, and whether any of them alerts."""
        floor = self._thresholds.lowest_review - TUNABLES.max_bonus
        # per entry, its best name so far; the Hit (and its evidence) is built for winners only
        best: dict[int, _Candidate] = {}
        code = country_code(party.country)
        queries = _queries(party, code)
        person = (
            party.dob is not None
            or party.nationality is not None
            or (party.id_number is not None or party.place_of_birth is not None)
        )
        if len(self._memo) > 50_000:
            self._memo.clear()
        for q_pos, query in enumerate(queries):
            tokens = self._query_tokens(query)
            if not tokens:
                continue
            prepared = prepare(tokens, self._weights)
            prepared_places = any(prepared.places)
            for name_id in self._survivors(tokens, prepared):
                name = self._names[name_id]
                match = score_prepared(
                    prepared,
                    self._prepared(name_id),
                    self._weights,
                    self._memo,
                    self._countries(name.entry) if prepared_places else _NO_COUNTRIES,
                    self._organisation(name.entry),
                    floor,
                )
                if match.score * (1 - TUNABLES.corroboration_reserve) < floor:
                    continue
                entry = self._entries[name.entry][1]
                th = self._thresholds_of(entry.source)
                context = self._context(name.entry, entry, code, party)
                if match.places and context.address == "unknown":
                    context = self._place_in_address(name.entry, match.places, context)
                weak = name.strength is AliasStrength.WEAK
                score, adjustments = final_score(
                    match.score,
                    context,
                    th,
                    weak_alias=weak,
                    generic_only=match.generic_only,
                    lone_word=match.lone_word,
                    other_trade=match.other_trade or common_word_added_to(match),
                    says_more=context.kind_conflict is not None
                    and context.kind_conflict.startswith("company")
                    and company_says_more(match, entry.kind is EntryKind.INDIVIDUAL),
                )
                if person:
                    score, adjustments = person_context(party, entry, score, adjustments, th)
                score = round(score, 4)
                if score < th.review:
                    continue
                rank = (score, -q_pos, -name_id)
                prior = best.get(name.entry)
                if prior is None or rank > prior[0]:
                    best[name.entry] = (rank, query, name_id, match, context, adjustments)
        if any(SCRIPTS.search(q) for q in queries if not q.isascii()):  # beside spelling hits
            self._phonetic_hits(party, queries, code, best)
        if not best and len(queries) == 1:
            swapped = self._swapped(queries[0])
            if swapped is not None:  # "Export Rosoboron" for "Rosoboronexport"
                return self._hits(party.model_copy(update={"name": swapped}), cap)
        return self._built(best, cap)

    def _built(
        self, best: dict[int, _Candidate], cap: int | None
    ) -> tuple[tuple[Hit, ...], int, bool]:
        """Order, merge and cap the entries' best names before building any ``Hit`` (its
        evidence and pydantic validation are most of a listed name's cost past scoring):
        order, merging and status need only the score, the list and the entry id. Sorted as
        the built hits were, (-score, list, entry id), stably over ``best``'s order."""
        candidates = list(best.values())
        keys: list[tuple[Status, float, _ListingKey]] = []
        for candidate in candidates:
            score = candidate[0][0]
            s_idx, entry = self._entries[self._names[candidate[2]].entry]
            th = self._thresholds_of(entry.source)
            status = Status.ALERT if score >= th.alert else Status.REVIEW
            keys.append(
                (status, score, (entry.source, entry.entry_id, self._refs[s_idx].snapshot_id))
            )
        order = sorted(
            range(len(candidates)), key=lambda i: (-keys[i][1], keys[i][2][0], keys[i][2][1])
        )
        plan: list[tuple[int, tuple[Listing, ...] | None]] = [(i, None) for i in order]
        if self._merge and any(self._siblings.get(e) for e in best):
            merged = merge_plan([keys[i] for i in order], self._listings_of(best))
            plan = [(order[k], entity) for k, entity in merged]
        alert = any(keys[i][0] is Status.ALERT for i, _ in plan)
        kept = plan if cap is None else plan[:cap]
        hits: list[Hit] = []
        for i, entity in kept:
            rank, query, name_id, match, context, adjustments = candidates[i]
            hit = self._hit(query, self._names[name_id], rank[0], match, context, adjustments)
            if entity is not None:
                hit = hit.model_copy(update={"listings": entity})
            hits.append(hit)
        return tuple(hits), len(plan), alert

    def _listings_of(
        self, best: dict[int, _Candidate]
    ) -> dict[tuple[str, str, str], list[Listing]]:
        """Per hit (list, entry id, snapshot id), every listing of its entity, its own
        first: for the entries that other screened sources publish too."""
        out: dict[_ListingKey, list[Listing]] = {}
        for e_idx in best:
            siblings = self._siblings.get(e_idx)
            if not siblings:
                continue
            listings = [self._listing(e) for e in (e_idx, *siblings)]
            own = listings[0]
            out[(own.list, own.entry_id, own.snapshot_id)] = listings
        return out

    def _listing(self, e_idx: int) -> Listing:
        s_idx, entry = self._entries[e_idx]
        return Listing(
            list=entry.source,
            list_name=entry.source_name,
            entry_id=entry.entry_id,
            snapshot_id=self._refs[s_idx].snapshot_id,
            entry_hash=self._entry_hash(e_idx),
        )

    def _entry_hash(self, e_idx: int) -> str:
        entry_hash = self._hashes.get(e_idx)
        if entry_hash is None:
            saved = self._saved_hashes
            if saved is not None:
                entry_hash = saved[e_idx].tobytes().hex()
            else:
                entry_hash = self._entries[e_idx][1].content_hash()
            self._hashes[e_idx] = entry_hash
        return entry_hash

    def _phonetic_hits(
        self, party: Party, queries: list[str], code: str | None, best: dict[int, _Candidate]
    ) -> None:
        """Names in Arabic, Hebrew or Greek script met by consonant skeleton
        (``phonetic.py``), beside what the spelling path found: review at most, the reason
        in the adjustments; a stronger spelling hit of the same entry is kept."""
        index = self._phonetic_index()
        for q_pos, query in enumerate(queries):
            if not SCRIPTS.search(query):
                continue
            keys = name_keys(self._query_tokens(query))
            probes = {*keys, *(join_keys(a, b) for a, b in pairwise(keys))}
            seen: set[int] = set()
            for probe in sorted(probes):
                seen.update(index.get(probe, ()))
            for name_id in sorted(seen):
                name = self._names[name_id]
                value = phonetic_score(keys, name_keys(name.tokens))
                if value is None:
                    continue
                entry = self._entries[name.entry][1]
                th = self._thresholds_of(entry.source)
                context = self._context(name.entry, entry, code, party)
                score, notes = final_score(value, context, th, weak_alias=True)
                cap = round(th.alert - 0.0001, 4)
                notes = (
                    f"consonant skeleton across scripts (vowels unwritten): name {value:.4f}",
                    *notes,
                )
                score = round(min(score, cap), 4)
                if score < th.review:
                    continue
                match = NameMatch(value, (), (), ())
                rank = (score, -q_pos, -name_id)
                prior = best.get(name.entry)
                if prior is None or rank > prior[0]:
                    best[name.entry] = (rank, query, name_id, match, context, notes)

    def _phonetic_index(self) -> dict[str, list[int]]:
        """Consonant key -> listed names, built on the first Arabic or Hebrew query."""
        if self._phonetic is None:
            index: dict[str, list[int]] = {}
            for name_id, name in enumerate(self._names):
                for key in set(name_keys(name.tokens)):
                    index.setdefault(key, []).append(name_id)
            self._phonetic = index
        return self._phonetic

    def _swapped(self, query: str) -> str | None:
        """A two-word name of a company word and a name word in the order a compound is
        not written (``Export Rosoboron``), swapped so that the words rejoin to the listed
        compound (``Rosoboronexport``); ``None`` for any other name."""
        tokens = normalize_name(query).tokens
        if len(tokens) != 2:
            return None
        first, second = tokens
        if first.cls is not TokenClass.GENERIC or second.cls is not TokenClass.ORDINARY:
            return None
        # only when the swapped words written as one are a listed word: a clear query of this
        # shape (most are innocent) then costs one look-up, not a second screening
        joined = second.word + first.word
        if not self._index.knows(Token(joined, TokenClass.ORDINARY, joined)):
            return None
        return f"{second.word} {first.word}"

    def _query_tokens(self, query: str) -> tuple[Token, ...]:
        """The query's tokens, with a glued "and"/"of"/"et" split off a word (``Portof`` ->
        ``port``) when the word is not itself a listed word and its stem is a listed word of
        4+ letters or a generic word: ``Damavand``, a listed word, stays whole. A word one
        edit from a listed word is split too (``Portof`` is one edit from ``Porto``): the
        stem is a listed word exactly, the whole word only nearly; a 3-letter listed stem is
        not enough (``Sadof`` is a typo of ``Sadaf`` more often than ``Sad`` + "of")."""
        tokens = normalize_name(query).tokens

        def keep(word: Token, stem: Token) -> bool:
            if stem.cls is TokenClass.ORDINARY and (
                len(stem.text) < 4 or not self._index.knows(stem)
            ):
                return True
            return self._index.knows(word)

        return unglued(tokens, keep)

    def _survivors(self, tokens: Sequence[Token], prepared: Prepared) -> list[int]:
        """Names the index reaches whose score could still reach the review floor.

        The score is ``num / den`` (``score_prepared``) and must reach ``r``; that is possible
        only if ``num - r * den`` can reach 0 (Dinkelbach). With ``EL = extra_listed`` and
        ``EQ = extra_query`` (``TUNABLES``), its maximum splits by token: a listed ordinary word
        gives ``-EL*r*w`` unpaired, or ``(s - r)*w`` paired, so at most ``-EL*r*w + max(0,
        (s - cut)*w)`` with ``cut = (1 - EL)*r`` (the index sums that gain); a listed generic
        word, legal form or initial at most ``(1 - r)*w``; a query word that cannot pair costs
        ``EQ*r*extra``. Caps and contradiction factors only lower a score.
        A query's generic words and legal forms are looked up too, for names made only of
        generic words (promoted, paired by equal text); names met through rejoined words get
        the most a rejoined pair can add.
        """
        r, cut = self._ratio, self._cut
        reached = self._index.reach(
            tokens, self._weights.weight, token_similarity, cut, self._join_credit, prepared.joins
        )
        keep: list[int] = sorted(reached.always)
        ids = reached.names
        if not len(ids):
            return keep
        # (position bit, unpaired cost weight, may pair a listed generic word, first letter
        # if it may pair a listed initial) per query word; positions past MASK_BITS are never
        # reported unmet, so they are never strays; a place word may cost nothing (the
        # entry's own city or country): counted at 0 here
        query_words = [
            (
                1 << i,
                0.0 if prepared.places[i] else prepared.extra[i],
                t.cls is TokenClass.ORDINARY and near_support_word(t.word),
                t.text[0] if t.cls is TokenClass.ORDINARY else "",
            )
            for i, t in enumerate(tokens)
            if t.substantive and i < MASK_BITS
        ]
        q_initials = sum(1 for t in tokens if t.cls is TokenClass.INITIAL)
        # stage 1: strays at their fewest (misspelt words absorbed, initials pairing
        # anything), so the test only loosens; in C when the kernel is built (_reach.c
        # stage1), else vectorised (the reference: the same arithmetic, the same lists).
        # The whole listed name in the query (score_prepared, contained_cost): the strays
        # cost at most contained_cost of the listed name's weight if they are few enough
        # (query words the scorer may rejoin into one that pairs a listed word are met: the
        # index marks a rejoined run's positions, CandidateIndex.reach) and each identifying
        # listed word pairs a query word at least contained_similarity alike: the index
        # reached it then, with a gain of at least (contained_similarity - cut) x its weight
        # (a rejoined run, up to MAX_RUN words, gets one join credit: the margin never asks
        # more of it)
        person_on = bool(q_initials) and initials_may_stand(tokens)
        kernel = candidate_kernel()
        passed_ids, passed_masks, values, costs, mosts = (
            _stage_one if kernel is None else kernel.stage1
        )(
            ids,
            reached.gain,
            reached.mask,
            self._initials,
            self._support,
            self._substance,
            self._person_names,
            partial(_fewest_strays, query_words),
            1.0 - r,
            r,
            TUNABLES.extra_query,
            person_on,
            # between person-shaped names a query initial may pair one listed word it did
            # not reach (weight w <= 1) at the initial's weight: + (1 - r) * initial_weight,
            # and the listed words left unpaired then weigh at most initial_listed_cap
            # (score_prepared): counted here as costing nothing, + extra_listed * r *
            # substance (min(inf, substance) = substance, exactly)
            (1.0 - r) * TUNABLES.initial_weight * q_initials,
            TUNABLES.extra_listed * r,
            math.inf,
            TUNABLES.extra_listed * r,
            _EPSILON,
            TUNABLES.contained_cost,
            TUNABLES.contained_max_added,
            min(TUNABLES.contained_similarity - cut, self._join_credit / MAX_RUN),
        )
        if not passed_ids:
            return keep
        # stage 2, per survivor: the strays its generic words and initials really leave; a
        # place word (free in stage 1) is free only for an entry of one of its countries,
        # as score_prepared excuses it
        always = reached.always
        places = [
            (1 << i, prepared.places[i])
            for i, t in enumerate(tokens)
            if t.substantive and i < MASK_BITS and prepared.places[i]
        ]
        # query words that may be misspelt generic words or legal forms, by position bit
        spelt = [(bit, tokens[bit.bit_length() - 1]) for bit, _, near, _ in query_words if near]
        # the query's generic words and legal forms (no place words: those may be excused)
        # with what each costs left unpaired; stage 1 counts them as free
        support: list[tuple[int, float, Token, dict[tuple[str, str], bool]]] = [
            (1 << i, prepared.extra[i], t, {})
            for i, t in enumerate(tokens)
            if (t.cls is TokenClass.GENERIC or t.cls is TokenClass.LEGAL)
            and i < MASK_BITS
            and not prepared.places[i]
        ]
        strays: dict[tuple[int, int, str, int, int], tuple[float, bool]] = {}
        # what the listed words of a contained name may pair with (_may_be_contained)
        query_texts = frozenset([t.text for t in tokens])
        partners = (
            bool(spelt),  # a word that may be a misspelt generic word or legal form
            tuple([t for t in tokens if t.cls is TokenClass.GENERIC]),  # they pair near ones
            "".join([t.text[0] for t in tokens if t.cls is TokenClass.INITIAL]),
            frozenset([t.text[0] for t in tokens if t.cls is not TokenClass.LEGAL]),
        )
        for name_id, mask, test, low, most in zip(
            passed_ids, passed_masks, values, costs, mosts, strict=True
        ):
            value = test + r * low  # the test before the strays' cost
            if name_id in always:
                continue
            name = self._names[name_id]
            foreign = 0  # unmet place words that are no place of this entry's countries
            if places:
                countries = self._countries(name.entry)
                for bit, where in places:
                    if not mask & bit and countries.isdisjoint(where):
                        foreign |= bit
            letters = _initial_letters(name) if name.initials else ""
            # unmet query words that may pair one of this name's generic words or legal
            # forms: the same text (token_similarity) or a misspelling of one of them
            # (score._misspelt_support)
            absorbable = 0
            if name.absorbers and spelt:
                takers: tuple[Token, ...] | None = None
                for bit, t in spelt:
                    if not mask & bit:
                        if takers is None:
                            takers = _absorbers(name)
                        if any(
                            t.text == b.text or word_similarity(t.word, b.word) > 0.0
                            for b in takers
                        ):
                            absorbable |= bit
            key = (mask, name.absorbers, letters, foreign, absorbable)
            found = strays.get(key)
            if found is None:
                extra = prepared.extra  # what the word costs unpaired, by position
                words = [
                    (
                        bit,
                        extra[bit.bit_length() - 1] if bit & foreign else w,
                        bool(bit & absorbable),
                        lead,
                    )
                    for bit, w, _, lead in query_words
                ]
                found = strays[key] = (
                    TUNABLES.extra_query * _stray_weight(words, mask, name.absorbers, letters),
                    _stray_count(words, mask, name.absorbers, letters)
                    <= TUNABLES.contained_max_added,
                )
            cost, may_contain = found
            passed = value - r * cost >= -_EPSILON
            if passed and support:
                # the query's generic words and legal forms that no word of this name can
                # take (no rejoined run of the query holds them: the index marks those) are
                # left unpaired by the scorer: they cost extra_query x their weight too
                alone = 0.0
                for bit, w, t, near in support:
                    if not mask & bit and _unpairable(t, name.tokens, near):
                        alone += w
                if alone:
                    passed = value - r * (cost + TUNABLES.extra_query * alone) >= -_EPSILON
            if passed or (
                may_contain
                and value - r * most >= -_EPSILON
                and self._may_be_contained(name_id, name, query_texts, partners, prepared)
            ):
                keep.append(name_id)
        return keep

    def _may_be_contained(
        self,
        name_id: int,
        name: _Name,
        query_texts: frozenset[str],
        partners: tuple[bool, tuple[Token, ...], str, frozenset[str]],
        prepared: Prepared,
    ) -> bool:
        """False only if the scorer cannot pair every word of the listed name (contained_cost
        needs that): one of its legal forms, generic words or initials has no query word that
        may take it (the same text; a generic word near it or an initial of its letter; a word
        that may be a misspelt one; for an initial, a word of its letter: ``partners``), and
        no run of its words can be rejoined to meet the query (``score._merge_spacing``)."""
        if not self._organisation(name.entry):
            return False
        near, generic, initials, letters = partners
        promoted = 0
        for t in name.tokens:
            if t.substantive:
                if t.promoted and not _is_place(t):
                    promoted += 1
                else:
                    promoted = -(10**6)  # a named listing (score_prepared's ``named``)
                continue
            if t.text in query_texts or near:
                continue
            if t.cls is TokenClass.GENERIC and (
                t.text[0] in initials or any(token_similarity(g, t) > 0.0 for g in generic)
            ):
                continue
            if t.cls is TokenClass.INITIAL and t.text[0] in letters:
                continue  # a query initial or a word it begins (token_similarity)
            listed = self._prepared(name_id)
            return not listed.join_skeletons.isdisjoint(
                prepared.skeletons | prepared.join_skeletons
            )
        # a listing made only of generic words counts when it has enough of them (a rejoined
        # word is ordinary, hence named: the same allowance as above)
        return (
            promoted < 0
            or promoted >= TUNABLES.contained_generic_words
            or (
                not self._prepared(name_id).join_skeletons.isdisjoint(
                    prepared.skeletons | prepared.join_skeletons
                )
            )
        )

    def _organisation(self, entry_idx: int) -> bool:
        """Whether the entry may be an organisation (not a listed person, vessel or aircraft;
        BIS and State rows carry no type): only its names are found whole inside a longer
        query (``contained_cost``: ``Sofia Ivanov`` is not reviewed on an alias ``SOFIA``)."""
        found = self._entry_organisation.get(entry_idx)
        if found is None:
            kind = self._entries[entry_idx][1].kind
            found = self._entry_organisation[entry_idx] = kind is None or kind is EntryKind.ENTITY
        return found

    def _countries(self, entry_idx: int) -> frozenset[str]:
        """The entry's countries and the countries of its addresses (cached)."""
        found = self._entry_countries.get(entry_idx)
        if found is None:
            saved = self._saved_countries
            if saved is not None:
                offsets, ids, codes = saved
                lo, hi = offsets[entry_idx], offsets[entry_idx + 1]
                found = frozenset([codes[c] for c in ids[lo:hi].tolist()])
            else:
                entry = self._entries[entry_idx][1]
                found = frozenset(entry.countries) | {
                    a.country for a in entry.addresses if a.country
                }
            self._entry_countries[entry_idx] = found
        return found

    def _listed_address(self, entry_idx: int) -> frozenset[str]:
        """The words of the entry's addresses (cached)."""
        listed = self._addresses.get(entry_idx)
        if listed is None:
            entry = self._entries[entry_idx][1]
            parts = [
                p
                for a in entry.addresses
                for p in (a.street, a.city, a.state, a.postal_code, a.text)
                if p
            ]
            listed = _address_words(" ".join(parts))
            self._addresses[entry_idx] = listed
        return listed

    def _context(self, entry_idx: int, entry: ListEntry, code: str | None, party: Party) -> Context:
        countries = self._countries(entry_idx)
        if code is None or not countries:
            country = "unknown"
        else:
            country = "agree" if code in countries else "disagree"
        address = "unknown"
        if party.address:
            listed = self._listed_address(entry_idx)
            if listed:
                shared = len(listed & _address_words(party.address))
                address = "agree" if shared >= 2 else "partial" if shared == 1 else "disagree"
        return Context(country=country, address=address, kind_conflict=_kind_conflict(party, entry))

    def _place_in_address(
        self, entry_idx: int, places: tuple[Token, ...], context: Context
    ) -> Context:
        """A city of the party's name found in the entry's address corroborates a little,
        as one agreeing address word does (``address: partial``)."""
        listed = self._listed_address(entry_idx)
        if any(t.text in listed for t in places):
            return replace(context, address="partial")
        return context

    def _hit(
        self,
        query: str,
        name: _Name,
        score: float,
        match: NameMatch,
        context: Context,
        adjustments: tuple[str, ...],
    ) -> Hit:
        s_idx, entry = self._entries[name.entry]
        th = self._thresholds_of(entry.source)
        entry_hash = self._entry_hash(name.entry)
        return Hit(
            list=entry.source,
            list_name=entry.source_name,
            entry_id=entry.entry_id,
            listed_name=entry.name,
            matched_name=name.text,
            matched_alias=name.strength is not None,
            alias_strength=name.strength,
            query_name=query,
            score=score,
            status=Status.ALERT if score >= th.alert else Status.REVIEW,
            evidence=evidence(
                match, context, _place_notes(match) + adjustments, dropped_symbols(query)
            ),
            countries=entry.countries,
            programs=entry.programs,
            license_requirement=entry.license_requirement,
            license_policy=entry.license_policy,
            footnotes=entry.footnotes,
            federal_register_notices=entry.federal_register_notices,
            entry_hash=entry_hash,
            snapshot_id=self._refs[s_idx].snapshot_id,
        )


_ListingKey = tuple[str, str, str]  # list, entry id, snapshot id
_Candidate = tuple[tuple[float, int, int], str, int, NameMatch, Context, tuple[str, ...]]
"""An entry's best name so far: (rank, query, name id, match, context, adjustments)."""


def _queries(party: Party, code: str | None) -> list[str]:
    """The party's names and aliases, then other Latin readings of those in a non-Latin
    script (Korean in the Revised Romanization, kanji read as Japanese for a Japanese
    party: ``transliterate.readings``), or of romanised Russian organisation words in
    English (``translations.romanised_translated``), Russian acronyms read in full
    (``acronyms.acronyms_expanded``), or without a dedication's marker
    (``dedications.dedication_stripped``)."""
    names = (party.name, *party.aliases)
    if all(n.isascii() for n in names):
        # romanised Russian organisation words read in English (``translations.py``): a
        # reading only where two or more such words are in the name
        read = [t for n in names if (t := romanised_translated(n)) is not None]
        # Russian acronyms read in full (``acronyms.py``: ``TSNII`` -> central scientific
        # research institute), then any romanised Russian word of the result in English
        for n in names:
            if (full := acronyms_expanded(n, code)) is not None:
                read.append(romanised_translated(full, changed_before=1) or full)
            # a Russian name typed in Latin look-alike capitals (``OOO TEXHOMAP``)
            if (cyr := lookalike_cyrillic(n, RUSSIAN_LEGAL)) is not None:
                read.append(cyr)
        # a dedication ("... PLANT NAMED AFTER V.P. CHKALOV") without its marker and initials
        # (``dedications.py``)
        read += [t for n in names for t in dedication_stripped(n)]
        return list(dict.fromkeys((*names, *read)))
    extra = [r for n in names if not n.isascii() for r in readings(n, code)]
    return list(dict.fromkeys((*names, *extra)))


def _place_notes(match: NameMatch) -> tuple[str, ...]:
    """Evidence lines for what the name score did not weigh as identity: place words of the
    entry's countries (``places.py``), initials standing for a given name, generic names."""
    notes = [
        f"place {t.text!r} is a city or country of the entry, context not identity: +0.0000"
        for t in match.places
    ]
    notes += [
        f"initial {a.text!r} stands for {b.text!r}: given name not confirmed, review at most"
        ": +0.0000"
        for a, b in match.initials
    ]
    return tuple(notes)


def _unpairable(t: Token, listed: Sequence[Token], near: dict[tuple[str, str], bool]) -> bool:
    """Whether the scorer can pair a query generic word or legal form ``t`` with no word of
    a listed name: none has its text, it is no near generic word (``token_similarity``,
    remembered in ``near`` by the listed word's text and skeleton) nor an initial of its
    letter, and no run of the listed words rejoined into one word (``score._merge_spacing``:
    an ordinary word, paired with ``t`` on the same text only) writes it. A legal form
    pairs the same text only."""
    text = t.text
    generic = t.cls is TokenClass.GENERIC
    for b in listed:
        if b.text == text:
            return False
        if generic:
            if b.cls is TokenClass.INITIAL:
                if b.text[0] == text[0]:
                    return False
            elif b.cls is TokenClass.GENERIC:
                key = (b.text, b.skeleton)
                pairs = near.get(key)
                if pairs is None:
                    pairs = near[key] = token_similarity(t, b) > 0.0
                if pairs:
                    return False
    for k in range(len(listed) - 1):
        joined = listed[k].word
        if not text.startswith(joined):
            continue
        for b in listed[k + 1 : k + MAX_RUN]:
            joined += b.word
            if joined == text:
                return False
    return True


def _absorbers(name: _Name) -> tuple[Token, ...]:
    """A listed name's generic words and legal forms (``_Name.absorbers`` counts them)."""
    return tuple([t for t in name.tokens if not t.substantive and t.cls is not TokenClass.INITIAL])


def _initial_letters(name: _Name) -> str:
    """The letters of a listed name's initials, one per initial (``J Robert`` -> ``j``)."""
    return "".join([t.text[0] for t in name.tokens if t.cls is TokenClass.INITIAL])


def _stage_one(
    ids: NDArray[np.int64],
    gain: NDArray[np.float64],
    mask: NDArray[np.int64],
    initials: NDArray[np.int64],
    support: NDArray[np.float64],
    substance: NDArray[np.float64],
    person: NDArray[np.bool_],
    fewest_of: Callable[[int], tuple[float, int]],
    a: float,
    r: float,
    b: float,
    person_on: bool,
    c: float,
    d: float,
    q: float,
    e: float,
    eps: float,
    k: float,
    most_added: int,
    margin: float,
) -> tuple[list[int], list[int], list[float], list[float], list[float]]:
    """Stage 1 of the pruning test (``Screener._survivors``), vectorised: the reference of
    ``_reach.c``'s ``stage1``, which must give the same lists bit for bit.

    Per reached name (``ids``, with reach's ``gain`` and ``mask``): ``(fewest, count) =
    fewest_of(mask)``, ``fewest`` 0 for a name with initials; ``most = k * (support +
    substance)``; ``cost = b * fewest``, lowered to ``most`` when the name may be contained
    (``count - initials <= most_added`` and, when ``margin > 0``, ``gain >= margin *
    substance - eps``); ``base = a * support - r * cost``, plus ``c + d * min(q,
    substance)`` for a person-shaped name when ``person_on``; the name passes when ``gain -
    e * substance + base >= -eps``. Returns the passing names' ids, masks, test values,
    costs and ``most``, in id order."""
    masks, inverse = np.unique(mask, return_inverse=True)
    per_mask = [fewest_of(int(m)) for m in masks]
    fewest = np.array([w for w, _ in per_mask], dtype=np.float64)[inverse]
    counts = np.array([n for _, n in per_mask], dtype=np.int64)[inverse]
    chosen_initials = initials[ids]
    fewest[chosen_initials > 0] = 0.0
    chosen_support = support[ids]
    chosen_substance = substance[ids]
    most = k * (chosen_support + chosen_substance)
    few = counts - chosen_initials <= most_added
    if margin > 0.0:
        few &= gain >= margin * chosen_substance - eps
    cost = b * fewest
    cost = np.where(few, np.minimum(cost, most), cost)
    base = a * chosen_support - r * cost
    if person_on:
        base += np.where(person[ids], c + d * np.minimum(q, chosen_substance), 0.0)
    test = gain - e * chosen_substance + base
    passed = np.flatnonzero(test >= -eps)
    return (
        ids[passed].tolist(),
        mask[passed].tolist(),
        test[passed].tolist(),
        cost[passed].tolist(),
        most[passed].tolist(),
    )


def _stray_weight(
    query_words: list[tuple[int, float, bool, str]], mask: int, absorbers: int, initials: str
) -> float:
    """Weight of the query words the index did not reach (not in ``mask``) that stay unpaired
    at best: a word that may be a misspelt generic word or legal form may pair one of the
    listed name's ``absorbers``; a word may pair one of its ``initials`` (their letters) only
    if it begins with that letter (``token_similarity``), heaviest first.

    Two lower bounds, the larger kept: the initials taking any word left by the absorbers,
    and the initials and absorbers each taking their heaviest words independently (a word
    counted twice only loosens it)."""
    fixed: list[float] = []
    absorbable: list[float] = []
    for bit, w, misspelt, _ in query_words:
        if not mask & bit:
            (absorbable if misspelt else fixed).append(w)
    if absorbable:
        absorbable.sort(reverse=True)
        fixed += absorbable[absorbers:]
    total: float = sum(fixed, 0.0)
    if not initials:
        return total
    count = len(initials)
    any_word: float = sum(sorted(fixed, reverse=True)[count:], 0.0)
    leading = sorted(
        [w for bit, w, _, lead in query_words if not mask & bit and lead and lead in initials],
        reverse=True,
    )
    per_letter: float = total - sum(leading[:count], 0.0)
    return any_word if any_word >= per_letter else per_letter


def _fewest_strays(query_words: list[tuple[int, float, bool, str]], mask: int) -> tuple[float, int]:
    """``_stray_weight`` and ``_stray_count`` with every word that may be a misspelt generic
    word or legal form absorbed and no initials (stage 1 of ``_survivors``), in one pass."""
    total = 0.0
    count = 0
    for bit, w, misspelt, _ in query_words:
        if not mask & bit and not misspelt:
            total += w
            if w > 0.0:
                count += 1
    return total, count


def _stray_count(
    query_words: list[tuple[int, float, bool, str]],
    mask: int,
    absorbers: int,
    initials: str,
) -> int:
    """The fewest identifying query words left unpaired (``_stray_weight``'s words, counted):
    words the index did not reach, less those that may pair one of the ``absorbers`` or
    ``initials``; a word that costs nothing (a place of the entry) is not counted."""
    fixed = 0
    absorbable = 0
    for bit, w, misspelt, _ in query_words:
        if not mask & bit and w > 0.0:
            if misspelt:
                absorbable += 1
            else:
                fixed += 1
    return max(0, fixed + max(0, absorbable - absorbers) - len(initials))


def _variants(published: list[_Name]) -> list[_Name]:
    """Names implied by an entry's published names (``variants.py``), except those whose
    tokens repeat a name of the entry that is at least as strong."""
    found = [(n, v) for n in published for v in name_variants(n.text, n.tokens)]
    if not found:
        return []
    rank = {None: 0, AliasStrength.STRONG: 1, AliasStrength.WEAK: 2}
    best: dict[tuple[str, ...], int] = {}
    for n in published:
        key = tuple(t.text for t in n.tokens)
        best[key] = min(best.get(key, 3), rank[n.strength])
    out: list[_Name] = []
    for n, v in found:
        strength = _variant_strength(n.strength, v.alias)
        key = tuple(t.text for t in v.tokens)
        if best.get(key, 3) <= rank[strength]:
            continue
        best[key] = rank[strength]
        out.append(_name(n.entry, v.text, strength, v.tokens))
    return out


def _variant_strength(strength: AliasStrength | None, alias: bool) -> AliasStrength | None:
    """A parenthetical short name is an alias of the name it qualifies; the name without it
    keeps that name's standing."""
    if alias and strength is None:
        return AliasStrength.STRONG
    return strength


def _kind_conflict(party: Party, entry: ListEntry) -> str | None:
    """A company (by type or by a legal form in its name) against a vessel/aircraft/person."""
    kind = entry.kind
    if kind is None or kind is EntryKind.ENTITY:
        return None
    if party.type is PartyType.INDIVIDUAL:
        return None if kind is EntryKind.INDIVIDUAL else f"individual vs listed {kind.value}"
    is_company = party.type is PartyType.ENTITY or any(
        t.cls is TokenClass.LEGAL for t in normalize_name(party.name).tokens
    )
    return f"company vs listed {kind.value}" if is_company else None


_WORKER: Screener | None = None
_BATCH: list[Party] = []


def _freeze_worker() -> None:
    """In a forked worker (a process of our own), keep the collector off the inherited
    index: a full collection would write to every object and copy the shared pages."""
    gc.freeze()


def _init_worker(
    snapshots: Sequence[ListSnapshot],
    thresholds: Thresholds,
    weights: str,
    lists: frozenset[str],
    max_hits: int | None,
    merge_entities: bool,
) -> None:
    """Rebuild the parent's Screener in a spawned worker, with the parent's word weights
    (pinned or not), so a worker scores exactly as the parent would."""
    global _WORKER
    _WORKER = Screener(
        snapshots,
        thresholds,
        weights=TokenWeights.from_json(weights),
        lists=lists or None,
        max_hits=max_hits,
        merge_entities=merge_entities,
    )


def _chosen_lists(snapshots: Sequence[ListSnapshot], lists: Iterable[str] | None) -> frozenset[str]:
    """The list codes to screen (upper-cased); empty for all. Unknown codes are an error
    that names the codes the snapshots do carry."""
    if lists is None:
        return frozenset()
    chosen = frozenset(code.strip().upper() for code in lists if code.strip())
    if not chosen:
        raise InvalidInputError("lists: no list code given")
    carried = {e.source.upper() for s in snapshots for e in s.entries}
    unknown = sorted(chosen - carried)
    if unknown:
        raise InvalidInputError(
            f"lists: {', '.join(unknown)} not in the lists read "
            f"(they carry {', '.join(sorted(carried)) or 'nothing'})"
        )
    # the codes as the entries spell them
    return frozenset(e.source for s in snapshots for e in s.entries if e.source.upper() in chosen)


def _compact(result: ScreeningResult) -> ScreeningResult | None:
    """None for a plain clear result (the parent rebuilds it), else the result."""
    if result.status is Status.CLEAR and result.row is None:
        return None
    return result


def _screen_chunk(parties: list[Party]) -> list[ScreeningResult | None]:
    if _WORKER is None:  # pragma: no cover - set by the initializer
        raise RuntimeError("screening worker not initialised")
    return [_compact(r) for r in _WORKER._screen_blocks(parties)]


def _screen_span(span: tuple[int, int]) -> list[ScreeningResult | None]:
    if _WORKER is None:  # pragma: no cover - set by fork
        raise RuntimeError("screening worker not initialised")
    return _screen_chunk(_BATCH[span[0] : span[1]])
