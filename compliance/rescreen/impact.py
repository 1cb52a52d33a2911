"""What a list update changes, under pinned word weights, reduced to what the store can look up.

With the word rarities pinned (a weights epoch, ``compliance.screening.score.TokenWeights``),
a hit depends only on the party, the one entry, the weights, the thresholds and the library
version (``Screener._hits`` keeps the best name per entry, independently of every other
entry). So an update can change a stored result only through the entries it adds or removes:

1. an entry removed (its content hash gone): its hits go, from the stored hits, no screening;
2. an entry added, or amended in anything the matcher reads (:func:`matcher_view`: names,
   aliases and their strength, kind, countries, addresses): only a counterparty sharing a
   blocking key with one of its indexed names can hit it (``Screener.blocking_keys``);
   counterparties that hit its old version are screened again too. When the amendment only
   adds names (same list and entry id, every old name kept with its strength, same kind,
   countries and addresses), a counterparty that missed the old version can only hit one
   of the added names (or their implied variants), so only their keys are looked up;
3. an entry amended only outside what the matcher reads (license text, footnotes, Federal
   Register notices, programs, dates, URLs, or a new entry id with the same names): exactly
   the counterparties that hit a removed entry with the same matcher view can hit it.

Entries are identified as stored hits name them: (registry source, entry content hash).
Duplicated entries count: an identity whose number of copies changed is removed and added.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from compliance.watchlists.entry import Alias, AliasStrength, ListEntry
from compliance.watchlists.snapshot import ListSnapshot

Identity = tuple[str, str]
"""An entry as a stored hit names it: (registry source, entry content hash)."""


def matcher_view(entry: ListEntry) -> str:
    """Everything ``Screener`` reads of an entry to decide whether and how well a party hits it.

    Names and aliases in order with their strength (scores, tie-breaks, weak-alias cap),
    kind (company-vs-vessel conflict), countries and addresses (corroboration). Two entries
    with the same view give the same hit/no-hit and the same score to every party.
    """
    return json.dumps(
        {
            "names": [[text, strength] for text, strength in entry.all_names],
            "kind": entry.kind,
            "countries": list(entry.countries),
            "addresses": [a.model_dump(mode="json") for a in entry.addresses],
        },
        sort_keys=True,
        ensure_ascii=False,
    )


def _context_view(entry: ListEntry) -> tuple[object, ...]:
    """What the matcher reads of an entry besides its names (corroboration, kind)."""
    return (entry.kind, entry.countries, entry.addresses)


def added_names(old: ListEntry, new: ListEntry) -> ListEntry | None:
    """An entry made of the names ``new`` adds to ``old``, to look keys up with; None when
    the amendment is not a pure addition of names (then every name of ``new`` is keyed).

    Keys depend only on a name's tokens, and implied variants only on the name they come
    from (adding names can only suppress variants of the others), so this entry's indexed
    names cover every indexed name ``new`` has that ``old`` had not. No name added: an
    entry with an empty name, which the caller skips.
    """
    if _context_view(old) != _context_view(new):
        return None
    before = set(old.all_names)
    if not before <= set(new.all_names):
        return None
    fresh = [(text, strength) for text, strength in new.all_names if (text, strength) not in before]
    if not fresh:
        return new.model_copy(update={"name": "", "aliases": ()})
    aliases = tuple(Alias(name=t, strength=s or AliasStrength.STRONG) for t, s in fresh[1:])
    return new.model_copy(update={"name": fresh[0][0], "aliases": aliases})


def identities(snapshots: Sequence[ListSnapshot]) -> Counter[Identity]:
    return Counter(i for s in snapshots for i, _ in _hashed(s))


def _hashed(snapshot: ListSnapshot) -> list[tuple[Identity, ListEntry]]:
    return [((snapshot.source, e.content_hash()), e) for e in snapshot.entries]


@dataclass(frozen=True)
class EntryChange:
    """Entries an update removes and adds, and how to find who can hit the added ones."""

    removed: frozenset[Identity]
    """Old identities gone or whose number of copies changed: their stored hits are dropped."""
    added: frozenset[Identity]
    """New identities: every copy is screened (against a Screener of just these entries)."""
    rehit: frozenset[Identity]
    """Removed identities whose hitters must be screened again: an added entry has the same
    matcher view (rule 3), or the same list and entry id (the old version, rule 2)."""
    added_only: tuple[ListSnapshot, ...]
    """The new snapshots cut down to the added entries (see :func:`only_entries`)."""
    keyed_only: tuple[ListSnapshot, ...]
    """The new snapshots with just the names to look keys up for (added entries with a new
    matcher view; for amendments that only add names, those names): whoever shares a
    blocking key with them is screened. For keys only, never for screening."""


def entry_change(old: Sequence[ListSnapshot], new: Sequence[ListSnapshot]) -> EntryChange:
    """Compare two snapshot sets entry by entry; see the module docstring for the rules."""
    old_hashed = [_hashed(s) for s in old]
    new_hashed = [_hashed(s) for s in new]
    old_ids = Counter(i for h in old_hashed for i, _ in h)
    new_ids = Counter(i for h in new_hashed for i, _ in h)
    removed = frozenset(i for i, n in old_ids.items() if new_ids.get(i, 0) != n)
    added = frozenset(i for i, n in new_ids.items() if old_ids.get(i, 0) != n)
    removed_view: dict[tuple[str, str], set[Identity]] = {}
    removed_id: dict[tuple[str, str, str], dict[Identity, ListEntry]] = {}
    for snapshot, hashed in zip(old, old_hashed, strict=True):
        for ident, entry in hashed:
            if ident in removed:
                view = (snapshot.source, matcher_view(entry))
                removed_view.setdefault(view, set()).add(ident)
                key = (snapshot.source, entry.source, entry.entry_id)
                removed_id.setdefault(key, {})[ident] = entry
    rehit: set[Identity] = set()
    keyed: list[list[ListEntry]] = []
    for snapshot, hashed in zip(new, new_hashed, strict=True):
        keyed.append([])
        for ident, entry in hashed:
            if ident not in added:
                continue
            same_view = removed_view.get((snapshot.source, matcher_view(entry)))
            if same_view:
                rehit |= same_view
                continue
            versions = removed_id.get((snapshot.source, entry.source, entry.entry_id), {})
            rehit |= set(versions)
            narrowed = None
            if len(versions) == 1:
                narrowed = added_names(next(iter(versions.values())), entry)
            key_entry = entry if narrowed is None else narrowed
            if key_entry.name:
                keyed[-1].append(key_entry)
    return EntryChange(
        removed=removed,
        added=added,
        rehit=frozenset(rehit),
        added_only=tuple(only_entries(s, h, added) for s, h in zip(new, new_hashed, strict=True)),
        keyed_only=tuple(
            s.model_copy(update={"entries": tuple(k)}) for s, k in zip(new, keyed, strict=True)
        ),
    )


def only_entries(
    snapshot: ListSnapshot, hashed: list[tuple[Identity, ListEntry]], wanted: frozenset[Identity]
) -> ListSnapshot:
    """The snapshot with just these entries, in their published order, every other field
    (files, hence ``snapshot_id``) unchanged: hits from it cite the full snapshot."""
    kept = tuple(e for ident, e in hashed if ident in wanted)
    return snapshot.model_copy(update={"entries": kept})


__all__ = [
    "EntryChange",
    "Identity",
    "entry_change",
    "identities",
    "matcher_view",
    "only_entries",
]
