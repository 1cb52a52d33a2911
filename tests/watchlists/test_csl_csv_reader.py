"""The CSL CSV reader on the real shared files and on malformed files written here."""

from __future__ import annotations

import csv
import hashlib
from datetime import date
from pathlib import Path

import pytest

from compliance.watchlists.entry import EntryKind
from compliance.watchlists.readers._common import ListFormatError
from compliance.watchlists.readers.csl_csv import CSL_COLUMNS, read_csl_csv
from compliance.watchlists.snapshot import ListSnapshot

CSL_2022 = Path("lists/csl/2022-05_watchman/consolidated.csv")
CSL_2026 = Path("lists/csl/2026-07-31_compact/consolidated.csv")
CSL_SAMPLE = Path("lists/csl/current_format_sample/consolidated.csv")

# Per-list record counts as documented in data/lists/SOURCES.md (verified there with csv).
COUNTS_2022 = {
    "SDN": 10026,
    "EL": 2001,
    "DTC": 727,
    "DPL": 462,
    "SSI": 290,
    "UVL": 201,
    "ISN": 163,
    "PLC": 78,
    "MEU": 71,
    "CMIC": 68,
    "CAP": 53,
    "NS-MBS": 17,
    "FSE": 3,
}
COUNTS_2026 = {
    "SDN": 19181,
    "EL": 3420,
    "DPL": 1596,
    "DTC": 787,
    "SSI": 286,
    "UVL": 222,
    "ISN": 161,
    "PLC": 78,
    "MEU": 70,
    "CMIC": 68,
    "NS-MBS": 51,
    "CAP": 1,
}


@pytest.fixture(scope="module")
def csl2022(shared_data: Path) -> ListSnapshot:
    return read_csl_csv(shared_data / CSL_2022)


@pytest.fixture(scope="module")
def csl2026(shared_data: Path) -> ListSnapshot:
    return read_csl_csv(shared_data / CSL_2026)


def _header() -> str:
    return ",".join(CSL_COLUMNS) + "\n"


def _row(**values: str) -> str:
    cells = [values.get(c, "") for c in CSL_COLUMNS]
    out = []
    for cell in cells:
        out.append(
            '"' + cell.replace('"', '""') + '"' if any(ch in cell for ch in ',"\n') else cell
        )
    return ",".join(out) + "\n"


EL = "Entity List (EL) - Bureau of Industry and Security"


# --- real files -----------------------------------------------------------------------------


def test_2022_counts(csl2022: ListSnapshot) -> None:
    assert len(csl2022.entries) == 14160
    assert csl2022.count_by_list() == dict(sorted(COUNTS_2022.items()))
    assert not [i for i in csl2022.issues if i.skipped]


def test_2022_types_empty_for_bis_and_state_rows(csl2022: ListSnapshot) -> None:
    # SOURCES.md: type is empty for 3,625 BIS/State rows.
    assert sum(1 for e in csl2022.entries if e.kind is None) == 3625
    assert {e.kind for e in csl2022.entries if e.source == "SDN"} <= set(EntryKind)


def test_2022_entity_list_aliases(csl2022: ListSnapshot) -> None:
    el = [e for e in csl2022.entries if e.source == "EL"]
    assert sum(1 for e in el if e.aliases) == 926  # SOURCES.md
    plant = next(e for e in el if e.name == "140 Repair Plant JSC")
    assert [a.name for a in plant.aliases] == [
        "Open Joint Stock Company 140 Repair Plant",
        "JSC 140 Repair Plant",
    ]
    assert plant.source_name == EL
    assert plant.federal_register_notices == ("87 FR 20299",)
    assert plant.start_date == date(2022, 4, 7)
    assert [f.number for f in plant.footnotes] == [3]
    (address,) = plant.addresses
    assert address.text == "19 Luysi Chalovskoy St., Borisov, 222512, BY"
    assert (address.street, address.city, address.postal_code, address.country) == (
        "19 Luysi Chalovskoy St.",
        "Borisov",
        "222512",
        "BY",
    )
    assert plant.countries == ("BY",)


def test_2022_entry_ids_are_the_published_ids(shared_data: Path, csl2022: ListSnapshot) -> None:
    with (shared_data / CSL_2022).open(newline="", encoding="utf-8") as handle:
        ids = [row["_id"] for row in csv.DictReader(handle)]
    assert [e.entry_id for e in csl2022.entries] == ids


def test_2022_several_fr_notices_split(csl2022: ListSnapshot) -> None:
    wanted = ("84 FR 22961", "85 FR 29852", "85 FR 36720", "85 FR 51603")
    assert any(e.federal_register_notices == wanted for e in csl2022.entries)
    # "81 FR 61595, 9/7/2016" is one citation with its date, not two citations.
    dated = [e for e in csl2022.entries if "81 FR 61595, 9/7/2016" in e.federal_register_notices]
    assert dated


def test_2022_malformed_year_is_reported_and_row_kept(
    shared_data: Path,
    csl2022: ListSnapshot,
) -> None:
    lines = (shared_data / CSL_2022).read_text(encoding="utf-8").split("\n")
    bad = [i for i in csl2022.issues if i.field == "start_date"]
    assert {i.reason.split("'")[1] for i in bad} == {"0017-05-26", "0097-06-30"}
    for issue in bad:
        assert issue.skipped is False
        assert issue.file == "consolidated.csv"
        # The reported physical line is where that record starts (its quoted _id opens it).
        record_id = lines[issue.line - 1].split(",", 1)[0].strip('"')
        entry = next(e for e in csl2022.entries if e.entry_id == record_id)
        assert entry.start_date is None


def test_2022_huawei_rows_carry_footnote_1(csl2022: ListSnapshot) -> None:
    huawei = [
        e
        for e in csl2022.entries
        if e.source == "EL" and "736.2(b)(3)(vi)" in (e.license_requirement or "")
    ]
    assert len(huawei) == 157
    assert all([f.number for f in e.footnotes] == [1] for e in huawei)


def test_2026_csv_counts(csl2026: ListSnapshot) -> None:
    assert len(csl2026.entries) == 25921
    assert csl2026.count_by_list() == dict(sorted(COUNTS_2026.items()))
    assert csl2026.issues == ()


def test_2026_csv_name_total(shared_data: Path, csl2026: ListSnapshot) -> None:
    # SOURCES.md counts 57,176 names splitting alt_names on "; " exactly; two cells also join
    # aliases with ";" + no-break space, which the reader splits too.
    text = (shared_data / CSL_2026).read_text(encoding="utf-8")
    assert sum(len(e.all_names) for e in csl2026.entries) == 57176 + text.count(";\u00a0")


def test_2026_addresses_are_countries_only(csl2026: ListSnapshot) -> None:
    el = next(e for e in csl2026.entries if e.name == "Abdul Satar Ghoura")
    assert [a.country for a in el.addresses] == ["AF", "PK"]
    assert el.countries == ("AF", "PK")


def test_sample_2025_format(shared_data: Path) -> None:
    snap = read_csl_csv(shared_data / CSL_SAMPLE)
    assert len(snap.entries) == 13
    (el,) = [e for e in snap.entries if e.source == "EL"]
    assert "Hebei Semiconductor Research Institute" in [a.name for a in el.aliases]
    # Three addresses joined with "; and " in the published cell.
    assert len(el.addresses) == 3
    assert el.addresses[-1].country == "CN"
    assert el.federal_register_notices == ("83 FR 37423", "87 FR 77505")
    assert [f.number for f in el.footnotes] == [3]


def test_provenance_hash_equals_hashlib(shared_data: Path, csl2022: ListSnapshot) -> None:
    data = (shared_data / CSL_2022).read_bytes()
    (source_file,) = csl2022.files
    assert source_file.name == "consolidated.csv"
    assert source_file.sha256 == hashlib.sha256(data).hexdigest()
    assert source_file.size == len(data)


def test_reading_twice_gives_the_same_snapshot(shared_data: Path) -> None:
    first = read_csl_csv(shared_data / CSL_SAMPLE)
    second = read_csl_csv(shared_data / CSL_SAMPLE)
    assert first == second
    assert first.snapshot_id == second.snapshot_id


# --- malformed input written here -----------------------------------------------------------


def test_bad_rows_reported_good_rows_kept(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    body = (
        _header()
        + _row(_id="a1", source=EL, name="Good One", remarks="line one\nline two")  # lines 2-3
        + "x,y,z\n"  # line 4: wrong column count
        + _row(_id="a2", source=EL, name="")  # line 5: empty name
        + _row(_id="a3", source=EL, name="Bad Date", start_date="0017-05-26")  # line 6
        + _row(_id="a4", source=EL, name="Odd Type", type="Robot")  # line 7
        + _row(_id="a5", source=EL, name="Good Two", alt_names="A; and B")  # line 8
    )
    path.write_text(body, encoding="utf-8")
    snap = read_csl_csv(path)
    assert [e.entry_id for e in snap.entries] == ["a1", "a3", "a4", "a5"]
    assert snap.entries[0].remarks == "line one\nline two"
    assert [a.name for a in snap.entries[3].aliases] == ["A", "B"]
    found = {(i.line, i.field, i.skipped) for i in snap.issues}
    assert found == {
        (4, None, True),
        (5, "name", True),
        (6, "start_date", False),
        (7, "type", False),
    }
    assert all(i.file == "list.csv" for i in snap.issues)
    assert "29 columns, found 3" in next(i.reason for i in snap.issues if i.line == 4)


def test_undecodable_bytes_reported_with_field(tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    good = _row(_id="b1", source=EL, name="Plain").encode()
    bad = _row(_id="b2", source=EL, name="Caf\u00e9").encode().replace(b"\xc3\xa9", b"\xe9")
    path.write_bytes(_header().encode() + good + bad)
    snap = read_csl_csv(path)
    assert [e.name for e in snap.entries] == ["Plain", "Caf\ufffd"]
    (issue,) = snap.issues
    assert (issue.line, issue.field, issue.skipped) == (3, "name", False)


def test_not_a_csl_file(tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    with pytest.raises(ListFormatError, match=r"other\.csv: line 1"):
        read_csl_csv(path)


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(ListFormatError, match="empty"):
        read_csl_csv(path)


def test_excerpt_flags_pass_through(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text(_header() + _row(_id="c1", source=EL, name="X"), encoding="utf-8")
    snap = read_csl_csv(path, source="bundled", label="Excerpt", is_excerpt=True)
    assert (snap.source, snap.label, snap.is_excerpt) == ("bundled", "Excerpt", True)


def test_missing_id_falls_back_to_source_and_entity_number(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    sdn = "Specially Designated Nationals (SDN) - Treasury Department"
    path.write_text(
        _header() + _row(source=sdn, entity_number="36", name="X", type="Entity"),
        encoding="utf-8",
    )
    (entry,) = read_csl_csv(path).entries
    assert entry.entry_id == "SDN:36"
    assert entry.kind is EntryKind.ENTITY
