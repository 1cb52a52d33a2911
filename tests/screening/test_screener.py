"""The Screener on hand-built lists: statuses, hit contents, ordering, determinism."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compliance._version import __version__
from compliance.screening.results import Party, PartyType, Status, Thresholds
from compliance.screening.score import TokenWeights
from compliance.screening.screener import Screener
from compliance.watchlists.snapshot import ListSnapshot

from .listdata import entry, snapshot


def top(screener: Screener, name: str, **kw: object) -> tuple[str | None, Status]:
    result = screener.screen(Party(name=name, **kw))  # type: ignore[arg-type]
    return (result.hits[0].entry_id if result.hits else None), result.status


def test_published_failure_cases(hand_screener: Screener) -> None:
    assert top(hand_screener, "BELLETECH CORP") == (None, Status.CLEAR)
    assert top(hand_screener, "EMMA DANIELS") == (None, Status.CLEAR)
    assert top(hand_screener, "A-B-C Company") == (None, Status.CLEAR)
    assert top(hand_screener, "GUANGZHOU HAIGE COMM GRP") == ("el-haige", Status.ALERT)
    assert top(hand_screener, "CNOOC ENERGY TECH & SRVCES LTD") == (
        "cmic-cnooc-ets",
        Status.ALERT,
    )


def test_entity_list_hit_carries_regulatory_fields(hand_screener: Screener) -> None:
    result = hand_screener.screen(Party(name="Huawei Technologies Co Ltd", country="CN"))
    hit = result.hits[0]
    assert hit.list == "EL"
    assert hit.footnotes[0].citation == "15 CFR 734.9(e)(1)"
    assert hit.federal_register_notices == ("84 FR 22961", "85 FR 29852")
    assert hit.evidence.country == "agree"
    assert hit.evidence.aligned
    assert hit.entry_hash
    haige = hand_screener.screen(Party(name="Guangzhou Haige Communications Group")).hits[0]
    assert haige.license_requirement == "For all items subject to the EAR. (See 15 CFR 744.11)"
    assert haige.license_policy == "Presumption of denial"


def test_result_names_snapshots_and_version(
    hand_screener: Screener, hand_snapshot: ListSnapshot
) -> None:
    result = hand_screener.screen(Party(name="nobody in particular"), row=7)
    assert result.status is Status.CLEAR
    assert result.row == 7
    assert result.library_version == __version__
    assert result.snapshots[0].snapshot_id == hand_snapshot.snapshot_id
    assert result.snapshots[0].files == (f"test.csv {'ab' * 32}",)
    assert hand_screener.snapshots == (hand_snapshot,)


def test_alias_hit_says_which_name_matched(hand_screener: Screener) -> None:
    hit = hand_screener.screen(Party(name="Rostekh")).hits[0]
    assert hit.entry_id == "sdn-rostec"
    assert hit.matched_alias is True
    assert hit.matched_name == "Rostekh"
    assert hit.listed_name == "State Corporation Rostec"


def test_weak_alias_alone_reaches_review_at_most(hand_screener: Screener) -> None:
    result = hand_screener.screen(Party(name="Omnivex Kinetics"))
    assert result.status is Status.REVIEW
    assert result.hits[0].alias_strength == "weak"
    assert result.hits[0].score < hand_screener.thresholds.alert


def test_party_aliases_are_screened_and_best_hit_per_entry_kept(hand_screener: Screener) -> None:
    result = hand_screener.screen(
        Party(name="Some Other Name", aliases=("Huawei", "Huawei Technologies Co., Ltd."))
    )
    ids = [h.entry_id for h in result.hits]
    assert ids.count("el-huawei") == 1
    assert result.hits[0].query_name == "Huawei"  # both exact: the first query name wins ties


def test_country_disagreement_never_hides_a_strong_match(hand_screener: Screener) -> None:
    plain = hand_screener.screen(Party(name="Zeta Photonics GmbH"))
    moved = hand_screener.screen(Party(name="Zeta Photonics GmbH", country="FR"))
    assert plain.status is Status.ALERT
    assert moved.status is Status.ALERT
    assert moved.hits[0].evidence.country == "disagree"
    assert moved.hits[0].score <= plain.hits[0].score


def test_company_against_listed_person_is_marked(hand_screener: Screener) -> None:
    hit = hand_screener.screen(Party(name="Ivanov Sergei Petrovich", type=PartyType.INDIVIDUAL))
    assert hit.hits[0].entry_id == "sdn-person"
    assert hit.hits[0].status is Status.ALERT


def test_hits_sorted_by_score_then_list_then_id() -> None:
    snap = snapshot(
        entry("b", "Kolmogorov Photonics", source="SDN", countries=("RU",)),
        entry("a", "Kolmogorov Photonics", source="SDN", countries=("RU",)),
        entry("c", "Kolmogorov Photonics", source="EL", countries=("CN",)),  # not the same
        entry("d", "Kolmogorov Fotonics", source="DPL"),
    )
    result = Screener([snap]).screen(Party(name="Kolmogorov Photonics"))
    assert [(h.list, h.entry_id) for h in result.hits] == [
        ("EL", "c"),
        ("SDN", "a"),
        ("SDN", "b"),
        ("DPL", "d"),
    ]
    assert all(round(h.score, 4) == h.score for h in result.hits)


def test_thresholds_are_configurable(hand_snapshot: ListSnapshot) -> None:
    strict = Screener([hand_snapshot], Thresholds(review=0.999, alert=0.9999))
    assert strict.screen(Party(name="Kolmogorv Trading Company")).status is Status.CLEAR
    assert Screener([hand_snapshot]).screen(Party(name="Kolmogorv Trading Company")).hits


def test_same_input_gives_identical_bytes(hand_snapshot: ListSnapshot) -> None:
    parties = [Party(name=n, country="CN") for n in ("Huawei", "Haige Comm", "Rostec", "x")]
    first = [r.model_dump_json() for r in Screener([hand_snapshot]).screen_many(parties)]
    second = [r.model_dump_json() for r in Screener([hand_snapshot]).screen_many(parties)]
    assert first == second
    json.loads(first[0])


def test_workers_give_identical_output(hand_screener: Screener) -> None:
    parties = [Party(name=f"Huawei Technologies {i}") for i in range(40)] + [
        Party(name="Kolmogorov Trading"),
        Party(name="nobody"),
    ]
    one = [r.model_dump_json() for r in hand_screener.screen_many(parties, workers=1)]
    two = [r.model_dump_json() for r in hand_screener.screen_many(parties, workers=2)]
    assert one == two


def test_spawned_workers_keep_pinned_weights(
    hand_snapshot: ListSnapshot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where fork is unavailable the workers rebuild the index; they must rebuild it with the
    parent's pinned word weights, not weights counted afresh from the snapshots."""
    pinned = TokenWeights({"huawei": 5_000, "technologies": 9_000}, 25_000)
    screener = Screener([hand_snapshot], weights=pinned)
    parties = [Party(name=f"Huawei Technologies {i}") for i in range(6)] + [
        Party(name="Huawei Tech Kolmogorov"),
        Party(name="nobody"),
    ]
    one = [r.model_dump_json() for r in screener.screen_many(parties, workers=1)]
    monkeypatch.setattr(
        "compliance.screening.screener.multiprocessing.get_all_start_methods", lambda: ["spawn"]
    )
    two = [r.model_dump_json() for r in screener.screen_many(parties, workers=2)]
    assert one == two
    assert all(f'"weights_id":"{pinned.weights_id}"' in r for r in two)
    assert pinned.weights_id != Screener([hand_snapshot]).weights.weights_id


def test_weights_round_trip_through_json() -> None:
    weights = TokenWeights({"b": 2, "a": 7}, 41)
    again = TokenWeights.from_json(weights.to_json())
    assert again.to_json() == weights.to_json()
    assert again.weights_id == weights.weights_id
    assert again.document_frequency("a") == 7 and again.documents == 41
    with pytest.raises(ValueError, match="token weights"):
        TokenWeights.from_json('{"documents": "x", "df": {}}')


@pytest.mark.pure_only
def test_a_failing_party_becomes_an_error_result(
    hand_screener: Screener, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(party: Party, cap: int | None) -> tuple[tuple[()], int, bool]:
        if party.name == "bad":
            raise ValueError("broken input")
        return (), 0, False

    monkeypatch.setattr(hand_screener, "_hits", boom)
    results = hand_screener.screen_many([Party(name="good"), Party(name="bad")])
    assert [r.status for r in results] == [Status.CLEAR, Status.ERROR]
    assert results[1].error == "ValueError: broken input"


TREATMENTS = [
    str.upper,
    str.lower,
    lambda s: s.replace(" ", "  "),
    lambda s: s.replace(" ", "-"),
    lambda s: s.replace("a", "а"),  # Cyrillic a
    lambda s: s.replace("o", "\u200bo"),
    lambda s: s.replace("Co., Ltd.", "Company Limited"),
    lambda s: s.replace("Technologies", "TECH"),
    lambda s: " ".join(reversed(s.split())),
    lambda s: s + ",",
    lambda s: "The " + s,
]


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=60)
@given(st.lists(st.sampled_from(TREATMENTS), min_size=1, max_size=3))
def test_treatments_never_change_the_top_hit(hand_screener: Screener, chain: list) -> None:  # type: ignore[type-arg]
    name = "Huawei Technologies Co., Ltd."
    for treat in chain:
        name = treat(name)
    result = hand_screener.screen(Party(name=name))
    assert result.hits and result.hits[0].entry_id == "el-huawei", name
    assert result.status is Status.ALERT


def test_a_name_with_nothing_to_compare_is_an_error_not_clear(hand_screener: Screener) -> None:
    result = hand_screener.screen(Party(name="-- / --"), row=3)
    assert result.status is Status.ERROR
    assert result.row == 3
    assert result.error is not None and result.error.startswith("ValueError: name:")
    assert hand_screener.screen(Party(name="-- / --", aliases=("Huawei",))).hits


def test_results_do_not_depend_on_what_was_screened_before(hand_snapshot: ListSnapshot) -> None:
    # similarities are memoised per screener: the memo must never leak between queries
    # (it once keyed tokens by text alone, so a generic and an ordinary word could collide)
    names = [
        "Huawei Technologies Co Ltd",
        "Optics Institute",
        "Novak Optiks",
        "Institute of Optics Novak",
        "GUANGZHOU HAIGE COMM GRP",
        "Haige Communications",
        "Shanghai Institute of Optics",
        "BELLETECH CORP",
    ]
    forward = Screener([hand_snapshot]).screen_many([Party(name=n) for n in names])
    backward = Screener([hand_snapshot]).screen_many([Party(name=n) for n in reversed(names)])
    assert [r.model_dump_json() for r in forward] == [
        r.model_dump_json() for r in reversed(backward)
    ]
