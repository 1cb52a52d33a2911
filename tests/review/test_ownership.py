from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compliance.review.ownership import (
    AffiliatesSetting,
    FindingStatus,
    ListedOwner,
    OwnershipEdge,
    OwnershipError,
    OwnershipFinding,
    OwnershipGraph,
    OwnershipReport,
    OwnershipSettings,
    Regime,
    aggregates,
    listed_owners,
    read_ownership_csv,
    screen_ownership,
)
from compliance.screening.results import Party, Status

from .helpers import hit, result

IN_FORCE_DAY = date(2025, 10, 15)
SUSPENDED_DAY = date(2026, 3, 1)
AFTER = date(2026, 11, 29)


def e(owner: str, owned: str, percent: str | None) -> OwnershipEdge:
    return OwnershipEdge(
        owner=owner, owned=owned, percent=Decimal(percent) if percent is not None else None
    )


def sdn(node: str) -> ListedOwner:
    return ListedOwner(
        node=node, regime=Regime.OFAC, list="SDN", entry_id=f"sdn-{node}", listed_name=node
    )


def el(node: str, policy: str | None = None) -> ListedOwner:
    return ListedOwner(
        node=node,
        regime=Regime.BIS,
        list="EL",
        entry_id=f"el-{node}",
        listed_name=node,
        license_requirement="For all items subject to the EAR",
        license_policy=policy,
    )


def run(
    edges: list[OwnershipEdge],
    listed: list[ListedOwner],
    on: date = IN_FORCE_DAY,
    after: AffiliatesSetting = AffiliatesSetting.IN_FORCE,
) -> tuple[OwnershipReport, dict[str, OwnershipFinding]]:
    report = screen_ownership(
        OwnershipGraph.from_edges(edges),
        listed,
        OwnershipSettings(on=on, affiliates_after_suspension=after),
    )
    return report, {f.node: f for f in report.findings}


def test_ofac_faq_401_example_1_chain_through_a_blocked_entity() -> None:
    _, f = run([e("X", "A", "50"), e("A", "B", "50")], [sdn("X")])
    assert f["A"].status is FindingStatus.FLAGGED
    assert f["B"].status is FindingStatus.FLAGGED  # although 50% x 50% = 25%
    ofac = f["B"].regimes[0]
    assert ofac.regime is Regime.OFAC and ofac.aggregate == Decimal(50)
    assert ofac.holdings[0].path == ("X", "A", "B")


def test_ofac_faq_401_example_2_aggregate_through_two_blocked_entities() -> None:
    edges = [e("X", "A", "50"), e("X", "B", "50"), e("A", "C", "25"), e("B", "C", "25")]
    _, f = run(edges, [sdn("X")])
    assert f["C"].status is FindingStatus.FLAGGED
    assert f["C"].regimes[0].aggregate == Decimal(50)


def test_ofac_faq_401_example_3_direct_plus_indirect() -> None:
    edges = [e("X", "A", "50"), e("X", "B", "10"), e("A", "B", "40")]
    _, f = run(edges, [sdn("X")])
    assert f["B"].status is FindingStatus.FLAGGED
    assert {h.owner for h in f["B"].regimes[0].holdings} == {"A", "X"}


def test_holdings_through_an_unblocked_entity_do_not_count() -> None:
    # OFAC FAQ 401: an entity under 50% blocked ownership passes nothing on.
    _, f = run([e("X", "A", "25"), e("A", "C", "100")], [sdn("X")])
    assert f["A"].status is FindingStatus.CLEAR and f["C"].status is FindingStatus.CLEAR
    assert f["C"].regimes[0].aggregate == Decimal(0)


def test_several_listed_owners_aggregate() -> None:
    _, f = run([e("X", "T", "30"), e("Y", "T", "20.5")], [sdn("X"), sdn("Y")])
    assert f["T"].status is FindingStatus.FLAGGED
    assert f["T"].regimes[0].aggregate == Decimal("50.5")


def test_just_below_fifty_is_clear() -> None:
    _, f = run([e("X", "T", "49.99")], [sdn("X")])
    assert f["T"].status is FindingStatus.CLEAR


def test_unknown_share_is_a_red_flag_never_clear() -> None:
    _, f = run([e("X", "T", None), e("T", "U", "60")], [sdn("X")])
    assert f["T"].status is FindingStatus.UNRESOLVED
    assert f["T"].regimes[0].holdings[0].percent is None
    assert "share unknown" in f["T"].regimes[0].explanation
    assert f["U"].status is FindingStatus.UNRESOLVED  # its owner may be blocked
    assert (
        "Red Flag 29" in f["T"].regimes[1].citation or "Red Flag 29" in f["T"].regimes[0].citation
    )


def test_cycles_terminate_and_keep_paths_acyclic() -> None:
    edges = [
        e("X", "A", "60"),
        e("A", "B", "60"),
        e("B", "A", "40"),
        e("B", "C", "50"),
        e("C", "B", "10"),
    ]
    _, f = run(edges, [sdn("X")])
    assert f["C"].status is FindingStatus.FLAGGED
    assert f["C"].regimes[0].holdings[0].path == ("X", "A", "B", "C")
    assert f["A"].regimes[0].aggregate == Decimal(100)  # X 60 + B 40, both blocked


def test_unlisted_cycle_is_clear() -> None:
    _, f = run([e("A", "B", "60"), e("B", "A", "60")], [sdn("X")])
    assert f["A"].status is FindingStatus.CLEAR and f["B"].status is FindingStatus.CLEAR


def test_long_chain() -> None:
    names = [f"N{i}" for i in range(200)]
    edges = [e(a, b, "51") for a, b in itertools.pairwise(names)]
    _, f = run(edges, [sdn("N0")])
    assert f["N199"].status is FindingStatus.FLAGGED
    assert len(f["N199"].regimes[0].holdings[0].path) == 200


def test_affiliates_rule_by_date_and_setting() -> None:
    edges = [e("H", "S", "50")]
    report, f = run(edges, [el("H")], on=IN_FORCE_DAY)
    assert f["S"].status is FindingStatus.FLAGGED and "in force on 2025-10-15" in (
        report.affiliates_rule
    )
    report, f = run(edges, [el("H")], on=SUSPENDED_DAY)
    assert f["S"].status is FindingStatus.CLEAR
    bis = f["S"].regimes[1]
    assert not bis.applied and bis.status is FindingStatus.FLAGGED  # shown, not applied
    assert "suspended" in report.affiliates_rule and "90 FR 50857" in report.affiliates_rule
    assert f["H"].status is FindingStatus.LISTED  # the listing itself is never suspended
    report, f = run(edges, [el("H")], on=AFTER)
    assert f["S"].status is FindingStatus.FLAGGED
    assert report.warnings and "unconfirmed" in report.warnings[0]
    report, f = run(edges, [el("H")], on=AFTER, after=AffiliatesSetting.SUSPENDED)
    assert f["S"].status is FindingStatus.CLEAR and "'suspended'" in report.affiliates_rule
    report, _ = run(edges, [el("H")], on=date(2025, 9, 28))
    assert "not yet in force" in report.affiliates_rule and not report.warnings


def test_strictest_requirement_of_the_owners() -> None:
    edges = [e("H1", "S", "30"), e("H2", "S", "30")]
    _, f = run(edges, [el("H1", "Case-by-case review"), el("H2", "Presumption of denial")])
    assert f["S"].strictest is not None and f["S"].strictest.owner == "H2"
    _, f = run(edges, [el("H1", "Presumption of denial"), sdn("H2")])
    # BIS: 30% only -> not flagged; OFAC: 30% -> not flagged
    assert f["S"].status is FindingStatus.CLEAR and f["S"].strictest is None
    _, f = run([e("H1", "S", "50"), e("H2", "S", "50")], [el("H1", "Policy of denial"), sdn("H2")])
    assert f["S"].strictest is not None and f["S"].strictest.regime is Regime.OFAC


def test_bad_api_edges_are_refused() -> None:
    with pytest.raises(OwnershipError, match="cannot own itself"):
        OwnershipGraph.from_edges([e("A", "A", "10")])
    with pytest.raises(OwnershipError, match="duplicates"):
        OwnershipGraph.from_edges([e("A", "B", "10"), e("A", "B", "20")])
    with pytest.raises(ValueError):
        e("A", "B", "101")
    with pytest.raises(ValueError):
        e("A", "B", "0")


def test_csv_reader_reports_bad_rows_and_keeps_good_ones(tmp_path: Path) -> None:
    path = tmp_path / "own.csv"
    path.write_text(
        "owner,owned,percent\n"
        "X,A,50\n"
        "X,B,\n"
        "Y,C,fifty\n"
        ",D,10\n"
        "Z,E,150\n"
        "X,A,20\n"
        "A,A,5\n"
        "A,C,30 %\n"
        "Q,C,80\n",
        encoding="utf-8",
    )
    graph = read_ownership_csv(path)
    assert [(x.owner, x.owned, x.percent) for x in graph.edges] == [
        ("X", "A", Decimal(50)),
        ("X", "B", None),
        ("A", "C", Decimal(30)),
        ("Q", "C", Decimal(80)),
    ]
    found = [(i.row, i.field) for i in graph.issues]
    assert found == [
        (4, "percent"),
        (5, "owner"),
        (6, "percent"),
        (7, "owned"),
        (8, "owned"),
        (None, "percent"),
    ]
    assert "row 2" in graph.issues[3].reason  # the duplicate names the row it repeats
    assert "110" in graph.issues[-1].reason  # C is 110% owned: reported, kept


def test_csv_without_required_columns(tmp_path: Path) -> None:
    path = tmp_path / "own.csv"
    path.write_text("owner,owned\nX,A\n", encoding="utf-8")
    with pytest.raises(OwnershipError, match="percent"):
        read_ownership_csv(path)


def test_listed_owners_from_screening_results() -> None:
    results = {
        "X": result(Party(name="X"), hit("SDN", "s1")),
        "H": result(Party(name="H"), hit("EL", "e1"), hit("DPL", "d1")),
        "R": result(Party(name="R"), hit("MEU", "m1", status=Status.REVIEW)),
        "C": result(Party(name="C")),
    }
    owners, warnings = listed_owners(results)
    assert [(o.node, o.regime, o.list) for o in owners] == [
        ("H", Regime.BIS, "EL"),
        ("X", Regime.OFAC, "SDN"),
    ]
    assert len(warnings) == 1 and "'R'" in warnings[0]


# -- invariants ----------------------------------------------------------------------------

NODES = [f"n{i}" for i in range(6)]
percent = st.one_of(
    st.none(), st.decimals(min_value=Decimal("0.01"), max_value=Decimal(100), places=2)
)
edge_lists = st.lists(
    st.tuples(st.sampled_from(NODES), st.sampled_from(NODES), percent).filter(
        lambda t: t[0] != t[1]
    ),
    max_size=14,
    unique_by=lambda t: (t[0], t[1]),
)
roots = st.sets(st.sampled_from(NODES), max_size=3)


def _edges(items: list[tuple[str, str, Decimal | None]]) -> list[OwnershipEdge]:
    return [OwnershipEdge(owner=a, owned=b, percent=p) for a, b, p in items]


@settings(max_examples=200)
@given(edge_lists, roots, st.randoms())
def test_aggregation_is_order_independent(items, listed, rnd) -> None:  # type: ignore[no-untyped-def]
    shuffled = list(items)
    rnd.shuffle(shuffled)
    owners = [sdn(n) for n in sorted(listed)]
    rnd.shuffle(owners)
    a = screen_ownership(
        OwnershipGraph.from_edges(_edges(items)),
        [sdn(n) for n in sorted(listed)],
        OwnershipSettings(on=IN_FORCE_DAY),
    )
    b = screen_ownership(
        OwnershipGraph.from_edges(_edges(shuffled)), owners, OwnershipSettings(on=IN_FORCE_DAY)
    )
    assert a.model_dump_json() == b.model_dump_json()


@settings(max_examples=200)
@given(
    edge_lists,
    roots,
    st.sampled_from(NODES),
    st.sampled_from(NODES),
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal(100), places=2),
)
def test_adding_an_edge_never_lowers_an_aggregate(items, listed, a, b, p) -> None:  # type: ignore[no-untyped-def]
    if a == b or any((x, y) == (a, b) for x, y, _ in items):
        return
    before_levels, before = aggregates(_edges(items), listed)
    after_levels, after = aggregates(
        [*_edges(items), OwnershipEdge(owner=a, owned=b, percent=p)], listed
    )
    assert set(before_levels) <= set(after_levels)
    for node, value in before.items():
        assert after.get(node, Decimal(0)) >= value


_RANK = {
    FindingStatus.CLEAR: 0,
    FindingStatus.UNRESOLVED: 1,
    FindingStatus.FLAGGED: 2,
    FindingStatus.LISTED: 3,
}


@settings(max_examples=200)
@given(edge_lists, roots, st.sampled_from(NODES), st.sampled_from(NODES), percent)
def test_adding_an_edge_never_lowers_a_status(items, listed, a, b, p) -> None:  # type: ignore[no-untyped-def]
    if a == b or any((x, y) == (a, b) for x, y, _ in items):
        return
    owners = [sdn(n) for n in sorted(listed)]
    day = OwnershipSettings(on=IN_FORCE_DAY)
    before = screen_ownership(OwnershipGraph.from_edges(_edges(items)), owners, day)
    grown = [*_edges(items), OwnershipEdge(owner=a, owned=b, percent=p)]
    after = {f.node: f for f in screen_ownership(OwnershipGraph.from_edges(grown), owners, day)
             .findings}  # fmt: skip
    for f in before.findings:
        assert _RANK[after[f.node].status] >= _RANK[f.status]


def test_flagged_takes_the_strictest_confirmed_owner_not_a_possible_one() -> None:
    edges = [e("H1", "S", "60"), e("H2", "U", None), e("U", "S", "40")]
    _, f = run(edges, [el("H1", "Case-by-case"), el("H2", "Policy of denial")])
    assert f["S"].status is FindingStatus.FLAGGED
    assert f["S"].strictest is not None and f["S"].strictest.owner == "H1"
    assert f["U"].status is FindingStatus.UNRESOLVED
    assert f["U"].strictest is not None and f["U"].strictest.owner == "H2"


def test_listed_owners_respects_review_decisions(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from compliance.review.decisions import DecisionStore, decide
    from compliance.review.suppression import apply_decisions

    t0 = datetime(2026, 11, 29, tzinfo=UTC)
    x, y = Party(name="X"), Party(name="Y")
    fp, weak = hit("SDN", "s1"), hit("EL", "e9", status=Status.REVIEW)
    store = DecisionStore(tmp_path / "r.sqlite")
    store.record(decide(x, fp, "false_positive", reviewer="a", reason="r", time=t0))
    store.record(decide(y, weak, "true_match", reviewer="a", reason="r", time=t0))
    reviewed = {
        "X": apply_decisions(result(x, fp), store, now=t0),
        "Y": apply_decisions(result(y, weak), store, now=t0),
    }
    owners, warnings = listed_owners(reviewed)
    assert [(o.node, o.list) for o in owners] == [("Y", "EL")]  # X's hit was a false positive
    assert warnings == ()
