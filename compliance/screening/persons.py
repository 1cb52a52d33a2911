"""A person is more than a name: date of birth, nationality, place of birth, ID numbers.

When the party gives them and the list entry publishes them (CSL ``dates_of_birth``,
``nationalities``, ``places_of_birth``, ``ids``; OFAC remarks ``DOB``, ``POB``,
``nationality``, ``Passport``...), they are compared after the name score:

- **agreement corroborates**: the same ID number ``+0.05``, a compatible date of birth
  ``+0.02``, the same nationality ``+0.01``, a shared place-of-birth word ``+0.01``;
- **a clear contradiction** (no published date of birth has the party's year of birth; the
  entry publishes identity documents and none has the party's number) lowers the score by
  ``0.05`` and caps it just under the alert threshold: a name-only alert becomes a review.
  It never takes a review-level hit below review: a typo in a date must not hide a listed
  person, so a person still looks at it;
- a different nationality is not a contradiction (dual nationals, naturalisation): noted
  in the evidence, no score change;
- nothing published, or nothing given: unknown, no change.

An ID number that agrees outweighs a contradicting date of birth (a date typo is likelier
than a shared passport number). Every comparison is listed in the adjustments.
"""

from __future__ import annotations

import re

from compliance.screening.countries import country_code
from compliance.screening.normalize import normalize_name
from compliance.screening.results import Party, Thresholds
from compliance.watchlists.entry import ListEntry

ID_AGREE = 0.05
DOB_AGREE = 0.02
NATIONALITY_AGREE = 0.01
BIRTHPLACE_AGREE = 0.01
CONTRADICTION = 0.05

_PARTIAL_DATE = re.compile(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?")
_DMY = re.compile(r"(\d{1,2})[./](\d{1,2})[./](\d{4})")
_NOT_ALNUM = re.compile(r"[^0-9A-Z]")


def parse_dob(text: str | None) -> tuple[int, int | None, int | None] | None:
    """``1970``, ``1970-03``, ``1970-03-25`` (or ``25.03.1970``) -> (year, month, day);
    ``None`` when no year can be read."""
    if not text:
        return None
    value = text.strip()
    found = _PARTIAL_DATE.fullmatch(value)
    if found is not None:
        month = int(found.group(2)) if found.group(2) else None
        day = int(found.group(3)) if found.group(3) else None
        return int(found.group(1)), month, day
    dmy = _DMY.fullmatch(value)
    if dmy is not None:
        return int(dmy.group(3)), int(dmy.group(2)), int(dmy.group(1))
    return None


def _compatible(
    a: tuple[int, int | None, int | None], b: tuple[int, int | None, int | None]
) -> bool:
    """Same year, and the same month and day wherever both give them."""
    return all(x is None or y is None or x == y for x, y in zip(a, b, strict=True))


def id_key(number: str) -> str:
    """An ID number compared without spaces, dashes, dots or case."""
    return _NOT_ALNUM.sub("", number.upper())


def _words(text: str) -> frozenset[str]:
    return frozenset(t.text for t in normalize_name(text).tokens if len(t.text) >= 3)


def dob_verdict(party: Party, entry: ListEntry) -> str:
    """'agree', 'disagree' or 'unknown' for the date of birth."""
    given = parse_dob(party.dob)
    listed = [d for d in (parse_dob(v) for v in entry.birth_dates) if d is not None]
    if given is None or not listed:
        return "unknown"
    return "agree" if any(_compatible(given, d) for d in listed) else "disagree"


def id_verdict(party: Party, entry: ListEntry) -> str:
    """'agree' when a published document has the party's number, 'disagree' when documents
    are published and none has it, else 'unknown'."""
    if not party.id_number or not entry.identifiers:
        return "unknown"
    key = id_key(party.id_number)
    if not key:
        return "unknown"
    return "agree" if any(id_key(i.number) == key for i in entry.identifiers) else "disagree"


def person_context(
    party: Party,
    entry: ListEntry,
    score: float,
    adjustments: tuple[str, ...],
    thresholds: Thresholds,
) -> tuple[float, tuple[str, ...]]:
    """The score after comparing the party's person fields with the entry's (module doc)."""
    notes = list(adjustments)
    bonus = 0.0
    ids = id_verdict(party, entry)
    dob = dob_verdict(party, entry)
    if ids == "agree":
        bonus += ID_AGREE
        notes.append(f"ID number agrees: {ID_AGREE:+.4f}")
    if dob == "agree":
        bonus += DOB_AGREE
        notes.append(f"date of birth agrees: {DOB_AGREE:+.4f}")
    if party.nationality and entry.nationalities:
        code = country_code(party.nationality)
        if code is not None and code in entry.nationalities:
            bonus += NATIONALITY_AGREE
            notes.append(f"nationality agrees: {NATIONALITY_AGREE:+.4f}")
        elif code is not None:
            notes.append("nationality differs (not a contradiction: dual nationals): +0.0000")
    if party.place_of_birth and entry.places_of_birth:
        listed = frozenset().union(*(_words(p) for p in entry.places_of_birth))
        if _words(party.place_of_birth) & listed:
            bonus += BIRTHPLACE_AGREE
            notes.append(f"place of birth agrees: {BIRTHPLACE_AGREE:+.4f}")
    raised = min(score + bonus, 1.0)
    if raised != score:
        score = raised
    contradiction = [
        what
        for what, verdict in (("ID number differs", ids), ("date of birth differs", dob))
        if verdict == "disagree"
    ]
    if contradiction and ids != "agree":
        cap = round(thresholds.alert - 0.0001, 4)
        lowered = min(score - CONTRADICTION, cap)
        if score >= thresholds.review:
            lowered = max(lowered, thresholds.review)
        reason = " and ".join(contradiction)
        notes.append(f"{reason}, review at most: {lowered - score:+.4f}")
        score = lowered
    return max(0.0, score), tuple(notes)
