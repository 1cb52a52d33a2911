"""Destination names and codes for the EAR tables.

Everything downstream keys on ISO 3166-1 alpha-2 codes. Two EAR-specific twists:
Hong Kong is not a destination of its own (it is China since 85 FR 83765, 2020-12-23), and
Macau is (it keeps ``MO``; it is in D:1/D:3/D:4 but not D:5). The covered regions of Ukraine
(15 CFR 746.6) get ISO 3166-2 codes (``UA-43`` Crimea, ...), so they are never read as Ukraine.
Destination names come from the library's one country table
(``compliance/reference/countries.yaml``, its unambiguous ``names`` only).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import cache, lru_cache

from compliance.ear.reference._data import ReferenceDataError, issue_date, load
from compliance.reference.countries import countries

__all__ = [
    "ISSUE_DATE",
    "UnknownCountryError",
    "all_destinations",
    "destination_note",
    "display_name",
    "normalize_destination",
    "parent_country",
]

_FILE = "countries.yaml"
ISSUE_DATE: date = issue_date(_FILE)
_NOISE_WORDS = frozenset({"the", "of", "and"})


class UnknownCountryError(ValueError):
    """The text names no destination the EAR tables know."""


def _key(text: str) -> str:
    """Order-, case-, accent- and punctuation-insensitive form of a name."""
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    words = re.sub(r"[^a-z0-9]+", " ", ascii_text.casefold().replace("&", " and ")).split()
    return " ".join(sorted(w for w in words if w not in _NOISE_WORDS))


@cache
def _tables() -> tuple[dict[str, str], dict[str, str], dict[str, tuple[str, str]]]:
    data = load(_FILE)
    names: dict[str, str] = {}
    by_key: dict[str, str] = {}
    treated: dict[str, tuple[str, str]] = {}

    def add(key_text: str, code: str) -> None:
        key = _key(key_text)
        if by_key.get(key, code) != code:
            raise ReferenceDataError(f"{_FILE}: name {key_text!r} is used by two destinations")
        by_key[key] = code

    table = countries()
    for code in data["destinations"]:
        country = table.get(code)
        if country is None:
            raise ReferenceDataError(f"{_FILE}: destination {code!r} is not in the country table")
        names[code] = country.name
        for spelling in country.names:  # not list_spellings: a destination is never guessed
            add(spelling, code)
    for code, spellings in data["regions"].items():
        if not spellings:
            raise ReferenceDataError(f"{_FILE}: region {code!r} has no name")
        names[code] = spellings[0]
        for spelling in spellings:
            add(spelling, code)
    for code, spec in data["treated_as"].items():
        note = " ".join(str(spec["note"]).split())
        treated[code] = (spec["as"], note)
        for spelling in spec["names"]:
            add(spelling, code)
    return names, by_key, treated


def _resolve(value: str) -> str:
    """The code as written (HK stays HK here); raises UnknownCountryError."""
    if not isinstance(value, str) or not value.strip():
        raise UnknownCountryError(f"destination is empty or not text: {value!r}")
    names, by_key, treated = _tables()
    stripped = value.strip()
    if stripped.upper() in names or stripped.upper() in treated:
        return stripped.upper()
    code = by_key.get(_key(stripped))
    if code is None:
        raise UnknownCountryError(
            f"unknown destination {value!r}: give an ISO 3166-1 alpha-2 code (e.g. 'DE') "
            "or the English name used by the Commerce Country Chart (15 CFR 738 Supp. No. 1)"
        )
    return code


def normalize_destination(value: str) -> str:
    """ISO-2 code for ``value`` (code or English name); Hong Kong becomes ``CN``.

    Memoised for text (the tables are fixed at import); errors are raised, never cached."""
    if not isinstance(value, str):
        _resolve(value)
    return _normalize(value)


@lru_cache(maxsize=4096)
def _normalize(value: str) -> str:
    code = _resolve(value)
    treated = _tables()[2]
    return treated[code][0] if code in treated else code


def destination_note(value: str) -> str | None:
    """Why ``value`` was mapped to another destination (Hong Kong -> China), else None."""
    code = _resolve(value)
    treated = _tables()[2]
    return treated[code][1] if code in treated else None


def display_name(code: str) -> str:
    """The Country Chart name of a normalised destination code."""
    return _tables()[0][normalize_destination(code)]


def parent_country(code: str) -> str:
    """``UA`` for a covered region of Ukraine (``UA-43`` ...), else the code itself."""
    return code.split("-", 1)[0]


def all_destinations() -> frozenset[str]:
    """Every destination code in the table (including the Ukraine covered-region codes)."""
    return frozenset(_tables()[0])
