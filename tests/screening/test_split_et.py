"""A word split in three whose middle or last piece is "et" (a stopword, French "and") is
still rejoined: ``Muller Ma rk et LLC``, ``Alexander Kuzn et sov`` (spacing_split_three
queries of ``benchmarks/treatments.py`` on Entity List names)."""

from __future__ import annotations

import pytest

from compliance.screening.normalize import normalize_text

from .scoring import TH, name_score


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("Muller Ma rk et LLC", "Muller Market LLC"),
        ("Alexander Kuzn et sov", "Alexander Kuznetsov"),
        ("Se aj et Company Limited", "Seajet Company Limited"),
        ("CRISM Prom et ey", "CRISM Prometey"),
    ],
)
def test_a_word_split_around_et_meets_the_listed_word(query: str, listed: str) -> None:
    assert name_score(query, listed) >= TH.review


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Kuzn et sov", "kuzn etsov"),  # glued to the fragment on the right
        ("Ma rk et", "ma rket"),  # to the left first
        ("Etudes et Fabrications", "etudes fabrications"),  # "et" between words: dropped
        ("DSV Air et Mer", "dsv air etmer"),  # a known word on the left is no fragment
    ],
)
def test_et_is_glued_only_to_a_fragment(name: str, expected: str) -> None:
    assert normalize_text(name) == expected
    assert normalize_text(expected) == expected  # idempotent
