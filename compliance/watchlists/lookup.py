"""Find a listed entry by list code and entry id in a set of snapshots (for the hit view).

A hit names its entry by ``(list, entry_id)`` and the entry's content hash at screening
time; the reviewer needs the whole entry (every name, address, program), and must be told
when the snapshot now in use holds a different version of it.
"""

from __future__ import annotations

from collections.abc import Sequence

from compliance.watchlists.entry import ListEntry
from compliance.watchlists.snapshot import ListSnapshot


class EntryLookup:
    """Entries of some snapshots by ``(list code, entry id)``; the first snapshot wins."""

    def __init__(self, snapshots: Sequence[ListSnapshot]) -> None:
        self._entries: dict[tuple[str, str], ListEntry] = {}
        for snapshot in snapshots:
            for entry in snapshot.entries:
                self._entries.setdefault((entry.source, entry.entry_id), entry)

    def get(self, list_code: str, entry_id: str) -> ListEntry | None:
        return self._entries.get((list_code, entry_id))

    def __len__(self) -> int:
        return len(self._entries)
