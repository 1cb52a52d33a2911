"""Snapshot diffs: added, removed, changed per list, with the fields that changed."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from compliance.watchlists.diff import diff_entries, diff_snapshots, to_json, to_table
from compliance.watchlists.entry import Address, Alias, Footnote, ListEntry
from compliance.watchlists.readers.csl_csv import read_csl_csv


def el(entry_id: str, name: str, **kw: object) -> ListEntry:
    return ListEntry(
        source="EL",
        source_name="Entity List (EL) - Bureau of Industry and Security",
        entry_id=entry_id,
        name=name,
        **kw,  # type: ignore[arg-type]
    )


FN1 = Footnote(number=1, meaning="FDP rule", citation="15 CFR 734.9(e)(1)")


def test_added_removed_changed_fields() -> None:
    old = [
        el("1", "Alpha Tech", aliases=(Alias(name="Alpha T"),)),
        el("2", "Beta Ltd", license_requirement="For all items subject to the EAR."),
        el("3", "Gamma LLC"),
    ]
    new = [
        el("1", "Alpha Tech", aliases=(Alias(name="Alpha T"), Alias(name="AT Co"))),
        el(
            "2",
            "Beta Ltd",
            license_requirement="For all items subject to the EAR, see 734.9(e)(1).",
            footnotes=(FN1,),
            addresses=(Address(city="Shenzhen", country="CN"),),
        ),
        el("4", "Delta GmbH"),
    ]
    (d,) = diff_entries(old, new)
    assert d.list == "EL"
    assert [r.name for r in d.added] == ["Delta GmbH"]
    assert [r.name for r in d.removed] == ["Gamma LLC"]
    assert d.unchanged == 0
    changes = {c.new.entry_id: {fc.field: fc for fc in c.changes} for c in d.changed}
    assert set(changes["1"]) == {"aliases"}
    assert changes["1"]["aliases"].added == ("AT Co",)
    assert changes["1"]["aliases"].removed == ()
    assert set(changes["2"]) == {"license_requirement", "footnotes", "addresses"}
    assert changes["2"]["footnotes"].added == ("footnote 1 (15 CFR 734.9(e)(1))",)
    assert changes["2"]["addresses"].added == ("Shenzhen, CN",)
    assert changes["2"]["license_requirement"].removed == ("For all items subject to the EAR.",)


def test_renumbered_entry_is_paired_by_name() -> None:
    old = [el("old-7", "Epsilon Corp"), el("x", "Same Name"), el("y", "Same Name")]
    new = [el("new-9", "EPSILON  corp"), el("z", "Same Name")]
    (d,) = diff_entries(old, new)
    (change,) = d.changed
    assert change.old.entry_id == "old-7" and change.new.entry_id == "new-9"
    assert {fc.field for fc in change.changes} == {"entry_id", "name"}
    # ambiguous names are never paired: two removed, one added
    assert sorted(r.entry_id for r in d.removed) == ["x", "y"]
    assert [r.entry_id for r in d.added] == ["z"]


names = st.text(alphabet="abcdefgh ", min_size=1, max_size=8).filter(lambda s: s.strip())


@given(
    old=st.dictionaries(st.sampled_from([str(i) for i in range(30)]), names, max_size=30),
    new=st.dictionaries(st.sampled_from([str(i) for i in range(30)]), names, max_size=30),
)
def test_diff_accounts_for_every_entry(old: dict[str, str], new: dict[str, str]) -> None:
    a = [el(k, v) for k, v in old.items()]
    b = [el(k, v) for k, v in new.items()]
    diffs = diff_entries(a, b)
    added = sum(len(d.added) for d in diffs)
    removed = sum(len(d.removed) for d in diffs)
    changed = sum(len(d.changed) for d in diffs)
    unchanged = sum(d.unchanged for d in diffs)
    assert removed + changed + unchanged == len(a)
    assert added + changed + unchanged == len(b)
    same = sum(1 for k, v in old.items() if new.get(k) == v)
    assert unchanged >= same
    if old == new:
        assert added == removed == changed == 0


def test_real_csl_2022_to_2026(shared_data: Path) -> None:
    base = shared_data / "lists" / "csl"
    old = read_csl_csv(base / "2022-05_watchman" / "consolidated.csv")
    new = read_csl_csv(base / "2026-07-31_compact" / "consolidated.csv")
    diff = diff_snapshots(old, new)
    by_list = {d.list: d for d in diff.lists}
    old_counts, new_counts = old.count_by_list(), new.count_by_list()
    for code, d in by_list.items():
        assert len(d.removed) + len(d.changed) + d.unchanged == old_counts.get(code, 0), code
        assert len(d.added) + len(d.changed) + d.unchanged == new_counts.get(code, 0), code
    assert len(by_list["FSE"].removed) == 3  # FSE: 3 rows in 2022, none in 2026
    assert not by_list["FSE"].added
    text = to_table(diff, detail=False)
    assert text.splitlines()[3].split() == ["list", "added", "removed", "changed", "unchanged"]
    data = json.loads(to_json(diff))
    assert data["totals"] == diff.totals()
    assert to_json(diff) == to_json(diff_snapshots(old, new))


def test_identical_snapshots_have_no_changes(shared_data: Path) -> None:
    path = shared_data / "lists" / "csl" / "2022-05_watchman" / "consolidated.csv"
    snap = read_csl_csv(path)
    diff = diff_snapshots(snap, snap)
    assert diff.totals() == {"added": 0, "removed": 0, "changed": 0, "unchanged": len(snap.entries)}
