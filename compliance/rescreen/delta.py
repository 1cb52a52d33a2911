"""Re-screen stored counterparties after a list update, touching only what can change.

``rescreen(store, new_snapshots, old_snapshots=...)`` gives every stored counterparty the
result a full re-screen against ``new_snapshots`` would give (tested for equality on the
2022 and 2026 CSL), but runs the matcher only for counterparties that the update can affect
(``compliance.rescreen.impact``). Results screened against other snapshots, thresholds or
library versions than ``old_snapshots`` are screened in full: nothing is carried over that
was not proven to carry.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from pydantic import BaseModel, ConfigDict, Field

from compliance._version import __version__
from compliance.rescreen.impact import WeightFn, impact
from compliance.rescreen.store import Context, CounterpartyStore
from compliance.screening.results import Hit, Status, Thresholds
from compliance.screening.screener import Screener, snapshot_ref
from compliance.watchlists.snapshot import ListSnapshot

BATCH = 50_000
"""Counterparties per ``screen_many`` call: each call with workers forks a pool, so keep
it large; the parties of one batch are held in memory."""


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
    carried: int = Field(description="results carried over without screening")
    full_reasons: tuple[str, ...] = Field(
        default=(), description="why some or all counterparties were screened in full"
    )
    entries_added_or_changed: int = 0
    entries_removed: int = 0
    reweighted_words: int = 0
    new_alerts: tuple[AlertChange, ...] = ()
    resolved_alerts: tuple[AlertChange, ...] = ()
    unchanged_alerts: tuple[AlertChange, ...] = ()
    status_counts: dict[str, int] = Field(default_factory=dict)


def _hit_map(store: CounterpartyStore, cps: Iterable[int]) -> dict[tuple[int, str, str, str], Hit]:
    out: dict[tuple[int, str, str, str], Hit] = {}
    for cp, hits in store.hits_of(cps).items():
        for source, hit in hits:
            out.setdefault((cp, source, hit.list, hit.entry_id), hit)
    return out


def _changes(
    store: CounterpartyStore,
    before: dict[tuple[int, str, str, str], Hit],
    after: dict[tuple[int, str, str, str], Hit],
) -> tuple[tuple[AlertChange, ...], tuple[AlertChange, ...], tuple[AlertChange, ...]]:
    parties = dict(store.parties({k[0] for k in before} | {k[0] for k in after}))
    new, resolved, same = [], [], []
    for key in sorted(set(before) | set(after)):
        cp = key[0]
        old_hit, new_hit = before.get(key), after.get(key)
        ref = new_hit or old_hit
        assert ref is not None
        party = parties[cp]
        change = AlertChange(
            counterparty_id=party.id or "",
            name=party.name,
            list=ref.list,
            entry_id=ref.entry_id,
            listed_name=ref.listed_name,
            before=old_hit.status if old_hit else None,
            after=new_hit.status if new_hit else None,
            score_before=old_hit.score if old_hit else None,
            score_after=new_hit.score if new_hit else None,
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


def _weight_function(screener: Screener) -> WeightFn | None:
    """The Screener's own token weights, to verify the impact analysis against.

    Read from a private attribute on purpose: if the matcher stops exposing it, delta
    re-screening degrades to a full re-screen instead of risking a wrong result.
    """
    weights = getattr(screener, "_weights", None)
    weight = getattr(weights, "weight", None)
    return weight if callable(weight) else None


def screen_into(
    store: CounterpartyStore, screener: Screener, cps: Iterable[int], *, workers: int = 1
) -> int:
    """Screen these counterparties and store their results; returns how many."""
    ordered = sorted(set(cps))
    for i in range(0, len(ordered), BATCH):
        chunk = store.parties(ordered[i : i + BATCH])
        results = screener.screen_many([p for _, p in chunk], workers=workers)
        store.save_results(zip([cp for cp, _ in chunk], results, strict=True))
    return len(ordered)


def rescreen(
    store: CounterpartyStore,
    new_snapshots: Sequence[ListSnapshot],
    *,
    old_snapshots: Sequence[ListSnapshot] | None = None,
    thresholds: Thresholds | None = None,
    screener: Screener | None = None,
    full: bool = False,
    workers: int = 1,
) -> RescreenReport:
    """Bring every stored result up to ``new_snapshots``; delta where it is provably exact."""
    screener = screener or Screener(new_snapshots, thresholds)
    new_ctx = Context(
        tuple(snapshot_ref(s) for s in screener.snapshots), screener.thresholds, __version__
    )
    reasons: list[str] = []
    if store.ensure_keys_current():
        reasons.append("blocking keys were rebuilt for this library version")

    total = store.count()
    before = _hit_map(store, store.cps_with_hits())
    to_screen = store.unscreened() | store.cps_with_errors()
    old_ctx_id: int | None = None
    if old_snapshots is not None and not full:
        old_ctx = Context(
            tuple(snapshot_ref(s) for s in old_snapshots), screener.thresholds, __version__
        )
        old_ctx_id = store.context_id(old_ctx)
    new_ctx_id = store.context_id(new_ctx)
    for context_id, count in sorted(store.contexts_in_use().items()):
        if context_id in (old_ctx_id, new_ctx_id):
            continue
        reasons.append(
            f"{count} result(s) screened against other snapshots, thresholds or library "
            "version than the old snapshots given: screened in full"
        )
        to_screen |= store.cps_in_context(context_id)
    if full:
        reasons.append("full re-screen requested")
        to_screen = {cp for (cp,) in store.db.execute("SELECT cp FROM counterparties")}

    added = removed = reweighted = 0
    carried_from_old: set[int] = set()
    if old_ctx_id is not None and old_snapshots is not None and old_ctx_id != new_ctx_id:
        eligible = store.cps_in_context(old_ctx_id) - to_screen
        change = impact(old_snapshots, screener.snapshots, check=_weight_function(screener))
        added, removed = len(change.added), len(change.removed)
        reweighted = len(change.changed_words)
        if change.everything:
            reasons.append("word weights changed in a way that cannot be narrowed: in full")
            to_screen |= eligible
        else:
            affected = store.counterparties_with_keys(change.keys) & eligible
            to_screen |= affected
            carried_from_old = eligible - affected
            store.drop_hits(store.cps_hitting(change.removed) & carried_from_old, change.removed)
    screened = screen_into(store, screener, to_screen, workers=workers)
    if old_ctx_id is not None:
        store.move_context(old_ctx_id, new_ctx)
    after = _hit_map(store, store.cps_with_hits())
    new, resolved, same = _changes(store, before, after)
    statuses: dict[str, int] = {}
    for result_status, n in store.db.execute(
        "SELECT status, COUNT(*) FROM results GROUP BY status ORDER BY status"
    ).fetchall():
        statuses[str(result_status)] = int(n)
    return RescreenReport(
        old_snapshots=tuple(sorted(s.snapshot_id for s in old_snapshots or ())),
        new_snapshots=tuple(sorted(s.snapshot_id for s in screener.snapshots)),
        counterparties=total,
        screened=screened,
        carried=total - screened,
        full_reasons=tuple(reasons),
        entries_added_or_changed=added,
        entries_removed=removed,
        reweighted_words=reweighted,
        new_alerts=new,
        resolved_alerts=resolved,
        unchanged_alerts=same,
        status_counts=statuses,
    )
