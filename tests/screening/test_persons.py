"""Persons: date of birth, nationality, place of birth and ID numbers (issue 16, section 6)."""

from __future__ import annotations

from compliance.io.parties import party_from_fields
from compliance.screening.persons import parse_dob
from compliance.screening.results import Party, PartyType, Status
from compliance.screening.screener import Screener
from compliance.watchlists.entry import EntryKind, Identifier
from tests.screening.listdata import entry, snapshot

PERSON = entry(
    "SDN:42",
    "KOLMOGOROV, Andrei Nikolaevich",
    kind=EntryKind.INDIVIDUAL,
    countries=("RU",),
    birth_dates=("1963-04-25",),
    nationalities=("RU",),
    places_of_birth=("Tambov, Russia",),
    identifiers=(Identifier(kind="Passport", number="72 1234567", country="RU"),),
)
SCREENER = Screener([snapshot(PERSON)])
NAME = "Andrei Nikolaevich Kolmogorov"


def _hit(**fields: str) -> tuple[Status, float, tuple[str, ...]]:
    result = SCREENER.screen(Party(name=NAME, type=PartyType.INDIVIDUAL, **fields))
    hit = result.hits[0]
    return result.status, hit.score, hit.evidence.adjustments


def test_name_only_alerts() -> None:
    status, _, _ = _hit()
    assert status is Status.ALERT


def test_agreement_corroborates() -> None:
    _, plain, _ = _hit()
    status, score, notes = _hit(dob="1963", nationality="Russia", place_of_birth="Tambov")
    assert status is Status.ALERT and score > plain
    assert any(n.startswith("date of birth agrees") for n in notes)
    assert any(n.startswith("nationality agrees") for n in notes)
    assert any(n.startswith("place of birth agrees") for n in notes)


def test_different_year_of_birth_lowers_an_alert_to_review() -> None:
    status, _, notes = _hit(dob="1971-04-25")
    assert status is Status.REVIEW
    assert any(n.startswith("date of birth differs, review at most") for n in notes)


def test_same_year_other_day_is_a_contradiction_too() -> None:
    assert _hit(dob="1963-05-02")[0] is Status.REVIEW
    assert _hit(dob="1963-04")[0] is Status.ALERT  # compatible: no day given


def test_different_passport_lowers_an_alert_to_review() -> None:
    status, _, notes = _hit(id_number="99 7654321")
    assert status is Status.REVIEW
    assert any(n.startswith("ID number differs") for n in notes)


def test_same_passport_outweighs_a_date_typo() -> None:
    status, _, notes = _hit(id_number="721234567", dob="1936")
    assert status is Status.ALERT
    assert any(n.startswith("ID number agrees") for n in notes)


def test_other_nationality_is_not_a_contradiction() -> None:
    status, score, notes = _hit(nationality="DE")
    assert status is Status.ALERT and score == _hit()[1]
    assert any(n.startswith("nationality differs") for n in notes)


def test_a_contradiction_never_takes_a_review_below_review() -> None:
    result = SCREENER.screen(Party(name="Andrey Kolmogorov", dob="1990"))
    plain = SCREENER.screen(Party(name="Andrey Kolmogorov"))
    assert plain.status is Status.REVIEW
    assert result.status is Status.REVIEW


def test_parse_dob() -> None:
    assert parse_dob("1963") == (1963, None, None)
    assert parse_dob("1963-04-25") == (1963, 4, 25)
    assert parse_dob("25.04.1963") == (1963, 4, 25)
    assert parse_dob("April 1963") is None


def test_input_columns() -> None:
    row = party_from_fields(
        {"name": NAME, "dob": "1963-04-25", "nationality": "RU", "id_number": "X1"}, 2
    )
    assert row.party is not None and row.party.dob == "1963-04-25"
    assert row.party.id_number == "X1" and "dob" not in row.passthrough
    bad = party_from_fields({"name": NAME, "dob": "yesterday"}, 3)
    assert bad.party is None and bad.error is not None and "'dob'" in bad.error
