"""Issue 10, section 4, "the whole Commerce Control List": every ECCN of Categories 0-9 is known
to the engine with its Reasons for Control, so "NS-controlled", "AT-only" and the Country Chart
answer work for any item.

* Every ECCN of the third-party parse of the 2026-07-23 eCFR (../shared/data/ear, 633 entries
  plus the 3 its errata restore) has an entry here, with the parse's Reasons for Control (the
  differences allowed in test_ref_vs_thirdparty aside), and the NS answer of 734.9(b) follows
  the Reasons for Control: an ECCN without NS is never NS-controlled.
* Every AT-only ECCN (AT its only Reason for Control: the x9x entries such as 7A994 and 9A991)
  is decided not NS-controlled, and a case about it is outside 15 CFR 734.9(b) even with
  U.S.-origin NS technology under a written assurance and a D:1 destination, the facts that
  bring an NS item (3A001) inside.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from ear_case_factory import build

from compliance.ear.determination import evaluate
from compliance.ear.eccn import parse_eccn
from compliance.ear.fdp.base import Outcome, RuleOutcome
from compliance.ear.fdp.national_security import ns_status
from compliance.ear.reference import ccl

sys.path.insert(0, str(Path(__file__).parent))
from test_ref_vs_thirdparty import CCL_DIFFERENCES, _reasons

AT_ONLY = sorted(
    e for e in ccl.all_eccns() if (entry := ccl.lookup(e)) and entry.reasons_for_control == ("AT",)
)
# Every entry with Reasons for Control but no NS among them (AT-only, AT and UN like 9A991, CC,
# CB, RS ...): none of them is NS-controlled.
NOT_NS = sorted(
    e
    for e in ccl.all_eccns()
    if (entry := ccl.lookup(e))
    and entry.reasons_for_control
    and "NS" not in entry.reasons_for_control
)


def _rule_b(eccn: str) -> RuleOutcome:
    case = build(
        {
            "item.eccn": eccn,
            "destination": "CN",
            "parties.0.country": "CN",
            "production.technology_and_software": [
                {"eccn": "3E001", "us_origin": True, "written_assurance": "given"}
            ],
        }
    )
    (rule,) = [r for r in evaluate(case).fdp if r.rule_id == "734.9(b)"]
    return rule.outcome


def test_at_only_entries_span_the_categories() -> None:
    assert {"7A994", "1C998", "2B991", "3A991", "4A994", "6A992", "8D992", "9A992"} <= set(AT_ONLY)
    assert {e[0] for e in AT_ONLY} == set("0123456789")
    assert {"9A991", "5A992"} <= set(NOT_NS)  # AT and UN; RS and AT


def test_an_ns_item_is_inside_734_9_b_with_the_same_facts() -> None:
    """The control: the case below does reach 734.9(b) when the item is NS-controlled."""
    assert ns_status(parse_eccn("3A001")) is Outcome.MET
    assert _rule_b("3A001.a.1.a") is RuleOutcome.APPLIES


@pytest.mark.parametrize("eccn", NOT_NS)
def test_every_eccn_without_ns_is_outside_734_9_b(eccn: str) -> None:
    assert ns_status(parse_eccn(eccn)) is Outcome.NOT_MET
    assert _rule_b(eccn) is RuleOutcome.DOES_NOT_APPLY


def test_no_eccn_without_ns_is_ns_controlled() -> None:
    wrong = [
        e
        for e in ccl.all_eccns()
        if (entry := ccl.lookup(e))
        and "NS" not in entry.reasons_for_control
        and ns_status(parse_eccn(e)) is not Outcome.NOT_MET
    ]
    assert not wrong


def test_every_entry_without_reasons_says_why() -> None:
    silent = [
        e
        for e in ccl.all_eccns()
        if (entry := ccl.lookup(e)) and not entry.reasons_for_control and not entry.note
    ]
    assert not silent


# ------------------------------------------------------------------ against ../shared/data/ear


def _parse(shared_data: Path) -> dict[str, dict[str, Any]]:
    ear = shared_data / "ear"
    path = ear / "seelpeed-export-controls-agent-mcp_2026-07-23" / "ccl.json"
    errata = ear / "derived" / "ccl_errata_2026-07-23.json"
    if not (path.is_file() and errata.is_file()):
        pytest.skip("../shared/data/ear (ccl.json and its errata) is not available")
    out = {e["eccn"]: e for e in json.loads(path.read_text(encoding="utf-8"))["entries"]}
    out |= json.loads(errata.read_text(encoding="utf-8"))["entries"]
    return out


@pytest.mark.shared
def test_every_eccn_of_the_ccl_is_known_with_its_reasons(shared_data: Path) -> None:
    parse = _parse(shared_data)
    assert len(parse) == 636
    missing = sorted(set(parse) - set(ccl.all_eccns()))
    assert not missing
    differ = {}
    for eccn, raw in parse.items():
        theirs = _reasons(raw.get("reasonForControl") or "")
        entry = ccl.lookup(eccn)
        assert entry is not None
        ours = set(entry.reasons_for_control)
        if theirs and ours != theirs and (eccn, "reasons") not in CCL_DIFFERENCES:
            differ[eccn] = (sorted(ours), sorted(theirs))
        if not ours:
            assert entry.note, eccn
    assert not differ


@pytest.mark.shared
def test_the_parse_at_only_eccns_are_ours(shared_data: Path) -> None:
    parse = _parse(shared_data)
    theirs = {
        e for e, raw in parse.items() if _reasons(raw.get("reasonForControl") or "") == {"AT"}
    }
    assert len(theirs) >= 60
    assert theirs <= set(AT_ONLY), sorted(theirs - set(AT_ONLY))


@pytest.mark.shared
def test_ns_in_the_parse_is_ns_here(shared_data: Path) -> None:
    parse = _parse(shared_data)
    disagree = []
    for eccn, raw in parse.items():
        theirs = _reasons(raw.get("reasonForControl") or "")
        if not theirs:
            continue
        answer = ns_status(parse_eccn(eccn))
        if ("NS" in theirs) != (answer is not Outcome.NOT_MET):
            disagree.append((eccn, sorted(theirs), answer.value))
    assert not disagree
