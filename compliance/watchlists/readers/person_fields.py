"""Dates and places of birth and identity numbers as the lists publish them.

The CSL has columns for them (``dates_of_birth``, ``places_of_birth``, ``ids``); OFAC's SDN
files write them into the remarks (``DOB 19 Jun 1951; POB Giza, Egypt; Passport 1084010
(Egypt); alt. Passport 19820215; nationality Egypt``). Both come out in one shape:
ISO partial dates (``1951``, ``1951-06``, ``1951-06-19``) and ``Identifier`` objects.
Only identity documents become identifiers: the CSL ``ids`` column also holds gender,
e-mail addresses, sanctions-risk notes and directive determinations, which identify nobody.
"""

from __future__ import annotations

import re

from compliance.watchlists.entry import Identifier

_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
    )
}
_ISO = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")
_DAY_MONTH_YEAR = re.compile(r"(?:(\d{1,2})\s+)?([A-Za-z]{3})[a-z]*\.?\s+(\d{4})")
_RANGE = re.compile(r"(\d{4})\s*(?:to|-)\s*(\d{4})")
_YEAR = re.compile(r"\b(1[89]\d{2}|20\d{2})\b")
MAX_RANGE = 10  # years a published range may span before it is read as two dates

# Identity documents by the words of their published kind. Deliberately not "Registration
# ID" of companies alone: company numbers are identifiers too, and kept.
_DOCUMENT = re.compile(
    r"passport|\bid\b|identif|national|tax|registration|cedula|c[eé]dula|\bnit\b|\bruc\b|"
    r"curp|\brfc\b|ssn|social security|driver|d-u-n-s|personal|residen|\bc\.?r\.? no|"
    r"license|licence|folio|chamber of comm|certificate|\bkpp\b|\binn\b|\bogrn\b|legal entity",
    re.IGNORECASE,
)
_NOT_DOCUMENT = re.compile(
    r"gender|e-?mail|website|secondary sanctions|directive|transactions prohibited|"
    r"vessel|aircraft|phone|fax|swift|bic|organization (?:type|established)|"
    r"additional sanctions|executive order|target type|ifca|caatsa|digital currency",
    re.IGNORECASE,
)
# "Passport 1084010 (Egypt)", "alt. National ID No. 12345 (Iran) issued 2010": the kind,
# the first word holding a digit, then the issuing country in parentheses
_REMARK_ID = re.compile(
    r"(?:alt\.\s+)?(?P<kind>[A-Z][^;()\d]*?)\s+(?P<number>[A-Za-z0-9/\-.]*\d[A-Za-z0-9/\-.]*)"
    r"(?:\s+\((?P<country>[^)]+)\))?"
)
_ISO2 = re.compile(r"[A-Z]{2}")
_REMARK_ITEM = re.compile(r"\s*;\s*")


def birth_dates(text: str | None) -> tuple[str, ...]:
    """``1973-03-25``, ``25 Mar 1973``, ``Mar 1973``, ``1955``, ``circa 1960``, ``1955 to
    1958`` -> ISO partial dates (a range as each of its years). Unreadable text -> ``()``."""
    if not text:
        return ()
    text = text.strip()
    found = _RANGE.search(text)
    if found is not None:
        first, last = int(found.group(1)), int(found.group(2))
        if 0 <= last - first <= MAX_RANGE:
            return tuple(str(y) for y in range(first, last + 1))
    found_iso = _ISO.fullmatch(text)
    if found_iso is not None:
        return (text,)
    found_dmy = _DAY_MONTH_YEAR.search(text)
    if found_dmy is not None:
        month = _MONTHS.get(found_dmy.group(2).lower())
        if month is not None:
            day = found_dmy.group(1)
            iso = f"{found_dmy.group(3)}-{month:02d}"
            return (f"{iso}-{int(day):02d}",) if day else (iso,)
    return tuple(dict.fromkeys(_YEAR.findall(text)))


def csl_identifiers(items: tuple[str, ...]) -> tuple[Identifier, ...]:
    """CSL ``ids`` items -> identity documents. Two layouts are published: the current
    ``Passport, 836238033, KP`` and the older ``PK, 2013-09-09, 2008-09-09, 4117921,
    Passport`` (country, issue and expiry dates, number, kind)."""
    out: list[Identifier] = []
    for item in items:
        parts = [p.strip() for p in item.split(",")]
        if len(parts) < 2:
            continue
        if _is_document(parts[0]):
            kind, number = parts[0], parts[1]
            country = parts[2] if len(parts) > 2 and parts[2] else None
        elif _is_document(parts[-1]):
            kind, number = parts[-1], parts[-2]
            country = parts[0] if len(parts) > 2 and _ISO2.fullmatch(parts[0]) else None
        else:
            continue
        if not any(c.isdigit() for c in number):
            continue
        out.append(Identifier(kind=kind, number=number, country=country))
    return tuple(out)


def remark_fields(
    remarks: str | None,
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[Identifier, ...]]:
    """OFAC remarks -> (dates of birth, places of birth, identity documents)."""
    if not remarks:
        return (), (), ()
    dates: list[str] = []
    places: list[str] = []
    ids: list[Identifier] = []
    for raw in _REMARK_ITEM.split(remarks):
        item = raw.strip().rstrip(".").strip()
        bare = item.removeprefix("alt. ")
        if bare.startswith("DOB "):
            dates.extend(birth_dates(bare[4:]))
        elif bare.startswith("POB "):
            places.append(bare[4:].strip())
        else:
            found = _REMARK_ID.match(item)
            if found is not None and _is_document(found.group("kind")):
                ids.append(
                    Identifier(
                        kind=found.group("kind").strip(),
                        number=found.group("number").strip().rstrip("."),
                        country=found.group("country"),
                    )
                )
    return (
        tuple(dict.fromkeys(dates)),
        tuple(dict.fromkeys(places)),
        tuple(dict.fromkeys(ids)),
    )


def _is_document(kind: str) -> bool:
    return _DOCUMENT.search(kind) is not None and _NOT_DOCUMENT.search(kind) is None
