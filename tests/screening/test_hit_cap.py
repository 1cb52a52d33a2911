"""``Screener.screen(party, max_hits=N)``: only the strongest N hits are built, and they are
byte for byte the first N of the full result, the rest counted, the status unchanged."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compliance.errors import InvalidInputError
from compliance.screening.results import ListThresholds, Party, ScreeningResult, Thresholds
from compliance.screening.screener import Screener
from compliance.watchlists.entry import ListEntry
from compliance.watchlists.snapshot import ListSnapshot

from .listdata import entry, snapshot

WORDS = ("Zeta", "Optics", "Photonics", "Kolmogorov", "Systems", "Zetta", "Optic")
SOURCES = ("EL", "SDN", "MEU")
COUNTRIES = ((), ("CN",), ("RU",))


def _truncated(full: ScreeningResult, cap: int) -> ScreeningResult:
    """What a result capped at ``cap`` hits must be: the first ``cap`` of the full one."""
    if len(full.hits) <= cap:
        return full
    return full.model_copy(update={"hits": full.hits[:cap], "hits_omitted": len(full.hits) - cap})


def _assert_cap_is_truncation(screener: Screener, party: Party) -> ScreeningResult:
    full = screener.screen(party)
    assert full.hits_omitted == 0
    for cap in range(1, len(full.hits) + 2):
        capped = screener.screen(party, max_hits=cap)
        assert capped.model_dump_json() == _truncated(full, cap).model_dump_json()
    return full


def _entries(draw_rows: list[tuple[int, int, int, int, int]]) -> list[ListEntry]:
    return [
        entry(
            f"{SOURCES[src]}:{k}",
            f"{WORDS[a]} {WORDS[b]}",
            source=SOURCES[src],
            countries=COUNTRIES[c],
            weak=(WORDS[b],) if weak else (),
        )
        for k, (a, b, src, c, weak) in enumerate(draw_rows)
    ]


ROW = st.tuples(
    st.integers(0, len(WORDS) - 1),
    st.integers(0, len(WORDS) - 1),
    st.integers(0, len(SOURCES) - 1),
    st.integers(0, len(COUNTRIES) - 1),
    st.integers(0, 1),
)


@settings(max_examples=40, deadline=None)
@given(
    first=st.lists(ROW, min_size=1, max_size=12),
    second=st.lists(ROW, max_size=6),
    query=st.tuples(st.integers(0, len(WORDS) - 1), st.integers(0, len(WORDS) - 1)),
    country=st.sampled_from([None, "CN", "RU"]),
    strict_sdn=st.booleans(),
)
def test_capped_result_is_the_full_result_truncated(
    first: list[tuple[int, int, int, int, int]],
    second: list[tuple[int, int, int, int, int]],
    query: tuple[int, int],
    country: str | None,
    strict_sdn: bool,
) -> None:
    """Many entries of one name on several lists and snapshots (merged into entities or
    not), per-list thresholds that make an entity's weaker score the one that alerts."""
    snapshots: list[ListSnapshot] = [snapshot(*_entries(first))]
    if second:
        snapshots.append(snapshot(*_entries(second), source="ofac"))
    thresholds = Thresholds(
        by_list={"SDN": ListThresholds(review=0.8, alert=0.999)} if strict_sdn else {}
    )
    party = Party(name=f"{WORDS[query[0]]} {WORDS[query[1]]}", country=country)
    for merge in (True, False):
        screener = Screener(snapshots, thresholds, merge_entities=merge)
        _assert_cap_is_truncation(screener, party)


def test_screener_cap_and_call_cap_take_the_lower() -> None:
    snap = snapshot(
        *(entry(f"EL:{i}", "Zeta Optics", source="EL", countries=("CN",)) for i in range(6))
    )
    full = Screener([snap]).screen(Party(name="Zeta Optics"))
    three = Screener([snap], max_hits=3)
    assert three.screen(Party(name="Zeta Optics"), max_hits=5) == _truncated(full, 3)
    assert three.screen(Party(name="Zeta Optics"), max_hits=2) == _truncated(full, 2)
    assert three.screen(Party(name="Zeta Optics")).hits_omitted == 3
    with pytest.raises(InvalidInputError):
        three.screen(Party(name="Zeta Optics"), max_hits=0)


LISTED = (
    "Huawei Technologies Co., Ltd.",
    "Semiconductor Manufacturing International Corporation",
    "Iran Air",
    "Rosoboronexport",
    "Aviation Industry Corporation of China",
)


@pytest.mark.parametrize("name", LISTED)
def test_capped_results_on_the_2026_csl(csl_screener: Screener, name: str) -> None:
    """Listed names with many hits on the real list: every cap gives the full result's
    first hits, byte for byte."""
    full = _assert_cap_is_truncation(csl_screener, Party(name=name))
    assert full.hits  # a check that checks something
