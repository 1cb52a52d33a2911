"""Country input -> ISO 3166-1 alpha-2, for comparing a party's country with an entry's.

Parties arrive with codes or English names (``Party.country``); lists carry ISO-2 codes.
Unknown input is not guessed: it compares as 'unknown', never as a disagreement.
"""

from __future__ import annotations

import re

from compliance.screening.normalize import fold_text

_NAMES: dict[str, str] = {
    "afghanistan": "AF", "albania": "AL", "algeria": "DZ", "angola": "AO", "argentina": "AR",
    "armenia": "AM", "australia": "AU", "austria": "AT", "azerbaijan": "AZ", "bahrain": "BH",
    "bangladesh": "BD", "belarus": "BY", "belgium": "BE", "bolivia": "BO", "bosnia": "BA",
    "brazil": "BR", "bulgaria": "BG", "burma": "MM", "myanmar": "MM", "cambodia": "KH",
    "canada": "CA", "chile": "CL", "china": "CN", "mainland china": "CN", "prc": "CN",
    "peoples republic of china": "CN", "colombia": "CO", "croatia": "HR", "cuba": "CU",
    "cyprus": "CY", "czech republic": "CZ", "czechia": "CZ", "denmark": "DK", "egypt": "EG",
    "eritrea": "ER", "estonia": "EE", "ethiopia": "ET", "finland": "FI", "france": "FR",
    "georgia": "GE", "germany": "DE", "greece": "GR", "hong kong": "HK", "hungary": "HU",
    "india": "IN", "indonesia": "ID", "iran": "IR", "islamic republic of iran": "IR",
    "iraq": "IQ", "ireland": "IE", "israel": "IL", "italy": "IT", "japan": "JP",
    "jordan": "JO", "kazakhstan": "KZ", "kenya": "KE", "north korea": "KP", "dprk": "KP",
    "democratic peoples republic of korea": "KP", "south korea": "KR", "korea": "KR",
    "republic of korea": "KR", "kuwait": "KW", "kyrgyzstan": "KG", "laos": "LA",
    "latvia": "LV", "lebanon": "LB", "libya": "LY", "lithuania": "LT", "luxembourg": "LU",
    "macau": "MO", "macao": "MO", "malaysia": "MY", "mali": "ML", "malta": "MT",
    "mexico": "MX", "moldova": "MD", "mongolia": "MN", "morocco": "MA", "netherlands": "NL",
    "new zealand": "NZ", "nicaragua": "NI", "nigeria": "NG", "norway": "NO", "oman": "OM",
    "pakistan": "PK", "panama": "PA", "philippines": "PH", "poland": "PL", "portugal": "PT",
    "qatar": "QA", "romania": "RO", "russia": "RU", "russian federation": "RU",
    "saudi arabia": "SA", "serbia": "RS", "singapore": "SG", "slovakia": "SK",
    "slovenia": "SI", "somalia": "SO", "south africa": "ZA", "south sudan": "SS",
    "spain": "ES", "sri lanka": "LK", "sudan": "SD", "sweden": "SE", "switzerland": "CH",
    "syria": "SY", "syrian arab republic": "SY", "taiwan": "TW", "tajikistan": "TJ",
    "thailand": "TH", "turkey": "TR", "turkiye": "TR", "turkmenistan": "TM",
    "uae": "AE", "united arab emirates": "AE", "uganda": "UG", "ukraine": "UA",
    "united kingdom": "GB", "uk": "GB", "great britain": "GB", "britain": "GB",
    "united states": "US", "united states of america": "US", "usa": "US", "us": "US",
    "uzbekistan": "UZ", "venezuela": "VE", "vietnam": "VN", "viet nam": "VN", "yemen": "YE",
    "zimbabwe": "ZW",
}  # fmt: skip
_CODE = re.compile(r"^[A-Za-z]{2}$")
_PUNCT = re.compile(r"[^a-z ]+")


def country_code(value: str | None) -> str | None:
    """ISO-2 code for a code or an English name; ``None`` when not recognised."""
    if value is None:
        return None
    raw = value.strip()
    if not raw:
        return None
    folded = " ".join(_PUNCT.sub(" ", fold_text(raw)).split())
    named = _NAMES.get(folded) or _NAMES.get(folded.removeprefix("the "))
    if named is not None:
        return named
    if _CODE.match(raw):
        code = raw.upper()
        return "GB" if code == "UK" else code
    return None
