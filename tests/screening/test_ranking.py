"""Ranking regressions found by hand: exact listed names win, implied variants cost nothing."""

from __future__ import annotations

import pytest

from compliance.screening.index import token_keys
from compliance.screening.normalize import normalize_name
from compliance.screening.results import Party, Status
from compliance.screening.screener import Screener
from compliance.screening.variants import name_variants
from compliance.watchlists.bundled import bundled_excerpt
from compliance.watchlists.entry import AliasStrength

from .listdata import entry, snapshot


@pytest.fixture(scope="module")
def excerpt_screener() -> Screener:
    return Screener([bundled_excerpt()])


@pytest.mark.parametrize(
    "query",
    [
        "HUАWEI\u200b TECHNOLOGIES COMPANY LIMITED",  # Cyrillic A, zero-width space
        "Huawei Technologies Co., Ltd.",
    ],
)
def test_parent_name_ranks_above_subsidiaries(excerpt_screener: Screener, query: str) -> None:
    hits = excerpt_screener.screen(Party(name=query)).hits
    assert hits[0].listed_name == "Huawei Technologies Co., Ltd. (Huawei)"
    # the subsidiary carries a distinctive "(UK)" the query lacks: strictly lower
    uk = next(h for h in hits if h.listed_name == "Huawei Technologies (UK) Co., Ltd.")
    assert hits[0].score > uk.score
    assert hits[0].evidence.name_score == 1.0


def test_exact_listed_name_scores_at_the_top(excerpt_screener: Screener) -> None:
    for name in (
        "Huawei Technologies Co., Ltd. (Huawei)",
        "Huawei Technologies (UK) Co., Ltd.",
        "Huawei Technologies India Private Limited",
    ):
        hit = excerpt_screener.screen(Party(name=name)).hits[0]
        assert hit.listed_name == name
        assert hit.evidence.name_score == 1.0
        assert hit.status is Status.ALERT


def test_parenthetical_acronym_is_an_alias(excerpt_screener: Screener) -> None:
    hit = excerpt_screener.screen(Party(name="SMIC")).hits[0]
    assert hit.listed_name == "Semiconductor Manufacturing International Corporation (SMIC)"
    assert hit.matched_name == "SMIC"
    assert hit.matched_alias and hit.alias_strength is AliasStrength.STRONG
    assert hit.status is Status.ALERT


def test_hyphenated_word_meets_joined_word(excerpt_screener: Screener) -> None:
    hit = excerpt_screener.screen(
        Party(name="Beifang Huachuang Micro-Electronics Equipment Co", country="CN")
    ).hits[0]
    assert hit.entry_id == "el-excerpt-039"
    assert hit.status is Status.ALERT


def test_exact_short_alias_alerts() -> None:
    # a two-letter word weighs little, but the whole alias as listed is an exact match
    screener = Screener([snapshot(entry("int-1", "Northwind Trading FZE", "NW Trading"))])
    result = screener.screen(Party(name="NW Trading"))
    assert result.status is Status.ALERT
    assert result.hits[0].evidence.name_score == 1.0
    # one word less than the alias is not exact: still capped below alert
    assert screener.screen(Party(name="NW")).status is not Status.ALERT


def _words(text: str) -> list[str]:
    return [t.text for t in normalize_name(text).tokens]


@pytest.mark.parametrize(
    ("listed", "expected"),
    [
        (
            "Huawei Technologies Co., Ltd. (Huawei)",
            [("Huawei Technologies Co., Ltd.", False), ("Huawei", True)],
        ),
        ("Semiconductor Manufacturing International Corporation (SMIC)", [("SMIC", True)]),
        ("Huawei Technologies (UK) Co., Ltd.", []),  # a place in the middle: kept
        ("Huawei Technologies Co., Ltd. (UK)", []),  # a place in brackets: kept
        (
            "Chengdu Huawei Technologies Co., Ltd., Chengdu, Sichuan",
            [("Chengdu Huawei Technologies Co., Ltd.", False)],
        ),
        ("Acme Widgets Co., Ltd., Acme Street", []),  # not only places after the legal form
        ("Plain Name Trading LLC", []),
    ],
)
def test_name_variants(listed: str, expected: list[tuple[str, bool]]) -> None:
    tokens = normalize_name(listed).tokens
    variants = name_variants(listed, tokens)
    assert [(v.text, v.alias) for v in variants] == expected
    for v in variants:
        assert [t.text for t in v.tokens] == _words(v.text)
        # delta re-screening relies on a variant's keys being a subset of the name's
        assert token_keys(v.tokens) <= token_keys(tokens)


def test_variants_do_not_change_word_weights(excerpt_screener: Screener) -> None:
    excerpt = bundled_excerpt()
    published = sum(1 for e in excerpt.entries for text, _ in e.all_names if _words(text))
    assert excerpt_screener.variant_count > 0
    assert excerpt_screener.name_count == published + excerpt_screener.variant_count
