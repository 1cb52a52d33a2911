"""Which lists to screen against when the caller names none.

The newest good snapshot in the user's data directory wins (``compliance lists update``
puts it there); without one, the bundled Entity List excerpt is used, with a warning that
this is a demonstration and not a full screening.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from compliance.watchlists.snapshot import ListSnapshot

EXCERPT_WARNING = (
    "WARNING: screening against the bundled EXCERPT of the BIS Entity List only. This is a "
    "demonstration, not a full screening. Run 'compliance lists update' or pass --list."
)


class DefaultLists(BaseModel):
    model_config = ConfigDict(frozen=True)

    snapshots: tuple[ListSnapshot, ...]
    origin: str  # "given", "store" or "excerpt"
    warnings: tuple[str, ...] = ()


def default_lists() -> DefaultLists:
    """The snapshots of the local store, else the bundled excerpt."""
    from compliance.watchlists.store import SnapshotStore

    current = SnapshotStore().current()
    if current:
        return DefaultLists(snapshots=tuple(current), origin="store")
    from compliance.watchlists.bundled import bundled_excerpt

    return DefaultLists(
        snapshots=(bundled_excerpt(),), origin="excerpt", warnings=(EXCERPT_WARNING,)
    )


def resolve_lists(paths: Sequence[Path]) -> DefaultLists:
    """The lists a command screens against: the files named, else ``default_lists()``.

    Raises ``OSError`` or ``ListFormatError`` when a named file cannot be read; every CLI
    subcommand with ``--list`` goes through here so they all pick lists the same way.
    """
    if paths:
        from compliance.watchlists.load import load_list

        return DefaultLists(snapshots=tuple(load_list(p) for p in paths), origin="given")
    return default_lists()


def describe(snapshot: ListSnapshot) -> str:
    """One line naming a snapshot: label, date, id, counts per list."""
    published = snapshot.published.date().isoformat() if snapshot.published else "date unknown"
    counts = ", ".join(f"{k} {v}" for k, v in snapshot.count_by_list().items())
    return f"{snapshot.label} ({published}, snapshot {snapshot.snapshot_id}): {counts}"
