"""The internal restricted-party list reader (format: docs/internal-list-format.md)."""

from __future__ import annotations

import csv
import hashlib
import io
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from compliance.watchlists.entry import AliasStrength, EntryKind
from compliance.watchlists.readers._common import ListFormatError
from compliance.watchlists.readers.internal_csv import read_internal_csv

HEADER = "id,name,aliases,type,countries,addresses,programs,reason,added,expires,url\n"
DOC = Path(__file__).resolve().parents[2] / "docs" / "internal-list-format.md"


def test_documented_example_reads(tmp_path: Path) -> None:
    """The example in the format document is a valid file."""
    text = DOC.read_text(encoding="utf-8")
    example = text.split("```csv\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "internal.csv"
    path.write_text(example, encoding="utf-8")
    snap = read_internal_csv(path)
    assert snap.issues == ()
    northwind, petrov = snap.entries
    assert northwind.source == "INTERNAL"
    assert northwind.entry_id == "INT-0001"
    assert [a.name for a in northwind.aliases] == ["Northwind FZE", "NW Trading"]
    assert all(a.strength is AliasStrength.STRONG for a in northwind.aliases)
    assert northwind.kind is EntryKind.ENTITY
    assert northwind.countries == ("AE",)
    assert northwind.addresses[0].text == "Office 12, Jebel Ali, Dubai, AE"
    assert northwind.addresses[0].country == "AE"
    assert northwind.programs == ("DIVERSION",)
    assert northwind.remarks == "Re-exported servers to a listed end user"
    assert northwind.start_date == date(2024, 3, 18)
    assert northwind.end_date is None
    assert northwind.source_information_url == "https://intranet.example/cases/17"
    assert petrov.name == "PETROV, Ivan"
    assert petrov.kind is EntryKind.INDIVIDUAL
    assert petrov.end_date == date(2026, 11, 2)


def test_bad_rows_reported_good_rows_kept(tmp_path: Path) -> None:
    path = tmp_path / "internal.csv"
    path.write_text(
        "ID,Name,Type,Countries,Added,Colour\n"  # line 1: unknown column "colour"
        "1,Alpha,entity,DE,2024-01-01,red\n"  # 2
        "2,,entity,DE,,blue\n"  # 3: empty name
        "1,Alpha again,entity,DE,,green\n"  # 4: repeated id
        "3,Beta,robot,Germany|fr,2024-02-30,x\n"  # 5: bad type, country, date (kept)
        "4,Gamma\n"  # 6: short row
        "\n"  # 7: blank
        '5,"Delta, Inc.",,,,\n',  # 8
        encoding="utf-8",
    )
    snap = read_internal_csv(path)
    assert [e.entry_id for e in snap.entries] == ["1", "3", "5"]
    beta = snap.entries[1]
    assert (beta.kind, beta.countries, beta.start_date) == (None, ("FR",), None)
    assert snap.entries[2].name == "Delta, Inc."
    found = [(i.line, i.field, i.skipped) for i in snap.issues]
    assert found == [
        (1, "colour", False),
        (3, "name", True),
        (4, "id", True),
        (5, "type", False),
        (5, "countries", False),
        (5, "added", False),
        (6, None, True),
    ]
    assert "repeats line 2" in snap.issues[2].reason
    assert all(i.file == "internal.csv" for i in snap.issues)


def test_missing_required_column(tmp_path: Path) -> None:
    path = tmp_path / "internal.csv"
    path.write_text("id,aliases\n1,x\n", encoding="utf-8")
    with pytest.raises(ListFormatError, match="name"):
        read_internal_csv(path)


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "internal.csv"
    path.write_text("", encoding="utf-8")
    with pytest.raises(ListFormatError, match="empty"):
        read_internal_csv(path)


def test_provenance_and_bom(tmp_path: Path) -> None:
    path = tmp_path / "internal.csv"
    data = b"\xef\xbb\xbf" + (HEADER + "9,Zeta,,,,,,,,,\n").encode()
    path.write_bytes(data)
    snap = read_internal_csv(path)
    assert [e.name for e in snap.entries] == ["Zeta"]
    assert snap.files[0].sha256 == hashlib.sha256(data).hexdigest()
    assert snap.files[0].size == len(data)


_CELL = (
    st.text(
        alphabet=st.characters(
            blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="|"
        ),
        min_size=1,
        max_size=15,
    )
    .map(str.strip)
    .filter(bool)
)


@given(
    st.lists(
        st.tuples(_CELL, st.lists(_CELL, max_size=3)),
        min_size=1,
        max_size=5,
    )
)
def test_written_rows_read_back(
    tmp_path_factory: pytest.TempPathFactory, rows: list[tuple[str, list[str]]]
) -> None:
    """Whatever a spreadsheet writes with the csv module comes back unchanged."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["id", "name", "aliases"])
    for number, (name, aliases) in enumerate(rows):
        writer.writerow([str(number), name, "|".join(aliases)])
    path = tmp_path_factory.mktemp("internal") / "list.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    snap = read_internal_csv(path)
    assert snap.issues == ()
    assert [(e.name, [a.name for a in e.aliases]) for e in snap.entries] == [
        (name, list(dict.fromkeys(aliases))) for name, aliases in rows
    ]
