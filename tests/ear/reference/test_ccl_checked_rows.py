"""Rows that were carried as unverified until 2026-12-08 and have since been checked against the
License Requirements text of the CCL (15 CFR part 774, Supp. No. 1; an eCFR rendering of the
entries, see docs/ear-reference-data.md "Checked 2026-12-08"):

* 1C395: CB, CW and AT are all prose rows. CB and CW require a license to States not Party to
  the CWC (destinations not in Supplement No. 2 to part 745; 15 CFR 742.2, 742.18), AT to
  Country Group E:1. There is no CB chart column (it was carried as CB Column 2).
* 0A981: CC to all destinations, Canada included (15 CFR 742.7); 0A982 and 0E982 except Canada.
* 2B018, 2D018, 8A018, 9A018, 9D018, 9E018 (and 1C018): no items are in these entries; their
  text only points to the 600 series / 0x5zz entries that took the items over. No License
  Requirements table, so ``license_required`` answers None with the note, never "no license".

The first tests read only our tables; the last ones check that ../shared/data/ear (the
third-party parse of the 2026-07-23 eCFR) agrees where it carries the fact, and skip when it
is absent.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from compliance.ear.reference import ccl, country_chart
from compliance.ear.reference._data import load

X018 = ("1C018", "2B018", "2D018", "8A018", "9A018", "9D018", "9E018")


def _cwc_non_parties() -> set[str]:
    return set(load("ccl.yaml")["cwc_non_state_parties"])


def _codes() -> list[str]:
    data = load("country_chart.yaml")
    return sorted(set(data["rows"]) | set(data["embargoed"]))


def test_1c395_has_no_cb_column() -> None:
    entry = ccl.lookup("1C395")
    assert entry is not None
    assert not [c for r in entry.license_rows for c in r.columns]
    assert set(entry.reasons_for_control) == {"CB", "CW", "AT"}


@pytest.mark.parametrize("eccn", ["1C395", "1C395.a", "1C395.b"])
def test_1c395_cb_reaches_exactly_the_cwc_non_parties(eccn: str) -> None:
    non_parties = _cwc_non_parties()
    assert non_parties, "the CWC non-States-Parties list is empty"
    for code in _codes():
        reasons = ccl.license_required(eccn, code).reasons
        cb = any(r.startswith("CB") for r in reasons)
        assert cb is (code in non_parties), (eccn, code, reasons)


def test_1c395_to_a_cwc_party_with_cb2_needs_no_license() -> None:
    # China has an X in CB Column 2 (which 1C395 was wrongly given) and is a CWC State Party.
    assert country_chart.x_in_box("CN", "CB2")
    check = ccl.license_required("1C395.b", "CN")
    assert check.required is False, check


def test_0a981_needs_a_license_to_canada_unlike_0a982() -> None:
    assert ccl.license_required("0A981", "CA").required is True
    assert ccl.license_required("0A982", "CA").required is False
    assert ccl.license_required("0E982", "CA").required is False
    for code in _codes():
        assert ccl.license_required("0A981", code).required is True, code


@pytest.mark.parametrize("eccn", X018)
def test_x018_entries_have_no_table_and_say_so(eccn: str) -> None:
    entry = ccl.lookup(eccn)
    assert entry is not None
    assert entry.license_rows == ()
    assert entry.reasons_for_control == ()
    check = ccl.license_required(eccn, "DE")
    assert check.required is None
    note = entry.note or ""
    assert "no items" in note.lower() or "no software" in note.lower()


@pytest.mark.parametrize("eccn", X018[1:])
def test_x018_notes_point_to_entries_that_exist(eccn: str) -> None:
    """The six checked entries name where their items went; each named ECCN is carried."""
    entry = ccl.lookup(eccn)
    assert entry is not None and entry.note
    named = set(re.findall(r"\b\d[A-E]\d{3}\b", entry.note)) - {eccn}
    assert named, entry.note
    assert named <= set(ccl.all_eccns()), named - set(ccl.all_eccns())


# ------------------------------------------------------------------ against ../shared/data/ear


def _parse(shared_data: Path) -> dict[str, dict[str, Any]]:
    path = shared_data / "ear" / "seelpeed-export-controls-agent-mcp_2026-07-23" / "ccl.json"
    if not path.is_file():
        pytest.skip("../shared/data/ear/.../ccl.json is not available")
    entries = json.loads(path.read_text(encoding="utf-8"))["entries"]
    return {e["eccn"]: e for e in entries}


@pytest.mark.shared
def test_shared_1c395_text_has_prose_cw_and_at_rows_and_a_cb_reason(shared_data: Path) -> None:
    raw = _parse(shared_data)["1C395"]
    assert raw["countryChart"] == []  # no column row survives in the parse either
    assert {r.strip() for r in raw["reasonForControl"].split(",")} == {"CB", "CW", "AT"}
    texts = " ".join(i["text"] for i in raw.get("items", []) if i.get("paragraph") is None)
    assert "States not Party to the CWC" in texts
    assert "Country Group E:1" in texts


@pytest.mark.shared
def test_shared_0a981_is_cc_without_a_column_row(shared_data: Path) -> None:
    raw = _parse(shared_data)["0A981"]
    assert raw["reasonForControl"] == "CC"
    assert raw["countryChart"] == []
    entry = ccl.lookup("0A981")
    assert entry is not None and set(entry.reasons_for_control) == {"CC"}


@pytest.mark.shared
@pytest.mark.parametrize("eccn", X018)
def test_shared_x018_have_no_reason_and_no_table(shared_data: Path, eccn: str) -> None:
    raw = _parse(shared_data)[eccn]
    assert not raw.get("reasonForControl")
    assert raw["countryChart"] == []
