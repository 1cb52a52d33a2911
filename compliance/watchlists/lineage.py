"""Snapshot lineage: which two snapshots a diff compares when the caller names none, and how
a reference (snapshot id, id prefix or list file) becomes a snapshot.

Shared by ``compliance lists diff`` and any other door that shows what changed.
"""

from __future__ import annotations

from pathlib import Path

from compliance.watchlists.snapshot import ListSnapshot
from compliance.watchlists.store import SnapshotStore, StoreError


def resolve_snapshot(store: SnapshotStore, ref: str) -> ListSnapshot:
    """A list file when ``ref`` is an existing path, else a stored snapshot id (or prefix)."""
    path = Path(ref)
    if path.exists():
        from compliance.watchlists.load import load_list

        return load_list(path)
    return store.get(ref)


def default_pair(store: SnapshotStore, source: str | None) -> tuple[str, str]:
    """(previous, current) snapshot ids of ``source`` (or of the store's only source): the
    current snapshot's recorded predecessor, else the one published just before it."""
    names = [source] if source else store.sources()
    if len(names) != 1:
        raise StoreError(
            f"name --source (or give OLD and NEW): the store holds {len(names)} sources"
        )
    manifests = store.manifests(names[0])
    current = store.selected(names[0])
    if current is None or len(manifests) < 2:
        raise StoreError(f"{names[0]}: fewer than two stored snapshots to compare")
    ids = [m.snapshot_id for m in manifests]
    prev = current.previous_snapshot_id
    if prev not in ids:
        position = ids.index(current.snapshot_id)
        if position == 0:
            raise StoreError(f"{names[0]}: the current snapshot is the oldest stored")
        prev = ids[position - 1]
    assert prev is not None
    return prev, current.snapshot_id
