"""The counterparty store and the ``compliance rescreen`` command on small real lists."""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compliance._version import __version__ as VERSION
from compliance.cli import main
from compliance.rescreen import CounterpartyError, CounterpartyStore, rescreen
from compliance.rescreen.store import key_hash, party_keys
from compliance.screening.index import blocking_keys
from compliance.screening.results import Party, ScreeningResult
from compliance.screening.score import TokenWeights
from compliance.screening.screener import Screener
from compliance.watchlists.entry import Alias
from compliance.watchlists.readers.csl_csv import read_csl_csv
from compliance.watchlists.snapshot import SourceFile


def sample(shared_data: Path) -> Path:
    return shared_data / "lists" / "csl" / "current_format_sample" / "consolidated.csv"


@given(st.text(min_size=1, max_size=30))
@settings(max_examples=200)
def test_key_hash_is_stable_64_bit(key: str) -> None:
    h = key_hash(key)
    assert -(2**63) <= h < 2**63
    assert h == key_hash(key)


@given(name=st.text(min_size=1, max_size=40), alias=st.text(min_size=1, max_size=40))
@settings(max_examples=100)
def test_party_keys_cover_every_name(name: str, alias: str) -> None:
    keys = party_keys(Party(name=name, aliases=(alias,)))
    assert blocking_keys(name) <= keys
    assert blocking_keys(alias) <= keys


def test_add_update_remove(tmp_path: Path) -> None:
    with CounterpartyStore(tmp_path / "cp.sqlite") as store:
        assert store.add([Party(id="a", name="Alpha"), Party(id="b", name="Beta")]) == 2
        assert store.add([Party(id="a", name="Alpha")]) == 0  # unchanged
        assert store.add([Party(id="a", name="Alpha Two")]) == 1
        assert store.count() == 2
        assert store.remove(["b", "zzz"]) == 1
        assert [p.name for _, p in store.parties()] == ["Alpha Two"]
        # the key rows are exactly the current party's: old name's and removed party's gone
        rows = set(store.db.execute("SELECT key, cp FROM party_keys").fetchall())
        assert rows == {(key_hash(k), 1) for k in blocking_keys("Alpha Two")}
        with pytest.raises(CounterpartyError, match=r"record 2 .*field 'id' is empty"):
            store.add([Party(id="c", name="Gamma"), Party(name="No Id")])
        assert store.count() == 1  # the failed batch is rolled back as a whole


def test_changed_party_is_screened_again(shared_data: Path, tmp_path: Path) -> None:
    snap = read_csl_csv(sample(shared_data))
    with CounterpartyStore(tmp_path / "cp.sqlite") as store:
        store.add([Party(id="p1", name="Atlas Sanatgaran"), Party(id="p2", name="Blue Sky Ltd")])
        first = rescreen(store, [snap])
        assert first.screened == 2
        assert [c.counterparty_id for c in first.new_alerts] == ["p1"]
        assert rescreen(store, [snap], old_snapshots=[snap]).screened == 0
        assert rescreen(store, [snap], full=True).screened == 2
        store.add([Party(id="p2", name="ROSNEFT TRADE LIMITED")])
        again = rescreen(store, [snap], old_snapshots=[snap])
        assert again.screened == 1
        assert [c.counterparty_id for c in again.new_alerts] == ["p2"]
        expected = Screener([snap], merge_entities=False).screen(
            Party(id="p2", name="ROSNEFT TRADE LIMITED")
        )
        got = store.result("p2")
        assert got is not None and got.model_dump_json() == expected.model_dump_json()


def without_row(src: Path, dst: Path, name: str) -> Path:
    with src.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    col = rows[0].index("name")
    dst.parent.mkdir(parents=True, exist_ok=True)
    with dst.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([r for r in rows if len(r) <= col or r[col] != name])
    return dst


def test_removed_entry_resolves_alert_without_screening(shared_data: Path, tmp_path: Path) -> None:
    old = read_csl_csv(sample(shared_data))
    new_path = without_row(
        sample(shared_data), tmp_path / "new" / "consolidated.csv", "Atlas Sanatgaran"
    )
    new = read_csl_csv(new_path)
    parties = [Party(id="p1", name="Atlas Sanatgaran"), Party(id="p2", name="SME BANK")]
    with CounterpartyStore(tmp_path / "cp.sqlite") as store:
        store.add(parties)
        rescreen(store, [old])
        report = rescreen(store, [new], old_snapshots=[old])
        assert [c.counterparty_id for c in report.resolved_alerts] == ["p1"]
        assert [c.counterparty_id for c in report.unchanged_alerts] == ["p2"]
        assert report.entries_removed == 1 and report.entries_added_or_changed == 0
        assert report.screened == 0 and not report.new_epoch
        pinned = store.weights(report.weights_id)
        assert pinned is not None
        full = Screener([new], weights=pinned, merge_entities=False).screen_many(parties)
        for party, expected in zip(parties, full, strict=True):
            got = store.result(party.id or "")
            assert got is not None and got.model_dump_json() == expected.model_dump_json()


def test_cli_rescreen_after_import(
    shared_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store_dir, db = tmp_path / "snapshots", tmp_path / "cp.sqlite"
    parties = tmp_path / "parties.csv"
    parties.write_text(
        "id,name,country\n"
        "p1,Atlas Sanatgaran,IR\n"
        "p2,Blue Sky Ltd,US\n"
        "p3,,US\n"
        ",Nameless Id Ltd,US\n",
        encoding="utf-8",
    )
    assert (
        main(
            [
                "lists",
                "--store",
                str(store_dir),
                "import",
                "--source",
                "trade.gov-csl",
                str(sample(shared_data)),
            ]
        )
        == 0
    )
    capsys.readouterr()
    code = main(
        [
            "rescreen",
            "--counterparty-db",
            str(db),
            "--store",
            str(store_dir),
            "--add",
            str(parties),
            "--format",
            "json",
        ]
    )
    out = capsys.readouterr()
    assert code == 16 | 32  # a new alert, and rows that could not be stored
    assert "row 4: field 'name': empty; not stored" in out.err
    assert "row 5: field 'id' is empty; not stored" in out.err
    report = json.loads(out.out)
    assert report["counterparties"] == 2
    assert [a["counterparty_id"] for a in report["new_alerts"]] == ["p1"]

    new_path = without_row(
        sample(shared_data), tmp_path / "v2" / "consolidated.csv", "Atlas Sanatgaran"
    )
    assert (
        main(
            [
                "lists",
                "--store",
                str(store_dir),
                "import",
                "--source",
                "trade.gov-csl",
                "--force",
                "--reason",
                "test",
                str(new_path),
            ]
        )
        == 0
    )
    capsys.readouterr()
    export = tmp_path / "results.jsonl"
    code = main(
        [
            "rescreen",
            "--counterparty-db",
            str(db),
            "--store",
            str(store_dir),
            "--format",
            "json",
            "--export",
            str(export),
        ]
    )
    report = json.loads(capsys.readouterr().out)
    assert code == 0
    assert report["screened"] == 0  # one entry removed: handled from stored hits
    assert [a["counterparty_id"] for a in report["resolved_alerts"]] == ["p1"]
    lines = export.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["party"]["id"] for line in lines] == ["p1", "p2"]
    assert all(json.loads(line)["status"] == "clear" for line in lines)
    assert {json.loads(line)["weights_id"] for line in lines} == {report["weights_id"]}
    assert not report["new_epoch"]

    code = main(
        [
            "rescreen",
            "--counterparty-db",
            str(db),
            "--store",
            str(store_dir),
            "--reweight",
            "--format",
            "json",
        ]
    )
    fresh = json.loads(capsys.readouterr().out)
    assert code == 0
    assert fresh["new_epoch"] and fresh["screened"] == 2  # new epoch: everyone in full
    assert fresh["weights_id"] != report["weights_id"]  # recounted on the amended list
    assert "re-weighting requested" in fresh["epoch_reason"]


_SCHEMA_1 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE counterparties (cp INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, party TEXT NOT NULL);
CREATE TABLE party_keys (key INTEGER NOT NULL, cp INTEGER NOT NULL, PRIMARY KEY (key, cp))
    WITHOUT ROWID;
CREATE TABLE contexts (context INTEGER PRIMARY KEY, fingerprint TEXT NOT NULL UNIQUE,
    snapshots TEXT NOT NULL, thresholds TEXT NOT NULL, library_version TEXT NOT NULL);
CREATE TABLE results (cp INTEGER PRIMARY KEY, context INTEGER NOT NULL, status TEXT NOT NULL,
    error TEXT);
CREATE INDEX results_context ON results (context);
CREATE TABLE hits (cp INTEGER NOT NULL, pos INTEGER NOT NULL, source TEXT NOT NULL,
    entry_hash TEXT NOT NULL, status TEXT NOT NULL, hit TEXT NOT NULL, PRIMARY KEY (cp, pos))
    WITHOUT ROWID;
CREATE INDEX hits_entry ON hits (source, entry_hash);
"""


def version_1_store(path: Path, party: Party, result: ScreeningResult) -> None:
    """A store as the previous version wrote it (schema 1: no weights epochs)."""
    db = sqlite3.connect(path)
    db.executescript(_SCHEMA_1)
    db.execute("INSERT INTO meta VALUES ('schema_version', '1'), ('keys_version', ?)", (VERSION,))
    db.execute("INSERT INTO counterparties VALUES (1, ?, ?)", (party.id, party.model_dump_json()))
    db.executemany(
        "INSERT INTO party_keys VALUES (?, 1)", [(key_hash(k),) for k in party_keys(party)]
    )
    refs = [r.model_dump(mode="json") for r in result.snapshots]
    fingerprint = json.dumps(
        {
            "snapshots": sorted(r.snapshot_id for r in result.snapshots),
            "thresholds": result.thresholds.model_dump(mode="json"),
            "library_version": result.library_version,
        },
        sort_keys=True,
    )
    db.execute(
        "INSERT INTO contexts VALUES (1, ?, ?, ?, ?)",
        (
            fingerprint,
            json.dumps(refs, sort_keys=True),
            result.thresholds.model_dump_json(),
            result.library_version,
        ),
    )
    db.execute("INSERT INTO results VALUES (1, 1, ?, NULL)", (result.status.value,))
    db.executemany(
        "INSERT INTO hits VALUES (1, ?, ?, ?, ?, ?)",
        [
            (
                pos,
                result.snapshots[0].source,
                h.entry_hash,
                h.status.value,
                h.model_dump_json(exclude={"snapshot_id"}),
            )
            for pos, h in enumerate(result.hits)
        ],
    )
    db.commit()
    db.close()


def test_store_of_the_previous_version_opens_and_is_screened_in_full(
    shared_data: Path, tmp_path: Path
) -> None:
    snap = read_csl_csv(sample(shared_data))
    party = Party(id="p1", name="Atlas Sanatgaran")
    old_result = (
        Screener([snap], merge_entities=False).screen(party).model_copy(update={"weights_id": None})
    )
    assert old_result.hits
    path = tmp_path / "cp.sqlite"
    version_1_store(path, party, old_result)
    with CounterpartyStore(path) as store:
        stored = store.result("p1")
        assert stored is not None  # rebuilt as before, with no epoch
        assert stored.model_dump_json() == old_result.model_dump_json()
        assert store.epochs_in_use() == {None: 1}
        report = rescreen(store, [snap], old_snapshots=[snap])
        assert report.new_epoch and report.screened == 1
        assert any("weights epoch none" in r for r in report.full_reasons)
        got = store.result("p1")
        expected = Screener([snap], merge_entities=False).screen(party)
        assert got is not None and got.model_dump_json() == expected.model_dump_json()
        assert got.weights_id is not None and store.weights(got.weights_id) is not None
    with CounterpartyStore(path) as store:  # reopened: migrated once, epoch kept
        assert store.db.execute(
            "SELECT value FROM meta WHERE key = 'schema_version'"
        ).fetchone() == ("2",)
        again = rescreen(store, [snap], old_snapshots=[snap])
        assert again.screened == 0 and not again.new_epoch


def test_store_keeps_weight_tables_by_id(tmp_path: Path) -> None:
    weights = TokenWeights({"alpha": 3, "bravo": 1}, 10)
    with CounterpartyStore(tmp_path / "cp.sqlite") as store:
        assert store.weights(weights.weights_id) is None
        assert store.save_weights(weights) == weights.weights_id
        loaded = store.weights(weights.weights_id)
        assert loaded is not None and loaded.to_json() == weights.to_json()
        store.db.execute("UPDATE weights SET body = ?", (TokenWeights({}, 1).to_json(),))
        with pytest.raises(CounterpartyError, match="does not match"):
            store.weights(weights.weights_id)


def test_keys_made_by_another_key_function_are_rebuilt(tmp_path: Path) -> None:
    parties = [Party(id="a", name="Huawei Technologies"), Party(id="b", name="Hua Wei Trading")]
    with CounterpartyStore(tmp_path / "cp.sqlite") as store:
        store.add(parties)
        expected = {(key_hash(k), cp) for cp, p in store.parties() for k in party_keys(p)}
        assert not store.ensure_keys_current()
        store.db.execute("UPDATE meta SET value = '0.0.0' WHERE key = 'keys_version'")
        store.db.execute("DELETE FROM party_keys WHERE cp = 1")  # stale: made differently
        assert store.ensure_keys_current()
        rows = set(store.db.execute("SELECT key, cp FROM party_keys").fetchall())
        assert rows == expected
        assert not store.ensure_keys_current()


def test_interrupted_delta_leaves_the_store_as_it_was(
    shared_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = read_csl_csv(sample(shared_data))
    amended = [
        e.model_copy(update={"aliases": (*e.aliases, Alias(name="Blue Sky Trading"))})
        if i == 0
        else e
        for i, e in enumerate(old.entries)
    ]
    fake = SourceFile(name="consolidated.csv", sha256="9" * 64, size=0)
    new = old.model_copy(update={"entries": tuple(amended), "files": (fake,)})
    parties = [Party(id="p1", name="Atlas Sanatgaran"), Party(id="p2", name="Blue Sky Trading")]
    with CounterpartyStore(tmp_path / "cp.sqlite") as store:
        store.add(parties)
        rescreen(store, [old])
        before = {cp: r.model_dump_json() for cp, r in store.results().items()}

        def broken(*_: object, **__: object) -> list[tuple[int, ScreeningResult]]:
            raise RuntimeError("worker died")

        monkeypatch.setattr("compliance.rescreen.delta.screen_rows", broken)
        with pytest.raises(RuntimeError, match="worker died"):
            rescreen(store, [new], old_snapshots=[old])
        assert {cp: r.model_dump_json() for cp, r in store.results().items()} == before
        monkeypatch.undo()
        report = rescreen(store, [new], old_snapshots=[old])
        assert report.screened_against_changes == 1  # p2 shares keys with the new alias
        assert [c.counterparty_id for c in report.new_alerts] == ["p2"]
        weights = store.weights(report.weights_id)
        expected = Screener([new], weights=weights, merge_entities=False).screen_many(parties)
        for party, result in zip(parties, expected, strict=True):
            got = store.result(party.id or "")
            assert got is not None and got.model_dump_json() == result.model_dump_json()
