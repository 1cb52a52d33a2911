"""15 CFR 734.9(e): the Entity List FDP rules for footnotes 1, 4 and 5.

Reads from the case: the technology/software that produced the item
(``production.technology_and_software``; subject to the EAR suffices, U.S.-origin is not
needed for the direct-product prong), the ECCNs of U.S.-origin technology/software of which
the producing plant is a direct product (``production.plant_direct_product_of``), for (e)(3)
also the ICs inside (``production.ic_plant_direct_product_of``) and the item's own ECCN;
and for the end-user scope the Entity List footnotes of the parties (resolved by the engine
into ``EvalContext.parties_footnotes``, or read from ``parties[].entity_list``) and
``knowledge.listed_entity_production``. A review-level (inconclusive) screening keeps the
party prong unknown, so these rules become indeterminate, never "does not apply".
"""

from __future__ import annotations

from dataclasses import dataclass

from compliance.ear.case import Case
from compliance.ear.fdp.base import EvalContext, FdpResult, Outcome
from compliance.ear.fdp.prongs import (
    Prong,
    both,
    destination,
    direct_product,
    either,
    fixed,
    ic_plant_product,
    in_list,
    item_in,
    listed_party,
    listed_production,
    macau_or_d5,
    made_from,
    plant_product,
    rule_result,
)
from compliance.ear.reference.countries import normalize_destination

# 85 FR 51596 (2020-08-17), carried into 734.9(e)(1) by 87 FR 6022 (2022-02-03): the
# footnote 1 input technology/software ECCNs (Kelley Drye and others, ear-reference.md S8).
FN1_INPUTS_2020: tuple[str, ...] = (
    "3D001", "3D991", "3E001", "3E002", "3E003", "3E991",
    "4D001", "4D993", "4D994", "4E001", "4E992", "4E993",
    "5D001", "5D991", "5E001", "5E991",
)  # fmt: skip

# Added in 2024 (89 FR 72926, 2024-09-06, 3D901/3E901; 89 FR 96790, 2024-12-02,
# 3D992-3D994/3E992-3E994). Third-party transcription of the eCFR of 2026-07-23 only
# (ear-reference.md correction 12): kept as dated data, verify against the eCFR.
INPUTS_ADDED_2024: tuple[str, ...] = (
    "3D901", "3D992", "3D993", "3D994", "3E901", "3E992", "3E993", "3E994",
)  # fmt: skip

FN1_INPUTS: tuple[str, ...] = FN1_INPUTS_2020 + INPUTS_ADDED_2024
"""734.9(e)(1)(i)-(ii) inputs as of eCFR 2026-07-23 [third-party transcription]."""

# 734.9(e)(2) (87 FR 62186, 2022-10-13): the footnote 1 list plus 5D002/5E002 per the
# same third-party transcription (no source supports "any D/E ECCN in Categories 3-5").
FN4_INPUTS: tuple[str, ...] = (*FN1_INPUTS, "5D002", "5E002")

# 734.9(e)(3) (89 FR 96790, 2024-12-02), third-party transcription of eCFR 2026-07-23.
# Direct product of technology/software subject to the EAR (3D001/3E001 "for 3B
# commodities", 3D901/3E901 for 3B903, 3D991/3E991 for 3B991/3B992; the item scope below is
# Category 3B, so technology that produced it is read as technology "for" it).
FN5_DIRECT_INPUTS: tuple[str, ...] = (
    "3D001", "3D901", "3D991", "3D993", "3D994", "3E001", "3E901", "3E991", "3E993", "3E994",
)  # fmt: skip
# Plant / IC-plant route inputs (U.S.-origin), shared with the SME rule 734.9(k).
FN5_PLANT_INPUTS: tuple[str, ...] = (
    "3D001", "3D901", "3D991", "3D992", "3D993", "3D994",
    "3E001", "3E901", "3E991", "3E992", "3E993", "3E994",
)  # fmt: skip
# Item scope of 734.9(e)(3)(i): Category 3B commodities, less the SME-rule subset.
FN5_ITEMS: tuple[str, ...] = (
    "3B001", "3B002", "3B903", "3B991", "3B992", "3B993", "3B994",
)  # fmt: skip
FN5_ITEM_EXCLUSIONS: tuple[str, ...] = (
    "3B001.a.4", "3B001.c", "3B001.d", "3B001.f.1", "3B001.f.5", "3B001.f.6", "3B001.g",
    "3B001.h", "3B001.k", "3B001.l", "3B001.m", "3B001.n", "3B001.p.2", "3B001.p.4",
    "3B001.r", "3B002.c", "3B991.b.2.a", "3B991.b.2.b",
)  # fmt: skip


# 734.9(e)(1)-(3) are themselves subparagraphs: their scopes sit in (i) and (ii).
_ROMAN = ("(i)", "(ii)")


def _any_item() -> Prong:
    """734.9(e)(1)(i)/(e)(2)(i) reach "any foreign-produced item"."""
    return fixed(
        Outcome.MET,
        "any foreign-produced item, EAR99 included: the rule has no item restriction",
        (),
    )


def _standard_product(case: Case, inputs: tuple[str, ...], label: str) -> Prong:
    """Product scope of (e)(1)/(e)(2): direct product of, or made by a plant that is a
    direct product of, technology/software in ``inputs``."""
    return both(_any_item(), made_from(case, in_list(inputs), f"the {label} list", us_origin=False))


def _end_user(case: Case, ctx: EvalContext, footnote: int) -> Prong:
    """End-user scope of 734.9(e): a footnote-N entity is a party, or will make/buy items
    made with the foreign item."""
    return either(listed_production(case, footnote, ctx), listed_party(ctx, case, footnote))


@dataclass(frozen=True)
class EntityListInputsRule:
    """734.9(e)(1) and (e)(2): any item made from listed inputs, for a footnote-N entity.

    The two paragraphs differ only in the footnote and the input list, so one rule class
    serves both (``FOOTNOTE_1``, ``FOOTNOTE_4``).
    """

    rule_id: str
    title: str
    footnote: int
    inputs: tuple[str, ...]
    license_citations: tuple[str, ...]

    @property
    def citation(self) -> str:
        return f"15 CFR {self.rule_id}"

    def evaluate(self, case: Case, ctx: EvalContext) -> FdpResult:
        return rule_result(
            self,
            _standard_product(case, self.inputs, self.rule_id),
            _end_user(case, ctx, self.footnote),
            subparagraphs=_ROMAN,
        )


def _advanced_node_facility(case: Case) -> Prong:
    """Third-party reading of 734.9(e)(3)(ii): the item is for an entity at a facility in
    Macau or D:5 where 'advanced-node' logic or DRAM ICs are produced.

    Read from ``knowledge.for_advanced_node_facility`` and ``advanced_node_facility_country``
    (default: the destination). While the facility flag is not given, the older reading is
    kept: ``knowledge.advanced_node_ic_production`` together with the destination."""
    flag = case.knowledge.for_advanced_node_facility
    if flag is not None:
        path = "knowledge.for_advanced_node_facility"
        if not flag:
            return fixed(Outcome.NOT_MET, "not for an advanced-node IC facility", (path,))
        where = case.knowledge.advanced_node_facility_country
        place = normalize_destination(where) if where is not None else destination(case)
        used = (path, "knowledge.advanced_node_facility_country", "destination")
        hit = macau_or_d5(place)
        return fixed(
            Outcome.MET if hit else Outcome.NOT_MET,
            f"for an advanced-node IC facility in {place}"
            + (" (Macau or D:5)" if hit else ", neither Macau nor D:5"),
            used,
        )
    path = "knowledge.advanced_node_ic_production"
    value = case.knowledge.advanced_node_ic_production
    dest = destination(case)
    if not macau_or_d5(dest):
        return fixed(
            Outcome.NOT_MET,
            f"destination {dest} is neither Macau nor D:5, so no advanced-node facility there",
            ("destination",),
        )
    if value is None:
        return Prong(
            Outcome.UNKNOWN,
            (f"not known whether the item is for advanced-node IC production in {dest} ({path})",),
            (path, "destination", "knowledge.for_advanced_node_facility"),
            (path, "knowledge.for_advanced_node_facility"),
        )
    return fixed(
        Outcome.MET if value else Outcome.NOT_MET,
        f"advanced-node IC production in {dest} (Macau or D:5): {'known' if value else 'no'}",
        (path, "destination"),
    )


@dataclass(frozen=True)
class EntityListFootnote5Rule:
    """Footnote 5 entities and advanced-node IC production (89 FR 96790)."""

    rule_id: str = "734.9(e)(3)"
    title: str = "Entity List FDP rule: footnote 5 (advanced-node IC production)"
    citation: str = "15 CFR 734.9(e)(3)"
    license_citations: tuple[str, ...] = ("15 CFR 744.11(a)(2)(v)",)

    def evaluate(self, case: Case, ctx: EvalContext) -> FdpResult:
        item = item_in(
            case,
            in_list(FN5_ITEMS),
            "a Category 3B commodity in 734.9(e)(3) (3B001/3B002 less the 734.9(k) subset, "
            "3B903, 3B991 less b.2.a-b.2.b, 3B992-3B994)",
            exclude=in_list(FN5_ITEM_EXCLUSIONS),
        )
        plant = in_list(FN5_PLANT_INPUTS)
        product = both(
            item,
            either(
                direct_product(
                    case, in_list(FN5_DIRECT_INPUTS), "in the 734.9(e)(3) list", us_origin=False
                ),
                plant_product(case, plant, "technology/software in the 734.9(e)(3) list"),
                ic_plant_product(case, plant, "technology/software in the 734.9(e)(3) list"),
            ),
        )
        end_user = either(_end_user(case, ctx, 5), _advanced_node_facility(case))
        return rule_result(self, product, end_user, subparagraphs=_ROMAN)


FOOTNOTE_1 = EntityListInputsRule(
    # Huawei and listed affiliates (85 FR 29849; 85 FR 51596).
    rule_id="734.9(e)(1)",
    title="Entity List FDP rule: footnote 1",
    footnote=1,
    inputs=FN1_INPUTS,
    license_citations=("15 CFR 744.11(a)(2)(i)",),
)
FOOTNOTE_4 = EntityListInputsRule(
    # Advanced-computing / supercomputer entities (87 FR 62186).
    rule_id="734.9(e)(2)",
    title="Entity List FDP rule: footnote 4",
    footnote=4,
    inputs=FN4_INPUTS,
    license_citations=("15 CFR 744.11(a)(2)(ii)",),
)
FOOTNOTE_5 = EntityListFootnote5Rule()
