"""Delta re-screening equals a full re-screen, on real CSL snapshot pairs.

Counterparties: Entity List and SDN names of both CSL vintages with evasion treatments
(case, punctuation, a typo, a dropped legal form, word order), names of entries that left
the list, and innocent GLEIF companies.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

import pytest

from compliance.rescreen import CounterpartyStore, rescreen
from compliance.screening.results import Party
from compliance.screening.screener import Screener
from compliance.watchlists.entry import Alias
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
    store: CounterpartyStore, parties: list[Party], snap: ListSnapshot
) -> None:
    full = Screener([snap]).screen_many(parties)
    mismatches = []
    for party, expected in zip(parties, full, strict=True):
        assert party.id is not None
        got = store.result(party.id)
        assert got is not None, party.id
        if got.model_dump_json() != expected.model_dump_json():
            mismatches.append(party.id)
    assert mismatches == []


@pytest.fixture(scope="module")
def csl_pair(shared_data: Path) -> tuple[ListSnapshot, ListSnapshot]:
    base = shared_data / "lists" / "csl"
    return (
        read_csl_csv(base / "2022-05_watchman" / "consolidated.csv"),
        read_csl_csv(base / "2026-07-31_compact" / "consolidated.csv"),
    )


def test_delta_equals_full_2022_to_2026(
    csl_pair: tuple[ListSnapshot, ListSnapshot], shared_data: Path, tmp_path: Path
) -> None:
    old, new = csl_pair
    gleif = shared_data / "eval" / "negatives" / "gleif_export_sensitive_sectors_dev.csv"
    parties = counterparties(old, new, gleif, n_listed=1500, n_innocent=1500)
    with CounterpartyStore(tmp_path / "cp.sqlite") as store:
        assert store.add(parties) == len(parties)
        first = rescreen(store, [old])
        assert first.screened == len(parties)
        assert first.new_alerts  # listed names hit
        report = rescreen(store, [new], old_snapshots=[old])
        assert report.screened < len(parties)  # some results carried over
        assert report.carried == len(parties) - report.screened
        assert report.entries_removed > 0 and report.entries_added_or_changed > 0
        assert report.resolved_alerts and report.new_alerts and report.unchanged_alerts
        assert_equal_to_full(store, parties, new)
        # nothing left to do: a second run screens nobody and changes nothing
        again = rescreen(store, [new], old_snapshots=[old])
        assert again.screened == 0
        assert not again.new_alerts and not again.resolved_alerts
        assert_equal_to_full(store, parties, new)


def _older(snap: ListSnapshot, drop: int, amend: int, *, names_too: bool) -> ListSnapshot:
    """An older state of the list: ``drop`` entries not yet added, ``amend`` not yet amended.

    With ``names_too`` the amendment is an alias (names change, so word weights shift);
    otherwise it is the license requirement only (names, weights unchanged).
    """
    rng = random.Random(7)
    rows = [i for i, e in enumerate(snap.entries) if e.source in {"EL", "SDN"}]
    chosen = rng.sample(rows, drop + amend)
    dropped, amended = set(chosen[:drop]), set(chosen[drop:])
    entries = []
    for i, e in enumerate(snap.entries):
        if i in dropped:
            continue
        if i in amended:
            if names_too:
                e = e.model_copy(update={"aliases": (*e.aliases, Alias(name=f"Old alias {i}"))})
            else:
                e = e.model_copy(update={"license_requirement": f"older text {i}"})
        entries.append(e)
    fake = SourceFile(name="consolidated.csv", sha256="0" * 64, size=0)
    return snap.model_copy(update={"entries": tuple(entries), "files": (fake,)})


@pytest.mark.parametrize("names_too", [True, False])
def test_small_update_equals_full(
    csl_pair: tuple[ListSnapshot, ListSnapshot], shared_data: Path, tmp_path: Path, names_too: bool
) -> None:
    _, new = csl_pair
    old = _older(
        new,
        drop=0 if not names_too else 120,
        amend=200 if not names_too else 80,
        names_too=names_too,
    )
    assert old.snapshot_id != new.snapshot_id
    gleif = shared_data / "eval" / "negatives" / "gleif_export_sensitive_sectors_dev.csv"
    parties = counterparties(old, new, gleif, n_listed=600, n_innocent=1400)
    with CounterpartyStore(tmp_path / "cp.sqlite") as store:
        store.add(parties)
        rescreen(store, [old])
        report = rescreen(store, [new], old_snapshots=[old])
        assert report.entries_added_or_changed == 200
        assert report.entries_removed == (80 if names_too else 200)
        assert 0 < report.screened < len(parties)
        if not names_too:
            # same names, same word weights: only key-sharing counterparties are screened
            assert report.reweighted_words == 0
            assert report.screened < len(parties) // 2
        assert_equal_to_full(store, parties, new)
