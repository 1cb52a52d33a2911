"""Initials in payment text (issue 16, section 5a): ``N Maduro``, ``Putin V`` meet a listed
person whose given name has that initial, at review at most, however many middle names the
listed name carries and next to name particles (bin, al)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from compliance.screening.normalize import normalize_name
from compliance.screening.tunables import TUNABLES

from .scoring import TH, name_score


def _texts(name: str) -> list[str]:
    return [t.text for t in normalize_name(name).tokens]


def test_y_first_or_last_is_an_initial_not_and() -> None:
    assert _texts("Y Krasheninnikov") == ["y", "krasheninnikov"]
    assert _texts("Kuan Y") == ["kuan", "y"]
    assert "y" not in _texts("Ingenieria y Servicios Industriales")  # Spanish "and"
    assert _texts("Y") == []  # a lone "y" stays a stopword


def test_an_initial_meets_a_listed_name_with_middle_names() -> None:
    for query, listed in [
        ("M Mangal", "Mohammad Jan Khan Mangal"),
        ("S Hadavi", "Sayyed Mohammad Mehdi Hadavi"),
        ("Biryukov Y", "Yevgeniy L Biryukov"),
        ("Y Krasheninnikov", "Yuri A. Krasheninnikov"),
    ]:
        score = name_score(query, listed)
        assert TH.review <= score <= TUNABLES.thin_cap, (query, listed, score)


def test_an_initial_meets_a_name_with_particles() -> None:
    for query, listed in [
        ("Khalid M", "Muhamad Fazil bin Khalid"),
        ("al-Mounjad A", "Ammar al-Mounjad"),
        ("M Mazleh", "Mohd Zamri bin Mazleh"),
    ]:
        score = name_score(query, listed)
        assert TH.review <= score <= TUNABLES.thin_cap, (query, listed, score)


def test_an_initial_of_another_letter_stays_below_review() -> None:
    assert name_score("Z Mangal", "Mohammad Jan Khan Mangal") < TH.review
    assert name_score("Z Khalid", "Muhamad Fazil bin Khalid") < TH.review


_NAME = st.text(alphabet="bcdfghjklmnprstvz", min_size=4, max_size=9)


@given(st.lists(_NAME, min_size=2, max_size=5, unique=True))
def test_an_initial_is_review_at_most_however_many_middle_names(words: list[str]) -> None:
    listed = " ".join(w.title() for w in words)
    query = f"{words[0][0].upper()} {words[-1].title()}"
    assert name_score(query, listed) <= TUNABLES.thin_cap
