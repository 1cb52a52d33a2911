"""``lists import``: folders and any file order, a missing file named, every update check."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from compliance.cli import main
from compliance.watchlists.update import repaired_problem

# A tiny, internally consistent OFAC SDN set written by the tests (no header, -0- nulls).
SDN = (
    '10,"ACME TRADING FZE",-0- ,"SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"a.k.a. \'ACME\'."\r\n'
    '11,"BETA SHIPPING LLC",-0- ,"IRAN",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
)
ALT = '10,1,"aka","ACME TRADERS",-0- \r\n'
ADD = '10,1,"Street 1","Dubai","United Arab Emirates",-0- \r\n'
COMMENTS = '11,"continued remark"\r\n'
SET = {"sdn.csv": SDN, "alt.csv": ALT, "add.csv": ADD, "sdn_comments.csv": COMMENTS}


def lists(store: Path, *args: str) -> int:
    return main(["lists", "--store", str(store), *args])


def write_set(folder: Path, names: dict[str, str] | None = None) -> list[Path]:
    """The set under other names (``names``: registry name -> local name)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in SET.items():
        local = folder / (names or {}).get(name, name)
        local.write_bytes(text.encode("utf-8") + b"\x1a")
        paths.append(local)
    return paths


def test_folder_import(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_set(tmp_path / "download")
    assert lists(tmp_path / "s", "import", "--source", "ofac-sdn", str(tmp_path / "download")) == 0
    out = capsys.readouterr().out
    assert out.startswith("ofac-sdn: published (snapshot ")
    assert "rows repaired or left out by the reader: 0" in out


def test_files_in_shell_order_and_renamed_match_by_content(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    renamed = {"sdn.csv": "SDN (1).CSV", "alt.csv": "aliases.csv", "add.csv": "a.csv"}
    paths = sorted(write_set(tmp_path / "dl", renamed), key=lambda p: p.name)
    assert lists(tmp_path / "s", "import", "--source", "ofac-sdn", *map(str, paths)) == 0
    capsys.readouterr()
    assert lists(tmp_path / "s", "snapshots", "--json") == 0
    (manifest,) = json.loads(capsys.readouterr().out)
    # staged under the registry's names, in registry order: the snapshot reads as downloaded
    assert [f["name"] for f in manifest["files"]] == list(SET)
    assert manifest["counts"] == {"SDN": 2}


def test_missing_file_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    paths = write_set(tmp_path / "dl")
    given = [str(p) for p in paths if p.name != "alt.csv"]
    assert lists(tmp_path / "s", "import", "--source", "ofac-sdn", *given) == 1
    out = capsys.readouterr().out
    assert "refused" in out and "missing alt.csv (aliases)" in out


def test_a_folder_with_both_ofac_sets_takes_its_own(tmp_path: Path) -> None:
    folder = tmp_path / "dl"
    write_set(folder)
    write_set(folder, {n: "cons_" + n.replace("sdn_", "").replace("sdn", "prim") for n in SET})
    assert lists(tmp_path / "s", "import", "--source", "ofac-sdn", str(folder)) == 0
    assert lists(tmp_path / "s", "import", "--source", "ofac-non-sdn", str(folder)) == 0


def test_invalid_utf8_near_the_csl_header_is_refused_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The header check reads the first block of text: a bad byte in the first rows of a CSL
    file must reach the strict UTF-8 check (found by a new user: a traceback before)."""
    header = (
        "_id,source,entity_number,type,programs,name,title,addresses,federal_register_notice,"
        "start_date,end_date,standard_order,license_requirement,license_policy,call_sign,"
        "vessel_type,gross_tonnage,gross_registered_tonnage,vessel_flag,vessel_owner,remarks,"
        "source_list_url,alt_names,citizenships,dates_of_birth,nationalities,places_of_birth,"
        "source_information_url,ids\n"
    )
    row = '"x1","Entity List (EL) - Bureau of Industry and Security",,,,"ACME \xc9 CO"' + "," * 23
    path = tmp_path / "consolidated.csv"
    path.write_bytes(header.encode() + row.encode("latin-1") + b"\n")
    code = lists(tmp_path / "s", "import", "--source", "trade.gov-csl", str(path),
                 "--published", "2026-12-01")  # fmt: skip
    assert code == 1
    out = capsys.readouterr().out
    offset = len(header) + row.index(chr(0xC9))
    assert f"consolidated.csv: not valid UTF-8 at byte offset {offset}" in out


def test_invalid_utf8_is_refused_like_update(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "dl"
    write_set(folder)
    (folder / "alt.csv").write_bytes(ALT.replace("TRADERS", "TR\xc9DERS").encode("latin-1"))
    assert lists(tmp_path / "s", "import", "--source", "ofac-sdn", str(folder)) == 1
    out = capsys.readouterr().out
    assert "alt.csv: not valid UTF-8 at byte offset 19 (byte 0xC9)" in out
    # never forced past: there would be bytes nobody can read
    assert lists(tmp_path / "s", "import", "--source", "ofac-sdn", str(folder), "--force") == 1


def test_published_date_and_unknown_date(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "dl"
    write_set(folder)
    store = tmp_path / "s"
    assert lists(store, "import", "--source", "ofac-sdn", str(folder)) == 0
    capsys.readouterr()
    assert lists(store, "status") == 0  # the one source in use was imported just now
    text = capsys.readouterr().out
    assert "publication date unknown" in text
    # stale after the maximum age counted from the import, never fresh forever
    assert lists(store, "status", "--json", "--now", "2099-01-01T00:00:00+00:00") == 1
    row = {r["source"]: r for r in json.loads(capsys.readouterr().out)}["ofac-sdn"]
    assert row["age_basis"] == "imported; publication date unknown"
    assert any(w.startswith("STALE") for w in row["warnings"])
    assert row["repaired_rows"] == 0

    (folder / "sdn.csv").write_bytes(SDN.encode("utf-8") + b'12,"GAMMA",-0- ,"SDGT"' + b",-0- " * 8)
    assert (
        lists(store, "import", "--source", "ofac-sdn", str(folder), "--published", "2026-01-02")
        == 0
    )
    capsys.readouterr()
    assert (
        lists(store, "status", "--json", "--now", "2026-01-05T00:00:00+00:00") == 0
    )  # 3 days old: fresh
    row = {r["source"]: r for r in json.loads(capsys.readouterr().out)}["ofac-sdn"]
    assert row["published"].startswith("2026-01-02") and row["age_days"] == 3
    assert lists(store, "import", "--source", "ofac-sdn", str(folder), "--published", "2-1") == 2


def test_too_many_rows_left_out_refuses(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "dl"
    write_set(folder)
    bad = SDN + '"x","NO NUMBER",-0- ,"SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
    (folder / "sdn.csv").write_bytes(bad.encode("utf-8"))
    assert lists(tmp_path / "s", "import", "--source", "ofac-sdn", str(folder)) == 1
    out = capsys.readouterr().out
    assert "1 of 3 rows repaired or left out by the reader" in out
    assert "rows repaired or left out by the reader: 1" in out


@pytest.mark.parametrize(
    ("repaired", "entries", "refused"),
    [(1, 999, False), (1, 998, True), (0, 10, False), (2, 1998, False), (2, 1997, True)],
)
def test_repaired_share_boundary_is_exact(repaired: int, entries: int, refused: bool) -> None:
    # 1 of 1,000 rows is exactly 0.1%: published; 1 of 999 is above: refused
    assert (repaired_problem(repaired, entries, Decimal("0.1")) is not None) is refused


def test_shared_non_sdn_set_in_shell_order(
    shared_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = shared_data / "lists" / "ofac" / "consolidated_non_sdn_2025-12-19"
    copy = tmp_path / "copy"
    shutil.copytree(source, copy)
    paths = sorted(str(p) for p in copy.iterdir())
    assert lists(tmp_path / "s", "import", "--source", "ofac-non-sdn", *paths) == 0
    capsys.readouterr()
    assert (
        lists(tmp_path / "s", "status", "--json") == 0
    )  # the sources in use are judged, not every registered one
    row = {r["source"]: r for r in json.loads(capsys.readouterr().out)}["ofac-non-sdn"]
    assert set(row["counts"]) == {"SSI", "PLC", "CAP", "CMIC", "NS-MBS"}
