"""One hit per listed entity (issue 16, section 7): overlapping sources, chosen lists,
per-list thresholds, the strongest N hits."""

from __future__ import annotations

import pytest

from compliance.errors import InvalidInputError
from compliance.io.results_out import render
from compliance.screening.results import (
    ListThresholds,
    Party,
    Status,
    Thresholds,
    entry_reference,
)
from compliance.screening.screener import Screener
from tests.screening.listdata import entry, snapshot


def _csl_and_ofac() -> Screener:
    csl = snapshot(
        entry("SDN:100", "Kolmogorov Photonics JSC", source="SDN", countries=("RU",)),
        entry("EL:7", "Kolmogorov Photonics JSC", source="EL", countries=("RU",)),
        entry("EL:8", "Kolmogorov Optics", source="EL", countries=("RU",)),
    )
    ofac = snapshot(
        entry("SDN:100", "KOLMOGOROV PHOTONICS JSC", source="SDN", countries=("RU",)),
        source="ofac",
    )
    return Screener([csl, ofac])


def test_an_entity_in_several_sources_is_one_hit_naming_every_listing() -> None:
    result = _csl_and_ofac().screen(Party(name="Kolmogorov Photonics JSC"))
    photonics = [h for h in result.hits if "Photonics" in h.listed_name.title()]
    assert len(photonics) == 1
    listed = sorted((x.list, x.entry_id) for x in photonics[0].listings)
    assert listed == [("EL", "EL:7"), ("SDN", "SDN:100"), ("SDN", "SDN:100")]
    assert len({x.snapshot_id for x in photonics[0].listings}) == 2
    own = photonics[0].listings[0]
    assert (own.list, own.entry_id, own.snapshot_id) == (
        photonics[0].list,
        photonics[0].entry_id,
        photonics[0].snapshot_id,
    )
    assert all(len(x.entry_hash) == 64 for x in photonics[0].listings)


def test_two_entries_of_one_list_in_one_snapshot_stay_apart() -> None:
    snap = snapshot(
        entry("EL:1", "Zeta Optics", source="EL", countries=("CN",)),
        entry("EL:2", "Zeta Optics", source="EL", countries=("CN",)),
    )
    result = Screener([snap]).screen(Party(name="Zeta Optics"))
    assert [h.entry_id for h in result.hits] == ["EL:1", "EL:2"]
    assert all(h.listings == () for h in result.hits)


def test_same_name_in_different_countries_is_not_merged() -> None:
    snap = snapshot(
        entry("EL:1", "Zeta Optics", source="EL", countries=("CN",)),
        entry("SDN:2", "Zeta Optics", source="SDN", countries=("IR",)),
    )
    result = Screener([snap]).screen(Party(name="Zeta Optics"))
    assert len(result.hits) == 2


def test_entry_reference_never_repeats_the_list_code() -> None:
    assert entry_reference("EL", "EL:123") == "EL:123"
    assert entry_reference("EL", "f09614f6") == "EL:f09614f6"
    result = _csl_and_ofac().screen(Party(name="Kolmogorov Optics"))
    table = render([result], "table", ("id", "name"))
    assert "EL:EL:" not in table and "EL:8" in table


def test_chosen_lists_only() -> None:
    csl = snapshot(
        entry("SDN:100", "Kolmogorov Photonics JSC", source="SDN", countries=("RU",)),
        entry("EL:8", "Kolmogorov Optics", source="EL", countries=("RU",)),
    )
    only_el = Screener([csl], lists=["el"])
    assert only_el.lists == ("EL",)
    assert only_el.screen(Party(name="Kolmogorov Photonics JSC")).status is Status.CLEAR
    found = only_el.screen(Party(name="Kolmogorov Optics"))
    assert found.status is Status.ALERT and found.lists_screened == ("EL",)
    with pytest.raises(InvalidInputError, match="DPL"):
        Screener([csl], lists=["DPL"])


def test_per_list_thresholds() -> None:
    csl = snapshot(
        entry("SDN:100", "Kolmogorov Photonics", source="SDN"),
        entry("EL:8", "Kolmogorov Optics", source="EL", countries=("RU",)),
    )
    query = Party(name="Kolmogorov Photonics")
    default = Screener([csl]).screen(query)
    assert default.status is Status.ALERT
    stricter = Thresholds(by_list={"SDN": ListThresholds(review=0.8, alert=0.999)})
    assert Screener([csl], thresholds=stricter).screen(query).status is Status.REVIEW
    lax = Thresholds(by_list={"SDN": ListThresholds(review=0.99, alert=0.995)})
    assert Screener([csl], thresholds=lax).screen(query).status is Status.CLEAR
    # the other list keeps the defaults
    el = Screener([csl], thresholds=lax).screen(Party(name="Kolmogorov Optics"))
    assert el.status is Status.ALERT and el.hits[0].list == "EL"


def test_lower_list_review_threshold_is_not_pruned_away() -> None:
    csl = snapshot(
        entry("SDN:100", "Kolmogorov Photonics Laboratory Gamma Delta", source="SDN"),
        entry("x", "Other Name Here"),
    )
    query = Party(name="Kolmogorov")  # name score about 0.6
    assert Screener([csl]).screen(query).status is Status.CLEAR
    low = Thresholds(by_list={"SDN": ListThresholds(review=0.5, alert=0.95)})
    assert Screener([csl], thresholds=low).screen(query).status is Status.REVIEW


def test_max_hits_keeps_the_strongest_and_counts_the_rest() -> None:
    snap = snapshot(
        *(entry(f"EL:{i}", "Zeta Optics", source="EL", countries=("CN",)) for i in range(5))
    )
    full = Screener([snap]).screen(Party(name="Zeta Optics"))
    capped = Screener([snap], max_hits=2).screen(Party(name="Zeta Optics"))
    assert capped.hits == full.hits[:2]
    assert capped.hits_omitted == 3 and capped.status is full.status
    with pytest.raises(InvalidInputError):
        Screener([snap], max_hits=0)
