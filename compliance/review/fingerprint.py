"""Fingerprints of what was screened: a counterparty's screened fields and a hit's identity.

A false-positive decision is keyed on (counterparty id, party fingerprint, list code, entry id,
entry content hash), so it lapses by itself when the counterparty's screened fields or the list
entry change, and one counterparty's decision never covers another counterparty that happens to
share its name, country and address.
"""

from __future__ import annotations

import unicodedata

from pydantic import BaseModel, ConfigDict

from compliance.review._canonical import canonical_json, sha256_hex
from compliance.screening.results import Hit, Party

#: The Party fields that screening reads; ``id`` and ``extra`` are not screened.
SCREENED_FIELDS = ("name", "aliases", "country", "address", "type")


def _text(value: str | None) -> str | None:
    """NFC and collapsed whitespace: an invisible re-encoding is not a change of the party."""
    if value is None:
        return None
    cleaned = " ".join(unicodedata.normalize("NFC", value).split())
    return cleaned or None


def screened_fields(party: Party) -> dict[str, object]:
    """The screened fields as plain JSON values; aliases sorted (their order is not screened)."""
    aliases = sorted({a for a in (_text(x) for x in party.aliases) if a is not None})
    return {
        "name": _text(party.name),
        "aliases": aliases,
        "country": _text(party.country),
        "address": _text(party.address),
        "type": party.type.value if party.type is not None else None,
    }


def party_fingerprint(party: Party) -> str:
    """SHA-256 of the canonical JSON of the party's screened fields."""
    return sha256_hex(canonical_json(screened_fields(party)))


class HitKey(BaseModel):
    """What a decision is about: this counterparty (as screened) against this entry version.

    ``counterparty_id`` is the party's ``id``: two counterparties with identical screened
    fields but different ids have different keys. A party without an id is identified by its
    screened fields alone.
    """

    model_config = ConfigDict(frozen=True)

    counterparty_id: str | None = None
    party_fingerprint: str
    list: str
    entry_id: str
    entry_hash: str

    @property
    def digest(self) -> str:
        """SHA-256 of the key's canonical JSON (an absent id is left out, as in older keys)."""
        fields = self.model_dump(mode="json")
        if fields["counterparty_id"] is None:
            del fields["counterparty_id"]
        return sha256_hex(canonical_json(fields))


def hit_key(party: Party, hit: Hit) -> HitKey:
    """The key a decision is stored under: a change to the party or the entry voids it."""
    return HitKey(
        counterparty_id=party.id,
        party_fingerprint=party_fingerprint(party),
        list=hit.list,
        entry_id=hit.entry_id,
        entry_hash=hit.entry_hash,
    )
