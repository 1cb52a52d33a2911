"""The counterparty store and the ``compliance rescreen`` command on small real lists."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compliance.cli import main
from compliance.rescreen import CounterpartyError, CounterpartyStore, rescreen
from compliance.rescreen.store import key_hash, party_keys
from compliance.screening.index import blocking_keys
from compliance.screening.results import Party
from compliance.screening.screener import Screener
from compliance.watchlists.readers.csl_csv import read_csl_csv


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
        expected = Screener([snap]).screen(Party(id="p2", name="ROSNEFT TRADE LIMITED"))
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
        full = Screener([new], weights=pinned).screen_many(parties)
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
            "--db",
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
            "--db",
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
