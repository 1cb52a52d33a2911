"""Reading the files ERP exports really are: encodings, dialects, headers, Excel, JSON."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from compliance.io.parties import InputError, PartyFile, ReadOptions, read_parties


def rows_of(path: Path, **options: object) -> list:  # type: ignore[type-arg]
    return list(read_parties(path, ReadOptions(**options)))  # type: ignore[arg-type]


def test_utf16_with_bom_is_detected(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes("id\tname\n1\tSociété Générale\n2\t長江存储\n".encode("utf-16"))  # BOM
    rows = rows_of(path)
    assert [r.name for r in rows] == ["Société Générale", "長江存储"]
    assert [r.id for r in rows] == ["1", "2"]


def test_utf8_bom_is_tolerated(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbfid,name\n1,Acme\n")
    assert rows_of(path)[0].party is not None


def test_cp1252_byte_is_an_error_row_with_offset_and_suggestion(tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    text = "id,name,city\nA1,Acme GmbH,Berlin\nA2,Société Générale,Paris\nA3,Beta AB,Kista\n"
    path.write_bytes(text.encode("cp1252"))
    rows = rows_of(path)
    assert [(r.row, r.id) for r in rows] == [(2, "A1"), (3, "A2"), (4, "A3")]
    assert rows[0].party is not None and rows[2].party is not None
    bad = rows[1]
    assert bad.party is None and bad.error is not None
    offset = text.encode("cp1252").index(b"\xe9")
    assert f"undecodable byte 0xE9 at byte offset {offset}" in bad.error
    assert "field 'name'" in bad.error
    assert bad.passthrough == {"city": "Paris"}  # the row keeps its other columns


def test_a_stray_byte_gets_the_usual_encodings_not_an_exotic_guess(tmp_path: Path) -> None:
    """Found by a new user: two stray bytes were reported as 'looks like cp1006' (Urdu), an
    encoding no ERP exports; the hint now names the usual candidates."""
    path = tmp_path / "stray.csv"
    path.write_bytes(b"id,name\n1,Acme\n2,Bad \xff\xfe Co\n3,Beta\n")
    (bad,) = [r for r in rows_of(path) if r.error is not None]
    assert bad.error is not None and "undecodable byte 0xFF" in bad.error
    assert "cp1006" not in bad.error
    assert "--encoding (e.g. cp1252, latin-1)" in bad.error


def test_strict_stops_before_any_row(tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes("id,name\n1,Acme\n2,Société\n".encode("cp1252"))
    with pytest.raises(InputError, match="line 3: undecodable byte 0xE9"):
        PartyFile(path, ReadOptions(strict=True))


def test_named_encoding_reads_cp1252(tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes("id;name\n1;Société Générale\n".encode("cp1252"))
    rows = rows_of(path, encoding="cp1252")
    assert rows[0].party is not None and rows[0].party.name == "Société Générale"


def test_unknown_encoding_is_fatal(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("name\nAcme\n", encoding="utf-8")
    with pytest.raises(InputError, match="unknown encoding"):
        PartyFile(path, ReadOptions(encoding="klingon"))


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiters_are_sniffed(tmp_path: Path, delimiter: str) -> None:
    path = tmp_path / "d.csv"
    d = delimiter
    path.write_text(f'id{d}name{d}note\n1{d}"Acme, Inc."{d}x\n', encoding="utf-8")
    rows = rows_of(path)
    assert rows[0].name == "Acme, Inc." and rows[0].passthrough == {"note": "x"}


def test_delimiter_option_wins(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_text("name;note,x,y\nAcme;n,1,2\n", encoding="utf-8")
    with pytest.raises(InputError, match="no 'name' column"):  # sniffed: the comma
        PartyFile(path)
    assert rows_of(path, delimiter="semicolon")[0].name == "Acme"
    with pytest.raises(InputError, match="--delimiter"):
        PartyFile(path, ReadOptions(delimiter=";;"))


def test_embedded_newlines_keep_row_numbers(tmp_path: Path) -> None:
    path = tmp_path / "n.csv"
    path.write_text('id,name,address\n1,Acme,"line one\nline two"\n2,Beta,x\n', encoding="utf-8")
    rows = rows_of(path)
    assert [(r.row, r.id) for r in rows] == [(2, "1"), (4, "2")]
    assert rows[0].party is not None and rows[0].party.address == "line one\nline two"


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("id,name,name", "duplicate column name 'name' (columns 2 and 3)"),
        ("id,name,,x", "header column 3 has no name"),
        ("id,Name,NAME", "duplicate column name"),
    ],
)
def test_bad_headers_are_fatal(tmp_path: Path, header: str, message: str) -> None:
    path = tmp_path / "h.csv"
    path.write_text(f"{header}\n1,a,b,c\n", encoding="utf-8")
    with pytest.raises(InputError, match=re.escape(message)):
        PartyFile(path)


def test_name_column_aliases_and_option(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("Customer Number,Company Name,Country\n7,Acme GmbH,DE\n", encoding="utf-8")
    row = rows_of(path)[0]
    assert row.party is not None
    assert (row.party.id, row.party.name, row.party.country) == ("7", "Acme GmbH", "DE")
    two = tmp_path / "b.csv"
    two.write_text("company,customer,x\nAcme,Beta,1\n", encoding="utf-8")
    with pytest.raises(InputError, match="several columns could hold the party name"):
        PartyFile(two)
    assert rows_of(two, name_column="customer")[0].name == "Beta"
    assert rows_of(two, name_column="customer")[0].passthrough == {"company": "Acme", "x": "1"}
    with pytest.raises(InputError, match="--name-column 'missing'"):
        PartyFile(two, ReadOptions(name_column="missing"))


def test_huge_field_is_passed_through_and_huge_name_is_an_error(tmp_path: Path) -> None:
    big = "x" * (50 * 1024 * 1024)
    path = tmp_path / "big.csv"
    path.write_text(f"id,name,blob\n1,Acme,{big}\n2,{big},y\n3,Beta,z\n", encoding="utf-8")
    rows = rows_of(path)
    assert [r.id for r in rows] == ["1", "2", "3"]
    assert rows[0].party is not None and len(rows[0].passthrough["blob"]) == len(big)
    assert rows[1].party is None and rows[1].error is not None
    assert "more than the 1000-character limit" in rows[1].error
    assert rows[2].party is not None


def test_xlsx_first_sheet_and_named_sheet(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    first = book.active
    assert first is not None
    first.title = "Customers"
    first.append(["Customer ID", "Name", "Credit", None])
    first.append([101, "Huawei Technologies", 12.0, None])
    first.append([None, None, None, None])
    first.append([102, "Nordic Mobile Networks AB", 3.5, None])
    other = book.create_sheet("Vendors")
    other.append(["id", "party_name"])
    other.append(["V1", "Acme GmbH"])
    path = tmp_path / "parties.xlsx"
    book.save(path)
    rows = rows_of(path)
    assert [(r.row, r.id, r.name) for r in rows] == [
        (2, "101", "Huawei Technologies"),
        (4, "102", "Nordic Mobile Networks AB"),
    ]
    assert rows[0].passthrough == {"Credit": "12"}
    assert rows_of(path, sheet="Vendors")[0].name == "Acme GmbH"
    with pytest.raises(InputError, match="no sheet 'Nope'"):
        PartyFile(path, ReadOptions(sheet="Nope"))


def test_not_an_xlsx_is_fatal(tmp_path: Path) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_text("name\nAcme\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"not a readable \.xlsx workbook"):
        PartyFile(path)


def test_json_top_level_must_be_an_array(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text('{"name": "Acme"}', encoding="utf-8")
    with pytest.raises(InputError, match="expected a JSON array of party objects, found a JSON"):
        PartyFile(path)
    path.write_text("[1, ", encoding="utf-8")
    with pytest.raises(InputError, match="not valid JSON: line 1"):
        PartyFile(path)


def test_jsonl_lines_that_are_not_objects_are_error_rows(tmp_path: Path) -> None:
    path = tmp_path / "p.jsonl"
    lines = ['{"id": "a", "name": "Acme", "meta": {"nested": 1}}', "[1, 2]", '"text"', "{"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rows = rows_of(path)
    assert [r.row for r in rows] == [1, 2, 3, 4]
    assert rows[0].json_values == {"meta": {"nested": 1}}
    assert json.loads(rows[0].passthrough["meta"]) == {"nested": 1}
    assert rows[1].error == "expected a JSON object, found a JSON array"
    assert rows[2].error == "expected a JSON object, found a JSON str"
    assert rows[3].error is not None and rows[3].error.startswith("not valid JSON")


def test_a_folder_or_missing_file_is_fatal(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        PartyFile(tmp_path)
    with pytest.raises(InputError, match="no such file"):
        PartyFile(tmp_path / "nope.csv")


def test_party_fields_of_the_model_are_read_else_passed_through(tmp_path: Path) -> None:
    from compliance.screening.results import Party

    path = tmp_path / "p.csv"
    path.write_text("name,dob,nationality,id_number\nIvan Petrov,1970-01-02,RU,X1\n", "utf-8")
    row = rows_of(path)[0]
    assert row.party is not None
    for field, value in (("dob", "1970-01-02"), ("nationality", "RU"), ("id_number", "X1")):
        if field in Party.model_fields:
            assert getattr(row.party, field) == value
        else:
            assert row.passthrough[field] == value
