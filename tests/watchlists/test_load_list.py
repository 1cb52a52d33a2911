"""``load_list``: format detection on every shared list file, and clear errors otherwise."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from compliance.watchlists.load import FORMATS, ListFormatError, detect_format, load_list

LISTS = Path("lists")


@pytest.mark.parametrize(
    ("relative", "fmt", "entries", "codes"),
    [
        ("csl/2022-05_watchman/consolidated.csv", "csl-csv", 14160, 13),
        ("csl/2026-07-31_compact/consolidated.csv", "csl-csv", 25921, 12),
        ("csl/2026-07-31_compact/screening-list.json", "csl-json", 25921, 12),
        ("csl/current_format_sample/consolidated.csv", "csl-csv", 13, 10),
        ("ofac/sdn_2021-07-07", "ofac-csv", 8976, 1),
        ("ofac/sdn_2021-07-07/sdn.csv", "ofac-csv", 8976, 1),
        ("ofac/sdn_2024-05-03/sdn.csv", "ofac-csv", 14965, 1),
        ("ofac/consolidated_non_sdn_2025-12-19", "ofac-csv", 442, 5),  # SSI PLC CAP CMIC NS-MBS
        ("bis/dpl_2023-11/dpl.txt", "dpl-txt", 665, 1),
        ("un/2026-02-27/consolidated.xml", "un-xml", 1003, 1),
    ],
)
def test_detects_and_reads_shared_files(
    shared_data: Path, relative: str, fmt: str, entries: int, codes: int
) -> None:
    path = shared_data / LISTS / relative
    assert detect_format(path) == fmt
    snapshot = load_list(path)
    assert len(snapshot.entries) == entries
    assert len(snapshot.count_by_list()) == codes
    for source_file in snapshot.files:
        file_path = path / source_file.name if path.is_dir() else path.parent / source_file.name
        data = file_path.read_bytes()
        assert source_file.sha256 == hashlib.sha256(data).hexdigest()
        assert source_file.size == len(data)


def test_explicit_format_skips_detection(shared_data: Path) -> None:
    path = shared_data / LISTS / "csl/current_format_sample/consolidated.csv"
    assert len(load_list(path, format="csl-csv").entries) == 13
    with pytest.raises(ListFormatError, match="invalid JSON"):
        load_list(path, format="csl-json")


def test_unknown_format_name(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("id,name\n1,X\n", encoding="utf-8")
    with pytest.raises(ListFormatError, match="unknown list format 'xml'"):
        load_list(path, format="xml")
    assert "internal-csv" in FORMATS


def test_internal_csv_detected(tmp_path: Path) -> None:
    path = tmp_path / "mine.csv"
    path.write_text("id,name,aliases\n1,Alpha,A|B\n", encoding="utf-8")
    snapshot = load_list(path)
    assert [e.source for e in snapshot.entries] == ["INTERNAL"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.md", "# Not a list\n", "not a recognised list"),
        ("data.csv", "a,b\n1,2\n", "not a recognised list"),
        ("data.json", '{"x": []}', "JSON is not a CSL file"),
        ("broken.json", '{"results": [', "invalid JSON"),
        ("broken2.json", '{"x": [', "invalid JSON"),
        ("empty.csv", "", "not a recognised list"),
        ("other.xml", "<?xml version='1.0'?><root/>", "not the UN consolidated list"),
    ],
)
def test_unrecognised_files(tmp_path: Path, name: str, content: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ListFormatError, match=message):
        load_list(path)


def test_shared_files_without_a_reader(shared_data: Path) -> None:
    with pytest.raises(ListFormatError, match="not a recognised list"):
        load_list(shared_data / LISTS / "SOURCES.md")
    # Aliases and addresses without their sdn.csv are not a list on their own.
    with pytest.raises(ListFormatError, match=r"sdn\.csv"):
        load_list(shared_data / LISTS / "ofac/sdn_2026-06-02_aliases_addresses_only")


def test_missing_path(tmp_path: Path) -> None:
    with pytest.raises(ListFormatError, match="no such file"):
        load_list(tmp_path / "absent.csv")
