"""One model for an entry of any restricted-party list.

Every reader (CSL CSV/JSON, OFAC SDN CSV, internal CSV) produces ``ListEntry`` objects, so the
screening index, the diff and the review store never need to know which file an entry came from.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class EntryKind(StrEnum):
    """What a list entry names. BIS and State rows of the CSL carry no type: ``None`` there."""

    ENTITY = "entity"
    INDIVIDUAL = "individual"
    VESSEL = "vessel"
    AIRCRAFT = "aircraft"


class AliasStrength(StrEnum):
    """OFAC separates strong aliases (alt.csv) from weak ones (``a.k.a. 'X'`` in remarks).

    Weak aliases are screened too, but a match on one is never enough for an alert on its own.
    """

    STRONG = "strong"
    WEAK = "weak"


class Alias(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    strength: AliasStrength = AliasStrength.STRONG
    alias_type: str | None = Field(default=None, description="aka, fka or nka where the list says")


class Address(BaseModel):
    """A structured address; ``country`` is ISO 3166-1 alpha-2 where the list gives one."""

    model_config = ConfigDict(frozen=True)

    street: str | None = None
    city: str | None = None
    state: str | None = None
    postal_code: str | None = None
    country: str | None = None
    text: str | None = Field(default=None, description="the address as published, unparsed")


class Footnote(BaseModel):
    """An Entity List footnote (Supplement No. 4 to 15 CFR part 744), with what it means."""

    model_config = ConfigDict(frozen=True)

    number: int = Field(ge=1, le=5)
    meaning: str
    citation: str


class Identifier(BaseModel):
    """An identity document number a list gives for a party (passport, national ID, tax ID)."""

    model_config = ConfigDict(frozen=True)

    kind: str = Field(description="as published: 'Passport', 'National ID No.', 'Tax ID No.'")
    number: str
    country: str | None = Field(default=None, description="issuing country as published")


# Fields added after entry hashes were first stored: left out of the hash while empty, so
# the hash of an entry that publishes none of them (and every review decision keyed on it)
# is unchanged.
_LATER_FIELDS = ("birth_dates", "places_of_birth", "nationalities", "identifiers")


class ListEntry(BaseModel):
    """A restricted party as one list publishes it.

    ``source`` is the short list code used by the Consolidated Screening List (``EL``, ``SDN``,
    ``DPL``, ``UVL``, ``MEU``, ...) or ``INTERNAL`` for a company's own list.
    """

    model_config = ConfigDict(frozen=True)

    source: str
    source_name: str
    entry_id: str
    kind: EntryKind | None = None
    name: str
    aliases: tuple[Alias, ...] = ()
    addresses: tuple[Address, ...] = ()
    countries: tuple[str, ...] = ()
    programs: tuple[str, ...] = ()
    title: str | None = None
    remarks: str | None = None
    license_requirement: str | None = None
    license_policy: str | None = None
    footnotes: tuple[Footnote, ...] = ()
    federal_register_notices: tuple[str, ...] = ()
    start_date: date | None = None
    end_date: date | None = None
    birth_dates: tuple[str, ...] = Field(
        default=(), description="dates of birth: YYYY, YYYY-MM or YYYY-MM-DD (persons)"
    )
    places_of_birth: tuple[str, ...] = ()
    nationalities: tuple[str, ...] = Field(
        default=(), description="nationalities and citizenships, ISO 3166-1 alpha-2"
    )
    identifiers: tuple[Identifier, ...] = ()
    source_list_url: str | None = None
    source_information_url: str | None = None

    @property
    def all_names(self) -> tuple[tuple[str, AliasStrength | None], ...]:
        """The primary name (strength ``None``) followed by every alias."""
        return ((self.name, None), *((a.name, a.strength) for a in self.aliases))

    def content_hash(self) -> str:
        """SHA-256 of the entry's canonical JSON: changes whenever any published field changes.

        Review decisions are keyed on it, so a false-positive decision lapses when the entry
        is amended (new alias, new address, new license requirement).
        """
        data = self.model_dump(mode="json")
        for name in _LATER_FIELDS:
            if not data[name]:
                del data[name]
        payload = json.dumps(data, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()
