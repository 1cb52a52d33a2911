"""Our tables against a third-party parse of the same eCFR issue (../shared/data/ear).

Every difference must be in an allow-list below, with the reason (also in
docs/ear-reference-data.md). A new difference fails, and so does an allow-list entry that no
longer differs, so the lists stay true.
"""

from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from compliance.ear.reference import ccl, country_chart, country_groups
from compliance.ear.reference._data import load

pytestmark = pytest.mark.shared

# (group, iso2, "ours"/"theirs") -> reason
GROUP_DIFFERENCES: dict[tuple[str, str, str], str] = {
    ("A:1", "US", "theirs"): "the United States is not an export destination; not carried",
    ("A:2", "US", "theirs"): "the United States is not an export destination; not carried",
    ("A:3", "US", "theirs"): "the United States is not an export destination; not carried",
    ("A:4", "US", "theirs"): "the United States is not an export destination; not carried",
    ("B", "US", "theirs"): "the United States is not an export destination; not carried",
}

# (iso2, "columns"/"footnotes") -> reason
CHART_DIFFERENCES: dict[tuple[str, str], str] = {}

# (eccn, aspect) -> reason; aspects: missing, columns, reasons, prose
CCL_DIFFERENCES: dict[tuple[str, str], str] = {
    ("3A229", "reasons"): "their Reason for Control string includes the 746.8 row text",
    ("3A231", "reasons"): "their Reason for Control string includes the 746.8 row text",
    ("3A232", "reasons"): "their Reason for Control string is mis-parsed (RS, 'foreign policy')",
    ("3A229", "prose"): "746.8 row: reported by license_required as part 746 for RU/BY",
    ("3A231", "prose"): "746.8 row: reported by license_required as part 746 for RU/BY",
    ("3A232", "prose"): "746.8 row: reported by license_required as part 746 for RU/BY",
    ("3D005", "columns"): "their parse repeats the table with NS2/AT1 (merged entry); NS1 kept",
    ("4A001", "reasons"): "NP row 'unless a License Exception is available' (742.3(b)) not carried",
    ("4A001", "prose"): "NP row 'unless a License Exception is available' (742.3(b)) not carried",
    ("5A980", "reasons"): "their RfC adds AT; the entry imposes an all-destinations SL license",
    ("5D980", "reasons"): "their RfC adds AT; the entry imposes an all-destinations SL license",
    ("5E980", "reasons"): "their RfC adds AT; the entry imposes an all-destinations SL license",
    ("5A980", "prose"): "no table in their parse; 15 CFR 738.3(a)(1) licence to all destinations",
    ("5D980", "prose"): "no table in their parse; 15 CFR 738.3(a)(1) licence to all destinations",
    ("5E980", "prose"): "no table in their parse; 15 CFR 738.3(a)(1) licence to all destinations",
    ("5B002", "reasons"): "we carry the EI row (15 CFR 742.15) for 5B002; their RfC omits EI",
    ("5B002", "prose"): "we carry the EI row (15 CFR 742.15) for 5B002; their RfC omits EI",
    # Categories 0-2 and 6-9 (written by hand, compared afterwards; docs/ear-reference-data.md)
    **{
        (e, "prose"): "0Y521 (742.6(a)(8)): all destinations but Canada; their parse has no table"
        for e in ("0A521", "0B521", "0C521", "0D521", "0E521")
    },
    ("0A981", "prose"): "CC prose row to all destinations, Canada included (742.7; the CCL "
    "text, checked 2026-12-08); their parse has no table",
    (
        "0A982",
        "prose",
    ): "CC prose row (all but Canada, as 0E982 says) kept; their parse has no table",
    ("0A983", "prose"): "738.3(a)(1): license to all destinations; their parse has no table",
    **{
        (
            e,
            "prose",
        ): "AT prose row (North Korea, 742.19) as in 0B999/1B999; their parse has no table"
        for e in ("0A999", "1A999", "1D999", "2A999")
    },
    ("1C350", "prose"): "CW (742.18) and AT-to-E:1 prose rows carried; their cell is merged",
    ("1C351", "columns"): "their AT row lost 'AT' ('Column 1.'); ours AT1",
    ("1C351", "prose"): "their AT row lost 'AT' ('Column 1.'); ours AT1",
    (
        "1C355",
        "prose",
    ): "their parse has no table; the CW (742.18) and AT-to-E:1 prose rows carried",
    ("1C395", "prose"): "their parse has no table; the CB and CW (CWC non-States Parties) and "
    "AT-to-E:1 prose rows carried (the CCL text, checked 2026-12-08)",
    ("1D018", "columns"): "their MT row repeats its scope as chart text; ours MT1 (related)",
    ("1D018", "prose"): "their MT row repeats its scope as chart text; ours MT1 (related)",
    **{
        (e, "columns"): "their parse has no table (RfC AT); ours AT1"
        for e in ("2A994", "2D994", "2E994")
    },
    ("6A992", "reasons"): "their RfC lists RS but no RS row; ours AT only (unverified)",
}

# (eccn, "gbs"/"lvs") -> reason
CCL_EXCEPTION_DIFFERENCES: dict[tuple[str, str], str] = {
    ("3A001", "lvs"): "their LVS text lists only N/A paragraphs, no value; ours keeps $1500 "
    "for the rest (unverified, see docs/ear-reference-data.md)",
    ("6A005", "lvs"): "their LVS text names only the NP exclusion; ours keeps $3000 for the rest "
    "(unverified)",
}


def _ear(shared_data: Path) -> Path:
    path = shared_data / "ear"
    if not path.is_dir():
        pytest.skip("../shared/data/ear is not available")
    return path


def _check(found: dict[Any, str], allowed: dict[Any, str]) -> None:
    new = {k: v for k, v in found.items() if k not in allowed}
    stale = sorted(k for k in allowed if k not in found)
    assert not new, f"differences not in the allow-list: {new}"
    assert not stale, f"allow-list entries that no longer differ: {stale}"


def test_country_groups(shared_data: Path) -> None:
    path = _ear(shared_data) / "derived" / "country_groups_2026-07-23.csv"
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    found: dict[tuple[str, str, str], str] = {}
    for group in country_groups.GROUPS:
        theirs = {r["iso2"] for r in rows if r[group].strip()}
        ours = country_groups.members(group)
        found |= {(group, c, "ours"): "" for c in ours - theirs}
        found |= {(group, c, "theirs"): "" for c in theirs - ours}
    _check(found, GROUP_DIFFERENCES)


def test_country_chart(shared_data: Path) -> None:
    path = _ear(shared_data) / "derived" / "country_chart_2026-07-23.csv"
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    data = load("country_chart.yaml")
    found: dict[tuple[str, str], str] = {}
    theirs_embargoed = {r["iso2"] for r in rows if r["embargoed_see_instead"].strip()}
    assert theirs_embargoed == set(data["embargoed"])
    for r in rows:
        code = r["iso2"]
        if code in theirs_embargoed:
            continue
        theirs = {c for c in country_chart.COLUMNS if r[c].strip()}
        ours = set(str(data["rows"].get(code, "<missing>")).split())
        if ours != theirs:
            found[(code, "columns")] = f"ours {sorted(ours)} theirs {sorted(theirs)}"
    for r in rows:
        theirs_fn = [int(n) for n in r["footnotes"].split(";") if n]
        if data["row_footnotes"].get(r["iso2"], []) != theirs_fn:
            found[(r["iso2"], "footnotes")] = f"theirs {theirs_fn}"
    ours_codes = set(data["rows"]) | set(data["embargoed"])
    assert ours_codes == {r["iso2"] for r in rows}
    _check(found, CHART_DIFFERENCES)


def _prose_kind(text: str) -> str:
    t = text.lower()
    rules = (
        ("746.8", "ru_by"),
        ("united arab emirates", "uae_or_d1_d4_d5_not_a5_a6"),
        ("macau", "macau_or_d5"),
        ("china, russia", "cn_ru_ve"),
        ("746.1(b)", "un_arms_embargo"),
        ("for un controls", "un_arms_embargo"),
        ("742.15", "all_but_canada"),
        ("742.14", "all_but_canada"),  # SI: all destinations except Canada (742.14(a))
        ("except canada", "all_but_canada"),
        ("cwc non-states parties", "cwc_non_party"),
        ("footnote 5", "party"),
        ("742.6(a)(11)", "party"),
        ("country groups d:1", "d1_d4_d5_not_a5_a6"),
        ("worldwide", "all"),
        ("all destinations", "all"),
        ("to north korea", "kp"),
        ("iraq or pakistan", "iq_pk"),
        ("to iraq", "iq"),
        ("to pakistan", "pk"),
    )
    return next((kind for needle, kind in rules if needle in t), "other")


def _reasons(raw: str) -> set[str]:
    """Their Reason for Control text as codes: "CC 1" is CC, "MT and AT" and "RS AT" are two
    codes, "Foreign policy" is FP."""
    out: set[str] = set()
    for token in raw.split(","):
        t = re.sub(r"\s*\d+$", "", token.strip().rstrip("."))
        words = t.replace(" and ", " ").split()
        if words and all(re.fullmatch(r"[A-Z]{2}", w) for w in words):
            out |= set(words)
        elif t:
            out.add("FP" if t.lower() == "foreign policy" else t)
    return out


def _theirs_ccl(ear: Path) -> dict[str, dict[str, Any]]:
    path = ear / "derived" / "ccl_license_rows_2026-07-23.csv"
    out: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"columns": set(), "reasons": set(), "prose": set()}
    )
    with path.open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            entry = out[r["eccn"]]
            entry["reasons"] = _reasons(r["reason_for_control_raw"])
            entry["columns"] |= set(r["chart_columns"].replace(";", " ").split())
            if r["row_kind"] == "prose":
                entry["prose"].add(_prose_kind(r["country_chart_text"]))
    return out


def _ours_ccl(eccn: str) -> dict[str, Any]:
    entry = ccl.lookup(eccn)
    assert entry is not None
    rows = entry.license_rows
    return {
        "columns": {c for r in rows for c in r.columns},
        "reasons": set(entry.reasons_for_control),
        "prose": {
            str(r.destinations) if r.destinations else "party"
            for r in rows
            if r.destinations or r.scope is ccl.RowScope.PARTY
        },
    }


def test_ccl_license_rows(shared_data: Path) -> None:
    theirs = _theirs_ccl(_ear(shared_data))
    in_scope = sorted(theirs)
    found: dict[tuple[str, str], str] = {}
    for eccn in in_scope:
        if eccn not in ccl.all_eccns():
            found[(eccn, "missing")] = ""
            continue
        ours = _ours_ccl(eccn)
        for aspect in ("columns", "prose"):
            if ours[aspect] != theirs[eccn][aspect]:
                found[(eccn, aspect)] = f"ours {ours[aspect]} theirs {theirs[eccn][aspect]}"
        if theirs[eccn]["reasons"] and ours["reasons"] != theirs[eccn]["reasons"]:
            found[(eccn, "reasons")] = f"ours {ours['reasons']} theirs {theirs[eccn]['reasons']}"
    extra = set(ccl.all_eccns()) - set(theirs)
    assert not extra, f"ECCNs we carry that their parse does not have: {sorted(extra)}"
    _check(found, CCL_DIFFERENCES)


def test_ccl_gbs_and_lvs(shared_data: Path) -> None:
    path = _ear(shared_data) / "seelpeed-export-controls-agent-mcp_2026-07-23" / "ccl.json"
    entries = json.loads(path.read_text(encoding="utf-8"))["entries"]
    found: dict[tuple[str, str], str] = {}
    for raw in entries:
        entry = ccl.lookup(raw["eccn"]) if raw["eccn"] in ccl.all_eccns() else None
        if entry is None:
            continue
        flags = raw.get("licenceExceptionFlags") or {}
        gbs = (flags.get("GBS") or "").strip().lower()
        partial = ("yes for", "yes, for", "except")
        theirs_gbs = gbs.startswith("yes") and not any(w in gbs for w in partial)
        if theirs_gbs != entry.gbs:
            found[(raw["eccn"], "gbs")] = flags.get("GBS", "")
        lvs = (flags.get("LVS") or "").strip()
        if ("$" in lvs) != ("$" in (entry.lvs or "")):
            found[(raw["eccn"], "lvs")] = lvs
    _check(found, CCL_EXCEPTION_DIFFERENCES)
