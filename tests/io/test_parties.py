"""Reading counterparties: every row comes back, bad rows name their row and field."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compliance.io.parties import InputError, read_parties
from compliance.screening.results import PartyType


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_csv_rows_keep_order_and_pass_through_columns(tmp_path: Path) -> None:
    src = write(
        tmp_path / "p.csv",
        "id,Name,country,erp_account\nA1,Huawei Technologies,CN,900\nA2,Acme GmbH,DE,901\n",
    )
    rows = list(read_parties(src))
    assert [r.row for r in rows] == [2, 3]
    assert rows[0].party is not None
    assert rows[0].party.name == "Huawei Technologies"
    assert rows[0].party.country == "CN"
    assert rows[0].passthrough == {"erp_account": "900"}
    assert rows[1].party is not None and rows[1].party.id == "A2"


def test_bad_rows_are_reported_and_good_rows_survive(tmp_path: Path) -> None:
    src = write(
        tmp_path / "p.csv",
        "id,name,type\n1,Good One,entity\n2,,entity\n3,Bad Type,robot\n4,Too,many,fields\n"
        "5,Good Two,person\n",
    )
    rows = list(read_parties(src))
    assert len(rows) == 5
    by_id = {r.row: r for r in rows}
    assert by_id[2].party is not None
    assert by_id[3].error == "field 'name': empty"
    assert by_id[4].error is not None and "field 'type'" in by_id[4].error
    assert by_id[5].error == "expected 3 fields, found 4"
    six = by_id[6].party
    assert six is not None and six.type is PartyType.INDIVIDUAL


def test_missing_name_column_is_fatal(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no 'name' column"):
        list(read_parties(write(tmp_path / "p.csv", "id,notes\n1,x\n")))


def test_empty_file_is_fatal(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="empty file"):
        list(read_parties(write(tmp_path / "p.csv", "")))


def test_jsonl_and_json_inputs(tmp_path: Path) -> None:
    jsonl = write(
        tmp_path / "p.jsonl",
        '{"name": "A", "aliases": ["B"]}\nnot json\n{"id": 3}\n',
    )
    rows = list(read_parties(jsonl))
    assert rows[0].party is not None and rows[0].party.aliases == ("B",)
    assert rows[1].error is not None and rows[1].error.startswith("not valid JSON")
    assert rows[2].error == "field 'name': empty"
    arr = write(tmp_path / "p.json", json.dumps([{"name": "X", "country": "RU"}, 5]))
    rows = list(read_parties(arr))
    assert rows[0].party is not None and rows[0].party.country == "RU"
    assert rows[1].error is not None and rows[1].error.startswith("expected a JSON object")


names = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30
).filter(lambda s: s.strip() != "")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(names, names), min_size=1, max_size=8))
def test_csv_round_trip(
    tmp_path_factory: pytest.TempPathFactory, pairs: list[tuple[str, str]]
) -> None:
    path = tmp_path_factory.mktemp("rt") / "p.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "note"])
        writer.writerows(pairs)
    rows = list(read_parties(path))
    assert [r.party.name if r.party else None for r in rows] == [n.strip() for n, _ in pairs]
    assert [r.passthrough["note"] for r in rows] == [note for _, note in pairs]
