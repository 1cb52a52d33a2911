"""The OFAC legacy CSV reader on the shared SDN / non-SDN sets and on files written here."""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from compliance.watchlists.entry import AliasStrength, EntryKind
from compliance.watchlists.readers._common import ListFormatError
from compliance.watchlists.readers.ofac_csv import read_ofac_csv, split_programs, weak_aliases
from compliance.watchlists.snapshot import ListSnapshot

SDN_2021 = Path("lists/ofac/sdn_2021-07-07")
CONS_2025 = Path("lists/ofac/consolidated_non_sdn_2025-12-19")
SDN_2024 = Path("lists/ofac/sdn_2024-05-03/sdn.csv")
ALT_2026 = Path("lists/ofac/sdn_2026-06-02_aliases_addresses_only/alt.csv")


def _raw_rows(path: Path) -> list[list[str]]:
    """The file's records read independently with the csv module."""
    text = path.read_bytes().decode("utf-8").rstrip("\x1a")
    return list(csv.reader(io.StringIO(text, newline="")))


@pytest.fixture(scope="module")
def sdn2021(shared_data: Path) -> ListSnapshot:
    return read_ofac_csv(shared_data / SDN_2021)


def test_2021_counts_and_every_alias_joined(sdn2021: ListSnapshot) -> None:
    assert len(sdn2021.entries) == 8976
    strong = [a for e in sdn2021.entries for a in e.aliases if a.strength is AliasStrength.STRONG]
    assert len(strong) == 11910
    assert sdn2021.issues == ()
    assert {e.source for e in sdn2021.entries} == {"SDN"}
    assert {a.alias_type for a in strong} <= {"aka", "fka", "nka"}


def test_2021_every_address_joined(shared_data: Path, sdn2021: ListSnapshot) -> None:
    rows = _raw_rows(shared_data / SDN_2021 / "add.csv")
    assert len(rows) == 13837
    # A row whose every field after ent_num/add_num is "-0-" states that no address is known.
    informative = [r for r in rows if any(c.strip() not in ("", "-0-") for c in r[2:])]
    assert sum(len(e.addresses) for e in sdn2021.entries) == len(informative)
    by_id = {e.entry_id: e for e in sdn2021.entries}
    for row in informative:
        entry = by_id[f"SDN:{row[0]}"]
        assert any(a.street == (row[2] if row[2] != "-0- " else None) for a in entry.addresses)


def test_2021_alias_per_entry_matches_alt_file(shared_data: Path, sdn2021: ListSnapshot) -> None:
    expected: dict[str, list[str]] = {}
    for row in _raw_rows(shared_data / SDN_2021 / "alt.csv"):
        expected.setdefault(f"SDN:{row[0]}", []).append(row[3])
    for entry in sdn2021.entries:
        strong = [a.name for a in entry.aliases if a.strength is AliasStrength.STRONG]
        assert strong == expected.get(entry.entry_id, [])


def test_2021_weak_aliases(sdn2021: ListSnapshot) -> None:
    by_id = {e.entry_id: e for e in sdn2021.entries}
    bank = by_id["SDN:306"]
    assert bank.name == "BANCO NACIONAL DE CUBA"
    assert [(a.name, a.strength) for a in bank.aliases] == [
        ("NATIONAL BANK OF CUBA", AliasStrength.STRONG),
        ("BNC", AliasStrength.WEAK),
    ]
    assert bank.kind is EntryKind.ENTITY
    assert bank.countries == ("CH", "ES", "JP", "PA")
    # Remarks cut in sdn.csv and continued in sdn_comments.csv: the weak aliases in the
    # continuation are found.
    hacker = by_id["SDN:28264"]
    assert hacker.remarks is not None and hacker.remarks.endswith("Linked To: LAZARUS GROUP.")
    weak = [a.name for a in hacker.aliases if a.strength is AliasStrength.WEAK]
    assert "khaleesi" in weak and "blackjack1987" in weak
    total_weak = sum(
        1 for e in sdn2021.entries for a in e.aliases if a.strength is AliasStrength.WEAK
    )
    assert total_weak > 2000


def test_2021_individual_keeps_published_name(shared_data: Path, sdn2021: ListSnapshot) -> None:
    rows = _raw_rows(shared_data / SDN_2021 / "sdn.csv")
    individual = next(r for r in rows if r[2] == "individual" and ", " in r[1])
    entry = next(e for e in sdn2021.entries if e.entry_id == f"SDN:{individual[0]}")
    assert entry.name == individual[1]
    assert entry.kind is EntryKind.INDIVIDUAL


def test_2021_programs_split(shared_data: Path, sdn2021: ListSnapshot) -> None:
    rows = _raw_rows(shared_data / SDN_2021 / "sdn.csv")
    joined = next(r for r in rows if "] [" in r[3])
    entry = next(e for e in sdn2021.entries if e.entry_id == f"SDN:{joined[0]}")
    assert len(entry.programs) == joined[3].count("] [") + 1
    assert "]" not in "".join(entry.programs) and "[" not in "".join(entry.programs)


def test_2021_provenance(shared_data: Path, sdn2021: ListSnapshot) -> None:
    names = ["sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"]
    assert [f.name for f in sdn2021.files] == names
    for source_file in sdn2021.files:
        data = (shared_data / SDN_2021 / source_file.name).read_bytes()
        assert source_file.sha256 == hashlib.sha256(data).hexdigest()
        assert source_file.size == len(data)


def test_consolidated_non_sdn(shared_data: Path) -> None:
    snap = read_ofac_csv(shared_data / CONS_2025)
    assert len(snap.entries) == 442
    # the lists by program, as the CSL labels them (lists/ofac_non_sdn_lists.yaml)
    assert snap.count_by_list() == {"CAP": 15, "CMIC": 68, "NS-MBS": 9, "PLC": 78, "SSI": 272}
    for entry in snap.entries:
        programs = set(entry.programs)
        if "NS-PLC" in programs:
            assert entry.source == "PLC"
        elif "CMIC-EO13959" in programs:
            assert entry.source == "CMIC" and entry.source_name.startswith("Non-SDN Chinese")
        elif "UKRAINE-EO13662" in programs and "(EO 14024 Directive 2)" not in (
            entry.remarks or ""
        ):
            assert entry.source == "SSI"
        assert entry.entry_id.startswith("NON-SDN:")  # ids stay stable across the relabel
    strong = [a for e in snap.entries for a in e.aliases if a.strength is AliasStrength.STRONG]
    assert len(strong) == 1073
    assert snap.issues == ()
    assert [f.name for f in snap.files] == [
        "cons_prim.csv",
        "cons_alt.csv",
        "cons_add.csv",
        "cons_comments.csv",
    ]


def test_2024_primary_alone(shared_data: Path) -> None:
    snap = read_ofac_csv(shared_data / SDN_2024)
    assert len(snap.entries) == 14965
    kinds = [e.kind for e in snap.entries]
    # SOURCES.md: entity 6,884, individual 6,854, vessel 851, aircraft 376.
    assert kinds.count(EntryKind.ENTITY) == 6884
    assert kinds.count(EntryKind.INDIVIDUAL) == 6854
    assert kinds.count(EntryKind.VESSEL) == 851
    assert kinds.count(EntryKind.AIRCRAFT) == 376
    assert (
        sum(1 for e in snap.entries if any(a.strength is AliasStrength.WEAK for a in e.aliases))
        > 2000
    )


def test_aliases_without_primary_are_reported(shared_data: Path) -> None:
    # 2026 aliases against the 2024 primary file: SOURCES.md counts 17,533 alias rows that
    # join and 20,260 in all.
    snap = read_ofac_csv(primary=shared_data / SDN_2024, aliases=shared_data / ALT_2026)
    joined = sum(1 for e in snap.entries for a in e.aliases if a.strength is AliasStrength.STRONG)
    orphans = [i for i in snap.issues if i.file == "alt.csv"]
    assert joined == 17533
    assert len(orphans) == 20260 - 17533
    assert all(i.skipped and i.field == "ent_num" for i in orphans)
    assert "has no record in sdn.csv" in orphans[0].reason


# --- files written here ------------------------------------------------------------------------


def _write(path: Path, lines: list[str]) -> None:
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8") + b"\x1a")


def test_handcrafted_set(tmp_path: Path) -> None:
    null = "-0- "
    _write(
        tmp_path / "sdn.csv",
        [
            f'10,"DOE, John",individual,"SDGT] [IRAN",{null},{null},{null},{null},{null},{null},'
            f"{null},\"DOB 1970; nationality Iran; a.k.a. 'JD'; a.k.a. 'O'NEIL'.\"",
            f'11,"ACME LTD",{null},"CUBA",{null},{null},{null},{null},{null},{null},{null},{null}',
            '12,"SHORT ROW"',  # line 3: wrong column count
            f'x13,"BAD ID",{null},"CUBA",{null},{null},{null},{null},{null},{null},{null},{null}',
        ],
    )
    _write(
        tmp_path / "alt.csv",
        ['10,1,"aka","DOE, Johnny",-0- ', '99,2,"fka","NOBODY",-0- '],
    )
    _write(
        tmp_path / "add.csv",
        [
            '11,1,"1 Main St","Havana","Cuba",-0- ',
            "11,2,-0- ,-0- ,-0- ,-0- ",
            '98,3,"Nowhere","X","Narnia",-0- ',
        ],
    )
    _write(tmp_path / "sdn_comments.csv", ['10," Linked To: ACME LTD."'])
    snap = read_ofac_csv(tmp_path)
    by_id = {e.entry_id: e for e in snap.entries}
    assert sorted(by_id) == ["SDN:10", "SDN:11"]
    doe = by_id["SDN:10"]
    assert doe.name == "DOE, John"
    assert doe.programs == ("SDGT", "IRAN")
    assert doe.countries == ("IR",)
    assert [(a.name, a.strength, a.alias_type) for a in doe.aliases] == [
        ("DOE, Johnny", AliasStrength.STRONG, "aka"),
        ("JD", AliasStrength.WEAK, "aka"),
        ("O'NEIL", AliasStrength.WEAK, "aka"),
    ]
    assert doe.remarks is not None and doe.remarks.endswith("'O'NEIL'. Linked To: ACME LTD.")
    acme = by_id["SDN:11"]
    assert [a.text for a in acme.addresses] == ["1 Main St, Havana, Cuba"]
    assert acme.addresses[0].country == "CU"
    issues = {(i.file, i.line, i.field, i.skipped) for i in snap.issues}
    assert issues == {
        ("sdn.csv", 3, None, True),
        ("sdn.csv", 4, "ent_num", True),
        ("alt.csv", 2, "ent_num", True),
        ("add.csv", 3, "ent_num", True),
    }


def test_unmapped_country_reported(tmp_path: Path) -> None:
    null = "-0- "
    _write(tmp_path / "sdn.csv", [f'1,"X",{null},"P",' + ",".join([null] * 8)])
    _write(tmp_path / "add.csv", ['1,1,"Street","Town","Atlantis",-0- '])
    snap = read_ofac_csv(tmp_path / "sdn.csv")
    (entry,) = snap.entries
    assert entry.addresses[0].country is None
    assert entry.addresses[0].text == "Street, Town, Atlantis"
    (issue,) = snap.issues
    assert (issue.file, issue.line, issue.field, issue.skipped) == ("add.csv", 1, "country", False)


def test_directory_without_primary(tmp_path: Path) -> None:
    (tmp_path / "alt.csv").write_text("1,1,aka,X,-0- \r\n")
    with pytest.raises(ListFormatError, match="no OFAC primary file"):
        read_ofac_csv(tmp_path)


def test_directory_with_both_sets_needs_a_prefix(tmp_path: Path) -> None:
    null = "-0- "
    _write(tmp_path / "sdn.csv", [f'1,"S",{null},"P",' + ",".join([null] * 8)])
    _write(tmp_path / "cons_prim.csv", [f'2,"C",{null},"P",' + ",".join([null] * 8)])
    with pytest.raises(ListFormatError, match="both"):
        read_ofac_csv(tmp_path)
    assert [e.entry_id for e in read_ofac_csv(tmp_path, prefix="cons").entries] == ["NON-SDN:2"]
    assert [e.entry_id for e in read_ofac_csv(tmp_path / "sdn.csv").entries] == ["SDN:1"]


def test_bad_prefix(tmp_path: Path) -> None:
    with pytest.raises(ListFormatError, match="prefix"):
        read_ofac_csv(tmp_path, prefix="eu")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("SDGT", ("SDGT",)),
        ("RUSSIA-EO14024] [SDGT", ("RUSSIA-EO14024", "SDGT")),
        ("[IRAN] [IFSR]", ("IRAN", "IFSR")),
        (None, ()),
    ],
)
def test_split_programs(value: str | None, expected: tuple[str, ...]) -> None:
    assert split_programs(value) == expected


@pytest.mark.parametrize(
    ("remarks", "expected"),
    [
        ("a.k.a. 'BNC'.", ["BNC"]),
        ("Political Leader; a.k.a. 'ABU-'UMAR'.", ["ABU-'UMAR"]),
        ("a.k.a. 'MERA'I'; a.k.a. 'X Y'", ["MERA'I", "X Y"]),
        ("f.k.a. 'OLD NAME'; Linked To: Z.", ["OLD NAME"]),
        ("Linked To: ABC; Passport 12 (Iran).", []),
        ("a.k.a. 'UNFINISHED", []),
    ],
)
def test_weak_alias_patterns(remarks: str, expected: list[str]) -> None:
    assert [a.name for a in weak_aliases(remarks)] == expected
    assert all(a.strength is AliasStrength.WEAK for a in weak_aliases(remarks))


_PROGRAM = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-", min_size=1, max_size=14)


@given(st.lists(_PROGRAM, min_size=1, max_size=5, unique=True))
def test_split_programs_round_trip(programs: list[str]) -> None:
    assert split_programs("] [".join(programs)) == tuple(programs)


_WORD = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=8)
_ALIAS = st.lists(_WORD, min_size=1, max_size=3).map(" ".join) | st.tuples(_WORD, _WORD).map(
    "'".join  # names such as O'NEIL or ABU-'UMAR hold apostrophes
)


@given(st.lists(_ALIAS, min_size=1, max_size=4, unique=True), st.booleans())
def test_weak_aliases_round_trip(names: list[str], other_remarks: bool) -> None:
    parts = [f"a.k.a. '{n}'" for n in names]
    if other_remarks:
        parts.insert(0, "DOB 01 Jan 1970")
        parts.append("Linked To: SOMEONE")
    remarks = "; ".join(parts) + "."
    assert [a.name for a in weak_aliases(remarks)] == names
