"""Country names as the lists write them (OFAC, UN) to ISO 3166-1 alpha-2 codes.

OFAC writes English short names in its own style ("Korea, North", "Bahamas, The",
"Man, Isle of", "Region: Crimea"); the UN uses UN names ("Iran (Islamic Republic of)",
"Russian Federation"). Screening compares ISO-2 codes, so the readers map them here.
Names that are not a country (``undetermined``, multi-country regions, disputed areas) map to
``None``: the published name stays in ``Address.text``. Lookup ignores case. The names come
from the library's one country table (``compliance/reference/countries.yaml``).
"""

from __future__ import annotations

from compliance.reference.countries import countries, not_countries


def _published_names() -> dict[str, str | None]:
    """Every name and list spelling of the country table, and the names of no country."""
    names: dict[str, str | None] = {}
    for code, country in countries().items():
        for name in (*country.names, *country.list_spellings):
            names.setdefault(name, code)
    for name in not_countries():
        names[name] = None
    return names


#: Published name -> ISO-2 code (``None``: a region or an undetermined place). A view of
#: ``compliance/reference/countries.yaml``.
COUNTRY_CODES: dict[str, str | None] = _published_names()
_BY_FOLDED = {name.casefold(): code for name, code in COUNTRY_CODES.items()}


def is_known_country_name(name: str) -> bool:
    """True when the table knows the name (even if it maps to no country)."""
    return name.strip().casefold() in _BY_FOLDED


def country_code(name: str | None) -> str | None:
    """ISO-2 code for a published country name; ``None`` for regions, unknown or unmapped names."""
    if name is None:
        return None
    return _BY_FOLDED.get(name.strip().casefold())
