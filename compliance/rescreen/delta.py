"""Re-screen stored counterparties after a list update, touching only what can change.

``rescreen(store, new_snapshots, old_snapshots=...)`` gives every stored counterparty the
result a full re-screen against ``new_snapshots`` would give under the same word weights
(tested byte for byte on the 2022 and 2026 CSL), but runs the matcher only where the update
can change a result (``compliance.rescreen.impact``), and then only against the added or
amended entries.

Weights epochs: the scorer weighs ordinary words by their rarity on the lists
(``TokenWeights``). Recounting them at every update would move scores of pairs in which
nothing changed and force most counterparties to be re-screened; so the store keeps the
weight table its results were screened with and re-screens under it (pinned) until a new
epoch is asked for (``reweight=True``), which screens everything in full once. Results
screened against other snapshots, thresholds, library versions or epochs than
``old_snapshots`` are screened in full: nothing is carried over that was not proven to carry.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from itertools import pairwise

from pydantic import BaseModel, ConfigDict, Field

from compliance._version import __version__
from compliance.rescreen.impact import EntryChange, Identity, entry_change
from compliance.rescreen.store import Context, CounterpartyStore, status_of
from compliance.screening.results import Hit, Party, ScreeningResult, Status, Thresholds
from compliance.screening.score import TokenWeights
from compliance.screening.screener import Screener, snapshot_ref
from compliance.watchlists.snapshot import ListSnapshot

BATCH = 50_000
"""Counterparties per ``screen_many`` call: each call with workers forks a pool, so keep
it large; the parties of one batch are held in memory."""
DELTA_BATCH = 250_000
"""Counterparties per delta screening pass: only their JSON is held, and only results that
are not clear come back from the workers."""


class AlertChange(BaseModel):
    """One hit that appeared, went away or stayed, for one counterparty."""

    model_config = ConfigDict(frozen=True)

    counterparty_id: str
    name: str
    list: str
    entry_id: str
    listed_name: str
    before: Status | None = Field(description="hit status before the update, None if none")
    after: Status | None = Field(description="hit status after the update, None if none")
    score_before: float | None = None
    score_after: float | None = None


class RescreenReport(BaseModel):
    """What a re-screen did and what changed; deterministic (sorted, no timestamps)."""

    model_config = ConfigDict(frozen=True)

    old_snapshots: tuple[str, ...]
    new_snapshots: tuple[str, ...]
    counterparties: int
    screened: int = Field(description="counterparties run through the matcher")
    screened_against_changes: int = Field(
        default=0, description="of which screened against the added or amended entries only"
    )
    carried: int = Field(description="results carried over without screening")
    weights_id: str = Field(description="the weights epoch every result now carries")
    new_epoch: bool = Field(description="True when this run started the weights epoch")
    epoch_reason: str = Field(description="why this epoch")
    full_reasons: tuple[str, ...] = Field(
        default=(), description="why some or all counterparties were screened in full"
    )
    entries_added_or_changed: int = 0
    entries_removed: int = 0
    new_alerts: tuple[AlertChange, ...] = ()
    resolved_alerts: tuple[AlertChange, ...] = ()
    unchanged_alerts: tuple[AlertChange, ...] = ()
    status_counts: dict[str, int] = Field(default_factory=dict)


_HitKey = tuple[int, str, str, str]
_HitRow = tuple[str, str, str, Status, float]  # counterparty id, name, listed name, status, score


def _hit_map(store: CounterpartyStore) -> dict[_HitKey, _HitRow]:
    """Every stored hit by (cp, source, list, entry id), read with SQL (no model parsing)."""
    out: dict[_HitKey, _HitRow] = {}
    for cp, source, lst, entry_id, listed, status, score, cid, name in store.hit_rows():
        out.setdefault((cp, source, lst, entry_id), (cid, name, listed, Status(status), score))
    return out


def _changes(
    before: dict[_HitKey, _HitRow], after: dict[_HitKey, _HitRow]
) -> tuple[tuple[AlertChange, ...], tuple[AlertChange, ...], tuple[AlertChange, ...]]:
    new, resolved, same = [], [], []
    for key in sorted(set(before) | set(after)):
        old_hit, new_hit = before.get(key), after.get(key)
        ref = new_hit or old_hit
        assert ref is not None
        change = AlertChange(
            counterparty_id=ref[0],
            name=ref[1],
            list=key[2],
            entry_id=key[3],
            listed_name=ref[2],
            before=old_hit[3] if old_hit else None,
            after=new_hit[3] if new_hit else None,
            score_before=old_hit[4] if old_hit else None,
            score_after=new_hit[4] if new_hit else None,
        )
        if old_hit is None:
            new.append(change)
        elif new_hit is None:
            resolved.append(change)
        else:
            same.append(change)

    new, resolved, renumbered = _pair_renumbered(new, resolved)
    same.extend(renumbered)

    def order(c: AlertChange) -> tuple[str, str, str]:
        return (c.counterparty_id, c.list, c.entry_id)

    return (
        tuple(sorted(new, key=order)),
        tuple(sorted(resolved, key=order)),
        tuple(sorted(same, key=order)),
    )


def _pair_renumbered(
    new: list[AlertChange], resolved: list[AlertChange]
) -> tuple[list[AlertChange], list[AlertChange], list[AlertChange]]:
    """A hit that moved to a renumbered entry of the same name is the same alert.

    Feeds such as the CSL regenerate entry ids; pairing (as ``lists diff`` does) on
    counterparty, list and listed name, when unique on both sides, keeps such alerts out of
    "new" and "resolved".
    """

    def key(c: AlertChange) -> tuple[str, str, str]:
        return (c.counterparty_id, c.list, " ".join(c.listed_name.split()).casefold())

    new_by: dict[tuple[str, str, str], list[AlertChange]] = {}
    old_by: dict[tuple[str, str, str], list[AlertChange]] = {}
    for c in new:
        new_by.setdefault(key(c), []).append(c)
    for c in resolved:
        old_by.setdefault(key(c), []).append(c)
    paired: list[AlertChange] = []
    used: set[tuple[str, str, str]] = set()
    for k, olds in old_by.items():
        news = new_by.get(k, [])
        if len(olds) == 1 and len(news) == 1:
            o, n = olds[0], news[0]
            paired.append(n.model_copy(update={"before": o.before, "score_before": o.score_before}))
            used.add(k)
    return (
        [c for c in new if key(c) not in used],
        [c for c in resolved if key(c) not in used],
        paired,
    )


def screen_into(
    store: CounterpartyStore, screener: Screener, cps: Iterable[int], *, workers: int = 1
) -> int:
    """Screen these counterparties in full and store their results; returns how many.

    The screener's weight table is stored too, so the next update can keep its epoch.
    """
    store.save_weights(screener.weights)
    ordered = sorted(set(cps))
    for i in range(0, len(ordered), BATCH):
        chunk = store.parties(ordered[i : i + BATCH])
        results = screener.screen_many([p for _, p in chunk], workers=workers)
        store.save_results(zip([cp for cp, _ in chunk], results, strict=True))
    return len(ordered)


def _sort_key(h: Hit) -> tuple[float, str, str]:
    return (-h.score, h.list, h.entry_id)


def merge_hits(kept: Sequence[Hit], fresh: Sequence[Hit]) -> tuple[Hit, ...] | None:
    """Kept and new hits in the Screener's order (``-score, list, entry_id``).

    None when two different hits tie on that key: the Screener orders such ties by how its
    index reached the names, which a merge cannot reproduce, so the caller screens that
    counterparty in full instead.
    """
    hits = sorted([*kept, *fresh], key=_sort_key)
    for a, b in pairwise(hits):
        if _sort_key(a) == _sort_key(b) and a != b:
            return None
    return tuple(hits)


def _screen_changes(
    store: CounterpartyStore,
    small: Screener,
    cps: set[int],
    removed: frozenset[Identity],
    workers: int,
) -> set[int]:
    """Screen ``cps`` against the changed entries only and merge with their kept hits.

    Only counterparties with a new hit or a dropped hit are rewritten; every other one keeps
    its stored (re-stamped) result, which is exactly what a full screen gives. Returns the
    counterparties that must be screened in full instead (a tie the merge cannot order, or
    an error result).
    """
    fallback: set[int] = set()
    dropping = store.cps_hitting(removed) & cps
    ordered = sorted(cps)
    for i in range(0, len(ordered), DELTA_BATCH):
        rows = store.party_rows(ordered[i : i + DELTA_BATCH])
        fresh = screen_rows(small, rows, keep=dropping, workers=workers)
        kept = store.hits_of(cp for cp, _ in fresh)
        merged: list[tuple[int, ScreeningResult]] = []
        for cp, result in fresh:
            stays = [h for source, h in kept.get(cp, []) if (source, h.entry_hash) not in removed]
            hits = None if result.status is Status.ERROR else merge_hits(stays, result.hits)
            if hits is None:
                fallback.add(cp)
                continue
            merged.append((cp, result.model_copy(update={"hits": hits, "status": status_of(hits)})))
        store.save_results(merged)
    return fallback


_SMALL: Screener | None = None
_ROWS: list[tuple[int, str]] = []
_KEEP: frozenset[int] = frozenset()


def _screen_span(span: tuple[int, int]) -> list[tuple[int, ScreeningResult]]:
    """Parse and screen rows ``span`` of ``_ROWS``; keep results that are not plain clear
    (most are: only those cross the process boundary) or whose stored hits change."""
    if _SMALL is None:  # pragma: no cover - set before the pool forks
        raise RuntimeError("delta screening worker not initialised")
    out = []
    for cp, body in _ROWS[span[0] : span[1]]:
        result = _SMALL.screen(Party.model_validate_json(body))
        if result.status is not Status.CLEAR or cp in _KEEP:
            out.append((cp, result))
    return out


def screen_rows(
    small: Screener, rows: list[tuple[int, str]], *, keep: set[int], workers: int
) -> list[tuple[int, ScreeningResult]]:
    """Screen stored parties (id, JSON) and return (id, result) for every result that is
    not clear, and for every id in ``keep``.

    ``Screener.screen_many`` returns every result, rebuilding the clear ones in the parent;
    a delta screens many parties that almost all stay clear, so workers parse and screen
    their share and send back only what matters. Results are exactly ``small.screen``'s.
    """
    global _SMALL, _ROWS, _KEEP
    _SMALL, _ROWS, _KEEP = small, rows, frozenset(keep)
    try:
        fork = "fork" in multiprocessing.get_all_start_methods() and os.name == "posix"
        if workers <= 1 or len(rows) < 2 * workers or not fork:
            return _screen_span((0, len(rows)))
        size = -(-len(rows) // (workers * 4))
        spans = [(i, min(i + size, len(rows))) for i in range(0, len(rows), size)]
        ctx = multiprocessing.get_context("fork")
        # gc.freeze in the child: a collection would touch every inherited object and copy
        # the parent's pages (as Screener.screen_many's workers do)
        with ProcessPoolExecutor(
            max_workers=workers, mp_context=ctx, initializer=gc.freeze
        ) as pool:
            return [item for part in pool.map(_screen_span, spans) for item in part]
    finally:
        _SMALL, _ROWS, _KEEP = None, [], frozenset()


def _epoch(store: CounterpartyStore, reweight: bool) -> tuple[TokenWeights | None, str]:
    """The stored weights epoch to keep, or None (and why) to start a new one."""
    if reweight:
        return None, "new epoch: re-weighting requested; every counterparty is screened in full"
    in_use = {w: n for w, n in store.epochs_in_use().items() if w is not None}
    for weights_id in sorted(in_use, key=lambda w: (-in_use[w], w)):
        table = store.weights(weights_id)
        if table is not None:
            return table, (
                f"kept the epoch of the stored results ({weights_id}): word weights are "
                "pinned so that scores stay comparable across list updates"
            )
    return None, "new epoch: no stored result has a weights epoch yet"


def _difference(ctx: Context, new: Context) -> str:
    parts = []
    if ctx.weights_id != new.weights_id:
        parts.append(f"weights epoch {ctx.weights_id or 'none'}")
    if ctx.thresholds != new.thresholds:
        parts.append("thresholds")
    if ctx.library_version != new.library_version:
        parts.append(f"library version {ctx.library_version}")
    if {r.snapshot_id for r in ctx.snapshots} != {r.snapshot_id for r in new.snapshots}:
        parts.append("snapshots " + ", ".join(sorted(r.snapshot_id for r in ctx.snapshots)))
    return "; ".join(parts) or "another context"


def _small_screener(
    snapshots: Sequence[ListSnapshot], like: Context, weights: TokenWeights
) -> Screener:
    """A Screener over cut-down copies of the new snapshots, citing the same snapshots."""
    small = Screener(snapshots, like.thresholds, weights=weights, merge_entities=False)
    if tuple(snapshot_ref(s) for s in small.snapshots) != like.snapshots:
        raise AssertionError("a cut-down snapshot must cite the same snapshot as the full one")
    return small


def rescreen(
    store: CounterpartyStore,
    new_snapshots: Sequence[ListSnapshot],
    *,
    old_snapshots: Sequence[ListSnapshot] | None = None,
    thresholds: Thresholds | None = None,
    reweight: bool = False,
    full: bool = False,
    workers: int = 1,
) -> RescreenReport:
    """Bring every stored result up to ``new_snapshots``; delta where it is provably exact.

    ``old_snapshots``: what most stored results were screened against (delta from there).
    ``reweight``: start a new weights epoch from ``new_snapshots`` (screens all in full).
    ``full``: screen every counterparty in full, in the kept epoch.
    """
    new_snapshots = tuple(new_snapshots)
    thresholds = thresholds if thresholds is not None else Thresholds()
    reasons: list[str] = []
    if store.ensure_keys_current():
        reasons.append("blocking keys were rebuilt (made by another key function)")
    pinned, epoch_reason = _epoch(store, reweight)
    full_screener: Screener | None = None
    if pinned is None:
        full_screener = Screener(new_snapshots, thresholds, merge_entities=False)
        weights = full_screener.weights
    else:
        weights = pinned
    store.save_weights(weights)
    refs = tuple(snapshot_ref(s) for s in new_snapshots)
    new_ctx = Context(refs, thresholds, __version__, weights.weights_id)

    total = store.count()
    before = _hit_map(store)
    to_full = store.unscreened() | store.cps_with_errors()
    old_ctx_id: int | None = None
    if old_snapshots is not None and not full:
        old_refs = tuple(snapshot_ref(s) for s in old_snapshots)
        old_ctx_id = store.find_context(
            Context(old_refs, thresholds, __version__, weights.weights_id)
        )
    new_ctx_id = store.find_context(new_ctx)
    for context_id, count in sorted(store.contexts_in_use().items()):
        if context_id in (old_ctx_id, new_ctx_id):
            continue
        reasons.append(
            f"{count} result(s) screened with {_difference(store.context(context_id), new_ctx)}"
            " (not the old snapshots of this update): screened in full"
        )
        to_full |= store.cps_in_context(context_id)
    if full:
        reasons.append("full re-screen requested")
        to_full = {cp for (cp,) in store.db.execute("SELECT cp FROM counterparties")}

    change: EntryChange | None = None
    delta: set[int] = set()
    if old_snapshots is not None and old_ctx_id is not None and old_ctx_id != new_ctx_id:
        change = entry_change(old_snapshots, new_snapshots)
        if any(s.entries for s in change.keyed_only):
            keyed = _small_screener(change.keyed_only, new_ctx, weights)
            delta |= store.counterparties_with_keys(keyed.blocking_keys())
            del keyed
        delta |= store.cps_hitting(change.rehit)
        droppers = store.cps_hitting(change.removed)
        context_of_cp = store.contexts_of(delta | droppers)
        delta = {cp for cp in delta if context_of_cp.get(cp) == old_ctx_id} - to_full
        droppers = {cp for cp in droppers if context_of_cp.get(cp) == old_ctx_id}
        small = _small_screener(change.added_only, new_ctx, weights) if delta else None
        # one transaction: a re-stamped result is never visible before its delta is applied
        with store.transaction():
            new_ctx_id = store.restamp(old_ctx_id, new_ctx)
            store.drop_hits(droppers - to_full - delta, change.removed)
            fallback: set[int] = set()
            if small is not None:
                fallback = _screen_changes(store, small, delta, change.removed, workers)
                store.forget_results(fallback)  # unscreened until screened in full below
        if fallback:
            reasons.append(
                f"{len(fallback)} result(s) with hits the merge cannot order (equal score, "
                "list and entry id) or an error: screened in full"
            )
        to_full |= fallback
    if to_full:
        if full_screener is None:
            full_screener = Screener(
                new_snapshots, thresholds, weights=weights, merge_entities=False
            )
        screen_into(store, full_screener, to_full, workers=workers)
    screened = delta | to_full

    after = _hit_map(store)
    new, resolved, same = _changes(before, after)
    statuses: dict[str, int] = {}
    for result_status, n in store.db.execute(
        "SELECT status, COUNT(*) FROM results GROUP BY status ORDER BY status"
    ).fetchall():
        statuses[str(result_status)] = int(n)
    return RescreenReport(
        old_snapshots=tuple(sorted(s.snapshot_id for s in old_snapshots or ())),
        new_snapshots=tuple(sorted(s.snapshot_id for s in new_snapshots)),
        counterparties=total,
        screened=len(screened),
        screened_against_changes=len(delta - to_full),
        carried=total - len(screened),
        weights_id=weights.weights_id,
        new_epoch=pinned is None,
        epoch_reason=epoch_reason,
        full_reasons=tuple(reasons),
        entries_added_or_changed=len(change.added) if change else 0,
        entries_removed=len(change.removed) if change else 0,
        new_alerts=new,
        resolved_alerts=resolved,
        unchanged_alerts=same,
        status_counts=statuses,
    )
