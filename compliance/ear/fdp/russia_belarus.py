"""15 CFR 734.9(f): the Russia/Belarus FDP rule.

Reads from the case: the item's own ECCN (``item.eccn``: any CCL ECCN, or an EAR99 item
identified by HTS code in the part 746 supplements, ``item.listed_in_part746_supplements``),
the U.S.-origin technology/software in any product group D or E ECCN that produced it
(``production.technology_and_software``; Categories 3-9 before 2022-04-08, the whole CCL
since, ear-reference.md correction 8) or the plant's U.S.-origin inputs
(``production.plant_direct_product_of``), the destination (``destination``: Russia or
Belarus, and the Crimea region of Ukraine from 2023-05-19) and onward destinations
(``knowledge.onward_destinations``, ``knowledge.onward_item_eccns``), the export date, and
the country exported from (``item.exported_from``) for the Supp. No. 3 to part 746 note.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from compliance.ear.case import Case, known_country
from compliance.ear.fdp.base import EvalContext, FdpResult, Outcome
from compliance.ear.fdp.prongs import (
    Prong,
    both,
    d_or_e,
    destination,
    ear99_identified,
    either,
    export_date_of,
    fixed,
    item_eccn,
    item_unknown,
    made_from,
    onward_non_ear99,
    onward_to,
    rule_result,
)
from compliance.ear.reference.countries import normalize_destination

# Dated destination scope: Russia from 2022-02-24 (87 FR 12226), Belarus from 2022-03-02
# (87 FR 13048), the temporarily occupied Crimea region of Ukraine from 2023-05-19
# (88 FR 33422, whose summary names Crimea only). Sevastopol is read as part of Crimea.
# The other covered regions of 15 CFR 746.6 (so-called DNR and LNR) are not named in that
# summary: whether (f) reaches them is unverified, so they are left unknown, never cleared.
DESTINATION_FROM: dict[str, date] = {
    "RU": date(2022, 2, 24),
    "BY": date(2022, 3, 2),
    "UA-43": date(2023, 5, 19),
    "UA-40": date(2023, 5, 19),
}
UNVERIFIED_REGIONS: tuple[str, ...] = ("UA-14", "UA-09")
DESTINATION_CITES: dict[str, str] = {
    "RU": "87 FR 12226",
    "BY": "87 FR 13048",
    "UA-43": "88 FR 33422",
    "UA-40": "88 FR 33422",
}
# Part 746 supplements read for an EAR99 item [third-party transcription names Supps. 6 and
# 7; the 2023 rule added Supp. 7 (88 FR 12150)]: any HTS supplement is read as in scope.
SUPPLEMENTS: tuple[int, ...] = (2, 4, 6, 7)

# 87 FR 12226 (2022-02-24; Belarus 87 FR 13048, 2022-03-02): inputs in Categories 3-9;
# 87 FR 21554 (2022-04-08 per five summaries, ear-reference.md correction 8): whole CCL.
WHOLE_CCL_FROM = date(2022, 4, 8)
CATEGORIES_BEFORE: tuple[int, ...] = (3, 4, 5, 6, 7, 8, 9)

# Supp. No. 3 to part 746 partner countries as of the 2022 rules [unverified list, see
# docs/ear-fdp.md]: their exports are excluded from the 746.8(a)(2) license requirement,
# not from the 734.9(f) scope.
PARTNER_COUNTRIES: tuple[str, ...] = (
    "AT", "AU", "BE", "BG", "CA", "CH", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR",
    "GB", "GR", "HR", "HU", "IE", "IS", "IT", "JP", "KR", "LI", "LT", "LU", "LV", "MT",
    "NL", "NO", "NZ", "PL", "PT", "RO", "SE", "SI", "SK", "TW",
)  # fmt: skip


def input_categories(on: date) -> tuple[int, ...] | None:
    """Categories whose D/E ECCNs are inputs on ``on``; None = the whole CCL."""
    return None if on >= WHOLE_CCL_FROM else CATEGORIES_BEFORE


def _item(case: Case) -> Prong:
    if case.item.eccn is None:
        return item_unknown("on the CCL or in a part 746 supplement")
    eccn = item_eccn(case)
    if not eccn.is_ear99:
        return fixed(Outcome.MET, f"item ECCN {eccn.text} is on the CCL", ("item.eccn",))
    return ear99_identified(
        case, SUPPLEMENTS, asked="the part 746 supplements", found="a part 746 supplement"
    )


def in_scope(country: str, on: date) -> Outcome:
    """Whether ``country`` is a 734.9(f) destination on ``on`` (unknown: DNR/LNR regions)."""
    start = DESTINATION_FROM.get(country)
    if start is not None:
        return Outcome.MET if on >= start else Outcome.NOT_MET
    if country in UNVERIFIED_REGIONS and on >= DESTINATION_FROM["UA-43"]:
        return Outcome.UNKNOWN
    return Outcome.NOT_MET


def _destined(case: Case, on: date) -> Prong:
    dest = destination(case)
    outcome = in_scope(dest, on)
    if outcome is Outcome.MET:
        return fixed(
            outcome,
            f"destination {dest} is in the 734.9(f) scope since "
            f"{DESTINATION_FROM[dest].isoformat()} ({DESTINATION_CITES[dest]})",
            ("destination",),
        )
    if outcome is Outcome.UNKNOWN:
        return Prong(
            outcome,
            (
                f"destination {dest} is a covered region of Ukraine (15 CFR 746.6); whether "
                "734.9(f) reaches it is unverified (88 FR 33422 names Crimea)",
            ),
            ("destination",),
            ("destination (734.9(f) reach to the DNR/LNR regions, unverified)",),
        )
    if dest in DESTINATION_FROM:
        return fixed(
            outcome,
            f"export date {on.isoformat()} is before 734.9(f) reached {dest} "
            f"({DESTINATION_FROM[dest].isoformat()}, {DESTINATION_CITES[dest]})",
            ("destination", "export_date"),
        )
    return fixed(
        outcome,
        f"destination {dest} is not Russia, Belarus or the Crimea region of Ukraine",
        ("destination",),
    )


def _onward(case: Case, on: date) -> Prong:
    onward = case.knowledge.onward_destinations
    codes = {normalize_destination(c) for c in onward or ()}
    outcomes = {in_scope(c, on) for c in codes}
    if onward is not None and Outcome.MET not in outcomes and Outcome.UNKNOWN in outcomes:
        return Prong(
            Outcome.UNKNOWN,
            ("an onward destination is a DNR/LNR region: 734.9(f) reach unverified",),
            ("knowledge.onward_destinations",),
            ("knowledge.onward_destinations",),
        )
    return both(
        onward_to(
            case,
            lambda c: in_scope(c, on) is Outcome.MET,
            "Russia, Belarus or Crimea",
            ("russia_belarus",),
        ),
        onward_non_ear99(case, "734.9(f)(2)"),
    )


def partner_note(case: Case, rule: str, qualifier: str = "") -> tuple[str, ...]:
    """Supp. No. 3 to part 746: a license-requirement carve-out, reported, never a scope."""
    origin = known_country(case.item.exported_from)
    if origin is not None and origin in PARTNER_COUNTRIES:
        return (
            f"note: exported from {origin}, a Supp. No. 3 to 15 CFR part 746 partner country: "
            f"the 15 CFR 746.8 license requirement excludes such exports even if {rule} "
            f"applies{qualifier} (list unverified, see docs/ear-fdp.md)",
        )
    return ()


@dataclass(frozen=True)
class RussiaBelarusRule:
    """15 CFR 734.9(f): 87 FR 12226 (2022-02-24), Belarus by 87 FR 13048 (2022-03-02)."""

    rule_id: str = "734.9(f)"
    title: str = "Russia/Belarus FDP rule"
    citation: str = "15 CFR 734.9(f)"
    license_citations: tuple[str, ...] = ("15 CFR 746.8(a)(2)",)

    def evaluate(self, case: Case, ctx: EvalContext) -> FdpResult:
        on = export_date_of(ctx, case)
        cats = input_categories(on)
        scope = "any product group D/E ECCN" if cats is None else "a D/E ECCN in Categories 3-9"
        test = d_or_e(cats)

        product = both(
            _item(case),
            made_from(case, test, scope, us_origin=True),
        )
        dest = either(_destined(case, on), _onward(case, on))
        return rule_result(self, product, dest, notes=partner_note(case, "(f)"))


RULE = RussiaBelarusRule()
