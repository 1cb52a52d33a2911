"""Delta re-screening equals a full re-screen under the same pinned weights, byte for byte.

Real pairs: the 2022 and 2026 CSL, and a synthetic 200-entry change of the 2026 CSL (names
added, aliases added, license text changed, entries removed). Counterparties: Entity List and
SDN names of both vintages with evasion treatments (case, punctuation, a typo, a dropped
legal form, word order), names of entries that left the list, and innocent GLEIF companies.
The expected results come from a plain ``Screener`` over the full new snapshot with the
stored weight table, never from the store.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

import pytest

from compliance.rescreen import CounterpartyStore, rescreen
from compliance.screening.results import Party
from compliance.screening.score import TokenWeights
from compliance.screening.screener import Screener
from compliance.watchlists.entry import Alias, ListEntry
from compliance.watchlists.readers.csl_csv import read_csl_csv
from compliance.watchlists.snapshot import ListSnapshot, SourceFile

pytestmark = pytest.mark.slow


def _typo(name: str, rng: random.Random) -> str:
    letters = [i for i, c in enumerate(name) if c.isalpha()]
    if len(letters) < 6:
        return name
    i = rng.choice(letters[2:-1])
    return name[:i] + name[i + 1] + name[i] + name[i + 2 :]


def _treat(name: str, rng: random.Random) -> str:
    kind = rng.randrange(5)
    if kind == 0:
        return name.upper()
    if kind == 1:
        return name.replace(",", "").replace(".", "")
    if kind == 2:
        return _typo(name, rng)
    if kind == 3:
        words = name.split()
        return " ".join(words[:-1]) if len(words) > 2 else name
    words = name.split()
    return " ".join(reversed(words[:2])) + " " + " ".join(words[2:]) if len(words) > 2 else name


def counterparties(
    old: ListSnapshot, new: ListSnapshot, gleif: Path, n_listed: int, n_innocent: int
) -> list[Party]:
    rng = random.Random(20261129)
    listed = [e for e in (*old.entries, *new.entries) if e.source in {"EL", "SDN", "DPL", "MEU"}]
    picked = rng.sample(listed, n_listed)
    parties = []
    for i, e in enumerate(picked):
        country = e.countries[0] if e.countries and rng.random() < 0.5 else None
        parties.append(Party(id=f"L{i:05d}", name=_treat(e.name, rng), country=country))
    with gleif.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for i, row in enumerate(rng.sample(rows, n_innocent)):
        parties.append(Party(id=f"G{i:05d}", name=row["legal_name"], country=row["country"]))
    return parties


def assert_equal_to_full(
    store: CounterpartyStore,
    parties: list[Party],
    snapshots: list[ListSnapshot],
    weights: TokenWeights | None,
) -> None:
    """Every stored result is byte-identical to a full screen against ``snapshots``."""
    full = Screener(snapshots, weights=weights, merge_entities=False).screen_many(parties)
    stored = {
        r.party.id: r.model_dump_json() for r in store.results().values() if r.party is not None
    }
    assert len(stored) == len(parties)
    mismatches = [
        p.id for p, r in zip(parties, full, strict=True) if stored.get(p.id) != r.model_dump_json()
    ]
    assert mismatches == []


def pinned(store: CounterpartyStore, weights_id: str) -> TokenWeights:
    table = store.weights(weights_id)
    assert table is not None
    return table


@pytest.fixture(scope="module")
def csl_pair(shared_data: Path) -> tuple[ListSnapshot, ListSnapshot]:
    base = shared_data / "lists" / "csl"
    return (
        read_csl_csv(base / "2022-05_watchman" / "consolidated.csv"),
        read_csl_csv(base / "2026-07-31_compact" / "consolidated.csv"),
    )


def _gleif(shared_data: Path) -> Path:
    return shared_data / "eval" / "negatives" / "gleif_export_sensitive_sectors_dev.csv"


def test_delta_equals_full_2022_to_2026(
    csl_pair: tuple[ListSnapshot, ListSnapshot], shared_data: Path, tmp_path: Path
) -> None:
    old, new = csl_pair
    parties = counterparties(old, new, _gleif(shared_data), n_listed=1500, n_innocent=1500)
    with CounterpartyStore(tmp_path / "cp.sqlite") as store:
        assert store.add(parties) == len(parties)
        first = rescreen(store, [old])
        assert first.screened == len(parties)
        assert first.new_epoch and first.new_alerts
        # the first epoch is the old list's own weights: equal to a plain Screener([old])
        assert first.weights_id == Screener([old]).weights.weights_id

        report = rescreen(store, [new], old_snapshots=[old])
        assert not report.new_epoch and report.weights_id == first.weights_id
        assert 0 < report.screened_against_changes <= report.screened < len(parties)
        assert report.carried == len(parties) - report.screened
        assert report.entries_removed > 0 and report.entries_added_or_changed > 0
        assert report.resolved_alerts and report.new_alerts and report.unchanged_alerts
        assert_equal_to_full(store, parties, [new], pinned(store, first.weights_id))

        # nothing left to do: a second run screens nobody and changes nothing
        again = rescreen(store, [new], old_snapshots=[old])
        assert again.screened == 0
        assert not again.new_alerts and not again.resolved_alerts
        assert_equal_to_full(store, parties, [new], pinned(store, first.weights_id))

        # a new epoch: weights recounted on the 2026 list, everything screened in full
        fresh = rescreen(store, [new], old_snapshots=[new], reweight=True)
        assert fresh.new_epoch and fresh.screened == len(parties)
        assert fresh.weights_id != first.weights_id
        assert_equal_to_full(store, parties, [new], None)


def _relabel(snap: ListSnapshot, entries: list[ListEntry], tag: str) -> ListSnapshot:
    fake = SourceFile(name="consolidated.csv", sha256=tag * 64, size=0)
    return snap.model_copy(update={"entries": tuple(entries), "files": (fake,)})


def synthetic_change(
    base: ListSnapshot, new_aliases: list[str]
) -> tuple[ListSnapshot, ListSnapshot]:
    """OLD -> NEW changes 200 entries of ``base``: 60 added, 50 given an alias (from
    ``new_aliases``), 60 with new license text, 30 removed."""
    rng = random.Random(7)
    rows = rng.sample([i for i, e in enumerate(base.entries) if e.source in {"EL", "SDN"}], 200)
    added, aliased, licensed, removed = rows[:60], rows[60:110], rows[110:170], rows[170:]
    old = [e for i, e in enumerate(base.entries) if i not in added]
    new = []
    for i, e in enumerate(base.entries):
        if i in removed:
            continue
        if i in aliased:
            alias = Alias(name=new_aliases[aliased.index(i) % len(new_aliases)])
            e = e.model_copy(update={"aliases": (*e.aliases, alias)})
        elif i in licensed:
            e = e.model_copy(update={"license_requirement": f"amended text {i}"})
        new.append(e)
    return _relabel(base, old, "1"), _relabel(base, new, "2")


def test_200_entry_change_equals_full(
    csl_pair: tuple[ListSnapshot, ListSnapshot], shared_data: Path, tmp_path: Path
) -> None:
    _, base = csl_pair
    parties = counterparties(base, base, _gleif(shared_data), n_listed=600, n_innocent=1400)
    innocents = [p.name for p in parties if p.id and p.id.startswith("G")][:25]
    old, new = synthetic_change(base, innocents)
    with CounterpartyStore(tmp_path / "cp.sqlite") as store:
        store.add(parties)
        first = rescreen(store, [old])
        report = rescreen(store, [new], old_snapshots=[old])
        assert report.weights_id == first.weights_id
        assert report.entries_added_or_changed == 60 + 50 + 60
        assert report.entries_removed == 30 + 50 + 60  # amended entries' old versions too
        assert 0 < report.screened < len(parties) // 3
        assert report.screened_against_changes == report.screened
        # innocents whose name became an alias now hit it
        assert {c.counterparty_id for c in report.new_alerts} & {
            p.id for p in parties if p.name in innocents
        }
        assert report.resolved_alerts
        assert_equal_to_full(store, parties, [new], pinned(store, first.weights_id))


def test_license_only_amendment_screens_exactly_the_hitters(
    csl_pair: tuple[ListSnapshot, ListSnapshot], shared_data: Path, tmp_path: Path
) -> None:
    _, base = csl_pair
    parties = counterparties(base, base, _gleif(shared_data), n_listed=600, n_innocent=400)
    rng = random.Random(11)
    hit_ids = {
        (h.list, h.entry_id)
        for r in Screener([base], merge_entities=False).screen_many(parties[:600])
        for h in r.hits
    }
    amended_ids = set(rng.sample(sorted(hit_ids), 100))
    new = _relabel(
        base,
        [
            e.model_copy(update={"license_requirement": "amended"})
            if (e.source, e.entry_id) in amended_ids
            else e
            for e in base.entries
        ],
        "3",
    )
    before = Screener([base], merge_entities=False).screen_many(parties)
    hitters = {
        r.party.id
        for r in before
        if r.party and {(h.list, h.entry_id) for h in r.hits} & amended_ids
    }
    with CounterpartyStore(tmp_path / "cp.sqlite") as store:
        store.add(parties)
        first = rescreen(store, [base])
        report = rescreen(store, [new], old_snapshots=[base])
        assert hitters and report.screened == len(hitters)
        assert report.screened_against_changes == len(hitters)
        assert not report.new_alerts and not report.resolved_alerts  # same hits, new text
        assert_equal_to_full(store, parties, [new], pinned(store, first.weights_id))
        for party_id in sorted(hitters)[:20]:
            result = store.result(party_id)
            assert result is not None
            texts = {
                h.license_requirement for h in result.hits if (h.list, h.entry_id) in amended_ids
            }
            assert texts == {"amended"}
