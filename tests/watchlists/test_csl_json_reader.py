"""The CSL JSON reader: compacted 2026 file (shared) and the official shape (written here)."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from compliance.watchlists.entry import EntryKind
from compliance.watchlists.readers._common import ListFormatError
from compliance.watchlists.readers.csl_csv import read_csl_csv
from compliance.watchlists.readers.csl_json import read_csl_json
from compliance.watchlists.snapshot import ListSnapshot

COMPACT = Path("lists/csl/2026-07-31_compact/screening-list.json")
CSV_2026 = Path("lists/csl/2026-07-31_compact/consolidated.csv")
EL = "Entity List (EL) - Bureau of Industry and Security"


@pytest.fixture(scope="module")
def compact(shared_data: Path) -> ListSnapshot:
    return read_csl_json(shared_data / COMPACT)


def test_compact_counts(compact: ListSnapshot) -> None:
    assert len(compact.entries) == 25921
    assert compact.count_by_list()["EL"] == 3420
    assert compact.count_by_list()["SDN"] == 19181
    assert compact.issues == ()


def test_compact_published_time_and_hash(shared_data: Path, compact: ListSnapshot) -> None:
    data = (shared_data / COMPACT).read_bytes()
    (source_file,) = compact.files
    assert source_file.sha256 == hashlib.sha256(data).hexdigest()
    assert source_file.size == len(data) == 3396593
    assert source_file.published == datetime(2026, 7, 31, 13, 15, 0, 15113, tzinfo=UTC)
    assert compact.published == source_file.published


def test_compact_and_csv_agree(shared_data: Path, compact: ListSnapshot) -> None:
    """Two files, two readers, one list: per-list counts and every name agree."""
    csv_snapshot = read_csl_csv(shared_data / CSV_2026)
    assert compact.count_by_list() == csv_snapshot.count_by_list()
    assert len(compact.entries) == len(csv_snapshot.entries)
    for from_json, from_csv in zip(compact.entries, csv_snapshot.entries, strict=True):
        assert from_json.all_names == from_csv.all_names
        assert from_json.source_name == from_csv.source_name
        assert from_json.countries == from_csv.countries
        assert from_json.footnotes == from_csv.footnotes
        assert from_json.federal_register_notices == from_csv.federal_register_notices


def test_compact_ids_unique_and_stable(shared_data: Path, compact: ListSnapshot) -> None:
    ids = [e.entry_id for e in compact.entries]
    assert len(set(ids)) == len(ids)
    again = read_csl_json(shared_data / COMPACT)
    assert [e.entry_id for e in again.entries] == ids


def _official(results: list[object], **top: object) -> dict[str, object]:
    return {"search_performed_at": "2026-11-01T10:00:00+00:00", **top, "results": results}


def test_official_shape(tmp_path: Path) -> None:
    record = {
        "id": "e1",
        "source": EL,
        "name": "Huawei Technologies Co., Ltd.",
        "alt_names": ["Huawei", "HW; and HWT"],
        "addresses": [
            {
                "address": "Bantian",
                "city": "Shenzhen",
                "state": "Guangdong",
                "postal_code": "518129",
                "country": "CN",
            }
        ],
        "programs": [],
        "citizenships": [],
        "nationalities": [],
        "federal_register_notice": "84 FR 22963, 85 FR 29853",
        "start_date": "2019-05-16",
        "end_date": None,
        "license_requirement": "For all items subject to the EAR, see §§ 734.9(e)1 and 744.11 "
        "of the EAR2",
        "type": None,
    }
    person = {
        "id": "p1",
        "source": "Specially Designated Nationals (SDN) - Treasury Department",
        "name": "DOE, John",
        "type": "Individual",
        "programs": ["SDGT", "IRAN"],
        "nationalities": ["IR"],
        "citizenships": ["Iran"],
        "addresses": [],
        "alt_names": None,
    }
    path = tmp_path / "consolidated.json"
    path.write_text(json.dumps(_official([record, person])), encoding="utf-8")
    snap = read_csl_json(path)
    huawei, doe = snap.entries
    assert huawei.entry_id == "e1"
    assert [a.name for a in huawei.aliases] == ["Huawei", "HW", "HWT"]
    (address,) = huawei.addresses
    assert address.text == "Bantian, Shenzhen, Guangdong, 518129, CN"
    assert (address.city, address.state, address.postal_code, address.country) == (
        "Shenzhen",
        "Guangdong",
        "518129",
        "CN",
    )
    assert [f.number for f in huawei.footnotes] == [1, 2]
    assert huawei.federal_register_notices == ("84 FR 22963", "85 FR 29853")
    assert huawei.start_date == date(2019, 5, 16)
    assert doe.kind is EntryKind.INDIVIDUAL
    assert doe.programs == ("SDGT", "IRAN")
    assert doe.countries == ("IR",)
    (issue,) = snap.issues  # "Iran" is not an ISO-2 code
    assert (issue.line, issue.field, issue.skipped) == (2, "citizenships", False)
    assert snap.files[0].published == datetime(2026, 11, 1, 10, 0, tzinfo=UTC)


def test_official_bad_records_reported(tmp_path: Path) -> None:
    good = {"id": "g", "source": EL, "name": "Good"}
    path = tmp_path / "consolidated.json"
    path.write_text(
        json.dumps(
            _official(
                [good, "not an object", {"id": "n", "source": EL, "name": "  "}, {"name": "X"}]
            )
        ),
        encoding="utf-8",
    )
    snap = read_csl_json(path)
    assert [e.name for e in snap.entries] == ["Good"]
    assert [(i.line, i.field, i.skipped) for i in snap.issues] == [
        (2, None, True),
        (3, "name", True),
        (4, "source", True),
    ]
    assert "results[1]" in snap.issues[0].reason


def test_compact_bad_table_index_reported(tmp_path: Path) -> None:
    document = {
        "sourceGeneratedAt": "2026-07-31T13:15:00+00:00",
        "tables": {
            "sources": [EL],
            "licenceRequirements": ["For all items subject to the EAR (See §744.11 of the EAR)"],
            "licencePolicies": [],
            "programmes": [],
            "urls": [],
        },
        "entries": [
            {"n": "Kept", "s": 0, "lr": 0, "c": ["RU"]},
            {"n": "Bad source", "s": 7},
            {"n": "Bad policy", "s": 0, "lp": 3},
        ],
    }
    path = tmp_path / "screening-list.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    snap = read_csl_json(path)
    assert [e.name for e in snap.entries] == ["Kept", "Bad policy"]
    assert [(i.line, i.field, i.skipped) for i in snap.issues] == [(2, "s", True), (3, "lp", False)]
    assert snap.entries[0].countries == ("RU",)
    assert snap.entries[0].entry_id.startswith("EL:")


def test_not_csl_json(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text('{"hello": 1}', encoding="utf-8")
    with pytest.raises(ListFormatError, match="not CSL JSON"):
        read_csl_json(path)
    path.write_text("{broken", encoding="utf-8")
    with pytest.raises(ListFormatError, match="line 1"):
        read_csl_json(path)
