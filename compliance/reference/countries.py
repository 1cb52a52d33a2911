"""The one country table (``countries.yaml``): ISO 3166-1 codes, names and list spellings.

Screening, the list readers and the EAR engine each look countries up in their own way
(a party's free text, a publisher's exact spelling, an EAR destination that must never be
guessed), but all of them read this table, so a country known to one is known to all.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

from compliance._yaml import load_table
from compliance.errors import ConfigurationError

_FILE = "countries.yaml"


class CountryTableError(ConfigurationError):
    """The packaged country table is malformed; the message names the entry."""


@dataclass(frozen=True, slots=True)
class Country:
    """One country: ``names`` are unambiguous English names (the first is the Commerce
    Country Chart name where the EAR has one); ``list_spellings`` are how lists and parties
    also write it (``Korea, North``, ``Region: Crimea``, ``UK``), not accepted by the EAR."""

    alpha2: str
    alpha3: str
    names: tuple[str, ...]
    list_spellings: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return self.names[0]


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise CountryTableError(f"{_FILE}: {where} must be a list of names")
    return tuple(value)


@cache
def _load() -> tuple[dict[str, Country], frozenset[str]]:
    data = load_table(files(__package__).joinpath(_FILE).read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("countries"), dict):
        raise CountryTableError(f"{_FILE}: top level must hold a 'countries' mapping")
    table: dict[str, Country] = {}
    for code, spec in data["countries"].items():
        if not isinstance(code, str) or len(code) != 2 or not code.isupper():
            raise CountryTableError(f"{_FILE}: {code!r} is not an ISO 3166-1 alpha-2 code")
        alpha3 = spec.get("alpha3") if isinstance(spec, dict) else None
        if not isinstance(alpha3, str) or len(alpha3) != 3:
            raise CountryTableError(f"{_FILE}: {code}: alpha3 missing or not 3 letters")
        names = _strings(spec.get("names"), f"{code}.names")
        if not names:
            raise CountryTableError(f"{_FILE}: {code} has no name")
        table[code] = Country(
            code, alpha3, names, _strings(spec.get("list_spellings"), f"{code}.list_spellings")
        )
    return table, frozenset(_strings(data.get("not_countries"), "not_countries"))


def countries() -> dict[str, Country]:
    """Every country by alpha-2 code."""
    return _load()[0]


def not_countries() -> frozenset[str]:
    """Place names lists publish that are no one country (``Region: Kafia Kingi``)."""
    return _load()[1]
