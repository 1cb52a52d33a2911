"""What changed between two snapshots: entries added, removed and changed, per list.

Entries are matched on (list code, entry id). Feeds that renumber their ids between files
(the CSL's ``_id`` is regenerated) would otherwise show every entry as removed and added,
so entries left over on both sides are paired when exactly one entry of that list carries
the same name on each side. Every published field is compared; nothing is left out.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence

from pydantic import BaseModel, ConfigDict

from compliance.watchlists.entry import Address, Alias, AliasStrength, Footnote, ListEntry
from compliance.watchlists.snapshot import ListSnapshot

_IGNORED_FIELDS = frozenset({"source"})  # the list code is the grouping key


class EntryRef(BaseModel):
    """An entry as the diff names it."""

    model_config = ConfigDict(frozen=True)

    list: str
    entry_id: str
    name: str
    entry_hash: str


class FieldChange(BaseModel):
    """One field of an entry: the values it lost and the values it gained."""

    model_config = ConfigDict(frozen=True)

    field: str
    removed: tuple[str, ...] = ()
    added: tuple[str, ...] = ()


class EntryChange(BaseModel):
    model_config = ConfigDict(frozen=True)

    old: EntryRef
    new: EntryRef
    changes: tuple[FieldChange, ...]


class ListDiff(BaseModel):
    model_config = ConfigDict(frozen=True)

    list: str
    added: tuple[EntryRef, ...] = ()
    removed: tuple[EntryRef, ...] = ()
    changed: tuple[EntryChange, ...] = ()
    unchanged: int = 0


class SnapshotDiff(BaseModel):
    model_config = ConfigDict(frozen=True)

    old_snapshot_id: str
    new_snapshot_id: str
    old_label: str
    new_label: str
    lists: tuple[ListDiff, ...]

    def totals(self) -> dict[str, int]:
        return {
            "added": sum(len(d.added) for d in self.lists),
            "removed": sum(len(d.removed) for d in self.lists),
            "changed": sum(len(d.changed) for d in self.lists),
            "unchanged": sum(d.unchanged for d in self.lists),
        }


def _ref(entry: ListEntry) -> EntryRef:
    return EntryRef(
        list=entry.source, entry_id=entry.entry_id, name=entry.name, entry_hash=entry.content_hash()
    )


def _render(value: object) -> str:
    if isinstance(value, Alias):
        weak = " (weak)" if value.strength == AliasStrength.WEAK else ""
        kind = f" [{value.alias_type}]" if value.alias_type else ""
        return f"{value.name}{weak}{kind}"
    if isinstance(value, Address):
        parts = [value.street, value.city, value.state, value.postal_code, value.country]
        composed = ", ".join(p for p in parts if p)
        return value.text or composed
    if isinstance(value, Footnote):
        return f"footnote {value.number} ({value.citation})"
    return str(value)


def _values(entry: ListEntry, field: str) -> tuple[str, ...]:
    value = getattr(entry, field)
    if value is None:
        return ()
    if isinstance(value, tuple):
        return tuple(_render(v) for v in value)
    return (_render(value),)


def field_changes(old: ListEntry, new: ListEntry) -> tuple[FieldChange, ...]:
    """Every field whose published value differs, as removed / added values."""
    changes: list[FieldChange] = []
    for field in ListEntry.model_fields:
        if field in _IGNORED_FIELDS:
            continue
        before, after = _values(old, field), _values(new, field)
        if before == after:
            continue
        removed = tuple(sorted(set(before) - set(after)))
        added = tuple(sorted(set(after) - set(before)))
        if not removed and not added:  # same values, other order or repetition
            removed, added = before, after
        changes.append(FieldChange(field=field, removed=removed, added=added))
    return tuple(changes)


_SPACE = re.compile(r"\s+")


def _name_key(entry: ListEntry) -> str:
    return _SPACE.sub(" ", entry.name).strip().casefold()


def _pair_by_name(
    removed: list[ListEntry], added: list[ListEntry]
) -> tuple[list[tuple[ListEntry, ListEntry]], list[ListEntry], list[ListEntry]]:
    old_by_name: dict[str, list[ListEntry]] = defaultdict(list)
    new_by_name: dict[str, list[ListEntry]] = defaultdict(list)
    for e in removed:
        old_by_name[_name_key(e)].append(e)
    for e in added:
        new_by_name[_name_key(e)].append(e)
    pairs: list[tuple[ListEntry, ListEntry]] = []
    paired_old: set[int] = set()
    paired_new: set[int] = set()
    for key, olds in old_by_name.items():
        news = new_by_name.get(key, [])
        if len(olds) == 1 and len(news) == 1:
            pairs.append((olds[0], news[0]))
            paired_old.add(id(olds[0]))
            paired_new.add(id(news[0]))
    still_removed = [e for e in removed if id(e) not in paired_old]
    still_added = [e for e in added if id(e) not in paired_new]
    return pairs, still_removed, still_added


def _by_list(entries: Iterable[ListEntry]) -> dict[str, dict[str, list[ListEntry]]]:
    grouped: dict[str, dict[str, list[ListEntry]]] = defaultdict(lambda: defaultdict(list))
    for e in entries:
        grouped[e.source][e.entry_id].append(e)
    return grouped


def _sort_key(ref: EntryRef) -> tuple[str, str, str]:
    return (ref.name.casefold(), ref.entry_id, ref.entry_hash)


def diff_entries(old: Sequence[ListEntry], new: Sequence[ListEntry]) -> tuple[ListDiff, ...]:
    """Per-list differences between two collections of entries."""
    old_lists, new_lists = _by_list(old), _by_list(new)
    result: list[ListDiff] = []
    for code in sorted(set(old_lists) | set(new_lists)):
        olds, news = old_lists.get(code, {}), new_lists.get(code, {})
        removed: list[ListEntry] = []
        added: list[ListEntry] = []
        changed: list[EntryChange] = []
        unchanged = 0
        for entry_id in sorted(set(olds) | set(news)):
            before = sorted(olds.get(entry_id, []), key=ListEntry.content_hash)
            after = sorted(news.get(entry_id, []), key=ListEntry.content_hash)
            if len(before) == 1 and len(after) == 1:
                if before[0] == after[0]:
                    unchanged += 1
                else:
                    changed.append(_change(before[0], after[0]))
                continue
            after_hashes = {e.content_hash() for e in after}
            before_hashes = {e.content_hash() for e in before}
            unchanged += sum(1 for e in before if e.content_hash() in after_hashes)
            removed.extend(e for e in before if e.content_hash() not in after_hashes)
            added.extend(e for e in after if e.content_hash() not in before_hashes)
        pairs, removed, added = _pair_by_name(removed, added)
        for a, b in pairs:
            if a.model_copy(update={"entry_id": b.entry_id}) == b:
                unchanged += 1
            else:
                changed.append(_change(a, b))
        result.append(
            ListDiff(
                list=code,
                added=tuple(sorted((_ref(e) for e in added), key=_sort_key)),
                removed=tuple(sorted((_ref(e) for e in removed), key=_sort_key)),
                changed=tuple(sorted(changed, key=lambda c: _sort_key(c.new))),
                unchanged=unchanged,
            )
        )
    return tuple(result)


def _change(old: ListEntry, new: ListEntry) -> EntryChange:
    return EntryChange(old=_ref(old), new=_ref(new), changes=field_changes(old, new))


def diff_snapshots(old: ListSnapshot, new: ListSnapshot) -> SnapshotDiff:
    """Entries added, removed and changed from ``old`` to ``new``, per list code."""
    return SnapshotDiff(
        old_snapshot_id=old.snapshot_id,
        new_snapshot_id=new.snapshot_id,
        old_label=old.label,
        new_label=new.label,
        lists=diff_entries(old.entries, new.entries),
    )


def to_json(diff: SnapshotDiff) -> str:
    """Deterministic JSON (sorted keys) with the totals alongside the per-list detail."""
    data = diff.model_dump(mode="json")
    data["totals"] = diff.totals()
    return json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def to_table(diff: SnapshotDiff, *, detail: bool = True, max_values: int = 5) -> str:
    """A plain-text report: a per-list summary table, then each entry that moved."""
    lines = [
        f"old: {diff.old_snapshot_id}  {diff.old_label}",
        f"new: {diff.new_snapshot_id}  {diff.new_label}",
        "",
        f"{'list':<10} {'added':>7} {'removed':>7} {'changed':>7} {'unchanged':>9}",
    ]
    for d in diff.lists:
        lines.append(
            f"{d.list:<10} {len(d.added):>7} {len(d.removed):>7} {len(d.changed):>7} "
            f"{d.unchanged:>9}"
        )
    t = diff.totals()
    lines.append(
        f"{'total':<10} {t['added']:>7} {t['removed']:>7} {t['changed']:>7} {t['unchanged']:>9}"
    )
    if not detail:
        return "\n".join(lines) + "\n"
    for d in diff.lists:
        for ref in d.added:
            lines.append(f"+ {d.list} {ref.entry_id}: {ref.name}")
        for ref in d.removed:
            lines.append(f"- {d.list} {ref.entry_id}: {ref.name}")
        for change in d.changed:
            lines.append(f"~ {d.list} {change.new.entry_id}: {change.new.name}")
            for fc in change.changes:
                for label, values in (("-", fc.removed), ("+", fc.added)):
                    shown = list(values[:max_values])
                    more = len(values) - len(shown)
                    for v in shown:
                        lines.append(f"    {fc.field} {label} {v}")
                    if more > 0:
                        lines.append(f"    {fc.field} {label} ... and {more} more")
    return "\n".join(lines) + "\n"
