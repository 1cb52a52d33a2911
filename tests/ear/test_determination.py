"""The engine: route order, tri-state verdict, screening, determinism."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ear_case_factory import build, line
from hypothesis import given, settings
from hypothesis import strategies as st

from compliance.ear.determination import Determination, Subject, evaluate, to_json
from compliance.ear.fdp import ALL_RULES
from compliance.ear.fdp.base import RuleOutcome
from compliance.screening.results import (
    Evidence,
    Hit,
    Party,
    ScreeningResult,
    SnapshotRef,
    Status,
    Thresholds,
)
from compliance.watchlists.entry import Footnote

HUAWEI_FACTS: dict[str, Any] = {
    "destination": "CN",
    "production.plant_direct_product_of": ["3E001"],
    "parties.0.name": "Example Huawei affiliate",
    "parties.0.country": "CN",
    "parties.0.headquarters_country": "CN",
    "parties.0.ultimate_parent_headquarters_country": "CN",
}


def rule(determination: Determination, rule_id: str) -> RuleOutcome:
    return next(r.outcome for r in determination.fdp if r.rule_id == rule_id)


def listed(*footnotes: int) -> dict[str, Any]:
    return {"listed": True, "footnotes": list(footnotes)}


def test_fully_known_foreign_item_is_not_subject() -> None:
    d = evaluate(build())
    assert d.subject is Subject.NO
    assert d.deciding_facts == ()
    assert d.license_findings == ()


def test_us_origin_and_us_located_items_are_subject_first() -> None:
    made = evaluate(build({"item.country_of_manufacture": "US"}))
    assert made.subject is Subject.YES and made.jurisdiction.citation == "15 CFR 734.3(a)(2)"
    here = evaluate(build({"item.exported_from": "US"}))
    assert here.jurisdiction.citation == "15 CFR 734.3(a)(1)"


def test_every_fdp_rule_is_reported_even_when_already_subject() -> None:
    d = evaluate(build({"item.country_of_manufacture": "US"}))
    assert [r.rule_id for r in d.fdp] == [r.rule_id for r in ALL_RULES]


def test_fdp_captures_an_item_with_zero_us_content() -> None:
    d = evaluate(build({**HUAWEI_FACTS, "parties.0.entity_list": listed(1, 2)}))
    assert d.de_minimis.numerator == 0
    assert d.subject is Subject.YES
    assert rule(d, "734.9(e)(1)") is RuleOutcome.APPLIES
    assert any("744.11(a)(2)(i)" in c for f in d.license_findings for c in f.citations)


def test_ear99_item_outside_ns_rule_but_inside_footnote_1_rule() -> None:
    d = evaluate(
        build(
            {
                **HUAWEI_FACTS,
                "production.technology_and_software": [{"eccn": "3E001", "us_origin": True}],
                "parties.0.entity_list": listed(1),
            }
        )
    )
    assert rule(d, "734.9(b)") is RuleOutcome.DOES_NOT_APPLY
    assert rule(d, "734.9(e)(1)") is RuleOutcome.APPLIES


def test_footnote_1_vs_4() -> None:
    one = evaluate(build({**HUAWEI_FACTS, "parties.0.entity_list": listed(1)}))
    four = evaluate(build({**HUAWEI_FACTS, "parties.0.entity_list": listed(4)}))
    assert rule(one, "734.9(e)(1)") is RuleOutcome.APPLIES
    assert rule(one, "734.9(e)(2)") is RuleOutcome.DOES_NOT_APPLY
    assert rule(four, "734.9(e)(2)") is RuleOutcome.APPLIES
    assert rule(four, "734.9(e)(1)") is RuleOutcome.DOES_NOT_APPLY


def test_footnote_5_reaches_only_its_3b_items() -> None:
    ear99 = evaluate(build({**HUAWEI_FACTS, "parties.0.entity_list": listed(5)}))
    assert rule(ear99, "734.9(e)(3)") is RuleOutcome.DOES_NOT_APPLY
    tool = evaluate(
        build({**HUAWEI_FACTS, "item.eccn": "3B993.b", "parties.0.entity_list": listed(5)})
    )
    assert rule(tool, "734.9(e)(3)") is RuleOutcome.APPLIES
    assert tool.subject is Subject.YES


def test_footnote_5_party_makes_a_9_decisive_in_de_minimis() -> None:
    changes = {
        "item.eccn": "3B993.b",
        "item.price": "1000000",
        "bom": [line("10", "3A001.a.7", is_integrated_circuit=True)],
        "parties.0.entity_list": listed(5),
    }
    d = evaluate(build(changes))
    a9 = next(z for z in d.de_minimis.zero_categories if z.paragraph == "734.4(a)(9)")
    assert a9.outcome.value == "met"
    assert d.de_minimis.verdict.value == "subject"


def test_unknown_facts_give_indeterminate_naming_them() -> None:
    unknown = {"bom": None, "production.technology_and_software": None}
    d = evaluate(build({**unknown, "item.eccn": "3A001.a.7", "destination": "CN"}))
    assert d.subject is Subject.INDETERMINATE
    assert rule(d, "734.9(b)") is RuleOutcome.INDETERMINATE
    assert "bom" in d.deciding_facts
    assert "production.technology_and_software" in d.deciding_facts


def test_unknown_production_does_not_matter_where_no_rule_could_reach() -> None:
    d = evaluate(build({"production.technology_and_software": None}))
    assert d.subject is Subject.NO


def test_party_without_status_or_screener_is_not_silently_clear() -> None:
    d = evaluate(build({**HUAWEI_FACTS, "parties.0.entity_list": None}))
    assert d.subject is Subject.INDETERMINATE
    assert not d.parties[0].settled
    assert rule(d, "734.9(e)(1)") is RuleOutcome.INDETERMINATE


def test_affiliates_rule_in_force_makes_unknown_ownership_open() -> None:
    suspended = evaluate(build({**HUAWEI_FACTS, "parties.0.affiliate_of_listed": None}))
    assert suspended.subject is Subject.NO  # 2026-06-01: suspended (90 FR 50857)
    in_force = evaluate(
        build(
            {
                **HUAWEI_FACTS,
                "parties.0.affiliate_of_listed": None,
                "export_date": "2026-11-20",
            }
        )
    )
    assert in_force.subject is Subject.INDETERMINATE
    owned = evaluate(
        build(
            {
                **HUAWEI_FACTS,
                "parties.0.affiliate_of_listed": True,
                "parties.0.affiliate_footnotes": [1],
                "export_date": "2025-10-01",
            }
        )
    )
    assert rule(owned, "734.9(e)(1)") is RuleOutcome.APPLIES


class FakeScreener:
    """Stands in for compliance.screening.screener.Screener: one canned Entity List hit."""

    def __init__(self, status: Status, footnotes: tuple[int, ...]) -> None:
        self.status = status
        self.footnotes = footnotes
        self.seen: list[Party] = []

    def screen(self, party: Party) -> ScreeningResult:
        self.seen.append(party)
        hit = Hit(
            list="EL",
            list_name="Entity List",
            entry_id="el-1",
            listed_name="Huawei Technologies Co., Ltd.",
            matched_name="Huawei Technologies Co., Ltd.",
            matched_alias=False,
            query_name=party.name,
            score=0.97 if self.status is Status.ALERT else 0.85,
            status=self.status,
            evidence=Evidence(name_score=0.97),
            license_requirement="For all items subject to the EAR",
            license_policy="Presumption of denial",
            footnotes=tuple(
                Footnote(number=n, meaning="test", citation="15 CFR 744.11") for n in self.footnotes
            ),
            entry_hash="0",
            snapshot_id="s",
        )
        return ScreeningResult(
            party=party,
            name=party.name,
            status=self.status,
            hits=(hit,),
            thresholds=Thresholds(),
            snapshots=(
                SnapshotRef(snapshot_id="s", source="test", label="t", published=None, files=()),
            ),
            library_version="test",
        )


def test_screening_alert_supplies_footnotes() -> None:
    screener = FakeScreener(Status.ALERT, (1,))
    d = evaluate(build({**HUAWEI_FACTS, "parties.0.entity_list": None}), screener=screener)
    assert screener.seen[0].name == "Example Huawei affiliate"
    assert d.parties[0].footnotes == (1,) and d.parties[0].settled
    assert d.subject is Subject.YES
    entity = [f for f in d.license_findings if f.source == "Entity List"]
    assert entity and entity[0].review_policy == "Presumption of denial"


def test_review_level_match_makes_dependent_rules_indeterminate() -> None:
    screener = FakeScreener(Status.REVIEW, (1,))
    d = evaluate(build({**HUAWEI_FACTS, "parties.0.entity_list": None}), screener=screener)
    assert not d.parties[0].settled
    assert rule(d, "734.9(e)(1)") is RuleOutcome.INDETERMINATE
    assert d.subject is Subject.INDETERMINATE


def test_given_status_is_not_overridden_by_screening() -> None:
    screener = FakeScreener(Status.ALERT, (1,))
    d = evaluate(build(HUAWEI_FACTS), screener=screener)
    assert screener.seen == []
    assert d.subject is Subject.NO


def test_same_case_same_bytes() -> None:
    case = build({**HUAWEI_FACTS, "parties.0.entity_list": listed(1, 2)})
    first, second = to_json(evaluate(case)), to_json(evaluate(case.model_copy()))
    assert first == second
    assert first.index('"case_id"') < first.index('"subject"')  # sorted keys


def test_determination_names_its_ruleset_and_data_dates() -> None:
    d = evaluate(build())
    assert set(d.data_dates) == {"ccl", "country_chart", "country_groups", "countries"}
    assert any("90 FR 47201" in note for note in d.settings_notes)
    assert d.library_version


def test_hong_kong_is_china_and_says_why() -> None:
    d = evaluate(build({"destination": "Hong Kong"}))
    assert d.destination == "CN"
    assert d.destination_note is not None and "83765" in d.destination_note


amounts = st.decimals(min_value=0, max_value=10**5, places=2, allow_nan=False, allow_infinity=False)


@settings(max_examples=30, deadline=None)
@given(
    existing=st.lists(amounts, max_size=4),
    extra=amounts,
    destination=st.sampled_from(["DE", "CN", "KP", "MO"]),
    known_production=st.booleans(),
)
def test_adding_controlled_us_content_never_turns_subject_into_not_subject(
    existing: list[Decimal], extra: Decimal, destination: str, known_production: bool
) -> None:
    def counted(value: Decimal) -> dict[str, Any]:
        return line(str(value), "3A001.a.7", license_override={"counts": True, "reason": "NS"})

    base: dict[str, Any] = {
        "destination": destination,
        "item.eccn": "3A001.a.7",
        "production.technology_and_software": [] if known_production else None,
    }
    before = evaluate(build({**base, "bom": [counted(v) for v in existing]}))
    after = evaluate(build({**base, "bom": [*(counted(v) for v in existing), counted(extra)]}))
    if before.subject is Subject.YES:
        assert after.subject is Subject.YES
    if after.subject is Subject.NO:
        assert before.subject is Subject.NO


def test_real_screener_on_the_bundled_excerpt_finds_footnote_1() -> None:
    from compliance.screening.screener import Screener
    from compliance.watchlists.bundled import bundled_excerpt

    screener = Screener((bundled_excerpt(),))
    facts = {
        **HUAWEI_FACTS,
        "parties.0.name": "Huawei Technologies Co., Ltd.",
        "parties.0.entity_list": None,
    }
    d = evaluate(build(facts), screener=screener)
    assert 1 in d.parties[0].footnotes and d.parties[0].settled
    assert rule(d, "734.9(e)(1)") is RuleOutcome.APPLIES
    assert d.subject is Subject.YES


def test_review_hit_adding_a_footnote_unsettles_even_with_an_alert() -> None:
    class Two(FakeScreener):
        def screen(self, party: Party) -> ScreeningResult:
            alert = FakeScreener(Status.ALERT, (1,)).screen(party)
            review = FakeScreener(Status.REVIEW, (4,)).screen(party)
            return alert.model_copy(update={"hits": (*alert.hits, *review.hits)})

    d = evaluate(
        build({**HUAWEI_FACTS, "parties.0.entity_list": None}),
        screener=Two(Status.ALERT, ()),
    )
    assert not d.parties[0].settled
    assert rule(d, "734.9(e)(1)") is RuleOutcome.APPLIES
    assert rule(d, "734.9(e)(2)") is RuleOutcome.INDETERMINATE


def test_screening_error_leaves_the_party_unsettled() -> None:
    class Broken(FakeScreener):
        def screen(self, party: Party) -> ScreeningResult:
            ok = FakeScreener(Status.ALERT, ()).screen(party)
            return ok.model_copy(update={"status": Status.ERROR, "hits": (), "error": "boom"})

    d = evaluate(
        build({**HUAWEI_FACTS, "parties.0.entity_list": None}), screener=Broken(Status.ERROR, ())
    )
    assert not d.parties[0].settled and "screening failed: boom" in d.parties[0].notes
    assert d.subject is Subject.INDETERMINATE
