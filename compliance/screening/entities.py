"""One hit per listed entity: the entries of several sources that publish the same party.

The CSL carries the SDN list, OFAC publishes it again, the CSL comes as CSV and as JSON, and
one party may be on the Entity List and the SDN list at once. Screened together, each of
those entries would be its own hit ("Huawei Technologies" gave 76 hit lines). Entries are
taken as one entity when their primary names are equal after normalisation, their kinds do
not contradict, their countries meet (or one side gives none), and they come from different
sources: two entries of one list in one snapshot are never merged, because the list itself
keeps them apart (another address, another Federal Register notice).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from compliance.screening.normalize import Token
from compliance.screening.results import Hit, Listing, Status
from compliance.watchlists.entry import EntryKind, ListEntry


@dataclass
class _Cluster:
    members: list[int] = field(default_factory=list)
    sources: set[tuple[int, str]] = field(default_factory=set)
    countries: set[str] = field(default_factory=set)
    kind: EntryKind | None = None


def _countries(entry: ListEntry) -> set[str]:
    return set(entry.countries) | {a.country for a in entry.addresses if a.country}


class EntityGroups:
    """Collects entries by normalised primary name while the index is built, then tells,
    per entry, the other entries that publish the same entity."""

    def __init__(self) -> None:
        self._by_name: dict[tuple[str, ...], list[_Cluster]] = {}

    def add(self, e_idx: int, s_idx: int, entry: ListEntry, tokens: Sequence[Token]) -> None:
        """File entry ``e_idx`` (of snapshot ``s_idx``) under its primary name's tokens; it
        joins the first cluster it is compatible with, so grouping follows input order."""
        key = tuple(t.text for t in tokens)
        clusters = self._by_name.setdefault(key, [])
        source = (s_idx, entry.source)
        countries = _countries(entry)
        kind = entry.kind
        for cluster in clusters:
            if source in cluster.sources:
                continue
            if kind is not None and cluster.kind is not None and kind is not cluster.kind:
                continue
            if countries and cluster.countries and not countries & cluster.countries:
                continue
            cluster.members.append(e_idx)
            cluster.sources.add(source)
            cluster.countries |= countries
            cluster.kind = cluster.kind or kind
            return
        clusters.append(_Cluster([e_idx], {source}, countries, kind))

    def siblings(self) -> dict[int, tuple[int, ...]]:
        """Entry -> the other entries of its entity, in input order (only entries that have
        any: most entities are published once)."""
        out: dict[int, tuple[int, ...]] = {}
        for clusters in self._by_name.values():
            for cluster in clusters:
                if len(cluster.members) < 2:
                    continue
                for e_idx in cluster.members:
                    out[e_idx] = tuple(m for m in cluster.members if m != e_idx)
        return out


_SEVERITY = {Status.ALERT: 2, Status.REVIEW: 1}


def merge_listings(
    hits: Sequence[Hit], listings: dict[tuple[str, str, str], list[Listing]]
) -> list[Hit]:
    """Hits (sorted best first) with the hits of one entity folded into its strongest one,
    which names every listing of the entity (``merge_plan``)."""
    keys = [(h.status, h.score, (h.list, h.entry_id, h.snapshot_id)) for h in hits]
    return [
        hits[i] if entity is None else hits[i].model_copy(update={"listings": entity})
        for i, entity in merge_plan(keys, listings)
    ]


def merge_plan(
    keys: Sequence[tuple[Status, float, tuple[str, str, str]]],
    listings: dict[tuple[str, str, str], list[Listing]],
) -> list[tuple[int, tuple[Listing, ...] | None]]:
    """Which of the hits described by ``keys`` (status, score, (list, entry id, snapshot
    id); sorted best first) stay when the hits of one entity fold into its strongest one:
    (position, every listing of its entity or None), in the given order. The strongest is
    the most severe status, then the highest score, then the sort order: a per-list alert
    threshold can make an entity's second-best score the one that alerts. Works on keys so
    that a screener can decide which hits to build before building any."""
    ordered = sorted(
        range(len(keys)),
        key=lambda i: (-_SEVERITY.get(keys[i][0], 0), -keys[i][1], i),
    )
    taken: set[tuple[str, str, str]] = set()
    kept: list[tuple[int, tuple[Listing, ...] | None]] = []
    for i in ordered:
        own = keys[i][2]
        if own in taken:
            continue
        entity = listings.get(own)
        if entity is None:
            kept.append((i, None))
            continue
        taken.update((x.list, x.entry_id, x.snapshot_id) for x in entity)
        kept.append((i, tuple(entity)))
    kept.sort(key=lambda pair: pair[0])
    return kept
