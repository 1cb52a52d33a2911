"""The BIS Denied Persons List reader."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from compliance.watchlists.readers._common import ListFormatError
from compliance.watchlists.readers.dpl_txt import DPL_COLUMNS, read_dpl_txt, split_citations

DPL = Path("lists/bis/dpl_2023-11/dpl.txt")


def test_shared_file(shared_data: Path) -> None:
    snap = read_dpl_txt(shared_data / DPL)
    with (shared_data / DPL).open(newline="", encoding="utf-8") as handle:
        raw = list(csv.DictReader(handle, delimiter="\t"))
    assert len(raw) == len(snap.entries) == 665  # SOURCES.md: one entry per row
    assert len({r["Name"] for r in raw}) == 546
    # Names are published with stray leading spaces (" I. ASH"); the reader strips them.
    assert [e.name for e in snap.entries] == [r["Name"].strip() for r in raw]
    assert {e.source for e in snap.entries} == {"DPL"}
    assert len({e.entry_id for e in snap.entries}) == 665
    assert max(e.start_date for e in snap.entries if e.start_date) == date(2023, 11, 16)
    assert all(not i.skipped for i in snap.issues)
    first = snap.entries[0]
    assert first.federal_register_notices == (
        "68 F.R. 38290 6/27/03",
        "71 F.R. 38843 7/10/06",
        "72 F.R. 4236 1/30/07",
    )
    assert first.start_date == date(2003, 6, 19)
    assert first.end_date == date(2056, 6, 29)
    assert first.countries == ("US",)


def _write(path: Path, rows: list[list[str]]) -> None:
    lines = ["\t".join(f'"{c}"' for c in DPL_COLUMNS)]
    lines += ["\t".join(f'"{c}"' for c in row) for row in rows]
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")


def test_bad_rows(tmp_path: Path) -> None:
    path = tmp_path / "dpl.txt"
    ok = [
        "JANE ROE",
        "1 A ST",
        "TOWN",
        "TX",
        "US",
        "1",
        "01/02/2020",
        "01/02/2030",
        "Y",
        "",
        "",
        "",
    ]
    _write(
        path,
        [
            ok,
            ["SHORT"],
            ["", *ok[1:]],
            ["BAD DATE", "", "", "", "", "", "13/45/2020", "", "", "", "", ""],
            ["FULL NAME", "", "", "", "China", "", "", "", "", "", "", ""],
        ],
    )
    snap = read_dpl_txt(path)
    assert [e.name for e in snap.entries] == ["JANE ROE", "BAD DATE", "FULL NAME"]
    assert [(i.line, i.field, i.skipped) for i in snap.issues] == [
        (3, None, True),
        (4, "Name", True),
        (5, "Effective_Date", False),
        (6, "Country", False),
    ]
    assert snap.entries[2].addresses[0].text == "China"
    assert snap.entries[2].countries == ()


def test_not_dpl(tmp_path: Path) -> None:
    path = tmp_path / "dpl.txt"
    path.write_text("Name,Street\n", encoding="utf-8")
    with pytest.raises(ListFormatError, match="Denied Persons List header"):
        read_dpl_txt(path)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("87 F.R. 52741 8/29/2022", ("87 F.R. 52741 8/29/2022",)),
        (
            "67 F.R. 56530 9/4/02 67 F.R. 10890 3/11/02",
            ("67 F.R. 56530 9/4/02", "67 F.R. 10890 3/11/02"),
        ),
        ("", ()),
    ],
)
def test_split_citations(text: str, expected: tuple[str, ...]) -> None:
    assert split_citations(text) == expected
