"""Country input -> ISO 3166-1 alpha-2, for comparing a party's country with an entry's.

Parties arrive with codes (alpha-2 or alpha-3) or names (``Party.country``); lists carry
ISO-2 codes. Names are every name and list spelling of the library's one country table
(``compliance/reference/countries.yaml``), compared after the screening's own folding (case,
accents, punctuation, a leading "the"). Unknown input is not guessed: it compares as
'unknown', never as a disagreement.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from compliance.reference.countries import countries
from compliance.screening.normalize import fold_text

_CODE = re.compile(r"^[A-Za-z]{2}$")
_ALPHA3 = re.compile(r"^[A-Z]{3}$")
_PUNCT = re.compile(r"[^a-z ]+")


def _folded(text: str) -> str:
    folded = " ".join(_PUNCT.sub(" ", fold_text(text)).split())
    return folded.removeprefix("the ")


@cache
def _tables() -> tuple[dict[str, str], dict[str, str]]:
    """Folded name -> code, and alpha-3 -> alpha-2. A folded name claimed by two countries
    is left out: it is ambiguous."""
    names: dict[str, str] = {}
    ambiguous: set[str] = set()
    alpha3: dict[str, str] = {}
    for code, country in countries().items():
        alpha3[country.alpha3] = code
        for name in (*country.names, *country.list_spellings):
            key = _folded(name)
            if names.get(key, code) != code:
                ambiguous.add(key)
            names[key] = code
    for key in ambiguous:
        names.pop(key, None)
    return names, alpha3


@lru_cache(maxsize=4096)
def country_code(value: str | None) -> str | None:
    """ISO-2 code for a code or a name; ``None`` when not recognised."""
    if value is None:
        return None
    raw = value.strip()
    if not raw:
        return None
    names, alpha3 = _tables()
    folded = _folded(raw)
    if folded in names:
        return names[folded]
    if _CODE.match(raw):
        code = raw.upper()
        return "GB" if code == "UK" else code
    if _ALPHA3.match(raw):
        return alpha3.get(raw)
    return None
