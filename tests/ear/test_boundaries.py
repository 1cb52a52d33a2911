"""Threshold and destination boundaries of 15 CFR 734.4, checked at the exact edge."""

from __future__ import annotations

import pytest
from ear_case_factory import build, line

from compliance.ear.de_minimis import Verdict, evaluate_de_minimis
from compliance.ear.fdp.base import Outcome

# 3A001.a.7 needs a license to every destination below (NS2 on the Country Chart, or part 746).
CONTROLLED = "3A001.a.7"


def verdict(destination: str, value: str) -> Verdict:
    case = build({"destination": destination, "bom": [line(value, CONTROLLED)]})
    return evaluate_de_minimis(case, Outcome.NOT_MET).verdict


@pytest.mark.parametrize("destination", ["KP", "CU", "IR", "SY"])
def test_e1_e2_edge_is_exactly_10_percent(destination: str) -> None:
    # Supp. No. 2 to part 734: at the level is not subject; 734.4(c): 10 % for E:1/E:2
    assert verdict(destination, "100.00") is Verdict.NOT_SUBJECT
    assert verdict(destination, "100.01") is Verdict.SUBJECT


@pytest.mark.parametrize("destination", ["CN", "Hong Kong", "MO", "RU", "VE"])
def test_other_destinations_edge_is_exactly_25_percent(destination: str) -> None:
    # Macau is D:1/D:3/D:4, not E:1/E:2 and not D:5: 25 % like China (734.4(d))
    assert verdict(destination, "250.00") is Verdict.NOT_SUBJECT
    assert verdict(destination, "250.01") is Verdict.SUBJECT
    assert verdict(destination, "100.01") is Verdict.NOT_SUBJECT


@pytest.mark.parametrize(
    ("destination", "a6i", "a8"),
    [
        ("MO", Outcome.NOT_MET, Outcome.MET),  # Macau: named in (a)(8), not in D:5
        ("CN", Outcome.MET, Outcome.MET),
        ("HK", Outcome.MET, Outcome.MET),  # Hong Kong is China (85 FR 83765)
        ("TW", Outcome.NOT_MET, Outcome.NOT_MET),
    ],
)
def test_macau_d5_and_hong_kong(destination: str, a6i: Outcome, a8: Outcome) -> None:
    from compliance.ear.de_minimis import zero_categories
    from compliance.ear.reference.countries import normalize_destination

    mil = build({"item.eccn": "9A610.a", "bom": [line("1", "9A610.x")]})
    sme = build({"item.eccn": "3B001.c", "bom": [line("1", "3A991.a", is_integrated_circuit=True)]})
    dest = normalize_destination(destination)
    got_a6i = {z.paragraph: z.outcome for z in zero_categories(mil, dest)}["734.4(a)(6)(i)"]
    got_a8 = {z.paragraph: z.outcome for z in zero_categories(sme, dest)}["734.4(a)(8)"]
    assert (got_a6i, got_a8) == (a6i, a8)
